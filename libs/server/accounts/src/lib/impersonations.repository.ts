import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { ImpersonationRecord } from '@rehearse/shared/contracts';
import { type Queryable, rows, run, typed } from '@rehearse/server/database';

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
  async describe(id: string): Promise<{ reason: string; superuser_name: string } | undefined> {
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
   * The newest impersonations (at most `limit`), with the names involved, for the operator's report.
   * @withoutTenant the operator's report spans every organisation
   */
  async recent(limit = 1000): Promise<ImpersonationRecord[]> {
    const found = await rows(
      this.db,
      typed
        .selectFrom('impersonations as i')
        .innerJoin('users as s', 's.id', 'i.superuser_id')
        .innerJoin('users as t2', 't2.id', 'i.target_user_id')
        .leftJoin('tenants as tn', 'tn.id', 'i.tenant_id')
        .select([
          'i.id',
          'i.superuser_id',
          's.name as superuser_name',
          'i.target_user_id',
          't2.name as target_name',
          'tn.name as tenant_name',
          'i.reason',
          'i.started_at',
          'i.expires_at',
          'i.ended_at',
        ])
        .orderBy('i.started_at', 'desc')
        .limit(limit),
    );
    return found.map((r) => ({
      id: r.id,
      superuserId: r.superuser_id,
      superuserName: r.superuser_name,
      targetUserId: r.target_user_id,
      targetUserName: r.target_name,
      tenantName: r.tenant_name,
      reason: r.reason,
      startedAt: r.started_at.toISOString(),
      expiresAt: r.expires_at.toISOString(),
      endedAt: r.ended_at ? r.ended_at.toISOString() : null,
    }));
  }
}
