import { Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '@rehearse/server/core';
import type { KeepPolicy, KeepStatus, RetentionSettings } from '@rehearse/shared/contracts';
import type { Queryable } from '@rehearse/server/database';

/** One licence with its lifecycle dates, computed in SQL from the tenant's settings. */
export interface LicenceLifecycleRow {
  user_id: string;
  tenant_id: string;
  expires_on: string;
  /** when the recordings go: expiry + delete-after days, or later when a keep request was granted */
  due_on: string;
  /**
   * the earliest day the deletion may run: the due date, and never sooner than the notice period
   * after the notice went out (null while it has not: the deletion waits for it)
   */
  delete_from: string | null;
  notice_from: string;
  /** the due date the notice was decided for, and when (the e-mail queued then) */
  notice_sent_for: string | null;
  notice_sent_at: Date | null;
  /** when that notice's e-mail was handed to the mail server (null: not yet) */
  notice_mailed_at: Date | null;
  keep_status: KeepStatus | null;
  keep_until: string | null;
  keep_requested_at: Date | null;
  keep_policy: KeepPolicy;
  keep_days: number;
  media_deleted_at: Date | null;
}

/** A licence whose holder's answers were hidden since some moment: when it ends, and when it was last set. */
export interface HiddenSince {
  tenant_id: string;
  user_id: string;
  expires_on: string;
  updated_at: Date;
}

/** `zone`: the installation's time zone as an SQL literal (Clock.sqlTimeZone): the notice's day is its reader's */
const lifecycle = (zone: string) => `
  SELECT l.user_id, l.tenant_id, to_char(l.expires_on, 'YYYY-MM-DD') AS expires_on,
         to_char(d.due_on, 'YYYY-MM-DD') AS due_on,
         to_char(d.due_on - t.retention_notice_days, 'YYYY-MM-DD') AS notice_from,
         CASE WHEN t.retention_notice_days = 0 THEN to_char(d.due_on, 'YYYY-MM-DD')
              WHEN l.notice_sent_for = d.due_on AND l.notice_mailed_at IS NOT NULL
                THEN to_char(GREATEST(d.due_on, (l.notice_mailed_at AT TIME ZONE ${zone})::date + t.retention_notice_days), 'YYYY-MM-DD')
         END AS delete_from,
         to_char(l.notice_sent_for, 'YYYY-MM-DD') AS notice_sent_for, l.notice_sent_at, l.notice_mailed_at,
         l.keep_status, to_char(l.keep_until, 'YYYY-MM-DD') AS keep_until, l.keep_requested_at,
         t.retention_keep_policy AS keep_policy, t.retention_keep_days AS keep_days, l.media_deleted_at
    FROM licences l
    JOIN tenants t ON t.id = l.tenant_id
    CROSS JOIN LATERAL (SELECT GREATEST(l.expires_on + t.retention_delete_after_days, CASE WHEN l.keep_status = 'approved' THEN l.keep_until END) AS due_on) d`;

/**
 * Licences whose recordings may be deleted by the day in parameter `$today` (no pending keep
 * request), those of `where` only: one condition for the sweep's list and for its check again.
 */
const readyForDeletion = (zone: string, today: string, where = 'true') => `
  SELECT * FROM (${lifecycle(zone)} WHERE ${where} AND l.expires_on <= ${today}::date AND (l.keep_status IS NULL OR l.keep_status <> 'requested')) x
   WHERE x.delete_from IS NOT NULL AND x.delete_from <= ${today}::text`;

/**
 * The statements on licences that privacy's retention runs on: each licence's lifecycle computed
 * from its organisation's retention settings, keep requests and decisions, the settings, and the
 * expired licences the hourly sweep looks at. Whether a person still has recordings to delete is
 * recordings' to say (privacy asks both).
 */
@Injectable()
export class LicenceLifecycleRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Optional() private readonly clock: Clock = new Clock(),
  ) {}

  /** The person's licence with its lifecycle dates (undefined: no licence in this organisation). */
  async lifecycleOf(tenantId: string, userId: string): Promise<LicenceLifecycleRow | undefined> {
    const [row] = (await this.db.query(
      `${lifecycle(this.clock.sqlTimeZone)} WHERE l.user_id = $1 AND l.tenant_id = $2`,
      [userId, tenantId],
    )) as LicenceLifecycleRow[];
    return row;
  }

  /** The organisation's keep policy. */
  async keepPolicy(tenantId: string): Promise<KeepPolicy | undefined> {
    const [t] = (await this.db.query(`SELECT retention_keep_policy AS keep_policy FROM tenants WHERE id = $1`, [
      tenantId,
    ])) as { keep_policy: KeepPolicy }[];
    return t?.keep_policy;
  }

  /** A keep request granted at once (`automatic` policy): kept `keepDays` past `dueOn`. */
  async keepAutomatically(tenantId: string, userId: string, at: Date, dueOn: string, keepDays: number): Promise<void> {
    await this.db.query(
      `UPDATE licences SET keep_status = 'approved', keep_requested_at = $2, keep_until = $3::date + $4::int WHERE user_id = $1 AND tenant_id = $5 AND keep_status IS NULL`,
      [userId, at, dueOn, keepDays, tenantId],
    );
  }

  /** A keep request for the administrators to decide. */
  async requestKeep(tenantId: string, userId: string, at: Date, m: Queryable = this.db): Promise<void> {
    await m.query(
      `UPDATE licences SET keep_status = 'requested', keep_requested_at = $2 WHERE user_id = $1 AND tenant_id = $3 AND keep_status IS NULL`,
      [userId, at, tenantId],
    );
  }

  /** The organisation's active administrators (who decide keep requests). */
  async activeAdministrators(tenantId: string, m: Queryable = this.db): Promise<string[]> {
    const rows = (await m.query(
      `SELECT u.id FROM users u JOIN memberships mb ON mb.user_id = u.id AND mb.role = 'administrator' WHERE u.tenant_id = $1 AND u.status = 'active'`,
      [tenantId],
    )) as { id: string }[];
    return rows.map((r) => r.id);
  }

  /** The organisation's keep requests with the people's names and addresses, pending first. */
  async keepRequests(tenantId: string): Promise<(LicenceLifecycleRow & { name: string; email: string })[]> {
    return (await this.db.query(
      `SELECT x.*, u.name, u.email FROM (${lifecycle(this.clock.sqlTimeZone)} WHERE l.tenant_id = $1 AND l.keep_status IS NOT NULL) x JOIN users u ON u.id = x.user_id
        ORDER BY (x.keep_status = 'requested') DESC, x.keep_requested_at`,
      [tenantId],
    )) as (LicenceLifecycleRow & { name: string; email: string })[];
  }

  /**
   * An administrator grants a pending request: kept `keepDays` past `dueOn`. False when it is not
   * pending (any more): two decisions at once, the second finds it decided.
   */
  async approveKeep(
    tenantId: string,
    userId: string,
    dueOn: string,
    keepDays: number,
    by: string,
    m: Queryable = this.db,
  ): Promise<boolean> {
    const [, count] = (await m.query(
      `UPDATE licences SET keep_status = 'approved', keep_until = $3::date + $4::int, keep_decided_by = $5
        WHERE tenant_id = $1 AND user_id = $2 AND keep_status = 'requested'`,
      [tenantId, userId, dueOn, keepDays, by],
    )) as [unknown, number];
    return count > 0;
  }

  /** An administrator declines a pending request; false when it is not pending (any more). */
  async declineKeep(tenantId: string, userId: string, by: string, m: Queryable = this.db): Promise<boolean> {
    const [, count] = (await m.query(
      `UPDATE licences SET keep_status = 'declined', keep_decided_by = $3
        WHERE tenant_id = $1 AND user_id = $2 AND keep_status = 'requested'`,
      [tenantId, userId, by],
    )) as [unknown, number];
    return count > 0;
  }

  /** The organisation's retention settings. */
  async settings(tenantId: string, m: Queryable = this.db): Promise<RetentionSettings> {
    const [t] = (await m.query(
      `SELECT retention_delete_after_days AS d, retention_notice_days AS n, retention_keep_policy AS p, retention_keep_days AS k FROM tenants WHERE id = $1`,
      [tenantId],
    )) as { d: number; n: number; p: KeepPolicy; k: number }[];
    return { deleteAfterDays: t.d, noticeDays: t.n, keepPolicy: t.p, keepDays: t.k };
  }

  /** Saves the organisation's retention settings. */
  async saveSettings(tenantId: string, s: RetentionSettings, at: Date, m: Queryable = this.db): Promise<void> {
    await m.query(
      `UPDATE tenants SET retention_delete_after_days = $2, retention_notice_days = $3, retention_keep_policy = $4, retention_keep_days = $5, updated_at = $6 WHERE id = $1`,
      [tenantId, s.deleteAfterDays, s.noticeDays, s.keepPolicy, s.keepDays, at],
    );
  }

  /**
   * Licences whose holders' answers are hidden by `today` (ended by then) and were not before
   * `since` as far as the licences say: ended after that moment's day, or set (given, or their
   * dates changed: an end moved into the past) after that moment. In every organisation, or in one
   * (`tenantId`), or one person's (`userId` too).
   * @withoutTenant the hourly retention sweep serves every organisation (a download asks with its own)
   */
  async hiddenSince(
    since: Date,
    today: string,
    of: { tenantId?: string; userId?: string } = {},
  ): Promise<HiddenSince[]> {
    return (await this.db.query(
      `SELECT tenant_id, user_id, to_char(expires_on, 'YYYY-MM-DD') AS expires_on, updated_at FROM licences
        WHERE expires_on <= $2::date
          AND (expires_on > ($1::timestamptz AT TIME ZONE ${this.clock.sqlTimeZone})::date OR updated_at > $1)
          AND ($3::uuid IS NULL OR tenant_id = $3) AND ($4::uuid IS NULL OR user_id = $4)`,
      [since, today, of.tenantId ?? null, of.userId ?? null],
    )) as HiddenSince[];
  }

  /**
   * Expired licences whose notice period has begun by `today` and whose notice for this due date
   * has not gone yet (every organisation: the sweep serves them all).
   * @withoutTenant the hourly retention sweep serves every organisation
   */
  async dueForNotice(today: string): Promise<LicenceLifecycleRow[]> {
    return (await this.db.query(
      `SELECT * FROM (${lifecycle(this.clock.sqlTimeZone)} WHERE l.expires_on <= $1::date) x
        WHERE x.notice_from <= $1::text AND x.notice_sent_for IS DISTINCT FROM x.due_on`,
      [today],
    )) as LicenceLifecycleRow[];
  }

  /**
   * Expired licences whose recordings may be deleted by `today` (no pending keep request; every organisation).
   * @withoutTenant the hourly retention sweep serves every organisation
   */
  async readyForDeletion(today: string): Promise<LicenceLifecycleRow[]> {
    return (await this.db.query(readyForDeletion(this.clock.sqlTimeZone, '$1'), [today])) as LicenceLifecycleRow[];
  }

  /**
   * Whether the person's recordings may still be deleted by `today`, asked in the deletion's own
   * transaction with the licence locked until it ends: a licence extended, a keep request made or
   * granted after the sweep listed the person (it may run a while) waits for the deletion or stops it.
   */
  async lockReadyForDeletion(tenantId: string, userId: string, today: string, m: Queryable): Promise<boolean> {
    await m.query(`SELECT 1 FROM licences WHERE tenant_id = $1 AND user_id = $2 FOR UPDATE`, [tenantId, userId]);
    const rows = (await m.query(readyForDeletion(this.clock.sqlTimeZone, '$3', 'l.tenant_id = $1 AND l.user_id = $2'), [
      tenantId,
      userId,
      today,
    ])) as unknown[];
    return rows.length > 0;
  }

  /** The person's recordings were deleted at `at`. */
  async markMediaDeleted(tenantId: string, userId: string, at: Date): Promise<void> {
    await this.db.query(`UPDATE licences SET media_deleted_at = $3 WHERE tenant_id = $1 AND user_id = $2`, [
      tenantId,
      userId,
      at,
    ]);
  }

  /**
   * Records that the notice for this due date was decided (its e-mail queued now); false when
   * another run already did. Not mailed yet: the deletion waits until it is (markNoticeMailed).
   */
  async markNoticed(tenantId: string, userId: string, dueOn: string, at: Date): Promise<boolean> {
    const [, n] = (await this.db.query(
      `UPDATE licences SET notice_sent_for = $2, notice_sent_at = $3, notice_mailed_at = NULL
        WHERE user_id = $1 AND tenant_id = $4 AND notice_sent_for IS DISTINCT FROM $2::date`,
      [userId, dueOn, at, tenantId],
    )) as [unknown, number];
    return n === 1;
  }

  /**
   * The notice for this due date was handed to the mail server at `at` (the first time counts);
   * nothing when the licence has moved on to another due date meanwhile.
   */
  async markNoticeMailed(tenantId: string, userId: string, dueOn: string, at: Date): Promise<void> {
    await this.db.query(
      `UPDATE licences SET notice_mailed_at = $3
        WHERE tenant_id = $1 AND user_id = $2 AND notice_sent_for = $4::date AND notice_mailed_at IS NULL`,
      [tenantId, userId, at, dueOn],
    );
  }

  /**
   * Expired licences whose notice for the current due date was decided but has not gone out (its
   * job lost with Redis, never queued, or given up on by the queue), their recordings not deleted.
   * @withoutTenant the hourly retention sweep serves every organisation
   */
  async noticesUnmailed(today: string): Promise<LicenceLifecycleRow[]> {
    return (await this.db.query(
      `SELECT * FROM (${lifecycle(this.clock.sqlTimeZone)} WHERE l.expires_on <= $1::date AND l.notice_sent_for IS NOT NULL
                        AND l.notice_mailed_at IS NULL AND l.media_deleted_at IS NULL) x
        WHERE x.notice_sent_for = x.due_on`,
      [today],
    )) as LicenceLifecycleRow[];
  }
}
