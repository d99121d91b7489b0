import { Inject, Injectable } from '@nestjs/common';
import type { MailJobs } from '@rehearse/shared/contracts';
import { APP_CONFIG, AppConfig, longDate, translations } from '@rehearse/server/core';
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

/**
 * Tells an administrator that their organisation's agreement now ends (and when everything of the
 * organisation is destroyed), or no longer ends. Composed when sent, from the agreement as it is
 * then: an end changed again meanwhile is told by the newer e-mail, so this one says nothing.
 */
@Injectable()
@ComposesMail('agreement-end')
export class AgreementEndMail implements MailComposer<'agreement-end'> {
  constructor(
    private readonly users: UsersRepository,
    private readonly organisations: AccountsFootprintRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async compose({ adminId, endsOn }: MailJobs['agreement-end']): Promise<ComposedMail | null> {
    const found = await administratorAndAgreement(this.users, this.organisations, adminId);
    if (!found || found.agreement.ends_on !== endsOn) return null;
    const { to, agreement: now } = found;
    const t = textIn(to.locale);
    const hello = greeting(to.locale, to.name);
    if (now.ends_on === null || now.destroy_on === null) {
      const params = { organisation: now.name };
      return {
        mail: {
          to: to.email,
          subject: t('agreement.clearedSubject', params),
          text: `${hello.text}\n\n${t('agreement.cleared', params)}\n`,
          html: `<p>${hello.html}</p><p>${t('agreement.cleared', escaped(params))}</p>`,
        },
        sent: NOTHING_AFTER_SENDING,
      };
    }
    const params = {
      organisation: now.name,
      date: longDate(to.locale, now.ends_on),
      destroyOn: longDate(to.locale, now.destroy_on),
    };
    const link = appLink(this.config.PUBLIC_URL, '/admin/retention');
    return {
      mail: {
        to: to.email,
        subject: t('agreement.subject', params),
        text: `${hello.text}\n\n${t('agreement.body', params)}\n\n${t('agreement.linkIntro')}\n${link}\n`,
        html: `<p>${hello.html}</p><p>${t('agreement.body', escaped(params))}</p><p>${t('agreement.linkIntro')}</p><p><a href="${escapeHtml(link)}">${t('agreement.link')}</a></p>`,
      },
      sent: NOTHING_AFTER_SENDING,
    };
  }
}
