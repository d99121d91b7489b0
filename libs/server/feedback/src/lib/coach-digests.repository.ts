import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sql } from 'kysely';
import { DataSource } from 'typeorm';
import { type Queryable, rows, run, typed } from '@rehearse/server/database';

/** A coach of an organisation. */
export interface CoachRef {
  tenant_id: string;
  user_id: string;
}

/**
 * The coach's morning e-mail (`coach_digests`): whether a coach wants it (no row: yes) and the day
 * the worker's sweep last looked at them.
 */
@Injectable()
export class CoachDigestsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Whether the coach wants the morning e-mail (yes until they say no). */
  async enabled(tenantId: string, userId: string, m: Queryable = this.db): Promise<boolean> {
    const [row] = await rows(
      m,
      typed
        .selectFrom('coach_digests')
        .select('enabled')
        .where('tenant_id', '=', tenantId)
        .where('user_id', '=', userId),
    );
    return row?.enabled ?? true;
  }

  /** The coach's choice. */
  async setEnabled(tenantId: string, userId: string, enabled: boolean, m: Queryable = this.db): Promise<void> {
    await run(
      m,
      typed
        .insertInto('coach_digests')
        .values({ tenant_id: tenantId, user_id: userId, enabled })
        .onConflict((oc) =>
          oc
            .column('user_id')
            .doUpdateSet({ enabled, updated_at: sql<Date>`now()` })
            .where('coach_digests.tenant_id', '=', tenantId),
        ),
    );
  }

  /**
   * Of these coaches, the ones to look at on `today`: those who want the e-mail and were not looked
   * at yet that day, each marked as looked at in the same statement, so that two sweeps (two
   * worker processes, or a sweep every quarter of an hour) never mail a coach twice a day.
   * @withoutTenant the sweep serves every organisation; each coach comes with their own
   */
  async claim(today: string, coaches: readonly CoachRef[], m: Queryable = this.db): Promise<CoachRef[]> {
    if (!coaches.length) return [];
    return rows(
      m,
      typed
        .insertInto('coach_digests')
        .values(coaches.map((c) => ({ tenant_id: c.tenant_id, user_id: c.user_id, checked_on: today })))
        .onConflict((oc) =>
          oc
            .column('user_id')
            .doUpdateSet({ checked_on: sql<string>`excluded.checked_on` })
            .where('coach_digests.enabled', '=', true)
            .where(sql<boolean>`coach_digests.checked_on IS DISTINCT FROM excluded.checked_on`),
        )
        .returning(['tenant_id', 'user_id']),
    );
  }

  /** Undoes `claim` for one coach whose e-mail could not be queued, so that the next sweep tries again. */
  async release(tenantId: string, userId: string, today: string, m: Queryable = this.db): Promise<void> {
    await run(
      m,
      typed
        .updateTable('coach_digests')
        .set({ checked_on: null })
        .where('tenant_id', '=', tenantId)
        .where('user_id', '=', userId)
        .where('checked_on', '=', sql<Date>`${today}::date`),
    );
  }
}
