import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { MailJobName, MailJobs, SecurityNotice } from '@rehearse/shared/contracts';
import { APP_CONFIG, AppConfig, Clock, longDate, SecretBox, translations } from '@rehearse/server/core';
import type { OutgoingMail } from './mailer';
import { en } from './locales/en';
import { nl } from './locales/nl';

export interface ComposedMail {
  mail: OutgoingMail;
  /** called after the SMTP server accepted the message (clears sealed secrets) */
  sent(): Promise<void>;
}

/** Each mail in its recipient's language (users.locale; English until they choose or first sign in). */
const textIn = translations({ en, nl });

function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

/** The same parameters with every value escaped for HTML (the catalogues' own text is trusted). */
function escaped(params: Record<string, string | number>): Record<string, string | number> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'string' ? escapeHtml(v) : v]));
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
      case 'mfa-code': {
        const p = payload as MailJobs['mfa-code'];
        return this.mfaCode(p.challengeId, p.locale ?? null);
      }
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

  private async mfaCode(challengeId: string, pageLocale: string | null): Promise<ComposedMail | null> {
    const rows: {
      code_sealed: string | null;
      expires_at: Date;
      consumed_at: Date | null;
      email: string;
      name: string;
      user_id: string;
      locale: string | null;
    }[] = await this.db.query(
      `SELECT c.code_sealed, c.expires_at, c.consumed_at, u.email, u.name, u.id AS user_id, u.locale
           FROM mfa_challenges c JOIN users u ON u.id = c.user_id WHERE c.id = $1`,
      [challengeId],
    );
    const c = rows[0];
    if (!c || !c.code_sealed || c.consumed_at || c.expires_at <= this.clock.now()) return null;
    const code = this.box.open(c.code_sealed, `mfa:${challengeId}`);
    const minutes = this.config.MFA_CODE_TTL_MINUTES;
    const t = textIn(c.locale ?? pageLocale);
    return {
      mail: {
        to: c.email,
        subject: t('mfa.subject', { code }),
        text: `${t('hello', { name: c.name })}\n\n${t('mfa.body', { code, minutes })}\n\n${t('mfa.notYou')}\n`,
        html: `<p>${t('hello', escaped({ name: c.name }))}</p><p>${t('mfa.body', { code: `<strong style="font-size:1.4em;letter-spacing:.2em">${code}</strong>`, minutes })}</p><p>${t('mfa.notYou')}</p>`,
      },
      sent: async () => {
        await this.db.query(`UPDATE mfa_challenges SET code_sealed = NULL WHERE id = $1`, [challengeId]);
      },
    };
  }

  private async invitation(invitationId: string): Promise<ComposedMail | null> {
    const rows: {
      token_sealed: string | null;
      expires_at: Date;
      used_at: Date | null;
      email: string;
      name: string;
      tenant_name: string;
      locale: string | null;
    }[] = await this.db.query(
      `SELECT i.token_sealed, i.expires_at, i.used_at, u.email, u.name, t.name AS tenant_name, u.locale
           FROM invitations i JOIN users u ON u.id = i.user_id JOIN tenants t ON t.id = i.tenant_id WHERE i.id = $1`,
      [invitationId],
    );
    const inv = rows[0];
    if (!inv || !inv.token_sealed || inv.used_at || inv.expires_at <= this.clock.now()) return null;
    const token = this.box.open(inv.token_sealed, `invitation:${invitationId}`);
    const link = new URL(`/invitation/${encodeURIComponent(token)}`, this.config.PUBLIC_URL).toString();
    const t = textIn(inv.locale);
    const date = longDate(inv.locale, inv.expires_at);
    return {
      mail: {
        to: inv.email,
        subject: t('invitation.subject', { tenant: inv.tenant_name }),
        text: `${t('hello', { name: inv.name })}\n\n${t('invitation.body', { tenant: inv.tenant_name })} ${t('invitation.linkIntro')}\n${link}\n\n${t('invitation.expires', { date })}\n`,
        html: `<p>${t('hello', escaped({ name: inv.name }))}</p><p>${t('invitation.body', escaped({ tenant: inv.tenant_name }))}</p><p><a href="${escapeHtml(link)}">${t('invitation.link')}</a></p><p>${t('invitation.expires', { date })}</p>`,
      },
      sent: async () => {
        await this.db.query(`UPDATE invitations SET token_sealed = NULL WHERE id = $1`, [invitationId]);
      },
    };
  }

  private async securityNotice(userId: string, notice: SecurityNotice): Promise<ComposedMail | null> {
    const rows: { email: string; name: string; locale: string | null }[] = await this.db.query(
      `SELECT email, name, locale FROM users WHERE id = $1`,
      [userId],
    );
    const u = rows[0];
    if (!u) return null;
    const t = textIn(u.locale);
    const line = t(`security.${notice}`);
    return {
      mail: {
        to: u.email,
        subject: t('security.subject'),
        text: `${t('hello', { name: u.name })}\n\n${line}\n${t('security.notYou')}\n`,
        html: `<p>${t('hello', escaped({ name: u.name }))}</p><p>${line}</p><p>${t('security.notYou')}</p>`,
      },
      sent: async () => undefined,
    };
  }

  /** Tells the trainee that feedback arrived; names the exercise, never the content (it stays behind the sign-in). */
  private async feedbackPublished(reviewId: string): Promise<ComposedMail | null> {
    const rows: {
      email: string;
      name: string;
      locale: string | null;
      source: string;
      state: string;
      answer_id: string;
      exercise_id: string;
      content: { modules: { exercises: { id: string; title: string }[] }[] };
    }[] = await this.db.query(
      `SELECT u.email, u.name, u.locale, r.source, r.state, a.id AS answer_id, a.exercise_id, v.content
         FROM reviews r JOIN answers a ON a.id = r.answer_id JOIN users u ON u.id = a.user_id AND u.status = 'active'
         JOIN course_versions v ON v.id = a.course_version_id WHERE r.id = $1`,
      [reviewId],
    );
    const r = rows[0];
    if (!r || r.state !== 'published') return null;
    const t = textIn(r.locale);
    const title =
      r.content.modules.flatMap((m) => m.exercises).find((e) => e.id === r.exercise_id)?.title ??
      t('feedback.yourAnswer');
    const given = r.source === 'coach' ? 'feedback.fromCoach' : 'feedback.fromPeer';
    const link = new URL(`/answers/${r.answer_id}`, this.config.PUBLIC_URL).toString();
    return {
      mail: {
        to: r.email,
        subject: t('feedback.subject', { title }),
        text: `${t('hello', { name: r.name })}\n\n${t(given, { title })} ${t('feedback.linkIntro')}\n${link}\n`,
        html: `<p>${t('hello', escaped({ name: r.name }))}</p><p>${t(given, escaped({ title }))}</p><p><a href="${escapeHtml(link)}">${t('feedback.link')}</a></p>`,
      },
      sent: async () => undefined,
    };
  }

  /** 14 days (the tenant's notice period) before a user's recordings go; re-checked when sent. */
  private async retentionNotice(userId: string, dueOn: string): Promise<ComposedMail | null> {
    const rows: {
      email: string;
      name: string;
      locale: string | null;
      expires_on: string;
      notice_sent_for: string | null;
    }[] = await this.db.query(
      `SELECT u.email, u.name, u.locale, to_char(l.expires_on, 'YYYY-MM-DD') AS expires_on, to_char(l.notice_sent_for, 'YYYY-MM-DD') AS notice_sent_for
         FROM users u JOIN licences l ON l.user_id = u.id WHERE u.id = $1`,
      [userId],
    );
    const u = rows[0];
    // the licence was extended meanwhile, or another due date was announced: nothing to say
    if (!u || u.notice_sent_for !== dueOn || u.expires_on > this.clock.today()) return null;
    const link = new URL('/my/data', this.config.PUBLIC_URL).toString();
    const t = textIn(u.locale);
    const date = longDate(u.locale, dueOn);
    const text = t('retention.body', { expired: longDate(u.locale, u.expires_on), date });
    return {
      mail: {
        to: u.email,
        subject: t('retention.subject', { date }),
        text: `${t('hello', { name: u.name })}\n\n${text}\n${t('retention.linkIntro')}\n${link}\n`,
        html: `<p>${t('hello', escaped({ name: u.name }))}</p><p>${escapeHtml(text)}</p><p><a href="${escapeHtml(link)}">${t('retention.link')}</a></p>`,
      },
      sent: async () => undefined,
    };
  }

  private async exportReady(exportId: string): Promise<ComposedMail | null> {
    const rows: {
      email: string;
      name: string;
      locale: string | null;
      state: string;
      subject_name: string | null;
      self: boolean;
      subject_id: string | null;
    }[] = await this.db.query(
      `SELECT r.email, r.name, r.locale, e.state, s.name AS subject_name, e.subject_id, e.subject_id IS NOT DISTINCT FROM e.requested_by AS self
         FROM data_exports e JOIN users r ON r.id = e.requested_by AND r.status = 'active' LEFT JOIN users s ON s.id = e.subject_id WHERE e.id = $1`,
      [exportId],
    );
    const r = rows[0];
    if (!r || r.state !== 'ready') return null;
    const t = textIn(r.locale);
    const what = !r.subject_id
      ? t('export.everything')
      : r.self
        ? t('export.yours')
        : t('export.theirs', { name: r.subject_name ?? '' });
    const link = new URL(
      !r.subject_id ? '/admin/retention' : r.self ? '/my/data' : `/admin/users/${r.subject_id}`,
      this.config.PUBLIC_URL,
    ).toString();
    return {
      mail: {
        to: r.email,
        subject: t('export.subject'),
        text: `${t('hello', { name: r.name })}\n\n${t('export.body', { what })}\n${link}\n`,
        html: `<p>${t('hello', escaped({ name: r.name }))}</p><p>${t('export.body', escaped({ what }))}</p><p><a href="${escapeHtml(link)}">${t('export.link')}</a></p>`,
      },
      sent: async () => undefined,
    };
  }

  private async keepRequested(userId: string, adminId: string): Promise<ComposedMail | null> {
    const rows: {
      email: string;
      admin_name: string;
      locale: string | null;
      name: string;
      keep_status: string | null;
    }[] = await this.db.query(
      `SELECT a.email, a.name AS admin_name, a.locale, u.name, l.keep_status FROM users a JOIN users u ON u.id = $1 AND u.tenant_id = a.tenant_id
         JOIN licences l ON l.user_id = u.id WHERE a.id = $2 AND a.status = 'active'`,
      [userId, adminId],
    );
    const r = rows[0];
    if (!r || r.keep_status !== 'requested') return null;
    const link = new URL('/admin/retention', this.config.PUBLIC_URL).toString();
    const t = textIn(r.locale);
    return {
      mail: {
        to: r.email,
        subject: t('keep.subject', { name: r.name }),
        text: `${t('hello', { name: r.admin_name })}\n\n${t('keep.body', { name: r.name })} ${t('keep.linkIntro')}\n${link}\n`,
        html: `<p>${t('hello', escaped({ name: r.admin_name }))}</p><p>${t('keep.body', escaped({ name: r.name }))}</p><p><a href="${escapeHtml(link)}">${t('keep.link')}</a></p>`,
      },
      sent: async () => undefined,
    };
  }

  private async peerReviewAssigned(reviewId: string): Promise<ComposedMail | null> {
    const rows: {
      email: string;
      name: string;
      locale: string | null;
      state: string;
      due_at: Date | null;
      answer_id: string;
    }[] = await this.db.query(
      `SELECT u.email, u.name, u.locale, r.state, r.due_at, r.answer_id FROM reviews r JOIN users u ON u.id = r.reviewer_id AND u.status = 'active' WHERE r.id = $1`,
      [reviewId],
    );
    const r = rows[0];
    if (!r || (r.state !== 'assigned' && r.state !== 'draft')) return null;
    const link = new URL(`/review/${r.answer_id}`, this.config.PUBLIC_URL).toString();
    const t = textIn(r.locale);
    const body = r.due_at ? t('peer.bodyDue', { date: longDate(r.locale, r.due_at) }) : t('peer.body');
    return {
      mail: {
        to: r.email,
        subject: t('peer.subject'),
        text: `${t('hello', { name: r.name })}\n\n${body}\n${link}\n`,
        html: `<p>${t('hello', escaped({ name: r.name }))}</p><p>${body}</p><p><a href="${escapeHtml(link)}">${t('peer.link')}</a></p>`,
      },
      sent: async () => undefined,
    };
  }
}
