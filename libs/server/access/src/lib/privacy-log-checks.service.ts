import { Injectable } from '@nestjs/common';
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
    private readonly log: PrivacyLogService,
    private readonly checks: PrivacyLogChecksRepository,
    private readonly clock: Clock,
  ) {}

  /** Checks one log (an organisation's; null: the operator's own) and keeps the result as its latest. */
  async check(tenantId: string | null): Promise<PrivacyLogCheck> {
    const before = await this.checks.latest(tenantId);
    const found = await this.log.checkChain(
      tenantId,
      5000,
      before?.throughId ? { throughId: before.throughId, entriesChecked: before.entriesChecked } : undefined,
    );
    const check: PrivacyLogCheck = { tenantId, checkedAt: this.clock.now(), ...found };
    await this.checks.record(tenantId, check);
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
