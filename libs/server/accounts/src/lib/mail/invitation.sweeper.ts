import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, Clock, Sweeper } from '@rehearse/server/core';
import { MailProducer } from '@rehearse/server/mail';
import { InvitationsRepository } from '../invitations.repository';

/** Invitations queued again per round at most (the oldest first; the next round takes the rest). */
const ROUND = 1000;

/**
 * Invitations whose e-mail never went out are sent after all: every INVITATION_SWEEP_EVERY_SECONDS
 * a worker queues again the e-mail of each invitation still unsent INVITATION_SWEEP_AFTER_SECONDS
 * after it was made, unless its job still waits or runs. PostgreSQL is the source of truth, so an
 * invitation made while Redis was away (the request answered 503, the person saved), one Redis lost
 * in a restart without its data, and one whose retries a mail server outage used up all go out.
 * The e-mail checks again when it is composed (InvitationMail), and forgets the token once sent.
 */
@Injectable()
export class InvitationSweeper extends Sweeper {
  constructor(
    private readonly invitations: InvitationsRepository,
    private readonly mail: MailProducer,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  protected readonly label = 'invitation sweep';

  protected everyMs(): number {
    return this.config.INVITATION_SWEEP_EVERY_SECONDS * 1000;
  }

  protected async round(): Promise<void> {
    const queued = await this.sweep();
    if (queued) this.logger.log(`${queued} unsent invitation(s) queued again`);
  }

  /** One round: how many invitations' e-mails it queued again. */
  async sweep(): Promise<number> {
    const now = this.clock.now();
    const madeBefore = new Date(now.getTime() - this.config.INVITATION_SWEEP_AFTER_SECONDS * 1000);
    let queued = 0;
    for (const invitationId of await this.invitations.unsent(madeBefore, now, ROUND))
      if (await this.mail.sendAgain('invitation', { invitationId }, invitationId)) queued++;
    return queued;
  }
}
