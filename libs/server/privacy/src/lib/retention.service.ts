import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type {
  DeletionReceipt,
  KeepRequest,
  KeepStatus,
  MyRetention,
  Page,
  RetentionSettings,
} from '@rehearse/shared/contracts';
import { AccessService, Actor } from '@rehearse/server/access';
import { badRequest, Clock, conflict, notFound } from '@rehearse/server/core';
import { type KeptMail, MailOutbox } from '@rehearse/server/mail';
import { AccountActivity, LicenceLifecycleRepository, type LicenceLifecycleRow } from '@rehearse/server/accounts';
import { RecordingsFootprintRepository } from '@rehearse/server/recordings';
import { DeletionReceiptsRepository, receiptOf } from './deletion-receipts.repository';
import { type Lifecycle, withRecordings } from './licence-lifecycles';

/** The later of two YYYY-MM-DD dates (the first where the second is null). */
function laterOf(a: string, b: string | null): string {
  return b !== null && b > a ? b : a;
}

/**
 * Licence expiry and what follows: the expired user's answers are hidden at once (see
 * `answersShown`); their recordings are deleted `deleteAfterDays` later with a notice
 * `noticeDays` before, unless they ask to keep them and the request is granted (by an
 * administrator, or at once, per the tenant's policy). A pending request holds the deletion until
 * an administrator decides. Every deletion is verified and leaves a receipt. Here: the person's
 * status and keep request, the administrators' decisions, settings and receipts; the notices and
 * deletions themselves are LicenceExpiryDeletions' (the worker's hourly sweep).
 */
@Injectable()
export class RetentionService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly access: AccessService,
    private readonly outbox: MailOutbox,
    private readonly clock: Clock,
    private readonly retention: LicenceLifecycleRepository,
    private readonly recordings: RecordingsFootprintRepository,
    private readonly receiptRows: DeletionReceiptsRepository,
    private readonly activity: AccountActivity,
  ) {}

  /** The person's lifecycle in the organisation (null: none; a superuser, in none, has no licence). */
  private async lifecycle(tenantId: string | null, userId: string): Promise<Lifecycle | null> {
    if (tenantId === null) return null;
    const row = await this.retention.lifecycleOf(tenantId, userId);
    return row ? (await this.withRecordings([row]))[0] : null;
  }

  /** The lifecycles with their people's recordings counted; `onlyWithRecordings`: those with none left out. */
  private withRecordings(rows: LicenceLifecycleRow[], onlyWithRecordings = false): Promise<Lifecycle[]> {
    return withRecordings(this.recordings, rows, onlyWithRecordings);
  }

  /** The signed-in user's own lifecycle. */
  async mine(actor: Actor): Promise<MyRetention> {
    const row = await this.lifecycle(actor.tenantId, actor.userId);
    const policy = actor.tenantId ? await this.retention.keepPolicy(actor.tenantId) : undefined;
    const today = this.clock.today();
    if (!row) {
      // no licence (or a superuser, who has no tenant): nothing is limited
      return {
        licenceExpiresOn: null,
        hidden: false,
        deletionDueOn: null,
        noticeSentAt: null,
        mayAskToKeep: false,
        keep: null,
        keepPolicy: policy ?? 'approval',
        recordings: 0,
        mediaDeletedAt: null,
        receiptId: null,
      };
    }
    const hidden = row.expires_on <= today;
    const scheduled = hidden && row.recordings > 0;
    return {
      licenceExpiresOn: row.expires_on,
      hidden,
      // the due date, or later where the notice went out late (the notice period counts from then)
      deletionDueOn: scheduled ? laterOf(row.due_on, row.delete_from) : null,
      // when the notice went out (by e-mail): not when it was decided
      noticeSentAt: row.notice_sent_for === row.due_on ? (row.notice_mailed_at?.toISOString() ?? null) : null,
      mayAskToKeep: scheduled && today >= row.notice_from && row.keep_status === null,
      keep: row.keep_status
        ? { status: row.keep_status, until: row.keep_until, requestedAt: row.keep_requested_at?.toISOString() ?? null }
        : null,
      keepPolicy: row.keep_policy,
      recordings: row.recordings,
      mediaDeletedAt: row.media_deleted_at?.toISOString() ?? null,
      receiptId: row.media_deleted_at
        ? ((await this.receiptRows.latestAbout(row.tenant_id, actor.userId, 'licence_expiry')) ?? null)
        : null,
    };
  }

  /**
   * The user asks to keep their recordings. With the `automatic` policy it is granted at once
   * (kept `keepDays` past the original date); with `approval` it goes to the administrators.
   */
  async askToKeep(actor: Actor): Promise<MyRetention> {
    const row = await this.lifecycle(actor.tenantId, actor.userId);
    const today = this.clock.today();
    if (!row || row.expires_on > today || row.recordings === 0) throw conflict('Nothing of yours is due for deletion');
    const tenantId = row.tenant_id;
    if (row.keep_status) throw conflict(`You already asked (${row.keep_status})`);
    if (today < row.notice_from) throw conflict(`You can ask from ${row.notice_from}, when the notice period begins`);
    const now = this.clock.now();
    if (row.keep_policy === 'automatic') {
      await this.retention.keepAutomatically(tenantId, actor.userId, now, row.due_on, row.keep_days);
    } else {
      // the request and the administrators' e-mails in one transaction: kept until sent
      const asked = await this.db.transaction(async (m) => {
        await this.retention.requestKeep(tenantId, actor.userId, now, m);
        const mails: KeptMail<'retention-keep-requested'>[] = (
          await this.retention.activeAdministrators(tenantId, m)
        ).map((adminId) => ({
          name: 'retention-keep-requested',
          payload: { userId: actor.userId, adminId },
          key: `${actor.userId}:${adminId}:${row.due_on}`,
          userId: adminId,
        }));
        await this.outbox.keep(tenantId, mails, now, m);
        return mails;
      });
      await this.outbox.queue(asked);
    }
    return this.mine(actor);
  }

  /** Keep requests of the tenant, pending first. */
  async requests(actor: Actor): Promise<KeepRequest[]> {
    const tenantId = this.access.tenantOf(actor);
    const rows = await this.retention.keepRequests(tenantId);
    return rows.map((r) => ({
      userId: r.user_id,
      name: r.name,
      email: r.email,
      licenceExpiresOn: r.expires_on,
      deletionDueOn: r.due_on,
      requestedAt: r.keep_requested_at?.toISOString() ?? '',
      status: r.keep_status as KeepStatus,
      keepUntil: r.keep_until,
    }));
  }

  /** An administrator grants (keep `keepDays` past the original date) or declines a pending request. */
  async decide(actor: Actor, userId: string, decision: 'approve' | 'decline'): Promise<KeepRequest> {
    const tenantId = this.access.tenantOf(actor, 'Request');
    const row = await this.lifecycle(tenantId, userId);
    if (!row || !row.keep_status) throw notFound('Request');
    if (row.keep_status !== 'requested') throw conflict(`This request was already ${row.keep_status}`);
    const decided = await this.db.transaction(async (m) => {
      const done =
        decision === 'approve'
          ? await this.retention.approveKeep(tenantId, userId, row.due_on, row.keep_days, actor.userId, m)
          : await this.retention.declineKeep(tenantId, userId, actor.userId, m);
      if (done)
        await this.activity.record(m, actor, tenantId, [
          { action: 'user.keep_request_decided', subjectId: userId, details: { granted: decision === 'approve' } },
        ]);
      return done;
    });
    // another administrator decided it in the meantime
    if (!decided) throw conflict('This request was decided by someone else in the meantime');
    const found = (await this.requests(actor)).find((r) => r.userId === userId);
    if (!found) throw notFound('Request');
    return found;
  }

  async settings(actor: Actor): Promise<RetentionSettings> {
    const tenantId = this.access.tenantOf(actor);
    return this.retention.settings(tenantId);
  }

  async updateSettings(actor: Actor, s: RetentionSettings): Promise<RetentionSettings> {
    const tenantId = this.access.tenantOf(actor);
    if (s.noticeDays >= s.deleteAfterDays)
      throw badRequest('validation_failed', 'The notice must come before the deletion', [
        { field: 'noticeDays', messages: ['must be less than deleteAfterDays'] },
      ]);
    await this.db.transaction(async (m) => {
      const before = await this.retention.settings(tenantId, m);
      await this.retention.saveSettings(tenantId, s, this.clock.now(), m);
      const changed = (['deleteAfterDays', 'noticeDays', 'keepPolicy', 'keepDays'] as const).filter(
        (k) => before[k] !== s[k],
      );
      if (changed.length)
        await this.activity.record(m, actor, tenantId, [
          { action: 'organisation.retention_changed', subjectId: null, details: { settings: [...changed] } },
        ]);
    });
    return this.settings(actor);
  }

  /** The tenant's deletion receipts, newest first. */
  async receipts(actor: Actor, page: number, pageSize: number): Promise<Page<DeletionReceipt>> {
    const tenantId = this.access.tenantOf(actor);
    const rows = await this.receiptRows.page(tenantId, { limit: pageSize, offset: (page - 1) * pageSize });
    return {
      items: rows.map(receiptOf),
      total: rows[0]?.total ?? 0,
      page,
      pageSize,
    };
  }
}
