import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { MailJobName, MailJobs, QUEUES } from '@rehearse/shared/contracts';
import { traced } from '@rehearse/server/core';

/**
 * Enqueues mail jobs. Payloads carry ids only (and the correlation id of the request that queues
 * them: `traced`); job ids make a re-enqueue harmless.
 */
@Injectable()
export class MailProducer {
  constructor(@InjectQueue(QUEUES.mail) private readonly queue: Queue) {}

  async send<N extends MailJobName>(name: N, payload: MailJobs[N], jobId: string): Promise<void> {
    await this.queue.add(name, { ...payload, ...traced() }, { jobId: `${name}:${jobId}` });
  }

  /** Many jobs of one kind in one round trip to Redis (an import's invitations), as send() queues each. */
  async sendMany<N extends MailJobName>(
    name: N,
    jobs: readonly { payload: MailJobs[N]; jobId: string }[],
  ): Promise<void> {
    if (!jobs.length) return;
    const trace = traced();
    await this.queue.addBulk(
      jobs.map((j) => ({ name, data: { ...j.payload, ...trace }, opts: { jobId: `${name}:${j.jobId}` } })),
    );
  }
}
