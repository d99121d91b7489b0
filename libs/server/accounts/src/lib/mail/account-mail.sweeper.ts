import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, Clock, Sweeper } from '@rehearse/server/core';
import { MailProducer } from '@rehearse/server/mail';
import { InvitationsRepository } from '../invitations.repository';
import { securityNoticeJob } from '../security-notices';
import { SecurityNoticesRepository } from '../security-notices.repository';

/** E-mails of each kind queued again per round at most (the oldest first; the next round takes the rest). */
const ROUND = 1000;

/**
 * Accounts' e-mails that are kept in PostgreSQL until sent, sent after all: every
 * MAIL_SWEEP_EVERY_SECONDS a worker queues again each invitation and each security notice still
 * unsent MAIL_SWEEP_AFTER_SECONDS after it was made, unless its job still waits, runs or waits to
 * be retried. So an invitation or a change of password, address or authenticator app made while
 * Redis was away (the people saved, the change made), one Redis lost in a restart without its
 * data, and one whose retries a mail server outage used up all reach their people. Each e-mail
 * checks again when it is composed (InvitationMail, SecurityNoticeMail) and is marked once sent.
 */
@Injectable()
export class AccountMailSweeper extends Sweeper {
  protected readonly label = 'account e-mail sweep';

  constructor(
    private readonly invitations: InvitationsRepository,
    private readonly notices: SecurityNoticesRepository,
    private readonly mail: MailProducer,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  protected everyMs(): number {
    return this.config.MAIL_SWEEP_EVERY_SECONDS * 1000;
  }

  protected async round(): Promise<void> {
    const { invitations, notices } = await this.sweep();
    if (invitations || notices)
      this.logger.log(`unsent e-mails queued again: ${invitations} invitation(s), ${notices} security notice(s)`);
  }

  /** One round: how many e-mails of each kind it queued again. */
  async sweep(): Promise<{ invitations: number; notices: number }> {
    const now = this.clock.now();
    const madeBefore = new Date(now.getTime() - this.config.MAIL_SWEEP_AFTER_SECONDS * 1000);
    let invitations = 0;
    for (const invitationId of await this.invitations.unsent(madeBefore, now, ROUND))
      if (await this.mail.sendAgain('invitation', { invitationId }, invitationId)) invitations++;
    let notices = 0;
    for (const n of await this.notices.unsent(madeBefore, ROUND)) {
      const job = securityNoticeJob({
        id: n.id,
        userId: n.user_id,
        notice: n.notice,
        emailChangeId: n.email_change_id ?? undefined,
      });
      if (await this.mail.sendAgain('security-notice', job, n.id)) notices++;
    }
    // a notice sent is kept 30 days, then forgotten (it tells of a change to the account)
    await this.notices.forgetSent(new Date(now.getTime() - 30 * 86_400_000));
    return { invitations, notices };
  }
}
