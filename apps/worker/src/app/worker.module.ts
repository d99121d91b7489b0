import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AccessModule } from '@rehearse/server/access';
import { AccountsMailModule } from '@rehearse/server/accounts';
import { FeedbackMailModule, FeedbackWorkerModule } from '@rehearse/server/feedback';
import { CoursesMailModule, CoursesWorkerModule } from '@rehearse/server/courses';
import { PrivacyMailModule, PrivacyWorkerModule } from '@rehearse/server/privacy';
import { BackupWorkerModule } from '@rehearse/server/backup';
import {
  AppConfig,
  Clock,
  CoreModule,
  createLogger,
  createMetrics,
  loggerParams,
  Metrics,
} from '@rehearse/server/core';
import { DatabaseModule } from '@rehearse/server/database';
import { MailWorkerModule } from '@rehearse/server/mail';
import { MediaWorkerModule } from '@rehearse/server/recordings';
import { StorageModule } from '@rehearse/server/storage';

export interface WorkerOptions {
  config: AppConfig;
  clock?: Clock;
  metrics?: Metrics;
}

/** The worker: Bull processors (mail, media) only; no HTTP besides the ops server started in main.ts. */
@Module({})
export class WorkerModule {
  static forRoot({ config, clock, metrics }: WorkerOptions): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        CoreModule.forRoot(config, clock, metrics ?? createMetrics('worker')),
        LoggerModule.forRoot(loggerParams(createLogger(config.LOG_LEVEL))),
        DatabaseModule.forRoot(),
        // the mail queue, and each domain's composers of its own e-mails
        MailWorkerModule,
        AccountsMailModule,
        FeedbackMailModule,
        CoursesMailModule,
        PrivacyMailModule,
        StorageModule,
        MediaWorkerModule,
        AccessModule,
        FeedbackWorkerModule,
        CoursesWorkerModule,
        PrivacyWorkerModule,
        BackupWorkerModule,
      ],
    };
  }
}
