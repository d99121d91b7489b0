import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { MailJobName, MailJobs, QUEUES } from '@rehearse/shared/contracts';
import { PinoLogger } from 'nestjs-pino';
import { METRICS, Metrics, withJobLogging } from '@rehearse/server/core';
import { MailComposers } from './mail-composers';
import { Mailer } from './mailer';
import type { MailJobData } from './mail.producer';
import { MailOutboxRepository } from './mail-outbox.repository';
import { watchProcessing } from './queue-processing';

/**
 * Sends e-mail. Idempotent: the composer returns nothing once a message was sent (sealed secrets
 * are cleared after the SMTP server accepts it) or is no longer wanted. SMTP failures are retried
 * with exponential backoff by Bull. A kept e-mail (MailOutbox) is sent only while it is kept, and
 * forgotten once sent or found to have nothing left to say, so a job the sweep queued again after it
 * was sent sends nothing.
 */
@Injectable()
export class MailProcessor implements OnApplicationBootstrap {
  private readonly logger = new Logger(MailProcessor.name);

  constructor(
    private readonly composers: MailComposers,
    private readonly mailer: Mailer,
    private readonly outbox: MailOutboxRepository,
    @Inject(METRICS) private readonly metrics: Metrics,
    private readonly log: PinoLogger,
    @InjectQueue(QUEUES.mail) private readonly queue?: Queue,
  ) {}

  /**
   * Takes the mail queue's jobs, four at once (started here rather than by `@Process`, whose
   * processing loop Nest drops: its end while the queue closes was an unhandled rejection).
   */
  onApplicationBootstrap(): void {
    const queue = this.queue;
    if (queue)
      void watchProcessing(
        queue,
        queue.process('*', 4, (job: Job<MailJobData>) => this.handle(job)),
        this.logger,
      );
  }

  handle(job: Job<MailJobData>): Promise<'sent' | 'skipped'> {
    // the job and the request that queued it; never what the e-mail says or to whom
    return withJobLogging(this.log, QUEUES.mail, job, {}, () => this.send(job));
  }

  private async send(job: Job<MailJobData>): Promise<'sent' | 'skipped'> {
    const name = job.name as MailJobName;
    // a kept e-mail's job id is `<name>:<key>`, its key in mail_outbox
    const kept = job.data.kept ? String(job.id).slice(name.length + 1) : null;
    try {
      // sent already (the sweep queued it again meanwhile), or given up after a week
      if (kept !== null && !(await this.outbox.pending(name, kept))) return this.skipped(name);
      const composed = await this.composers.compose(name, job.data as MailJobs[MailJobName]);
      if (!composed) {
        if (kept !== null) await this.outbox.settle(name, kept);
        return this.skipped(name);
      }
      await this.mailer.send(composed.mail);
      await composed.sent();
      if (kept !== null) await this.outbox.settle(name, kept);
      this.metrics.jobs.inc({ queue: QUEUES.mail, name, outcome: 'sent' });
      // never log recipients' codes or links: only the job identity
      this.logger.log({ jobId: job.id, name }, 'mail sent');
      return 'sent';
    } catch (e) {
      this.metrics.jobs.inc({ queue: QUEUES.mail, name, outcome: 'failed' });
      this.logger.warn(
        { jobId: job.id, name, attempt: job.attemptsMade + 1, err: (e as Error).message },
        'mail failed, will retry',
      );
      throw e;
    }
  }

  private skipped(name: MailJobName): 'skipped' {
    this.metrics.jobs.inc({ queue: QUEUES.mail, name, outcome: 'skipped' });
    return 'skipped';
  }
}
