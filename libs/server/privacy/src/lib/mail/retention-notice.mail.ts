import { Inject, Injectable } from '@nestjs/common';
import type { MailJobs } from '@rehearse/shared/contracts';
import { APP_CONFIG, AppConfig, Clock, longDate, translations } from '@rehearse/server/core';
import { LicencesRepository, UsersRepository } from '@rehearse/server/accounts';
import {
  appLink,
  type ComposedMail,
  ComposesMail,
  escapeHtml,
  greeting,
  type MailComposer,
  NOTHING_AFTER_SENDING,
} from '@rehearse/server/mail';
import { PRIVACY_MAIL_TEXT } from './privacy-mail.texts';

const textIn = translations(PRIVACY_MAIL_TEXT);

/** 14 days (the tenant's notice period) before a person's recordings go; re-checked when sent. */
@Injectable()
@ComposesMail('retention-notice')
export class RetentionNoticeMail implements MailComposer<'retention-notice'> {
  constructor(
    private readonly users: UsersRepository,
    private readonly licences: LicencesRepository,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async compose({ userId, dueOn }: MailJobs['retention-notice']): Promise<ComposedMail | null> {
    const to = await this.users.recipient(undefined, userId);
    const licence = to?.tenant_id ? await this.licences.lifecycle(to.tenant_id, userId) : undefined;
    // the licence was extended meanwhile, or another due date was announced: nothing to say
    if (!to || !licence || licence.notice_sent_for !== dueOn || licence.expires_on > this.clock.today()) return null;
    const link = appLink(this.config.PUBLIC_URL, '/my/data');
    const t = textIn(to.locale);
    const hello = greeting(to.locale, to.name);
    const date = longDate(to.locale, dueOn);
    const text = t('retention.body', { expired: longDate(to.locale, licence.expires_on), date });
    return {
      mail: {
        to: to.email,
        subject: t('retention.subject', { date }),
        text: `${hello.text}\n\n${text}\n${t('retention.linkIntro')}\n${link}\n`,
        html: `<p>${hello.html}</p><p>${escapeHtml(text)}</p><p><a href="${escapeHtml(link)}">${t('retention.link')}</a></p>`,
      },
      sent: NOTHING_AFTER_SENDING,
    };
  }
}
