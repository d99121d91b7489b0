import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { watchProcessing } from '@rehearse/server/mail';
import { PinoLogger } from 'nestjs-pino';
import { exportJobId, ExportJobs, QUEUES } from '@rehearse/shared/contracts';
import { queueAgain, Repeating, repeatEvery, withJobLogging } from '@rehearse/server/core';
import { DataExportsRepository } from './data-exports.repository';
import { ExportBuilder } from './export-builder';

/**
 * The exports queue's consumer: one archive at a time. PostgreSQL is the source of truth: every
 * unfinished export is queued again at start and every EVERY_MS after (its job id makes a live job
 * stay the one job), so one whose job Redis lost (a restart without its data while this worker ran
 * on) is built all the same, and a worker that started while PostgreSQL or Redis could not be
 * reached (it starts all the same) queues them once they can.
 */
@Injectable()
export class ExportProcessor implements OnApplicationBootstrap, OnModuleDestroy {
  static readonly EVERY_MS = 30_000;
  private readonly logger = new Logger(ExportProcessor.name);
  private repeating: Repeating | null = null;

  constructor(
    @InjectQueue(QUEUES.exports) private readonly queue: Queue,
    private readonly exportRows: DataExportsRepository,
    private readonly exports: ExportBuilder,
    private readonly log: PinoLogger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    void watchProcessing(
      this.queue,
      this.queue.process('build', 1, (job: Job<ExportJobs['build']>) =>
        withJobLogging(this.log, QUEUES.exports, job, { exportId: job.data.exportId }, () =>
          this.exports.build(job.data.exportId),
        ),
      ),
      this.logger,
    );
    this.queue.on('failed', (job: Job<ExportJobs['build']>, err: Error) =>
      this.logger.warn(`export ${job.data.exportId} failed (attempt ${job.attemptsMade}): ${err.message}`),
    );
    this.repeating = repeatEvery(
      ExportProcessor.EVERY_MS,
      () => this.requeueUnfinished(),
      (e) =>
        this.logger.warn(
          `unfinished exports not queued again (${e.message}); trying again in ${ExportProcessor.EVERY_MS / 1000} s`,
        ),
      { now: true },
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.repeating?.stop();
  }

  /**
   * Queues every unfinished export again: a job Redis lost, or one whose attempts were all spent
   * while a service was away (the export stays unfinished then); a live job stays the one job.
   */
  private async requeueUnfinished(): Promise<void> {
    for (const id of await this.exportRows.unfinished())
      await queueAgain(this.queue, 'build', { exportId: id }, exportJobId(id));
  }
}
