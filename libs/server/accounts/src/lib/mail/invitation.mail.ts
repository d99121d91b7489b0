import { Inject, Injectable } from '@nestjs/common';
import type { MailJobs } from '@rehearse/shared/contracts';
import { APP_CONFIG, AppConfig, Clock, longDate, SecretBox, translations } from '@rehearse/server/core';
import {
  appLink,
  type ComposedMail,
  ComposesMail,
  escaped,
  escapeHtml,
  greeting,
  type MailComposer,
} from '@rehearse/server/mail';
import { InvitationsRepository } from '../invitations.repository';
import { TenantsRepository } from '../tenants.repository';
import { UsersRepository } from '../users.repository';
import { ACCOUNTS_MAIL_TEXT } from './accounts-mail.texts';

const textIn = translations(ACCOUNTS_MAIL_TEXT);

/** The invitation's link to choose a password; the token is unsealed for the message and forgotten once it is sent. */
@Injectable()
@ComposesMail('invitation')
export class InvitationMail implements MailComposer<'invitation'> {
  constructor(
    private readonly invitations: InvitationsRepository,
    private readonly users: UsersRepository,
    private readonly tenants: TenantsRepository,
    private readonly box: SecretBox,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async compose({ invitationId }: MailJobs['invitation']): Promise<ComposedMail | null> {
    const inv = await this.invitations.forMail(invitationId);
    if (!inv || !inv.token_sealed || inv.used_at || inv.expires_at <= this.clock.now()) return null;
    const [to, tenant] = await Promise.all([
      this.users.recipient(inv.tenant_id, inv.user_id),
      this.tenants.nameOf(inv.tenant_id),
    ]);
    if (!to || tenant === undefined) return null;
    const token = this.box.open(inv.token_sealed, `invitation:${invitationId}`);
    const link = appLink(this.config.PUBLIC_URL, `/invitation/${encodeURIComponent(token)}`);
    const t = textIn(to.locale);
    const hello = greeting(to.locale, to.name);
    const date = longDate(to.locale, inv.expires_at);
    return {
      mail: {
        to: to.email,
        subject: t('invitation.subject', { tenant }),
        text: `${hello.text}\n\n${t('invitation.body', { tenant })} ${t('invitation.linkIntro')}\n${link}\n\n${t('invitation.expires', { date })}\n`,
        html: `<p>${hello.html}</p><p>${t('invitation.body', escaped({ tenant }))}</p><p><a href="${escapeHtml(link)}">${t('invitation.link')}</a></p><p>${t('invitation.expires', { date })}</p>`,
      },
      sent: () => this.invitations.markMailed(inv.tenant_id, invitationId, this.clock.now()),
    };
  }
}
