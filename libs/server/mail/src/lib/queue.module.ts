import { BullModule, getQueueToken } from '@nestjs/bull';
import { Module, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bull';
import { QUEUES } from '@rehearse/shared/contracts';
import { APP_CONFIG, AppConfig, REDIS_COMMAND_TIMEOUT_MS } from '@rehearse/server/core';

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
export class QueueModule implements OnModuleInit {
  constructor(private readonly modules: ModuleRef) {}

  /**
   * A Redis that takes the connection and then says nothing (paused, or a half-open connection
   * after a network fault) held every request that queues a job (an upload's transcription, an
   * invitation, an export) and every metrics scrape for ever: ioredis gives a command no time limit
   * of its own. Each queue's command connection (adding jobs, counting them, a worker's locks and
   * results) fails a command after REDIS_COMMAND_TIMEOUT_MS ("Command timed out", answered 503, as
   * the sign-in throttle's). Set on the connection Bull made, so Bull still closes it: a
   * `createClient` of our own would leave closing all of them to us. The blocking connection (a
   * worker's wait for the next job, up to Bull's `drainDelay`) and the subscriber keep none: a
   * limit would end their waits.
   */
  onModuleInit(): void {
    for (const name of Object.values(QUEUES))
      this.modules.get<Queue>(getQueueToken(name), { strict: false }).client.options.commandTimeout =
        REDIS_COMMAND_TIMEOUT_MS;
  }
}
