import { Process, Processor } from '@nestjs/bull';
import { Inject, Logger } from '@nestjs/common';
import type { Job } from 'bull';
import { MailJobName, MailJobs, QUEUES } from '@rehearse/shared/contracts';
import { PinoLogger } from 'nestjs-pino';
import { METRICS, Metrics, withJobLogging } from '@rehearse/server/core';
import { MailComposers } from './mail-composers';
import { Mailer } from './mailer';

/**
 * Sends e-mail. Idempotent: the composer returns nothing once a message was sent (sealed secrets
 * are cleared after the SMTP server accepts it) or is no longer wanted. SMTP failures are retried
 * with exponential backoff by Bull.
 */
@Processor(QUEUES.mail)
export class MailProcessor {
  private readonly logger = new Logger(MailProcessor.name);

  constructor(
    private readonly composers: MailComposers,
    private readonly mailer: Mailer,
    @Inject(METRICS) private readonly metrics: Metrics,
    private readonly log: PinoLogger,
  ) {}

  @Process({ name: '*', concurrency: 4 })
  handle(job: Job<MailJobs[MailJobName]>): Promise<'sent' | 'skipped'> {
    // the job and the request that queued it; never what the e-mail says or to whom
    return withJobLogging(this.log, QUEUES.mail, job, {}, () => this.send(job));
  }

  private async send(job: Job<MailJobs[MailJobName]>): Promise<'sent' | 'skipped'> {
    const name = job.name as MailJobName;
    try {
      const composed = await this.composers.compose(name, job.data);
      if (!composed) {
        this.metrics.jobs.inc({ queue: QUEUES.mail, name, outcome: 'skipped' });
        return 'skipped';
      }
      await this.mailer.send(composed.mail);
      await composed.sent();
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
}
