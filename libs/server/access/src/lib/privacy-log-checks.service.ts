import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { PrivacyLogIntegrity } from '@rehearse/shared/contracts';
import { Clock } from '@rehearse/server/core';
import { PrivacyLogService } from './privacy-log.service';
import { type PrivacyLogCheck, PrivacyLogChecksRepository } from './privacy-log-checks.repository';

/**
 * The checks of the privacy logs for changes made outside the application (the application's role
 * cannot change or delete an entry; the schema's owner, or someone at the disk, can): each log's
 * hash chains recomputed from the first entry, and the entries an earlier check read counted again.
 * The worker runs them every day (PrivacyLogCheckSweeper); administrators see the last one.
 */
@Injectable()
export class PrivacyLogChecks {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly log: PrivacyLogService,
    private readonly checks: PrivacyLogChecksRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * Checks one log (an organisation's; null: the operator's own) and keeps the result as its latest;
   * `then` runs in the same transaction (what a newly broken log sets off), given the check before.
   */
  async check(
    tenantId: string | null,
    then?: (m: EntityManager, check: PrivacyLogCheck, before: PrivacyLogCheck | undefined) => Promise<void>,
  ): Promise<PrivacyLogCheck> {
    const before = await this.checks.latest(tenantId);
    const found = await this.log.checkChain(
      tenantId,
      5000,
      before?.throughId ? { throughId: before.throughId, entriesChecked: before.entriesChecked } : undefined,
    );
    const check: PrivacyLogCheck = { tenantId, checkedAt: this.clock.now(), ...found };
    // entries gone stay found: the next checks count again against the same check before (taken as
    // it is now only when the operator, having looked into it, removes the log's check row)
    if (found.broken === 'removed' && before?.throughId)
      Object.assign(check, { throughId: before.throughId, entriesChecked: before.entriesChecked });
    await this.db.transaction(async (m) => {
      await this.checks.record(tenantId, check, m);
      await then?.(m, check, before);
    });
    return check;
  }

  /** Every log's latest check. */
  latest(): Promise<PrivacyLogCheck[]> {
    return this.checks.all();
  }

  /** The organisation's log's latest check, as its administrators read it. */
  async integrity(tenantId: string): Promise<PrivacyLogIntegrity> {
    const last = await this.checks.latest(tenantId);
    return {
      checkedAt: last?.checkedAt.toISOString() ?? null,
      entriesChecked: last?.entriesChecked ?? 0,
      broken: last?.broken ?? null,
      brokenAtId: last?.brokenAtId ?? null,
    };
  }
}
