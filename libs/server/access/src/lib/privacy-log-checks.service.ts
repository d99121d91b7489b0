import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { PrivacyLogIntegrity, PrivacyLogState } from '@rehearse/shared/contracts';
import { Clock } from '@rehearse/server/core';
import { type ChainAnchor, PrivacyLogService } from './privacy-log.service';
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
    witnessed?: ChainAnchor,
  ): Promise<PrivacyLogCheck> {
    const before = await this.checks.latest(tenantId);
    const { anchor, ...check } = await this.against(tenantId, before, witnessed);
    // entries gone stay found: the next checks count again against what was seen then (the log is
    // taken as it is only once the operator, having looked into it, forgets its checks: `forget`)
    if (check.broken === 'removed' && anchor) Object.assign(check, anchor);
    await this.db.transaction(async (m) => {
      await this.checks.record(tenantId, check, m);
      await then?.(m, check, before);
    });
    return check;
  }

  /**
   * Checks one log as `check` does, recording nothing (the operator's check by hand: the worker's
   * nightly check keeps the finding and tells the organisation).
   */
  async preview(tenantId: string | null, witnessed?: ChainAnchor): Promise<PrivacyLogCheck> {
    const { anchor: _, ...check } = await this.against(tenantId, await this.checks.latest(tenantId), witnessed);
    return check;
  }

  /**
   * The log checked now, counting again what the check `before` read and what a witness of the
   * logs saw since (`witnessed`, kept outside the database: PrivacyLogWitness).
   */
  private async against(
    tenantId: string | null,
    before: PrivacyLogCheck | undefined,
    witnessed: ChainAnchor | undefined,
  ): Promise<PrivacyLogCheck & { anchor?: ChainAnchor }> {
    const seen: ChainAnchor[] = [
      ...(before?.throughId ? [{ throughId: before.throughId, entriesChecked: before.entriesChecked }] : []),
      ...(witnessed ? [witnessed] : []),
    ];
    const found = await this.log.checkChain(tenantId, 5000, seen, await this.checks.acceptedEntries(tenantId));
    return { tenantId, checkedAt: this.clock.now(), ...found };
  }

  /** Every log's last entry and count, and how many are at or before `before`'s entry for it: what a witness records. */
  logHeads(before: readonly { tenantId: string | null; throughId: string }[]) {
    return this.log.logHeads(before);
  }

  /**
   * Forgets the log's checks (the operator, having looked into a finding): the next check takes the
   * log as it is then. Whether there was one.
   */
  forget(tenantId: string | null, m?: EntityManager): Promise<boolean> {
    return this.checks.forget(tenantId, m);
  }

  /**
   * Accepts the log's latest finding (the operator, having looked into it), in `m`: an entry found
   * changed is taken as it is from now on, and the log's checks are forgotten, so the next check
   * takes the log as it is then. Returns the finding (undefined: there was none).
   */
  async acceptFinding(tenantId: string | null, m: EntityManager): Promise<PrivacyLogCheck | undefined> {
    const last = await this.checks.latest(tenantId);
    if (!last?.broken || !last.brokenAtId) return undefined;
    if (last.broken === 'changed') await this.checks.accept(tenantId, last.brokenAtId, this.clock.now(), m);
    await this.checks.forget(tenantId, m);
    return last;
  }

  /** What the latest check of each of these organisations' logs found. */
  async states(tenantIds: readonly string[]): Promise<Map<string, PrivacyLogState>> {
    const latest = await this.checks.latestOf(tenantIds);
    return new Map(tenantIds.map((id) => [id, latest.get(id)?.broken ?? (latest.has(id) ? 'intact' : 'unchecked')]));
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
