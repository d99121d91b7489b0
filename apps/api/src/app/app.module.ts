import type { DestinationStream } from 'pino';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { AccessGuard, AccessModule } from '@rehearse/server/access';
import { AccountsModule } from '@rehearse/server/accounts';
import {
  AppConfig,
  Clock,
  CoreModule,
  createLogger,
  createMetrics,
  loggerParams,
  Metrics,
  REQUEST_LOGGER,
} from '@rehearse/server/core';
import { DatabaseModule } from '@rehearse/server/database';
import { QueueModule, UnsubscribeLinks } from '@rehearse/server/mail';
import { AuthController } from './auth/auth.controller';
import { AccountController } from './account/account.controller';
import { AccountEmailController } from './account/account-email.controller';
import { AccountMailController } from './account/account-mail.controller';
import { UnsubscribeController } from './account/unsubscribe.controller';
import { AdminUsersController } from './admin/users.controller';
import { AdminActivityController } from './admin/activity.controller';
import { AdminPrivacyLogController } from './privacy/privacy-log.controller';
import { SuperuserController } from './superuser/superuser.controller';
import { InvitationsController } from './invitations/invitations.controller';
import { PasswordResetController } from './auth/password-reset.controller';
import { EmailChangeController } from './auth/email-change.controller';
import { HealthController } from './health/health.controller';
import { AuthoringController } from './courses/authoring.controller';
import { AdminGroupsController } from './courses/groups.controller';
import { LearningController } from './courses/learning.controller';
import { CoursesModule } from '@rehearse/server/courses';
import { RecordingsModule } from '@rehearse/server/recordings';
import { StorageModule } from '@rehearse/server/storage';
import { RecordingsController } from './recordings/recordings.controller';
import { FeedbackController } from './feedback/feedback.controller';
import { CoachDigestController } from './feedback/coach-digest.controller';
import { DomainPortsModule, FeedbackModule } from '@rehearse/server/feedback';
import { PrivacyModule } from '@rehearse/server/privacy';
import { LifecycleController } from './privacy/lifecycle.controller';
import { ReceiptsController } from './privacy/receipts.controller';
import { SsoController } from './auth/sso.controller';
import { HomeController } from './home/home.controller';
import { SessionStore } from './session-store';
import { BodyOnlyWhereReadGuard } from './request-guards';

export interface ApiOptions {
  config: AppConfig;
  clock?: Clock;
  metrics?: Metrics;
  /** where request logs go instead of stdout (tests read them) */
  logStream?: DestinationStream;
}

@Module({})
export class ApiModule {
  static forRoot({ config, clock, metrics, logStream }: ApiOptions): DynamicModule {
    const logger = createLogger(config.LOG_LEVEL, logStream);
    return {
      module: ApiModule,
      imports: [
        CoreModule.forRoot(config, clock, metrics ?? createMetrics('api')),
        LoggerModule.forRoot(loggerParams(logger)),
        DatabaseModule.forRoot({ statementTimeout: true }),
        QueueModule,
        AccessModule,
        AccountsModule,
        CoursesModule,
        DomainPortsModule,
        StorageModule,
        RecordingsModule,
        FeedbackModule,
        PrivacyModule,
      ],
      controllers: [
        AuthController,
        HomeController,
        AccountController,
        AccountEmailController,
        AccountMailController,
        UnsubscribeController,
        AdminUsersController,
        AdminActivityController,
        AdminPrivacyLogController,
        SuperuserController,
        InvitationsController,
        PasswordResetController,
        EmailChangeController,
        HealthController,
        AuthoringController,
        AdminGroupsController,
        LearningController,
        RecordingsController,
        FeedbackController,
        CoachDigestController,
        LifecycleController,
        ReceiptsController,
        SsoController,
      ],
      providers: [
        SessionStore,
        UnsubscribeLinks,
        // the same logger, for the request logging configureApp mounts first
        { provide: REQUEST_LOGGER, useValue: logger },
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_GUARD, useClass: BodyOnlyWhereReadGuard },
      ],
    };
  }
}
