import { Injectable, Logger } from '@nestjs/common';
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
import { type KeptMail, MailOutbox, MailProducer } from '@rehearse/server/mail';
import { AccountActivity, LicenceLifecycleRepository, type LicenceLifecycleRow } from '@rehearse/server/accounts';
import { RecordingsFootprintRepository } from '@rehearse/server/recordings';
import { DeletionReceiptsRepository, receiptOf } from './deletion-receipts.repository';
import { Shredder } from './shredder';
import { withAdvisoryLock } from '@rehearse/server/database';

/** A licence's lifecycle and how many answer recordings its person still has. */
type Lifecycle = LicenceLifecycleRow & { recordings: number };

/** The later of two YYYY-MM-DD dates (the first where the second is null). */
function laterOf(a: string, b: string | null): string {
  return b !== null && b > a ? b : a;
}

/**
 * Licence expiry and what follows: the expired user's answers are hidden at once (see
 * `answersShown`); their recordings are deleted `deleteAfterDays` later with a notice
 * `noticeDays` before, unless they ask to keep them and the request is granted (by an
 * administrator, or at once, per the tenant's policy). A pending request holds the deletion until
 * an administrator decides. Every deletion is verified and leaves a receipt.
 */
@Injectable()
export class RetentionService {
  private readonly logger = new Logger(RetentionService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly access: AccessService,
    private readonly shredder: Shredder,
    private readonly mail: MailProducer,
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
  private async withRecordings(rows: LicenceLifecycleRow[], onlyWithRecordings = false): Promise<Lifecycle[]> {
    const kept = await this.recordings.keptAnswerRecordings(rows.map((r) => r.user_id));
    return rows
      .map((r) => ({ ...r, recordings: kept.get(r.user_id) ?? 0 }))
      .filter((r) => !onlyWithRecordings || r.recordings > 0);
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

  /**
   * The scheduled run (worker, hourly; one worker at a time): sends each notice once per due date,
   * then deletes the recordings that are due. Returns what it did.
   */
  async sweep(): Promise<{ notices: number; deleted: number }> {
    const today = this.clock.today();
    return withAdvisoryLock(
      this.db,
      'retention-sweep',
      async () => {
        // expired licences of people who still have recordings, whose notice period has begun
        const due = await this.withRecordings(await this.retention.dueForNotice(today), true);
        let notices = 0;
        let deleted = 0;
        for (const row of due) {
          // once per due date; a notice that goes late (a licence dated far back) also delays the deletion by the notice period
          if (row.notice_sent_for === row.due_on || !(await this.markNoticed(row))) continue;
          notices += 1;
          await this.mail
            .send('retention-notice', { userId: row.user_id, dueOn: row.due_on }, `${row.user_id}:${row.due_on}`)
            .catch((e: Error) =>
              this.logger.warn(`could not queue the deletion notice for ${row.user_id}: ${e.message}`),
            );
        }
        // a notice decided but not gone out (its job lost with Redis, never queued, or given up on
        // by the queue while the mail server refused) is queued again; the deletion waits for it
        const unmailed = await this.retention.noticesUnmailed(today);
        let resent = 0;
        for (const row of unmailed)
          if (
            await this.mail
              .sendAgain('retention-notice', { userId: row.user_id, dueOn: row.due_on }, `${row.user_id}:${row.due_on}`)
              .catch((e: Error) => {
                this.logger.warn(`could not queue the deletion notice for ${row.user_id} again: ${e.message}`);
                return false;
              })
          )
            resent += 1;
        if (resent) this.logger.warn(`${resent} deletion notice(s) not sent yet queued again; their deletions wait`);
        const ready = await this.withRecordings(await this.retention.readyForDeletion(today), true);
        for (const row of ready) {
          const shredded = await this.shredder.shredRecordingsOf(row.tenant_id, row.user_id);
          await this.retention.markMediaDeleted(row.tenant_id, row.user_id, this.clock.now());
          const receiptId = await this.shredder.receipt('licence_expiry', row.tenant_id, row.user_id, shredded);
          deleted += shredded.counts['recordings'] ?? 0;
          // the person is told, with where the receipt is (kept until sent: the sweep sends it if Redis loses the job)
          const told: KeptMail<'recordings-deleted'> = {
            name: 'recordings-deleted',
            payload: { userId: row.user_id, receiptId },
            key: `${row.user_id}:${receiptId}`,
            userId: row.user_id,
          };
          await this.outbox.keep(row.tenant_id, [told], this.clock.now());
          await this.outbox.queue([told]);
        }
        return { notices, deleted };
      },
      { notices: 0, deleted: 0 },
    );
  }

  /** Records that the notice for this due date went; false when another run already did. */
  private async markNoticed(row: Lifecycle): Promise<boolean> {
    return this.retention.markNoticed(row.tenant_id, row.user_id, row.due_on, this.clock.now());
  }
}
