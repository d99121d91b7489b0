import { Inject, Injectable } from '@nestjs/common';
import type { MailJobs } from '@rehearse/shared/contracts';
import { APP_CONFIG, AppConfig, Clock, SecretBox, translations } from '@rehearse/server/core';
import {
  appLink,
  type ComposedMail,
  ComposesMail,
  escaped,
  escapeHtml,
  greeting,
  type MailComposer,
} from '@rehearse/server/mail';
import { PasswordResetsRepository } from '../password-resets.repository';
import { TenantsRepository } from '../tenants.repository';
import { UsersRepository } from '../users.repository';
import { ACCOUNTS_MAIL_TEXT } from './accounts-mail.texts';

const textIn = translations(ACCOUNTS_MAIL_TEXT);

/** The link to choose a new password; the token is unsealed for the message and forgotten once it is sent. */
@Injectable()
@ComposesMail('password-reset')
export class PasswordResetMail implements MailComposer<'password-reset'> {
  constructor(
    private readonly resets: PasswordResetsRepository,
    private readonly users: UsersRepository,
    private readonly tenants: TenantsRepository,
    private readonly box: SecretBox,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async compose({ resetId, locale }: MailJobs['password-reset']): Promise<ComposedMail | null> {
    const r = await this.resets.forMail(resetId);
    if (!r || !r.token_sealed || r.used_at || r.expires_at <= this.clock.now()) return null;
    const [to, tenant] = await Promise.all([
      this.users.recipient(r.tenant_id, r.user_id),
      this.tenants.nameOf(r.tenant_id),
    ]);
    if (!to || to.status !== 'active' || tenant === undefined) return null;
    const token = this.box.open(r.token_sealed, `password-reset:${resetId}`);
    const link = appLink(this.config.PUBLIC_URL, `/password-reset/${encodeURIComponent(token)}`);
    // the person's language, else the page's they asked from
    const language = to.locale ?? locale ?? null;
    const t = textIn(language);
    const hello = greeting(language, to.name);
    const minutes = this.config.PASSWORD_RESET_TTL_MINUTES;
    return {
      mail: {
        to: to.email,
        subject: t('reset.subject', { tenant }),
        text: `${hello.text}\n\n${t('reset.body', { tenant })} ${t('reset.linkIntro')}\n${link}\n\n${t('reset.expires', { minutes })}\n\n${t('reset.notYou')}\n`,
        html: `<p>${hello.html}</p><p>${t('reset.body', escaped({ tenant }))}</p><p><a href="${escapeHtml(link)}">${t('reset.link')}</a></p><p>${t('reset.expires', { minutes })}</p><p>${t('reset.notYou')}</p>`,
      },
      sent: () => this.resets.clearSealedToken(r.tenant_id, resetId),
    };
  }
}
