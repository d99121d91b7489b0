import { Inject, Injectable } from '@nestjs/common';
import type { MailJobs } from '@rehearse/shared/contracts';
import { APP_CONFIG, AppConfig, Clock, SecretBox, translations } from '@rehearse/server/core';
import { type ComposedMail, ComposesMail, greeting, type MailComposer } from '@rehearse/server/mail';
import { MfaChallengesRepository } from '../mfa-challenges.repository';
import { UsersRepository } from '../users.repository';
import { ACCOUNTS_MAIL_TEXT } from './accounts-mail.texts';

const textIn = translations(ACCOUNTS_MAIL_TEXT);

/** The e-mailed sign-in code; the code is unsealed for the message and forgotten once it is sent. */
@Injectable()
@ComposesMail('mfa-code')
export class MfaCodeMail implements MailComposer<'mfa-code'> {
  constructor(
    private readonly challenges: MfaChallengesRepository,
    private readonly users: UsersRepository,
    private readonly box: SecretBox,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async compose({ challengeId, locale }: MailJobs['mfa-code']): Promise<ComposedMail | null> {
    const c = await this.challenges.forMail(challengeId);
    if (!c || !c.code_sealed || c.consumed_at || c.expires_at <= this.clock.now()) return null;
    const to = await this.users.recipient(c.tenant_id, c.user_id);
    if (!to) return null;
    const code = this.box.open(c.code_sealed, `mfa:${challengeId}`);
    const minutes = this.config.MFA_CODE_TTL_MINUTES;
    // the person's language, else the sign-in page's
    const language = to.locale ?? locale ?? null;
    const t = textIn(language);
    const hello = greeting(language, to.name);
    return {
      mail: {
        to: to.email,
        subject: t('mfa.subject', { code }),
        text: `${hello.text}\n\n${t('mfa.body', { code, minutes })}\n\n${t('mfa.notYou')}\n`,
        html: `<p>${hello.html}</p><p>${t('mfa.body', { code: `<strong style="font-size:1.4em;letter-spacing:.2em">${code}</strong>`, minutes })}</p><p>${t('mfa.notYou')}</p>`,
      },
      sent: () => this.challenges.clearSealedCode(c.tenant_id, challengeId),
    };
  }
}
