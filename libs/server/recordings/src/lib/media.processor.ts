import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { watchProcessing } from '@rehearse/server/mail';
import { MediaJobs, QUEUES, transcribeJobId } from '@rehearse/shared/contracts';
import { PinoLogger } from 'nestjs-pino';
import {
  APP_CONFIG,
  AppConfig,
  isTemporaryFailure,
  METRICS,
  Metrics,
  queueAgain,
  Repeating,
  repeatEvery,
  withJobLogging,
  WorkFolder,
} from '@rehearse/server/core';
import { RecordingsRepository } from './recordings.repository';
import { TranscriptionPipeline } from './transcription.pipeline';

/**
 * The media queue's consumer: runs the pipeline with the configured concurrency, marks a
 * recording failed once its retries are spent, and sweeps the database (the source of truth)
 * for recordings whose job was lost.
 */
@Injectable()
export class MediaProcessor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(MediaProcessor.name);
  private sweeping: Repeating | null = null;

  constructor(
    @InjectQueue(QUEUES.media) private readonly queue: Queue,
    private readonly recordings: RecordingsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(METRICS) private readonly metrics: Metrics,
    private readonly pipeline: TranscriptionPipeline,
    private readonly work: WorkFolder,
    private readonly log: PinoLogger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const removed = await this.work.removeOrphans();
    if (removed) this.logger.log(`removed ${removed} work folder(s) of stopped workers`);
    if (this.config.MEDIA_CONCURRENCY > 0)
      void watchProcessing(
        this.queue,
        this.queue.process('transcribe', this.config.MEDIA_CONCURRENCY, (job: Job<MediaJobs['transcribe']>) =>
          withJobLogging(this.log, QUEUES.media, job, { recordingId: job.data.recordingId }, () => this.handle(job)),
        ),
        this.logger,
      );
    else
      this.logger.log(
        'MEDIA_CONCURRENCY=0: this worker does not transcribe; other workers (a GPU host) take the media queue',
      );
    this.queue.on('failed', (job: Job<MediaJobs['transcribe']>, err: Error) => {
      if (job.attemptsMade < (job.opts.attempts ?? 1)) return;
      // the last attempt failed because a service was away (object storage, PostgreSQL) or the
      // disk was full: nothing is wrong with the recording, so it stays unfinished and the sweep
      // queues it again (MEDIA_SWEEP_AFTER_SECONDS); an outage longer than the retries no longer
      // fails every answer recorded during it
      if (isTemporaryFailure(err)) {
        this.logger.warn(
          { jobId: job.id, recordingId: job.data.recordingId, err: err.message },
          'transcription held back by a service that is away: left for the sweep',
        );
        return;
      }
      void this.pipeline.giveUp(job.data.recordingId, err.message).catch(() => undefined);
    });
    // a recording may sit unfinished without a live job this long before the sweep queues it again
    const after = this.config.MEDIA_SWEEP_AFTER_SECONDS;
    await this.sweep(after).catch((e: Error) => this.logger.warn(`sweep failed: ${e.message}`));
    this.sweeping = repeatEvery(
      this.config.MEDIA_SWEEP_EVERY_SECONDS * 1000,
      () => this.sweep(after),
      (e) => this.logger.warn(`sweep failed: ${e.message}`),
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.sweeping?.stop();
  }

  async handle(job: Job<MediaJobs['transcribe']>): Promise<string> {
    try {
      const outcome = await this.pipeline.run(job.data.recordingId);
      this.metrics.jobs.inc({ queue: QUEUES.media, name: job.name, outcome });
      return outcome;
    } catch (e) {
      this.metrics.jobs.inc({ queue: QUEUES.media, name: job.name, outcome: 'error' });
      this.logger.warn(
        { jobId: job.id, attempt: job.attemptsMade + 1, err: (e as Error).message },
        'transcription failed, will retry',
      );
      throw e;
    }
  }

  /** Queues again every unfinished recording older than `olderThanSeconds` whose job is gone or finished. */
  async sweep(olderThanSeconds: number): Promise<number> {
    let queued = 0;
    const waiting = await this.recordings.unfinishedAnswers(olderThanSeconds);
    this.metrics.recordingsWaiting.set(waiting.length);
    for (const id of waiting)
      if (await queueAgain(this.queue, 'transcribe', { recordingId: id }, transcribeJobId(id))) queued++;
    if (queued) this.logger.log(`sweep queued ${queued} unfinished recording(s) again`);
    return queued;
  }
}
