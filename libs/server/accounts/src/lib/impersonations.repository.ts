import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { ImpersonationRecord } from '@rehearse/shared/contracts';
import { sql } from 'kysely';
import { isoTime, type Queryable, rows, run, typed } from '@rehearse/server/database';

/**
 * The statements of accounts on `impersonations`. Impersonation is the operator's support acting
 * across organisations, so these take the impersonation's id (or nothing, for the operator's
 * report) rather than a tenant; the access core ends expired ones itself (access.service.ts).
 */
@Injectable()
export class ImpersonationsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * A new impersonation; its id.
   * @withoutTenant an impersonation is its superuser's, who belongs to no organisation (the organisation of the person acted as is in `i`)
   */
  async start(
    i: {
      superuserId: string;
      targetUserId: string;
      tenantId: string | null;
      reason: string;
      startedAt: Date;
      expiresAt: Date;
    },
    m: Queryable,
  ): Promise<string> {
    const [row] = await rows(
      m,
      typed
        .insertInto('impersonations')
        .values({
          superuser_id: i.superuserId,
          target_user_id: i.targetUserId,
          tenant_id: i.tenantId,
          reason: i.reason,
          started_at: i.startedAt,
          expires_at: i.expiresAt,
        })
        .returning('id'),
    );
    return row.id;
  }

  /**
   * Ends the superuser's impersonations still running (a new one replaces them: one at a time), after
   * locking the superuser's row, so that two starts at once run one after the other; how many ended.
   * @withoutTenant an impersonation is its superuser's, who belongs to no organisation
   */
  async endRunningOf(superuserId: string, at: Date, m: Queryable): Promise<number> {
    await rows(m, typed.selectFrom('users').select('id').where('id', '=', superuserId).forUpdate());
    const { count } = await run(
      m,
      typed
        .updateTable('impersonations')
        .set({ ended_at: at })
        .where('superuser_id', '=', superuserId)
        .where('ended_at', 'is', null),
    );
    return count;
  }

  /**
   * Ends the impersonation at `at` (once: a second end changes nothing).
   * @withoutTenant an impersonation is its superuser's, who belongs to no organisation
   */
  async end(id: string, at: Date): Promise<void> {
    await run(
      this.db,
      typed.updateTable('impersonations').set({ ended_at: at }).where('id', '=', id).where('ended_at', 'is', null),
    );
  }

  /**
   * Why the impersonation began and who began it, as the impersonated session shows it.
   * @withoutTenant an impersonation is its superuser's, who belongs to no organisation
   */
  async describe(id: string): Promise<{ reason: string | null; superuser_name: string } | undefined> {
    const [row] = await rows(
      this.db,
      typed
        .selectFrom('impersonations as i')
        .innerJoin('users as s', 's.id', 'i.superuser_id')
        .select(['i.reason', 's.name as superuser_name'])
        .where('i.id', '=', id),
    );
    return row;
  }

  /**
   * The reasons of these impersonations (the privacy log's starts name them), by id; an erased
   * person's is null, as is an id that names none.
   * @withoutTenant the ids come from privacy-log rows already limited to the reader's organisation or person
   */
  async reasons(ids: string[]): Promise<Map<string, string | null>> {
    if (!ids.length) return new Map();
    const found = await rows(
      this.db,
      typed.selectFrom('impersonations').select(['id', 'reason']).where('id', 'in', ids),
    );
    return new Map(found.map((r) => [r.id, r.reason]));
  }

  /**
   * The impersonations of the filter, newest first, a page at a time, with how many there are.
   * @withoutTenant the operator's report spans every organisation
   */
  async page(
    filter: ImpersonationFilter,
    page: { limit: number; offset: number },
  ): Promise<{ total: number; items: ImpersonationRecord[] }> {
    const [{ total }] = await rows(
      this.db,
      filtered(fromImpersonations(), filter).select(sql<number>`count(*)::int`.as('total')),
    );
    const found = await rows(
      this.db,
      named(filtered(fromImpersonations(), filter))
        .orderBy('i.started_at', 'desc')
        .orderBy('i.id', 'desc')
        .limit(page.limit)
        .offset(page.offset),
    );
    return { total, items: found.map(record) };
  }

  /**
   * The impersonations of the filter after `after` (a start and an id, as the previous batch's
   * `last` gives them), oldest first, at most `batch`: a keyset page, an index range scan however
   * long the period. `last` carries the start to the microsecond (as PostgreSQL writes it), which
   * the records' ISO times (to the millisecond) would not.
   * @withoutTenant the operator's report spans every organisation
   */
  async batchAfter(
    filter: ImpersonationFilter,
    after: ImpersonationCursor | null,
    batch: number,
  ): Promise<{ items: ImpersonationRecord[]; last: ImpersonationCursor | null }> {
    let q = named(filtered(fromImpersonations(), filter)).select(sql<string>`i.started_at::text`.as('started_key'));
    if (after) q = q.where(sql<boolean>`(i.started_at, i.id) > (${after.startedAt}::timestamptz, ${after.id}::uuid)`);
    const found = await rows(this.db, q.orderBy('i.started_at').orderBy('i.id').limit(batch));
    const last = found.at(-1);
    return { items: found.map(record), last: last ? { startedAt: last.started_key, id: last.id } : null };
  }

  /**
   * How many impersonations each superuser started in the period (only those who started any).
   * @withoutTenant the operator's report spans every organisation
   */
  async countsBySuperuser(filter: ImpersonationFilter): Promise<Map<string, number>> {
    const found = await rows(
      this.db,
      filtered(fromImpersonations(), filter)
        .select(['i.superuser_id', sql<number>`count(*)::int`.as('n')])
        .groupBy('i.superuser_id'),
    );
    return new Map(found.map((r) => [r.superuser_id, r.n]));
  }
}

/** Where a batch of impersonations ended: its last row's start (PostgreSQL's text, to the microsecond) and id. */
export interface ImpersonationCursor {
  startedAt: string;
  id: string;
}

/** Which impersonations: started in a period (from inclusive, before exclusive), of one superuser. */
export interface ImpersonationFilter {
  from?: Date;
  before?: Date;
  superuserId?: string;
}

const fromImpersonations = () => typed.selectFrom('impersonations as i');
type FromImpersonations = ReturnType<typeof fromImpersonations>;

function filtered(q: FromImpersonations, f: ImpersonationFilter): FromImpersonations {
  if (f.from) q = q.where('i.started_at', '>=', f.from);
  if (f.before) q = q.where('i.started_at', '<', f.before);
  if (f.superuserId) q = q.where('i.superuser_id', '=', f.superuserId);
  return q;
}

/** The columns of an impersonation as the report lists it, with the names of the people involved. */
function named(q: FromImpersonations) {
  return (
    q
      .innerJoin('users as s', 's.id', 'i.superuser_id')
      // the person acted as may have been erased since: the impersonation stays, under their random id
      .leftJoin('users as t2', 't2.id', 'i.target_user_id')
      .leftJoin('tenants as tn', 'tn.id', 'i.tenant_id')
      .select([
        'i.id',
        'i.superuser_id',
        's.name as superuser_name',
        'i.target_user_id',
        't2.name as target_name',
        'tn.name as tenant_name',
        'i.reason',
        // as ISO text, written by PostgreSQL (a quarter's export reads thousands)
        isoTime('i.started_at').as('started_at'),
        isoTime('i.expires_at').as('expires_at'),
        isoTime<null>('i.ended_at').as('ended_at'),
      ])
  );
}

function record(r: {
  id: string;
  superuser_id: string;
  superuser_name: string;
  target_user_id: string;
  target_name: string | null;
  tenant_name: string | null;
  reason: string | null;
  started_at: string;
  expires_at: string;
  ended_at: string | null;
}): ImpersonationRecord {
  return {
    id: r.id,
    superuserId: r.superuser_id,
    superuserName: r.superuser_name,
    targetUserId: r.target_user_id,
    targetUserName: r.target_name,
    tenantName: r.tenant_name,
    reason: r.reason,
    startedAt: r.started_at,
    expiresAt: r.expires_at,
    endedAt: r.ended_at,
  };
}
