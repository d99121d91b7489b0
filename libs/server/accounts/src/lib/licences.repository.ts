import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sql } from 'kysely';
import { DataSource } from 'typeorm';
import { type Queryable, rows, run, typed } from '@rehearse/server/database';

/** A licence's end, the deletion date announced for it, and the person's keep request. */
export interface LicenceLifecycle {
  expires_on: string;
  notice_sent_for: string | null;
  keep_status: string | null;
}

/**
 * The statements of accounts on `licences` for administering people (the retention sweep's own
 * statements on licences live with it, in privacy). Each method takes the tenant first.
 */
@Injectable()
export class LicencesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Gives the person a licence from `startsOn` to `expiresOn` (YYYY-MM-DD), or changes theirs. A new
   * expiry date starts a new lifecycle: the notice and the keep decision of the old one are cleared.
   */
  async upsert(tenantId: string, userId: string, startsOn: string, expiresOn: string, m: Queryable): Promise<void> {
    await this.upsertMany(tenantId, [userId], startsOn, expiresOn, m);
  }

  /** `upsert` for several people of the organisation at once: one statement whatever their number. */
  async upsertMany(
    tenantId: string,
    userIds: readonly string[],
    startsOn: string,
    expiresOn: string,
    m: Queryable,
  ): Promise<void> {
    if (!userIds.length) return;
    // kept when the expiry date stays, cleared when it moves
    const keptIfSameExpiry = <T>(column: string) =>
      sql<T>`CASE WHEN licences.expires_on = excluded.expires_on THEN ${sql.ref(`licences.${column}`)} END`;
    await run(
      m,
      typed
        .insertInto('licences')
        .values(
          userIds.map((userId) => ({
            tenant_id: tenantId,
            user_id: userId,
            starts_on: startsOn,
            expires_on: expiresOn,
          })),
        )
        .onConflict((oc) =>
          oc.column('user_id').doUpdateSet({
            starts_on: sql<Date>`excluded.starts_on`,
            expires_on: sql<Date>`excluded.expires_on`,
            updated_at: sql<Date>`now()`,
            notice_sent_for: keptIfSameExpiry<Date | null>('notice_sent_for'),
            keep_status: keptIfSameExpiry<string | null>('keep_status'),
            keep_requested_at: keptIfSameExpiry<Date | null>('keep_requested_at'),
            keep_until: keptIfSameExpiry<Date | null>('keep_until'),
            keep_decided_by: keptIfSameExpiry<string | null>('keep_decided_by'),
          }),
        ),
    );
  }

  /**
   * Licences of people not deactivated ending after `today` and within `days`, the soonest first
   * (at most `limit`), with how many there are in all.
   */
  async endingSoon(
    tenantId: string,
    today: string,
    days: number,
    limit: number,
    m: Queryable,
  ): Promise<{ id: string; name: string; expires_on: string; total: number }[]> {
    return rows(
      m,
      typed
        .selectFrom('licences as l')
        .innerJoin('users as u', 'u.id', 'l.user_id')
        .select([
          'u.id',
          'u.name',
          sql<string>`to_char(l.expires_on, 'YYYY-MM-DD')`.as('expires_on'),
          sql<number>`count(*) OVER ()::int`.as('total'),
        ])
        .where('l.tenant_id', '=', tenantId)
        .where('u.status', '<>', 'deactivated')
        .where('l.expires_on', '>', sql<Date>`${today}::date`)
        .where('l.expires_on', '<=', sql<Date>`${today}::date + ${days}::int`)
        .orderBy('l.expires_on')
        .orderBy(sql`u.name COLLATE natural_order`)
        .orderBy('u.id')
        .limit(limit),
    );
  }

  /** How many keep requests await an administrator's decision. */
  async pendingKeepRequests(tenantId: string, m: Queryable): Promise<number> {
    const [{ n }] = await rows(
      m,
      typed
        .selectFrom('licences')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('tenant_id', '=', tenantId)
        .where('keep_status', '=', 'requested'),
    );
    return n;
  }

  /** Where the person's licence stands in its lifecycle (dates as YYYY-MM-DD); undefined: no licence. */
  async lifecycle(tenantId: string, userId: string): Promise<LicenceLifecycle | undefined> {
    const [row] = await rows(
      this.db,
      typed
        .selectFrom('licences')
        .select([
          sql<string>`to_char(expires_on, 'YYYY-MM-DD')`.as('expires_on'),
          sql<string | null>`to_char(notice_sent_for, 'YYYY-MM-DD')`.as('notice_sent_for'),
          'keep_status',
        ])
        .where('tenant_id', '=', tenantId)
        .where('user_id', '=', userId),
    );
    return row;
  }
}
