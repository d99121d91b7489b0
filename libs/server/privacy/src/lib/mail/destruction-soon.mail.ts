import { Inject, Injectable } from '@nestjs/common';
import type { MailJobs } from '@rehearse/shared/contracts';
import { APP_CONFIG, AppConfig, Clock, longDate, translations } from '@rehearse/server/core';
import { AccountsFootprintRepository, UsersRepository } from '@rehearse/server/accounts';
import {
  appLink,
  type ComposedMail,
  ComposesMail,
  escaped,
  escapeHtml,
  greeting,
  type MailComposer,
  NOTHING_AFTER_SENDING,
} from '@rehearse/server/mail';
import { administratorAndAgreement } from './administrator-agreement';
import { PRIVACY_MAIL_TEXT } from './privacy-mail.texts';

const textIn = translations(PRIVACY_MAIL_TEXT);
const DAY_MS = 86_400_000;

/**
 * Reminds an administrator, DESTRUCTION_NOTICE_DAYS before, that everything of their organisation
 * is destroyed on that day. Composed when sent: a destruction date moved meanwhile (a new end of
 * the agreement, or none) or already past says nothing.
 */
@Injectable()
@ComposesMail('destruction-soon')
export class DestructionSoonMail implements MailComposer<'destruction-soon'> {
  constructor(
    private readonly users: UsersRepository,
    private readonly organisations: AccountsFootprintRepository,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async compose({ adminId, destroyOn }: MailJobs['destruction-soon']): Promise<ComposedMail | null> {
    const found = await administratorAndAgreement(this.users, this.organisations, adminId);
    const today = this.clock.today();
    const endsOn = found?.agreement.ends_on;
    if (!found || !endsOn || found.agreement.destroy_on !== destroyOn || destroyOn <= today) return null;
    const { to, agreement: now } = found;
    const days = Math.round((Date.parse(`${destroyOn}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS);
    const t = textIn(to.locale);
    const hello = greeting(to.locale, to.name);
    const params = {
      organisation: now.name,
      endsOn: longDate(to.locale, endsOn),
      date: longDate(to.locale, destroyOn),
      days,
    };
    const say = (p: Record<string, string | number>) =>
      `${t(endsOn < today ? 'destruction.ended' : 'destruction.ends', p)} ${t(days === 1 ? 'destruction.tomorrow' : 'destruction.inDays', p)}`;
    const link = appLink(this.config.PUBLIC_URL, '/admin/retention');
    return {
      mail: {
        to: to.email,
        subject: t('destruction.subject', params),
        text: `${hello.text}\n\n${say(params)}\n\n${t('agreement.linkIntro')}\n${link}\n`,
        html: `<p>${hello.html}</p><p>${say(escaped(params))}</p><p>${t('agreement.linkIntro')}</p><p><a href="${escapeHtml(link)}">${t('agreement.link')}</a></p>`,
      },
      sent: NOTHING_AFTER_SENDING,
    };
  }
}
