import { Inject, Injectable, Optional } from '@nestjs/common';
import type { MailJobs } from '@rehearse/shared/contracts';
import { PrivacyLogChecksRepository } from '@rehearse/server/access';
import { TenantsRepository, UsersRepository } from '@rehearse/server/accounts';
import { APP_CONFIG, AppConfig, Clock, longDate, translations } from '@rehearse/server/core';
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
import { PRIVACY_MAIL_TEXT } from './privacy-mail.texts';

const textIn = translations(PRIVACY_MAIL_TEXT);

/**
 * Tells an administrator that the nightly check found their organisation's privacy log changed or
 * cut short outside Rehearse. Composed when sent, from the log's latest check: an administrator no
 * longer active, or a log checked intact since (the operator cleared it), is told nothing.
 */
@Injectable()
@ComposesMail('privacy-log-broken')
export class PrivacyLogBrokenMail implements MailComposer<'privacy-log-broken'> {
  constructor(
    private readonly users: UsersRepository,
    private readonly tenants: TenantsRepository,
    private readonly checks: PrivacyLogChecksRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() private readonly clock: Clock = new Clock(),
  ) {}

  async compose({ adminId }: MailJobs['privacy-log-broken']): Promise<ComposedMail | null> {
    const to = await this.users.recipient(undefined, adminId);
    if (!to || to.status !== 'active' || !to.tenant_id) return null;
    const check = await this.checks.latest(to.tenant_id);
    if (!check?.broken || !check.brokenAtId) return null;
    const t = textIn(to.locale);
    const hello = greeting(to.locale, to.name);
    const params = {
      organisation: (await this.tenants.nameOf(to.tenant_id)) ?? '',
      date: longDate(to.locale, this.clock.dayOf(check.checkedAt)),
      entry: check.brokenAtId,
    };
    const found = (p: Record<string, string | number>) =>
      t(check.broken === 'changed' ? 'logBroken.changed' : 'logBroken.removed', p);
    const link = appLink(this.config.PUBLIC_URL, '/admin/privacy-log');
    return {
      mail: {
        to: to.email,
        subject: t('logBroken.subject', params),
        text: `${hello.text}\n\n${found(params)}\n\n${t('logBroken.cannot')}\n\n${t('logBroken.linkIntro')}\n${link}\n`,
        html: `<p>${hello.html}</p><p>${found(escaped(params))}</p><p>${t('logBroken.cannot')}</p><p>${t('logBroken.linkIntro')}</p><p><a href="${escapeHtml(link)}">${t('logBroken.link')}</a></p>`,
      },
      sent: NOTHING_AFTER_SENDING,
    };
  }
}
