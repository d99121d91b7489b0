import { Inject, Injectable } from '@nestjs/common';
import type { MailJobs } from '@rehearse/shared/contracts';
import { APP_CONFIG, AppConfig, translations } from '@rehearse/server/core';
import { LicencesRepository, UsersRepository } from '@rehearse/server/accounts';
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

/** Tells an administrator that a person asks to keep their recordings; not once it is decided. */
@Injectable()
@ComposesMail('retention-keep-requested')
export class KeepRequestedMail implements MailComposer<'retention-keep-requested'> {
  constructor(
    private readonly users: UsersRepository,
    private readonly licences: LicencesRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async compose({ userId, adminId }: MailJobs['retention-keep-requested']): Promise<ComposedMail | null> {
    const to = await this.users.recipient(undefined, adminId);
    if (!to || to.status !== 'active' || !to.tenant_id) return null;
    // the person in the administrator's own organisation, and their request still open
    const [person, licence] = await Promise.all([
      this.users.recipient(to.tenant_id, userId),
      this.licences.lifecycle(to.tenant_id, userId),
    ]);
    if (!person || licence?.keep_status !== 'requested') return null;
    const link = appLink(this.config.PUBLIC_URL, '/admin/retention');
    const t = textIn(to.locale);
    const hello = greeting(to.locale, to.name);
    return {
      mail: {
        to: to.email,
        subject: t('keep.subject', { name: person.name }),
        text: `${hello.text}\n\n${t('keep.body', { name: person.name })} ${t('keep.linkIntro')}\n${link}\n`,
        html: `<p>${hello.html}</p><p>${t('keep.body', escaped({ name: person.name }))}</p><p><a href="${escapeHtml(link)}">${t('keep.link')}</a></p>`,
      },
      sent: NOTHING_AFTER_SENDING,
    };
  }
}
