import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { MailJobName, MailJobs, QUEUES } from '@rehearse/shared/contracts';
import { traced } from '@rehearse/server/core';

export interface SendOptions {
  /** the e-mail is kept in `mail_outbox` until sent (MailOutbox): the worker sends it only while it is kept there */
  kept?: boolean;
}

/** A job's data: the payload, the request's correlation id and whether the e-mail is kept until sent. */
function data<N extends MailJobName>(payload: MailJobs[N], opts: SendOptions): MailJobData<N> {
  return { ...payload, ...traced(), ...(opts.kept ? { kept: true as const } : {}) };
}

/** What a mail job carries: its payload, and whether its e-mail is kept until sent (`kept`). */
export type MailJobData<N extends MailJobName = MailJobName> = MailJobs[N] & { kept?: true };

/**
 * Enqueues mail jobs. Payloads carry ids only (and the correlation id of the request that queues
 * them: `traced`); job ids make a re-enqueue harmless.
 */
@Injectable()
export class MailProducer {
  constructor(@InjectQueue(QUEUES.mail) private readonly queue: Queue) {}

  async send<N extends MailJobName>(
    name: N,
    payload: MailJobs[N],
    jobId: string,
    opts: SendOptions = {},
  ): Promise<void> {
    await this.queue.add(name, data(payload, opts), { jobId: `${name}:${jobId}` });
  }

  /**
   * Queues the job again unless it is still waiting or running: one that finished or gave up (its
   * retries spent) is replaced, one Redis lost is added. For sweeps that find in PostgreSQL what
   * was never sent. Whether it was queued.
   */
  async sendAgain<N extends MailJobName>(
    name: N,
    payload: MailJobs[N],
    jobId: string,
    opts: SendOptions = {},
  ): Promise<boolean> {
    const id = `${name}:${jobId}`;
    const job = await this.queue.getJob(id);
    if (job) {
      const state = await job.getState();
      if (state === 'waiting' || state === 'active' || state === 'delayed' || state === 'paused') return false;
      // a worker that took it meanwhile holds its lock: it is being sent
      const removed = await job.remove().then(
        () => true,
        () => false,
      );
      if (!removed) return false;
    }
    await this.queue.add(name, data(payload, opts), { jobId: id });
    return true;
  }

  /** Many jobs of one kind in one round trip to Redis (an import's invitations), as send() queues each. */
  async sendMany<N extends MailJobName>(
    name: N,
    jobs: readonly { payload: MailJobs[N]; jobId: string }[],
    opts: SendOptions = {},
  ): Promise<void> {
    if (!jobs.length) return;
    await this.queue.addBulk(
      jobs.map((j) => ({ name, data: data(j.payload, opts), opts: { jobId: `${name}:${j.jobId}` } })),
    );
  }
}
