import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { MailJobName, MailJobs, SecurityNotice } from '@rehearse/shared/contracts';
import { APP_CONFIG, AppConfig, Clock, SecretBox } from '@rehearse/server/core';
import type { OutgoingMail } from './mailer';

export interface ComposedMail {
  mail: OutgoingMail;
  /** called after the SMTP server accepted the message (clears sealed secrets) */
  sent(): Promise<void>;
}

const NOTICES: Record<SecurityNotice, string> = {
  'password-changed': 'Your Rehearse password was changed.',
  'email-changed': 'The e-mail address of your Rehearse account was changed.',
  'totp-enabled': 'An authenticator app was added to your Rehearse account.',
  'totp-disabled': 'The authenticator app was removed from your Rehearse account.',
};

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/**
 * Builds a message from the database state a job names. Returns null when there is nothing
 * (left) to send: already sent, consumed, expired, or the user is gone.
 */
@Injectable()
export class MailComposer {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly box: SecretBox,
    private readonly clock: Clock,
  ) {}

  async compose<N extends MailJobName>(name: N, payload: MailJobs[N]): Promise<ComposedMail | null> {
    switch (name) {
      case 'mfa-code':
        return this.mfaCode((payload as MailJobs['mfa-code']).challengeId);
      case 'invitation':
        return this.invitation((payload as MailJobs['invitation']).invitationId);
      case 'security-notice': {
        const p = payload as MailJobs['security-notice'];
        return this.securityNotice(p.userId, p.notice);
      }
      case 'feedback-published':
        return this.feedbackPublished((payload as MailJobs['feedback-published']).reviewId);
      case 'peer-review-assigned':
        return this.peerReviewAssigned((payload as MailJobs['peer-review-assigned']).reviewId);
      case 'retention-notice': {
        const p = payload as MailJobs['retention-notice'];
        return this.retentionNotice(p.userId, p.dueOn);
      }
      case 'export-ready':
        return this.exportReady((payload as MailJobs['export-ready']).exportId);
      case 'retention-keep-requested': {
        const p = payload as MailJobs['retention-keep-requested'];
        return this.keepRequested(p.userId, p.adminId);
      }
      default:
        throw new Error(`unknown mail job ${String(name)}`);
    }
  }

  private async mfaCode(challengeId: string): Promise<ComposedMail | null> {
    const rows: { code_sealed: string | null; expires_at: Date; consumed_at: Date | null; email: string; name: string; user_id: string }[] =
      await this.db.query(
        `SELECT c.code_sealed, c.expires_at, c.consumed_at, u.email, u.name, u.id AS user_id
           FROM mfa_challenges c JOIN users u ON u.id = c.user_id WHERE c.id = $1`,
        [challengeId],
      );
    const c = rows[0];
    if (!c || !c.code_sealed || c.consumed_at || c.expires_at <= this.clock.now()) return null;
    const code = this.box.open(c.code_sealed, `mfa:${challengeId}`);
    const minutes = this.config.MFA_CODE_TTL_MINUTES;
    return {
      mail: {
        to: c.email,
        subject: `Your Rehearse sign-in code: ${code}`,
        text: `Hello ${c.name},\n\nYour sign-in code is ${code}. It is valid for ${minutes} minutes and can be used once.\n\nIf you did not try to sign in, change your password.\n`,
        html: `<p>Hello ${escapeHtml(c.name)},</p><p>Your sign-in code is <strong style="font-size:1.4em;letter-spacing:.2em">${code}</strong>. It is valid for ${minutes} minutes and can be used once.</p><p>If you did not try to sign in, change your password.</p>`,
      },
      sent: async () => {
        await this.db.query(`UPDATE mfa_challenges SET code_sealed = NULL WHERE id = $1`, [challengeId]);
      },
    };
  }

  private async invitation(invitationId: string): Promise<ComposedMail | null> {
    const rows: { token_sealed: string | null; expires_at: Date; used_at: Date | null; email: string; name: string; tenant_name: string }[] =
      await this.db.query(
        `SELECT i.token_sealed, i.expires_at, i.used_at, u.email, u.name, t.name AS tenant_name
           FROM invitations i JOIN users u ON u.id = i.user_id JOIN tenants t ON t.id = i.tenant_id WHERE i.id = $1`,
        [invitationId],
      );
    const inv = rows[0];
    if (!inv || !inv.token_sealed || inv.used_at || inv.expires_at <= this.clock.now()) return null;
    const token = this.box.open(inv.token_sealed, `invitation:${invitationId}`);
    const link = new URL(`/invitation/${encodeURIComponent(token)}`, this.config.PUBLIC_URL).toString();
    return {
      mail: {
        to: inv.email,
        subject: `You are invited to Rehearse (${inv.tenant_name})`,
        text: `Hello ${inv.name},\n\n${inv.tenant_name} invites you to Rehearse. Choose your password here:\n${link}\n\nThe link works once and expires on ${inv.expires_at.toISOString()}.\n`,
        html: `<p>Hello ${escapeHtml(inv.name)},</p><p>${escapeHtml(inv.tenant_name)} invites you to Rehearse.</p><p><a href="${escapeHtml(link)}">Choose your password</a></p><p>The link works once and expires on ${inv.expires_at.toISOString()}.</p>`,
      },
      sent: async () => {
        await this.db.query(`UPDATE invitations SET token_sealed = NULL WHERE id = $1`, [invitationId]);
      },
    };
  }

  private async securityNotice(userId: string, notice: SecurityNotice): Promise<ComposedMail | null> {
    const rows: { email: string; name: string }[] = await this.db.query(`SELECT email, name FROM users WHERE id = $1`, [userId]);
    const u = rows[0];
    if (!u) return null;
    const line = NOTICES[notice];
    return {
      mail: {
        to: u.email,
        subject: 'Rehearse security notice',
        text: `Hello ${u.name},\n\n${line}\nIf this was not you, contact your administrator at once.\n`,
        html: `<p>Hello ${escapeHtml(u.name)},</p><p>${escapeHtml(line)}</p><p>If this was not you, contact your administrator at once.</p>`,
      },
      sent: async () => undefined,
    };
  }

  /** Tells the trainee that feedback arrived; names the exercise, never the content (it stays behind the sign-in). */
  private async feedbackPublished(reviewId: string): Promise<ComposedMail | null> {
    const rows: { email: string; name: string; source: string; state: string; answer_id: string; exercise_id: string; content: { modules: { exercises: { id: string; title: string }[] }[] } }[] = await this.db.query(
      `SELECT u.email, u.name, r.source, r.state, a.id AS answer_id, a.exercise_id, v.content
         FROM reviews r JOIN answers a ON a.id = r.answer_id JOIN users u ON u.id = a.user_id AND u.status = 'active'
         JOIN course_versions v ON v.id = a.course_version_id WHERE r.id = $1`,
      [reviewId],
    );
    const r = rows[0];
    if (!r || r.state !== 'published') return null;
    const title = r.content.modules.flatMap((m) => m.exercises).find((e) => e.id === r.exercise_id)?.title ?? 'your answer';
    const who = r.source === 'coach' ? 'Your coach' : 'A colleague';
    const link = new URL(`/answers/${r.answer_id}`, this.config.PUBLIC_URL).toString();
    return {
      mail: {
        to: r.email,
        subject: `New feedback on “${title}”`,
        text: `Hello ${r.name},\n\n${who} has given you feedback on “${title}”. Read it here:\n${link}\n`,
        html: `<p>Hello ${escapeHtml(r.name)},</p><p>${who} has given you feedback on “${escapeHtml(title)}”.</p><p><a href="${escapeHtml(link)}">Read the feedback</a></p>`,
      },
      sent: async () => undefined,
    };
  }

  /** 14 days (the tenant's notice period) before a user's recordings go; re-checked when sent. */
  private async retentionNotice(userId: string, dueOn: string): Promise<ComposedMail | null> {
    const rows: { email: string; name: string; expires_on: string; notice_sent_for: string | null }[] = await this.db.query(
      `SELECT u.email, u.name, to_char(l.expires_on, 'YYYY-MM-DD') AS expires_on, to_char(l.notice_sent_for, 'YYYY-MM-DD') AS notice_sent_for
         FROM users u JOIN licences l ON l.user_id = u.id WHERE u.id = $1`,
      [userId],
    );
    const u = rows[0];
    // the licence was extended meanwhile, or another due date was announced: nothing to say
    if (!u || u.notice_sent_for !== dueOn || u.expires_on > this.clock.today()) return null;
    const link = new URL('/my/data', this.config.PUBLIC_URL).toString();
    const text = `Your licence expired on ${u.expires_on}, so your practice recordings are hidden. They will be deleted on ${dueOn}: the videos, their sound, transcripts and captions.`;
    return {
      mail: {
        to: u.email,
        subject: `Your Rehearse recordings will be deleted on ${dueOn}`,
        text: `Hello ${u.name},\n\n${text}\nIf you want to keep them, say so here before then:\n${link}\n`,
        html: `<p>Hello ${escapeHtml(u.name)},</p><p>${escapeHtml(text)}</p><p><a href="${escapeHtml(link)}">Keep my recordings</a></p>`,
      },
      sent: async () => undefined,
    };
  }

  private async exportReady(exportId: string): Promise<ComposedMail | null> {
    const rows: { email: string; name: string; state: string; subject_name: string | null; self: boolean; subject_id: string | null }[] = await this.db.query(
      `SELECT r.email, r.name, e.state, s.name AS subject_name, e.subject_id, e.subject_id IS NOT DISTINCT FROM e.requested_by AS self
         FROM data_exports e JOIN users r ON r.id = e.requested_by AND r.status = 'active' LEFT JOIN users s ON s.id = e.subject_id WHERE e.id = $1`,
      [exportId],
    );
    const r = rows[0];
    if (!r || r.state !== 'ready') return null;
    const what = !r.subject_id ? 'everything of your organisation' : r.self ? 'your data' : `the data of ${r.subject_name}`;
    const link = new URL(!r.subject_id ? '/admin/retention' : r.self ? '/my/data' : `/admin/users/${r.subject_id}`, this.config.PUBLIC_URL).toString();
    return {
      mail: {
        to: r.email,
        subject: 'Your Rehearse data export is ready',
        text: `Hello ${r.name},\n\nThe export of ${what} is ready. Sign in to download it within 7 days:\n${link}\n`,
        html: `<p>Hello ${escapeHtml(r.name)},</p><p>The export of ${escapeHtml(what)} is ready. Sign in to download it within 7 days.</p><p><a href="${escapeHtml(link)}">Download</a></p>`,
      },
      sent: async () => undefined,
    };
  }

  private async keepRequested(userId: string, adminId: string): Promise<ComposedMail | null> {
    const rows: { email: string; admin_name: string; name: string; keep_status: string | null }[] = await this.db.query(
      `SELECT a.email, a.name AS admin_name, u.name, l.keep_status FROM users a JOIN users u ON u.id = $1 AND u.tenant_id = a.tenant_id
         JOIN licences l ON l.user_id = u.id WHERE a.id = $2 AND a.status = 'active'`,
      [userId, adminId],
    );
    const r = rows[0];
    if (!r || r.keep_status !== 'requested') return null;
    const link = new URL('/admin/retention', this.config.PUBLIC_URL).toString();
    return {
      mail: {
        to: r.email,
        subject: `${r.name} asks to keep their recordings`,
        text: `Hello ${r.admin_name},\n\n${r.name}'s licence has expired and their recordings are due for deletion. They ask to keep them. Decide here:\n${link}\n`,
        html: `<p>Hello ${escapeHtml(r.admin_name)},</p><p>${escapeHtml(r.name)}'s licence has expired and their recordings are due for deletion. They ask to keep them.</p><p><a href="${escapeHtml(link)}">Decide</a></p>`,
      },
      sent: async () => undefined,
    };
  }

  private async peerReviewAssigned(reviewId: string): Promise<ComposedMail | null> {
    const rows: { email: string; name: string; state: string; due_at: Date | null; answer_id: string }[] = await this.db.query(
      `SELECT u.email, u.name, r.state, r.due_at, r.answer_id FROM reviews r JOIN users u ON u.id = r.reviewer_id AND u.status = 'active' WHERE r.id = $1`,
      [reviewId],
    );
    const r = rows[0];
    if (!r || (r.state !== 'assigned' && r.state !== 'draft')) return null;
    const link = new URL(`/review/${r.answer_id}`, this.config.PUBLIC_URL).toString();
    const due = r.due_at ? ` by ${r.due_at.toISOString().slice(0, 10)}` : '';
    return {
      mail: {
        to: r.email,
        subject: 'A colleague asks for your feedback',
        text: `Hello ${r.name},\n\nA colleague shared a practice answer with your group. Please review it${due}:\n${link}\n`,
        html: `<p>Hello ${escapeHtml(r.name)},</p><p>A colleague shared a practice answer with your group. Please review it${due}.</p><p><a href="${escapeHtml(link)}">Open the review</a></p>`,
      },
      sent: async () => undefined,
    };
  }
}
