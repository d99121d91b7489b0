import { Inject, Injectable } from '@nestjs/common';
import type { MailJobs } from '@rehearse/shared/contracts';
import { APP_CONFIG, AppConfig, translations } from '@rehearse/server/core';
import { UsersRepository } from '@rehearse/server/accounts';
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
import { DataExportsRepository } from '../data-exports.repository';
import { PRIVACY_MAIL_TEXT } from './privacy-mail.texts';

const textIn = translations(PRIVACY_MAIL_TEXT);

/** Tells whoever asked for a data export that it can be downloaded, with a link to where. */
@Injectable()
@ComposesMail('export-ready')
export class ExportReadyMail implements MailComposer<'export-ready'> {
  constructor(
    private readonly exports: DataExportsRepository,
    private readonly users: UsersRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async compose({ exportId }: MailJobs['export-ready']): Promise<ComposedMail | null> {
    const e = await this.exports.row(null, exportId);
    if (!e || e.state !== 'ready' || !e.requested_by) return null;
    // whoever asked: a person of the organisation, or a superuser acting as one (outside it)
    const to = await this.users.recipient(undefined, e.requested_by);
    if (!to || to.status !== 'active') return null;
    const self = e.subject_id === e.requested_by;
    const t = textIn(to.locale);
    const hello = greeting(to.locale, to.name);
    const what = !e.subject_id
      ? t('export.everything')
      : self
        ? t('export.yours')
        : t('export.theirs', { name: (await this.users.recipient(e.tenant_id, e.subject_id))?.name ?? '' });
    const link = appLink(
      this.config.PUBLIC_URL,
      !e.subject_id ? '/admin/retention' : self ? '/my/data' : `/admin/users/${e.subject_id}`,
    );
    return {
      mail: {
        to: to.email,
        subject: t('export.subject'),
        text: `${hello.text}\n\n${t('export.body', { what })}\n${link}\n`,
        html: `<p>${hello.html}</p><p>${t('export.body', escaped({ what }))}</p><p><a href="${escapeHtml(link)}">${t('export.link')}</a></p>`,
      },
      sent: NOTHING_AFTER_SENDING,
    };
  }
}
