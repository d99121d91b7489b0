import { Injectable } from '@nestjs/common';
import type { MailJobs } from '@rehearse/shared/contracts';
import { translations } from '@rehearse/server/core';
import {
  type ComposedMail,
  ComposesMail,
  greeting,
  type MailComposer,
  NOTHING_AFTER_SENDING,
} from '@rehearse/server/mail';
import { UsersRepository } from '../users.repository';
import { ACCOUNTS_MAIL_TEXT } from './accounts-mail.texts';

const textIn = translations(ACCOUNTS_MAIL_TEXT);

/** Tells a person that their password, address or authenticator app changed. */
@Injectable()
@ComposesMail('security-notice')
export class SecurityNoticeMail implements MailComposer<'security-notice'> {
  constructor(private readonly users: UsersRepository) {}

  async compose({ userId, notice }: MailJobs['security-notice']): Promise<ComposedMail | null> {
    const to = await this.users.recipient(undefined, userId);
    if (!to) return null;
    const t = textIn(to.locale);
    const hello = greeting(to.locale, to.name);
    const line = t(`security.${notice}`);
    return {
      mail: {
        to: to.email,
        subject: t('security.subject'),
        text: `${hello.text}\n\n${line}\n${t('security.notYou')}\n`,
        html: `<p>${hello.html}</p><p>${line}</p><p>${t('security.notYou')}</p>`,
      },
      sent: NOTHING_AFTER_SENDING,
    };
  }
}
