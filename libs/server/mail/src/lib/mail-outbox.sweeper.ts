import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, Clock, METRICS, type Metrics, Sweeper } from '@rehearse/server/core';
import { MailProducer } from './mail.producer';
import { MailOutboxRepository } from './mail-outbox.repository';

/** Kept e-mails queued again per round at most (the oldest first; the next round takes the rest). */
const ROUND = 1000;
/** How long a kept e-mail is tried: after a week what it tells of is old news. */
const KEPT_FOR_MS = 7 * 86_400_000;

/**
 * Sends the kept e-mails (MailOutbox) after all: every MAIL_SWEEP_EVERY_SECONDS a worker queues
 * again each one still unsent MAIL_SWEEP_AFTER_SECONDS after it was kept, unless its job still
 * waits, runs or waits to be retried; one kept for a week is given up. How many were unsent, and
 * how many given up, go to the worker's metrics (`rehearse_mail_unsent`,
 * `rehearse_mail_given_up_total`): an unsent count that stays up says the mail server refuses.
 */
@Injectable()
export class MailOutboxSweeper extends Sweeper {
  protected readonly label = 'kept e-mail sweep';

  constructor(
    private readonly outbox: MailOutboxRepository,
    private readonly mail: MailProducer,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(METRICS) private readonly metrics: Metrics,
  ) {
    super();
  }

  protected everyMs(): number {
    return this.config.MAIL_SWEEP_EVERY_SECONDS * 1000;
  }

  protected async round(): Promise<void> {
    const { queued, givenUp } = await this.sweep();
    if (queued) this.logger.log(`unsent e-mails queued again: ${queued}`);
    if (givenUp) this.logger.warn(`${givenUp} e-mail(s) unsent for a week given up`);
  }

  /** One round: how many kept e-mails were unsent after their time, how many it queued again, and how many it gave up. */
  async sweep(): Promise<{ unsent: number; queued: number; givenUp: number }> {
    const now = this.clock.now().getTime();
    const weekAgo = new Date(now - KEPT_FOR_MS);
    const givenUp = await this.outbox.forgetOlder(weekAgo);
    this.metrics.mailGivenUp.inc(givenUp);
    const madeBefore = new Date(now - this.config.MAIL_SWEEP_AFTER_SECONDS * 1000);
    const unsent = await this.outbox.unsentCount(madeBefore);
    this.metrics.mailUnsent.set(unsent);
    let queued = 0;
    if (unsent)
      for (const m of await this.outbox.unsent(madeBefore, weekAgo, ROUND))
        if (await this.mail.sendAgain(m.name, m.payload, m.key, { kept: true })) queued++;
    return { unsent, queued, givenUp };
  }
}
