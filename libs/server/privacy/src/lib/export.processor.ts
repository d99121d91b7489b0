import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { exportJobId, ExportJobs, QUEUES } from '@rehearse/shared/contracts';
import { DataExportsRepository } from './data-exports.repository';
import { ExportBuilder } from './export-builder';

/** The exports queue's consumer: one archive at a time; an export left queued (a lost job) is queued again at start. */
@Injectable()
export class ExportProcessor implements OnApplicationBootstrap {
  private readonly logger = new Logger(ExportProcessor.name);

  constructor(
    @InjectQueue(QUEUES.exports) private readonly queue: Queue,
    private readonly exportRows: DataExportsRepository,
    private readonly exports: ExportBuilder,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    void this.queue.process('build', 1, (job: Job<ExportJobs['build']>) => this.exports.build(job.data.exportId));
    this.queue.on('failed', (job: Job<ExportJobs['build']>, err: Error) =>
      this.logger.warn(`export ${job.data.exportId} failed (attempt ${job.attemptsMade}): ${err.message}`),
    );
    for (const id of await this.exportRows.unfinished())
      await this.queue.add('build', { exportId: id }, { jobId: exportJobId(id) }).catch(() => undefined);
  }
}
