import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { PinoLogger } from 'nestjs-pino';
import { exportJobId, ExportJobs, QUEUES } from '@rehearse/shared/contracts';
import { withJobLogging } from '@rehearse/server/core';
import { DataExportsRepository } from './data-exports.repository';
import { ExportBuilder } from './export-builder';

/**
 * The exports queue's consumer: one archive at a time; an export left queued (a lost job) is queued
 * again at start, and every RETRY_MS until that succeeds when PostgreSQL or Redis cannot be reached
 * then (the worker starts all the same).
 */
@Injectable()
export class ExportProcessor implements OnApplicationBootstrap, OnModuleDestroy {
  static readonly RETRY_MS = 30_000;
  private readonly logger = new Logger(ExportProcessor.name);
  private retry: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    @InjectQueue(QUEUES.exports) private readonly queue: Queue,
    private readonly exportRows: DataExportsRepository,
    private readonly exports: ExportBuilder,
    private readonly log: PinoLogger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    void this.queue.process('build', 1, (job: Job<ExportJobs['build']>) =>
      withJobLogging(this.log, QUEUES.exports, job, { exportId: job.data.exportId }, () =>
        this.exports.build(job.data.exportId),
      ),
    );
    this.queue.on('failed', (job: Job<ExportJobs['build']>, err: Error) =>
      this.logger.warn(`export ${job.data.exportId} failed (attempt ${job.attemptsMade}): ${err.message}`),
    );
    await this.requeueUnfinished();
  }

  onModuleDestroy(): void {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
  }

  /** Queues every unfinished export again (its job id makes a live job stay the one job). */
  private async requeueUnfinished(): Promise<void> {
    this.retry = null;
    try {
      for (const id of await this.exportRows.unfinished())
        await this.queue.add('build', { exportId: id }, { jobId: exportJobId(id) });
    } catch (e) {
      if (this.stopped) return;
      this.logger.warn(
        `unfinished exports not queued again (${(e as Error).message}); trying again in ${ExportProcessor.RETRY_MS / 1000} s`,
      );
      this.retry = setTimeout(() => void this.requeueUnfinished(), ExportProcessor.RETRY_MS);
      this.retry.unref();
    }
  }
}
