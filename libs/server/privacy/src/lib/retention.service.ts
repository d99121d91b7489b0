import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type {
  DeletionReceipt,
  KeepPolicy,
  KeepRequest,
  KeepStatus,
  MyRetention,
  Page,
  RetentionSettings,
} from '@rehearse/shared/contracts';
import { AccessService, Actor } from '@rehearse/server/access';
import { badRequest, Clock, conflict, notFound } from '@rehearse/server/core';
import { MailProducer } from '@rehearse/server/mail';
import { Shredder } from './shredder';
import { withAdvisoryLock } from '@rehearse/server/database';

/** One licence with its lifecycle dates, computed in SQL from the tenant's settings. */
interface LifecycleRow {
  user_id: string;
  tenant_id: string;
  expires_on: string;
  /** when the recordings go: expiry + delete-after days, or later when a keep request was granted */
  due_on: string;
  /** the earliest day the deletion may run: the due date, and never sooner than the notice period after the notice went */
  delete_from: string | null;
  notice_from: string;
  notice_sent_for: string | null;
  notice_sent_at: Date | null;
  keep_status: KeepStatus | null;
  keep_until: string | null;
  keep_requested_at: Date | null;
  keep_policy: KeepPolicy;
  keep_days: number;
  media_deleted_at: Date | null;
  recordings: number;
}

const LIFECYCLE = `
  SELECT l.user_id, l.tenant_id, to_char(l.expires_on, 'YYYY-MM-DD') AS expires_on,
         to_char(d.due_on, 'YYYY-MM-DD') AS due_on,
         to_char(d.due_on - t.retention_notice_days, 'YYYY-MM-DD') AS notice_from,
         CASE WHEN t.retention_notice_days = 0 THEN to_char(d.due_on, 'YYYY-MM-DD')
              WHEN l.notice_sent_for = d.due_on THEN to_char(GREATEST(d.due_on, (l.notice_sent_at AT TIME ZONE 'UTC')::date + t.retention_notice_days), 'YYYY-MM-DD')
         END AS delete_from,
         to_char(l.notice_sent_for, 'YYYY-MM-DD') AS notice_sent_for, l.notice_sent_at,
         l.keep_status, to_char(l.keep_until, 'YYYY-MM-DD') AS keep_until, l.keep_requested_at,
         t.retention_keep_policy AS keep_policy, t.retention_keep_days AS keep_days, l.media_deleted_at,
         (SELECT count(*)::int FROM recordings r WHERE r.owner_id = l.user_id AND r.purpose = 'answer' AND r.status <> 'deleted') AS recordings
    FROM licences l
    JOIN tenants t ON t.id = l.tenant_id
    CROSS JOIN LATERAL (SELECT GREATEST(l.expires_on + t.retention_delete_after_days, CASE WHEN l.keep_status = 'approved' THEN l.keep_until END) AS due_on) d`;

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
    private readonly clock: Clock,
  ) {}

  private async lifecycle(userId: string): Promise<LifecycleRow | null> {
    const [row]: LifecycleRow[] = await this.db.query(`${LIFECYCLE} WHERE l.user_id = $1`, [userId]);
    return row ?? null;
  }

  /** The signed-in user's own lifecycle. */
  async mine(actor: Actor): Promise<MyRetention> {
    const row = await this.lifecycle(actor.userId);
    const [t]: { keep_policy: KeepPolicy }[] = actor.tenantId
      ? await this.db.query(`SELECT retention_keep_policy AS keep_policy FROM tenants WHERE id = $1`, [actor.tenantId])
      : [];
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
        keepPolicy: t?.keep_policy ?? 'approval',
        recordings: 0,
        mediaDeletedAt: null,
      };
    }
    const hidden = row.expires_on <= today;
    const scheduled = hidden && row.recordings > 0;
    return {
      licenceExpiresOn: row.expires_on,
      hidden,
      deletionDueOn: scheduled ? row.due_on : null,
      noticeSentAt: row.notice_sent_for === row.due_on ? (row.notice_sent_at?.toISOString() ?? null) : null,
      mayAskToKeep: scheduled && today >= row.notice_from && row.keep_status === null,
      keep: row.keep_status
        ? { status: row.keep_status, until: row.keep_until, requestedAt: row.keep_requested_at?.toISOString() ?? null }
        : null,
      keepPolicy: row.keep_policy,
      recordings: row.recordings,
      mediaDeletedAt: row.media_deleted_at?.toISOString() ?? null,
    };
  }

  /**
   * The user asks to keep their recordings. With the `automatic` policy it is granted at once
   * (kept `keepDays` past the original date); with `approval` it goes to the administrators.
   */
  async askToKeep(actor: Actor): Promise<MyRetention> {
    const row = await this.lifecycle(actor.userId);
    const today = this.clock.today();
    if (!row || row.expires_on > today || row.recordings === 0) throw conflict('Nothing of yours is due for deletion');
    const tenantId = row.tenant_id;
    if (row.keep_status) throw conflict(`You already asked (${row.keep_status})`);
    if (today < row.notice_from) throw conflict(`You can ask from ${row.notice_from}, when the notice period begins`);
    const now = this.clock.now();
    if (row.keep_policy === 'automatic') {
      await this.db.query(
        `UPDATE licences SET keep_status = 'approved', keep_requested_at = $2, keep_until = $3::date + $4::int WHERE user_id = $1 AND keep_status IS NULL`,
        [actor.userId, now, row.due_on, row.keep_days],
      );
    } else {
      await this.db.query(
        `UPDATE licences SET keep_status = 'requested', keep_requested_at = $2 WHERE user_id = $1 AND keep_status IS NULL`,
        [actor.userId, now],
      );
      const admins: { id: string }[] = await this.db.query(
        `SELECT u.id FROM users u JOIN memberships mb ON mb.user_id = u.id AND mb.role = 'administrator' WHERE u.tenant_id = $1 AND u.status = 'active'`,
        [tenantId],
      );
      for (const a of admins) {
        await this.mail
          .send(
            'retention-keep-requested',
            { userId: actor.userId, adminId: a.id },
            `${actor.userId}:${a.id}:${row.due_on}`,
          )
          .catch((e: Error) => this.logger.warn(`could not queue the keep request mail: ${e.message}`));
      }
    }
    return this.mine(actor);
  }

  /** Keep requests of the tenant, pending first. */
  async requests(actor: Actor): Promise<KeepRequest[]> {
    const tenantId = this.access.tenantOf(actor);
    const rows: (LifecycleRow & { name: string; email: string })[] = await this.db.query(
      `SELECT x.*, u.name, u.email FROM (${LIFECYCLE} WHERE l.tenant_id = $1 AND l.keep_status IS NOT NULL) x JOIN users u ON u.id = x.user_id
        ORDER BY (x.keep_status = 'requested') DESC, x.keep_requested_at`,
      [tenantId],
    );
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
    const row = await this.lifecycle(userId);
    if (!row || row.tenant_id !== tenantId || !row.keep_status) throw notFound('Request');
    if (row.keep_status !== 'requested') throw conflict(`This request was already ${row.keep_status}`);
    if (decision === 'approve') {
      await this.db.query(
        `UPDATE licences SET keep_status = 'approved', keep_until = $2::date + $3::int, keep_decided_by = $4 WHERE user_id = $1`,
        [userId, row.due_on, row.keep_days, actor.userId],
      );
    } else {
      await this.db.query(`UPDATE licences SET keep_status = 'declined', keep_decided_by = $2 WHERE user_id = $1`, [
        userId,
        actor.userId,
      ]);
    }
    const found = (await this.requests(actor)).find((r) => r.userId === userId);
    if (!found) throw notFound('Request');
    return found;
  }

  async settings(actor: Actor): Promise<RetentionSettings> {
    const tenantId = this.access.tenantOf(actor);
    const [t]: { d: number; n: number; p: KeepPolicy; k: number }[] = await this.db.query(
      `SELECT retention_delete_after_days AS d, retention_notice_days AS n, retention_keep_policy AS p, retention_keep_days AS k FROM tenants WHERE id = $1`,
      [tenantId],
    );
    return { deleteAfterDays: t.d, noticeDays: t.n, keepPolicy: t.p, keepDays: t.k };
  }

  async updateSettings(actor: Actor, s: RetentionSettings): Promise<RetentionSettings> {
    const tenantId = this.access.tenantOf(actor);
    if (s.noticeDays >= s.deleteAfterDays)
      throw badRequest('validation_failed', 'The notice must come before the deletion', [
        { field: 'noticeDays', messages: ['must be less than deleteAfterDays'] },
      ]);
    await this.db.query(
      `UPDATE tenants SET retention_delete_after_days = $2, retention_notice_days = $3, retention_keep_policy = $4, retention_keep_days = $5, updated_at = $6 WHERE id = $1`,
      [tenantId, s.deleteAfterDays, s.noticeDays, s.keepPolicy, s.keepDays, this.clock.now()],
    );
    return this.settings(actor);
  }

  /** The tenant's deletion receipts, newest first. */
  async receipts(actor: Actor, page: number, pageSize: number): Promise<Page<DeletionReceipt>> {
    const tenantId = this.access.tenantOf(actor);
    const rows: {
      id: string;
      kind: DeletionReceipt['kind'];
      subject_id: string;
      created_at: Date;
      verified: boolean;
      counts: Record<string, number>;
      objects: DeletionReceipt['objects'];
      total: number;
    }[] = await this.db.query(
      `SELECT id, kind, subject_id, created_at, verified, counts, objects, count(*) OVER ()::int AS total FROM deletion_receipts WHERE tenant_id = $1 ORDER BY created_at DESC, id LIMIT $2 OFFSET $3`,
      [tenantId, pageSize, (page - 1) * pageSize],
    );
    return {
      items: rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        subjectId: r.subject_id,
        createdAt: r.created_at.toISOString(),
        verified: r.verified,
        counts: r.counts,
        objects: r.objects,
      })),
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
        const due: LifecycleRow[] = await this.db.query(
          `SELECT * FROM (${LIFECYCLE} WHERE l.expires_on <= $1::date) x WHERE x.recordings > 0 AND x.notice_from <= $1::text`,
          [today],
        );
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
        const ready: LifecycleRow[] = await this.db.query(
          `SELECT * FROM (${LIFECYCLE} WHERE l.expires_on <= $1::date AND (l.keep_status IS NULL OR l.keep_status <> 'requested')) x
          WHERE x.recordings > 0 AND x.delete_from IS NOT NULL AND x.delete_from <= $1::text`,
          [today],
        );
        for (const row of ready) {
          const shredded = await this.shredder.shredRecordingsOf(row.tenant_id, row.user_id);
          await this.db.query(`UPDATE licences SET media_deleted_at = $2 WHERE user_id = $1`, [
            row.user_id,
            this.clock.now(),
          ]);
          await this.shredder.receipt('licence_expiry', row.tenant_id, row.user_id, shredded);
          deleted += shredded.counts['recordings'] ?? 0;
        }
        return { notices, deleted };
      },
      { notices: 0, deleted: 0 },
    );
  }

  /** Records that the notice for this due date went; false when another run already did. */
  private async markNoticed(row: LifecycleRow): Promise<boolean> {
    const [, n]: [unknown, number] = await this.db.query(
      `UPDATE licences SET notice_sent_for = $2, notice_sent_at = $3 WHERE user_id = $1 AND notice_sent_for IS DISTINCT FROM $2::date`,
      [row.user_id, row.due_on, this.clock.now()],
    );
    return n === 1;
  }
}
