import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig, Clock, CoreModule, createMetrics, Metrics, pinoParams } from '@rehearse/server/core';
import { DatabaseModule } from '@rehearse/server/database';
import { MailComposer, Mailer, QueueModule } from '@rehearse/server/mail';
import { MailProcessor } from './mail.processor';
import { METRICS } from './tokens';

export interface WorkerOptions {
  config: AppConfig;
  clock?: Clock;
  metrics?: Metrics;
}

/** The worker: Bull processors only; no HTTP besides the ops server started in main.ts. */
@Module({})
export class WorkerModule {
  static forRoot({ config, clock, metrics }: WorkerOptions): DynamicModule {
    return {
      module: WorkerModule,
      imports: [CoreModule.forRoot(config, clock), LoggerModule.forRoot(pinoParams(config.LOG_LEVEL)), DatabaseModule, QueueModule],
      providers: [MailComposer, Mailer, MailProcessor, { provide: METRICS, useValue: metrics ?? createMetrics('worker') }],
    };
  }
}
