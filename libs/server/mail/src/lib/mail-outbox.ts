import { Injectable, Logger } from '@nestjs/common';
import type { MailJobName } from '@rehearse/shared/contracts';
import type { Queryable } from '@rehearse/server/database';
import { MailProducer } from './mail.producer';
import { type KeptMail, MailOutboxRepository } from './mail-outbox.repository';

/**
 * E-mails that must reach their people even when Redis loses their jobs: a published feedback's
 * notice, a peer review's request and reminder, a course's reminder, an export's "ready", a keep
 * request to the administrators. Kept in PostgreSQL in the transaction of what they tell of
 * (`keep`), queued once it committed (`queue`); the worker sends a kept e-mail only while it is
 * kept and forgets it once the mail server has it (or it has nothing left to say), and its sweep
 * (MailOutboxSweeper) queues again one still kept. So an e-mail whose job Redis could not take
 * (away), lost (restarted without its data) or gave up on (a mail server's outage outlasting the
 * retries) is sent all the same, once.
 */
@Injectable()
export class MailOutbox {
  private readonly logger = new Logger(MailOutbox.name);

  constructor(
    private readonly outbox: MailOutboxRepository,
    private readonly producer: MailProducer,
  ) {}

  /**
   * Keeps the e-mails, in the transaction `m` of what they tell of (one per name and key; without
   * `m`, by themselves: for a claim already made, such as a course's reminder).
   */
  keep(tenantId: string, mails: readonly KeptMail[], at: Date, m?: Queryable): Promise<void> {
    return this.outbox.keep(tenantId, mails, at, m);
  }

  /**
   * Queues kept e-mails once their transaction committed, those of one kind in one round trip to
   * Redis. What Redis cannot take is logged and left to the sweep (the e-mail is kept): what it
   * tells of has happened. How many were queued.
   */
  async queue(mails: readonly Pick<KeptMail, 'name' | 'payload' | 'key'>[]): Promise<number> {
    const byName = new Map<MailJobName, { payload: KeptMail['payload']; jobId: string }[]>();
    for (const m of mails) byName.set(m.name, [...(byName.get(m.name) ?? []), { payload: m.payload, jobId: m.key }]);
    let queued = 0;
    for (const [name, jobs] of byName) {
      try {
        await this.producer.sendMany(name, jobs, { kept: true });
        queued += jobs.length;
      } catch (e) {
        this.logger.warn(
          `could not queue ${jobs.length} ${name} e-mail(s) (kept: the sweep sends them): ${(e as Error).message}`,
        );
      }
    }
    return queued;
  }
}
