import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PrivacyLogChecks } from '@rehearse/server/access';
import { LicenceLifecycleRepository, TenantsRepository } from '@rehearse/server/accounts';
import { APP_CONFIG, AppConfig, Clock, METRICS, type Metrics, Sweeper } from '@rehearse/server/core';
import { withAdvisoryLock } from '@rehearse/server/database';
import { type KeptMail, MailOutbox } from '@rehearse/server/mail';
import { PrivacyLogWitness } from './privacy-log-witness';

/**
 * Every day after PRIVACY_LOG_CHECK_HOUR_UTC: each privacy log not yet checked that day (every
 * organisation's, and the operator's own) checked for entries changed or gone (PrivacyLogChecks),
 * under a PostgreSQL advisory lock so two workers never check at once. A broken log is an error in
 * the worker's log, counted on its metrics page (`rehearse_privacy_logs_broken`: an alert), and
 * mailed to the organisation's administrators, once for each finding. Every round
 * (PRIVACY_LOG_WITNESS_MINUTES, 15 unless set) it first takes a witness of the logs outside the
 * database (PrivacyLogWitness), which the check counts again too; a log the witness finds short is
 * checked at once.
 */
@Injectable()
export class PrivacyLogCheckSweeper extends Sweeper {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly db: DataSource,
    private readonly checks: PrivacyLogChecks,
    private readonly tenants: TenantsRepository,
    private readonly licences: LicenceLifecycleRepository,
    private readonly outbox: MailOutbox,
    private readonly clock: Clock,
    @Inject(METRICS) private readonly metrics: Metrics,
    private readonly witness: PrivacyLogWitness,
  ) {
    super();
  }

  protected readonly label = 'privacy log check';

  protected everyMs(): number {
    return this.config.PRIVACY_LOG_CHECK_HOUR_UTC === 'off' ? 0 : this.config.PRIVACY_LOG_WITNESS_MINUTES * 60_000;
  }

  protected async round(): Promise<void> {
    // a witness the store could not take is an error; the check runs all the same
    const short = await this.witness.take().catch((e: Error) => {
      this.logger.error(`the witness of the privacy logs could not be taken: ${e.message}`);
      return null;
    });
    await this.publishWitness();
    if (short) await this.checkShort(short);
    await this.runIfDue();
  }

  /** The metrics page's time of the last witness and its count of logs found short (every worker reads it). */
  async publishWitness(): Promise<void> {
    const summary = await this.witness.summary().catch(() => null);
    if (!summary) return;
    this.metrics.privacyLogWitnessAt.set(summary.takenAt ? summary.takenAt.getTime() / 1000 : 0);
    this.metrics.privacyLogsShort.set(summary.short);
  }

  /** Checks each log not checked since today's hour (none before it); returns how many it checked. */
  async runIfDue(): Promise<number> {
    const hour = this.config.PRIVACY_LOG_CHECK_HOUR_UTC;
    if (hour === 'off') return 0;
    const now = this.clock.now();
    const since = new Date(`${this.clock.utcToday()}T${String(hour).padStart(2, '0')}:00:00Z`);
    if (now < since) {
      await this.publish();
      return 0;
    }
    const checked = await withAdvisoryLock(
      this.db,
      'privacy-log-check',
      async () => {
        const latest = new Map((await this.checks.latest()).map((c) => [c.tenantId, c.checkedAt]));
        const due = [null, ...(await this.tenants.ids())].filter((t) => (latest.get(t) ?? new Date(0)) < since);
        await this.checkLogs(due);
        if (due.length) this.logger.log(`privacy logs checked: ${due.length}`);
        return due.length;
      },
      0,
    );
    await this.publish();
    return checked;
  }

  /**
   * Checks at once the logs a witness found short (entries gone that it saw), so the organisation's
   * administrators see it and are told within 15 minutes, not at the next night's check; a log
   * whose last check already found entries removed is left to that finding. Returns how many it
   * checked (0 while another worker checks).
   */
  async checkShort(short: readonly (string | null)[]): Promise<number> {
    if (!short.length) return 0;
    const checked = await withAdvisoryLock(
      this.db,
      'privacy-log-check',
      async () => {
        const found = new Map((await this.checks.latest()).map((c) => [c.tenantId, c.broken]));
        const due = short.filter((t) => found.get(t) !== 'removed');
        await this.checkLogs(due);
        return due.length;
      },
      0,
    );
    await this.publish();
    return checked;
  }

  /** Checks these logs, each against the witness too; a finding logged, and mailed to the organisation's administrators once. */
  private async checkLogs(due: readonly (string | null)[]): Promise<void> {
    const witnessed = await this.witness.read().catch((e: Error) => {
      this.logger.error(`the witness of the privacy logs could not be read: ${e.message}`);
      return new Map<string | null, never>();
    });
    const told: KeptMail<'privacy-log-broken'>[] = [];
    for (const tenantId of due) {
      const c = await this.checks.check(
        tenantId,
        async (m, check, before) => {
          // the organisation's administrators are told once of each finding, in the check's transaction
          const toldBefore = before?.broken === check.broken && before?.brokenAtId === check.brokenAtId;
          if (!tenantId || !check.broken || toldBefore) return;
          const checkedAt = check.checkedAt.toISOString();
          const mails: KeptMail<'privacy-log-broken'>[] = (await this.licences.activeAdministrators(tenantId, m)).map(
            (adminId) => ({
              name: 'privacy-log-broken',
              payload: { adminId, checkedAt },
              key: `${tenantId}:${adminId}:${checkedAt}`,
              userId: adminId,
            }),
          );
          await this.outbox.keep(tenantId, mails, check.checkedAt, m);
          told.push(...mails);
        },
        witnessed.get(tenantId),
      );
      if (c.broken)
        this.logger.error(
          { tenantId, broken: c.broken, brokenAtId: c.brokenAtId, entriesChecked: c.entriesChecked },
          c.broken === 'changed'
            ? 'privacy log changed outside the application: an entry is out of its hash chain'
            : 'privacy log entries gone: fewer than the last check or the witness of the logs saw',
        );
    }
    await this.outbox.queue(told);
  }

  /** The metrics page's count of broken logs and the oldest check's time. */
  async publish(): Promise<void> {
    const all = await this.checks.latest();
    this.metrics.privacyLogsBroken.set(all.filter((c) => c.broken).length);
    const oldest = all.reduce((min, c) => Math.min(min, c.checkedAt.getTime()), Infinity);
    this.metrics.privacyLogsCheckedAt.set(all.length ? oldest / 1000 : 0);
  }
}
