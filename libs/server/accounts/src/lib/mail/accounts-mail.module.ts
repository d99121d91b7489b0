import { Module } from '@nestjs/common';
import { MailProducer, QueueModule } from '@rehearse/server/mail';
import { InvitationsRepository } from '../invitations.repository';
import { MfaChallengesRepository } from '../mfa-challenges.repository';
import { TenantsRepository } from '../tenants.repository';
import { UsersRepository } from '../users.repository';
import { InvitationMail } from './invitation.mail';
import { PasswordResetMail } from './password-reset.mail';
import { PasswordResetsRepository } from '../password-resets.repository';
import { EmailChangesRepository } from '../email-changes.repository';
import { EmailChangeMail } from './email-change.mail';
import { MfaCodeMail } from './mfa-code.mail';
import { SecurityNoticeMail } from './security-notice.mail';
import { AccountMailSweeper } from './account-mail.sweeper';
import { SecurityNoticesRepository } from '../security-notices.repository';

/**
 * Accounts' e-mails (sign-in codes, invitations, password reset and e-mail change links, security
 * notices), for the worker's mail queue, and the sweep that sends invitations and notices never sent.
 */
@Module({
  imports: [QueueModule],
  providers: [
    AccountMailSweeper,
    SecurityNoticesRepository,
    MailProducer,
    MfaCodeMail,
    InvitationMail,
    PasswordResetMail,
    PasswordResetsRepository,
    EmailChangeMail,
    EmailChangesRepository,
    SecurityNoticeMail,
    MfaChallengesRepository,
    InvitationsRepository,
    TenantsRepository,
    UsersRepository,
  ],
})
export class AccountsMailModule {}
