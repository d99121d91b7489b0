import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { QUEUES } from '@rehearse/shared/contracts';
import { APP_CONFIG, AppConfig } from '@rehearse/server/core';

/** Redis connection and the queues every process shares (mail, media). */
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        url: config.REDIS_URL,
        // while Redis is away, a command (a job queued by a request) fails after two reconnection
        // attempts a second or two apart, and the request answers 503: Bull's default (reconnecting
        // ever more slowly, up to 20 s, 20 times) held a request almost four minutes. (Its blocking
        // and subscriber connections wait as they must: Bull gives them no per-command limit.)
        redis: { maxRetriesPerRequest: 2, retryStrategy: (times: number) => Math.min(times * 200, 2000) },
        prefix: config.QUEUE_PREFIX,
        defaultJobOptions: {
          attempts: 8,
          backoff: { type: 'exponential', delay: 2000 },
          removeOnComplete: 1000,
          removeOnFail: 5000,
        },
      }),
    }),
    BullModule.registerQueue({ name: QUEUES.mail }),
    // data exports: one archive at a time per worker, a few attempts
    BullModule.registerQueue({
      name: QUEUES.exports,
      defaultJobOptions: {
        attempts: 3,
        backoff: { type: 'exponential', delay: 10_000 },
        removeOnComplete: 100,
        removeOnFail: 500,
      },
    }),
    // media jobs run for minutes: a dead worker's job is taken over once its lock lapses
    BullModule.registerQueueAsync({
      name: QUEUES.media,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        settings: {
          lockDuration: config.JOB_LOCK_SECONDS * 1000,
          stalledInterval: config.JOB_LOCK_SECONDS * 1000,
          maxStalledCount: 3,
        },
        defaultJobOptions: {
          attempts: 5,
          backoff: { type: 'exponential', delay: 5000 },
          removeOnComplete: 1000,
          removeOnFail: 5000,
        },
      }),
    }),
  ],
  exports: [BullModule],
})
export class QueueModule {}
