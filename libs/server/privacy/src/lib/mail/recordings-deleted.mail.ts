import { Inject, Injectable, Optional } from '@nestjs/common';
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
  NOTHING_AFTER_SENDING,
} from '@rehearse/server/mail';
import { DeletionReceiptsRepository } from '../deletion-receipts.repository';
import { PRIVACY_MAIL_TEXT } from './privacy-mail.texts';

const textIn = translations(PRIVACY_MAIL_TEXT);

/**
 * Tells a person that their recordings were deleted after their licence, as the notice announced,
 * and where the receipt is: on their data page, to download signed (SignedReceipts). Says whether
 * the storage has confirmed every object gone. Nothing to say when the receipt is not about them
 * (or is gone with the organisation).
 */
@Injectable()
@ComposesMail('recordings-deleted')
export class RecordingsDeletedMail implements MailComposer<'recordings-deleted'> {
  constructor(
    private readonly users: UsersRepository,
    private readonly lifecycles: LicenceLifecycleRepository,
    private readonly receipts: DeletionReceiptsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() private readonly clock: Clock = new Clock(),
  ) {}

  async compose({ userId, receiptId }: MailJobs['recordings-deleted']): Promise<ComposedMail | null> {
    const to = await this.users.recipient(undefined, userId);
    const tenantId = to?.tenant_id;
    const receipt = tenantId ? await this.receipts.receipt(tenantId, receiptId) : undefined;
    if (!to || !tenantId || !receipt || receipt.subject_id !== userId || receipt.kind !== 'licence_expiry') return null;
    const licence = await this.lifecycles.lifecycleOf(tenantId, userId);
    const t = textIn(to.locale);
    const hello = greeting(to.locale, to.name);
    const date = longDate(to.locale, this.clock.dayOf(receipt.created_at));
    const said = [
      licence
        ? t('deleted.body', { expired: longDate(to.locale, licence.expires_on), date })
        : t('deleted.deletedOn', { date }),
      ...(receipt.verified ? [] : [t('deleted.unverified')]),
    ];
    const link = appLink(this.config.PUBLIC_URL, '/my/data');
    const check = appLink(this.config.PUBLIC_URL, '/receipts/check');
    return {
      mail: {
        to: to.email,
        subject: t('deleted.subject'),
        text: `${hello.text}\n\n${said.join('\n\n')}\n\n${t('deleted.linkIntro')}\n${link}\n\n${t('deleted.checkIntro')}\n${check}\n`,
        html: `<p>${hello.html}</p>${said.map((p) => `<p>${escapeHtml(p)}</p>`).join('')}<p>${escapeHtml(t('deleted.linkIntro'))}</p><p><a href="${escapeHtml(link)}">${t('deleted.link')}</a></p><p>${escapeHtml(t('deleted.checkIntro'))} <a href="${escapeHtml(check)}">${escapeHtml(check)}</a></p>`,
      },
      sent: NOTHING_AFTER_SENDING,
    };
  }
}
