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
import { EmailChangesRepository } from '../email-changes.repository';
import { TenantsRepository } from '../tenants.repository';
import { UsersRepository } from '../users.repository';
import { ACCOUNTS_MAIL_TEXT } from './accounts-mail.texts';

const textIn = translations(ACCOUNTS_MAIL_TEXT);

/**
 * The link that confirms a new e-mail address, sent to that address (not the account's current
 * one); the token is unsealed for the message and forgotten once it is sent.
 */
@Injectable()
@ComposesMail('email-change')
export class EmailChangeMail implements MailComposer<'email-change'> {
  constructor(
    private readonly changes: EmailChangesRepository,
    private readonly users: UsersRepository,
    private readonly tenants: TenantsRepository,
    private readonly box: SecretBox,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async compose({ changeId, locale }: MailJobs['email-change']): Promise<ComposedMail | null> {
    const c = await this.changes.forMail(changeId);
    if (!c || !c.token_sealed || c.used_at || c.expires_at <= this.clock.now()) return null;
    const [person, tenantName] = await Promise.all([
      this.users.recipient(c.tenant_id, c.user_id),
      c.tenant_id === null ? Promise.resolve('Rehearse') : this.tenants.nameOf(c.tenant_id),
    ]);
    if (!person || person.status !== 'active' || tenantName === undefined) return null;
    const token = this.box.open(c.token_sealed, `email-change:${changeId}`);
    const link = appLink(this.config.PUBLIC_URL, `/email-change/${encodeURIComponent(token)}`);
    // the person's language, else the page's they asked from
    const language = person.locale ?? locale ?? null;
    const t = textIn(language);
    const hello = greeting(language, person.name);
    const hours = this.config.EMAIL_CHANGE_TTL_HOURS;
    const values = { tenant: tenantName, email: c.new_email };
    return {
      mail: {
        to: c.new_email,
        subject: t('emailChange.subject'),
        text: `${hello.text}\n\n${t('emailChange.body', values)} ${t('emailChange.linkIntro')}\n${link}\n\n${t('emailChange.expires', { hours })}\n\n${t('emailChange.notYou')}\n`,
        html: `<p>${hello.html}</p><p>${t('emailChange.body', escaped(values))}</p><p><a href="${escapeHtml(link)}">${t('emailChange.link')}</a></p><p>${t('emailChange.expires', { hours })}</p><p>${t('emailChange.notYou')}</p>`,
      },
      sent: () => this.changes.clearSealedToken(c.tenant_id, changeId),
    };
  }
}
