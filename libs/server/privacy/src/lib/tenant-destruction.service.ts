import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DESTROYED_AGAIN, DESTRUCTION_NOTICE_DAYS } from '@rehearse/shared/contracts';
import type {
  AgreementEnd,
  DestructionReport,
  DestructionReportSummary,
  Page,
  TenantAgreement,
  PrivacyLogState,
} from '@rehearse/shared/contracts';
import { badRequest, Clock, containsPattern, notFound } from '@rehearse/server/core';
import { BLOB_STORE, BlobStore, KeyVault, tenantKeyId, userKeyId } from '@rehearse/server/storage';
import { AccountActivity, type AgreementRow } from '@rehearse/server/accounts';
import { type Actor, PrivacyLogChecks } from '@rehearse/server/access';
import { OrganisationFootprint } from './organisation-footprint';
import { Shredder } from './shredder';
import { destructionReportOf, destructionReportSummaryOf } from './deletion-receipts.repository';
import { withAdvisoryLock } from '@rehearse/server/database';
import { type KeptMail, MailOutbox } from '@rehearse/server/mail';

/** The vault's ids of organisations' keys (`tenantKeyId`) start so. */
const TENANT_KEY_PREFIX = tenantKeyId('');

/**
 * The end of an agreement: a superuser sets a tenant's end date; `destroyAfterDays` (45) later the
 * worker destroys everything of the tenant: every row (the privacy-log chain included), every
 * object, the tenant's and its users' keys, their sessions and queued jobs. The destruction report
 * is a receipt kept at platform level (no tenant id), listing what went per table and each object
 * with the store's confirmation that it is gone.
 */
@Injectable()
export class TenantDestructionService {
  private readonly logger = new Logger(TenantDestructionService.name);

  constructor(
    @Inject(BLOB_STORE) private readonly store: BlobStore,
    private readonly vault: KeyVault,
    private readonly shredder: Shredder,
    private readonly clock: Clock,
    private readonly organisations: OrganisationFootprint,
    @InjectDataSource() private readonly db: DataSource,
    private readonly outbox: MailOutbox,
    private readonly activity: AccountActivity,
    private readonly logChecks: PrivacyLogChecks,
  ) {}

  /** The organisations whose name or slug contains `q` (all without one), by name, a page at a time. */
  async list(q: string | undefined, page: number, pageSize: number): Promise<Page<TenantAgreement>> {
    const { total, rows } = await this.organisations.agreements(
      { pattern: q ? containsPattern(q) : null },
      { limit: pageSize, offset: (page - 1) * pageSize },
    );
    const logs = await this.logChecks.states(rows.map((r) => r.id));
    return { items: rows.map((r) => agreement(r, logs)), total, page, pageSize };
  }

  /** When the organisation's agreement ends and the day it is destroyed (null: it has no end date). */
  async agreementOf(tenantId: string): Promise<AgreementEnd | null> {
    // (not the superusers' agreements query: it counts the organisation's people too)
    const r = await this.organisations.agreementEnd(tenantId);
    return r?.ends_on && r.destroy_on ? { endsOn: r.ends_on, destroyOn: r.destroy_on } : null;
  }

  /**
   * Sets (or clears) the end of the agreement, on the organisation's account activity. When it
   * changes, each active administrator of the organisation is e-mailed (kept in the same transaction, so the e-mails go even if Redis loses
   * their jobs): when it ends and when everything is destroyed, or that it no longer ends.
   */
  async setEnd(actor: Actor, tenantId: string, endsOn: string | null): Promise<TenantAgreement> {
    const now = this.clock.now();
    const mails = await this.db.transaction(async (m) => {
      const row = await this.organisations.lockAgreement(tenantId, m);
      if (!row) throw notFound('Tenant');
      if (row.ends_on === endsOn) return [];
      if (endsOn !== null) this.refuseWithoutNotice(endsOn, row.destroy_after_days);
      await this.organisations.setAgreementEnd(tenantId, endsOn, now, m);
      // on the organisation's own record of changes: the operator's superuser, by name
      await this.activity.record(m, actor, tenantId, [
        {
          action: 'organisation.agreement_changed',
          subjectId: null,
          details: { previousEndsOn: row.ends_on, endsOn },
        },
      ]);
      const kept: KeptMail<'agreement-end'>[] = (await this.organisations.administrators(tenantId, m)).map(
        (adminId) => ({
          name: 'agreement-end',
          payload: { adminId, endsOn },
          // each change its own e-mail (an end set, cleared and set again to the same day is told twice)
          key: `${tenantId}:${adminId}:${endsOn ?? 'none'}:${now.getTime()}`,
          userId: adminId,
        }),
      );
      await this.outbox.keep(tenantId, kept, now, m);
      return kept;
    });
    await this.outbox.queue(mails);
    return this.agreementRow(tenantId);
  }

  /** One organisation as the superusers' list shows it. */
  async agreementRow(tenantId: string): Promise<TenantAgreement> {
    const { rows } = await this.organisations.agreements({ tenantId }, { limit: 1, offset: 0 });
    if (!rows[0]) throw notFound('Tenant');
    return agreement(rows[0], await this.logChecks.states([tenantId]));
  }

  /**
   * An end that would destroy the organisation before its administrators had
   * DESTRUCTION_NOTICE_DAYS of notice (a date mistyped into the past would have destroyed it within
   * the hour) is refused, naming the earliest end that gives them their notice.
   */
  private refuseWithoutNotice(endsOn: string, destroyAfterDays: number): void {
    const day = (iso: string, days: number) =>
      new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
    const earliestDestruction = day(this.clock.today(), DESTRUCTION_NOTICE_DAYS);
    if (day(endsOn, destroyAfterDays) >= earliestDestruction) return;
    const earliestEnd = day(earliestDestruction, -destroyAfterDays);
    throw badRequest('validation_failed', 'The request is not valid', [
      {
        field: 'endsOn',
        messages: [
          `the organisation would be destroyed on ${day(endsOn, destroyAfterDays)}, before its administrators had ${DESTRUCTION_NOTICE_DAYS} days' notice: the agreement may end on ${earliestEnd} at the earliest`,
        ],
      },
    ]);
  }

  /**
   * The scheduled reminder: each active administrator of an organisation destroyed within
   * DESTRUCTION_NOTICE_DAYS is e-mailed once per destruction date (the date marked on the
   * organisation and the e-mails kept in one transaction, the organisations' rows locked: a second
   * worker at the same moment skips them). How many organisations were reminded.
   */
  async remind(): Promise<number> {
    const today = this.clock.today();
    const now = this.clock.now();
    let organisations = 0;
    const mails = await this.db.transaction(async (m) => {
      const kept: KeptMail<'destruction-soon'>[] = [];
      for (const t of await this.organisations.dueForDestructionNotice(today, DESTRUCTION_NOTICE_DAYS, m)) {
        organisations += 1;
        await this.organisations.markDestructionNoticed(t.id, t.destroy_on, m);
        const theirs: KeptMail<'destruction-soon'>[] = (await this.organisations.administrators(t.id, m)).map(
          (adminId) => ({
            name: 'destruction-soon',
            payload: { adminId, destroyOn: t.destroy_on },
            key: `${t.id}:${adminId}:${t.destroy_on}`,
            userId: adminId,
          }),
        );
        await this.outbox.keep(t.id, theirs, now, m);
        kept.push(...theirs);
      }
      return kept;
    });
    await this.outbox.queue(mails);
    return organisations;
  }

  /** The scheduled run: destroys every tenant whose destruction date has come; returns their ids. */
  async sweep(): Promise<string[]> {
    return withAdvisoryLock(
      this.db,
      'tenant-destruction',
      async () => {
        const today = this.clock.today();
        const due = await this.organisations.dueForDestruction(today);
        const done: string[] = [];
        for (const id of due) if (await this.destroy(id, today)) done.push(id);
        return done;
      },
      [],
    );
  }

  /**
   * The organisations destroyed before that a database restored from an earlier backup brought
   * back, destroyed again, each with a report that says why; how many. The key vault, which is
   * never in the backups, remembers every destruction (the organisation's key forgotten, not only
   * destroyed): the restored database may not say that the organisation ends (a backup taken
   * before its end was set), so its dates cannot be what brings the destruction back. Under the
   * sweep's lock: a second worker at the same moment leaves it to the first.
   */
  async destroyAgain(): Promise<number> {
    const forgotten = (await this.vault.forgotten())
      .filter((id) => id.startsWith(TENANT_KEY_PREFIX))
      .map((id) => id.slice(TENANT_KEY_PREFIX.length));
    if (!forgotten.length) return 0;
    return withAdvisoryLock(
      this.db,
      'tenant-destruction',
      async () => {
        let destroyed = 0;
        for (const id of forgotten) {
          if ((await this.organisations.organisation(id)) === undefined) continue;
          await this.destroy(id, undefined, DESTROYED_AGAIN);
          this.logger.warn(`tenant ${id} was destroyed before and came back (a restored backup?): destroyed again`);
          destroyed += 1;
        }
        return destroyed;
      },
      0,
    );
  }

  /**
   * The destruction reports (platform level) of the organisations whose name or slug contains `q`
   * (all without one), newest first, a page at a time, in counts.
   */
  async reports(q: string | undefined, page: number, pageSize: number): Promise<Page<DestructionReportSummary>> {
    const { total, rows } = await this.organisations.destructionReports(
      { pattern: q ? containsPattern(q) : null },
      { limit: pageSize, offset: (page - 1) * pageSize },
    );
    return { items: rows.map(destructionReportSummaryOf), total, page, pageSize };
  }

  /** One destruction report with every object and whether the store confirmed it gone. */
  async report(id: string): Promise<DestructionReport> {
    const row = await this.organisations.destructionReport(id);
    if (!row) throw notFound('Destruction report');
    return destructionReportOf(row);
  }

  /**
   * Destroys the tenant; returns the id of the destruction report. With `dueBy` (the sweep's day),
   * only while it is still due by then: asked again under the organisation's lock, so an agreement
   * extended after the sweep listed it stops it (null: nothing destroyed). `reason`: why, on the
   * report, where it is not the end of the agreement.
   */
  async destroy(tenantId: string, dueBy?: string, reason?: string): Promise<string | null> {
    const organisation = await this.organisations.organisation(tenantId);
    if (organisation === undefined) throw notFound('Tenant');
    const users = await this.organisations.people(tenantId);
    // every id a queued job of the tenant could name
    const named = new Set<string>([tenantId, ...users, ...(await this.organisations.idsNaming(tenantId))]);
    const keys = await this.store.list(`tenants/${tenantId}/`);
    const destroyed = await this.organisations.destroy(tenantId, dueBy);
    if (!destroyed) {
      this.logger.log(`tenant ${tenantId} no longer due for destruction (its agreement was changed): kept`);
      return null;
    }
    const { counts } = destroyed;
    // the people the destruction found too (one added since `users` was read among them)
    const people = new Set([...users, ...destroyed.people]);
    for (const u of people) named.add(u);
    // the organisation's key forgotten, not only destroyed: the vault (never in the backups)
    // remembers the destruction, so a database restored from an earlier backup has it made again
    // (destroyAgain); its people go with it then, so their keys are only destroyed
    let keysDestroyed = (await this.vault.forget(tenantKeyId(tenantId))) ? 1 : 0;
    for (const u of people) if (await this.vault.destroy(userKeyId(u))) keysDestroyed += 1;
    const jobs = await this.shredder.dropJobsNaming(named);
    const objects = await this.shredder.deleteObjects(keys);
    const leftovers = await this.store.list(`tenants/${tenantId}/`);
    for (const key of leftovers) objects.push({ key, verified: false });
    const report = await this.shredder.receipt(
      'tenant_destruction',
      null,
      tenantId,
      { counts: { ...counts, objects: keys.length, keysDestroyed, queuedJobs: jobs }, objects },
      reason ? { userId: null, reason } : undefined,
      organisation,
    );
    this.logger.log(`tenant ${tenantId} (${organisation.name}) destroyed: report ${report}`);
    return report;
  }
}

function agreement(r: AgreementRow, logs: Map<string, PrivacyLogState>): TenantAgreement {
  return {
    tenantId: r.id,
    name: r.name,
    slug: r.slug,
    endsOn: r.ends_on,
    destroyOn: r.destroy_on,
    users: r.users,
    privacyLog: logs.get(r.id) ?? 'unchecked',
  };
}
