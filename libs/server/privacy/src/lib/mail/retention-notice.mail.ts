import { Inject, Injectable } from '@nestjs/common';
import type { MailJobs } from '@rehearse/shared/contracts';
import { APP_CONFIG, AppConfig, Clock, longDate, translations } from '@rehearse/server/core';
import { LicenceLifecycleRepository, UsersRepository } from '@rehearse/server/accounts';
import {
  appLink,
  type ComposedMail,
  ComposesMail,
  escapeHtml,
  greeting,
  type MailComposer,
} from '@rehearse/server/mail';
import { PRIVACY_MAIL_TEXT } from './privacy-mail.texts';

const textIn = translations(PRIVACY_MAIL_TEXT);
const DAY_MS = 86_400_000;

/**
 * 14 days (the tenant's notice period) before a person's recordings go; re-checked when sent. Once
 * the mail server has it, the licence records when: the deletion counts its notice period from then.
 */
@Injectable()
@ComposesMail('retention-notice')
export class RetentionNoticeMail implements MailComposer<'retention-notice'> {
  constructor(
    private readonly users: UsersRepository,
    private readonly lifecycles: LicenceLifecycleRepository,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async compose({ userId, dueOn }: MailJobs['retention-notice']): Promise<ComposedMail | null> {
    const to = await this.users.recipient(undefined, userId);
    const tenantId = to?.tenant_id;
    const licence = tenantId ? await this.lifecycles.lifecycleOf(tenantId, userId) : undefined;
    // the licence was extended meanwhile, or another due date was announced: nothing to say
    if (!to || !tenantId || !licence || licence.notice_sent_for !== dueOn || licence.expires_on > this.clock.today())
      return null;
    const link = appLink(this.config.PUBLIC_URL, '/my/data');
    const t = textIn(to.locale);
    const hello = greeting(to.locale, to.name);
    // the recordings go on the due date, or the notice period after today where this notice goes
    // out late (the deletion counts from when it went: LicenceLifecycleRepository's delete_from)
    const noticeDays =
      (Date.parse(`${licence.due_on}T00:00:00Z`) - Date.parse(`${licence.notice_from}T00:00:00Z`)) / DAY_MS;
    const earliest = new Date(Date.parse(`${this.clock.today()}T00:00:00Z`) + noticeDays * DAY_MS)
      .toISOString()
      .slice(0, 10);
    const date = longDate(to.locale, earliest > dueOn ? earliest : dueOn);
    const text = t('retention.body', { expired: longDate(to.locale, licence.expires_on), date });
    return {
      mail: {
        to: to.email,
        subject: t('retention.subject', { date }),
        text: `${hello.text}\n\n${text}\n${t('retention.linkIntro')}\n${link}\n`,
        html: `<p>${hello.html}</p><p>${escapeHtml(text)}</p><p><a href="${escapeHtml(link)}">${t('retention.link')}</a></p>`,
      },
      sent: () => this.lifecycles.markNoticeMailed(tenantId, userId, dueOn, this.clock.now()),
    };
  }
}
