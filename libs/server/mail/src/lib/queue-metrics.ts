import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { Queue } from 'bull';
import { QUEUES } from '@rehearse/shared/contracts';
import { METRICS, type Metrics } from '@rehearse/server/core';

/** The states of a queue's jobs the metric counts (completed ones are only kept for a while). */
export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/**
 * The worker's queues on its metrics page: `rehearse_queue_jobs{queue, state}`, counted in Redis
 * when Prometheus asks (the backlog of transcriptions, e-mails and exports, and the jobs that
 * failed for good).
 */
@Injectable()
export class QueueMetrics implements OnModuleInit, OnModuleDestroy {
  constructor(
    @Inject(METRICS) private readonly metrics: Metrics,
    @InjectQueue(QUEUES.mail) private readonly mail: Queue,
    @InjectQueue(QUEUES.media) private readonly media: Queue,
    @InjectQueue(QUEUES.exports) private readonly exports: Queue,
  ) {}

  onModuleInit(): void {
    this.metrics.sources.queueJobs = () => this.count();
  }

  onModuleDestroy(): void {
    delete this.metrics.sources.queueJobs;
  }

  /** Each queue's jobs by state. */
  async count(): Promise<{ queue: string; state: string; count: number }[]> {
    const queues = [this.mail, this.media, this.exports];
    const counts = await Promise.all(queues.map((q) => q.getJobCounts()));
    return queues.flatMap((q, i) =>
      QUEUE_STATES.map((state) => ({ queue: q.name, state, count: counts[i][state] ?? 0 })),
    );
  }
}
