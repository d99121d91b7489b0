import { Injectable } from '@nestjs/common';
import type { MailJobs } from '@rehearse/shared/contracts';
import { translations } from '@rehearse/server/core';
import {
  type ComposedMail,
  ComposesMail,
  escaped,
  greeting,
  type MailComposer,
  NOTHING_AFTER_SENDING,
} from '@rehearse/server/mail';
import { EmailChangesRepository } from '../email-changes.repository';
import { SecurityNoticesRepository } from '../security-notices.repository';
import { UsersRepository } from '../users.repository';
import { ACCOUNTS_MAIL_TEXT } from './accounts-mail.texts';

const textIn = translations(ACCOUNTS_MAIL_TEXT);

/**
 * Tells a person that their password, address or authenticator app changed. A confirmed change of
 * address is told to the address it replaced (whose owner may not be the one who changed it). The
 * notice's row is marked once sent, so a job queued again by the sweep sends nothing twice.
 */
@Injectable()
@ComposesMail('security-notice')
export class SecurityNoticeMail implements MailComposer<'security-notice'> {
  constructor(
    private readonly users: UsersRepository,
    private readonly changes: EmailChangesRepository,
    private readonly notices: SecurityNoticesRepository,
  ) {}

  async compose({
    userId,
    notice,
    emailChangeId,
    noticeId,
  }: MailJobs['security-notice']): Promise<ComposedMail | null> {
    // sent already (the sweep queued it again), or gone with the person
    const row = noticeId ? await this.notices.forMail(noticeId) : undefined;
    if (noticeId && (!row || row.mailed_at)) return null;
    const to = await this.users.recipient(undefined, userId);
    if (!to) return null;
    const t = textIn(to.locale);
    const hello = greeting(to.locale, to.name);
    let address = to.email;
    let line = t(`security.${notice}`);
    let html = line;
    let forget = NOTHING_AFTER_SENDING;
    if (notice === 'email-changed' && emailChangeId) {
      const change = await this.changes.forMail(emailChangeId);
      if (!change?.confirmed_at || !change.previous_email || change.user_id !== userId) return null;
      address = change.previous_email;
      line = t('security.email-changed-to', { email: change.new_email });
      html = t('security.email-changed-to', escaped({ email: change.new_email }));
      forget = () => this.changes.forgetPreviousEmail(change.tenant_id, emailChangeId);
    }
    return {
      mail: {
        to: address,
        subject: t('security.subject'),
        text: `${hello.text}\n\n${line}\n${t('security.notYou')}\n`,
        html: `<p>${hello.html}</p><p>${html}</p><p>${t('security.notYou')}</p>`,
      },
      sent: async () => {
        await forget();
        if (noticeId) await this.notices.markMailed(noticeId, new Date());
      },
    };
  }
}
