import { Global, Module } from '@nestjs/common';
import { AccessService } from './access.service';
import { AccessGuard } from './access.guard';
import { PrivacyLogService } from './privacy-log.service';
import { PrivacyLogRepository } from './privacy-log.repository';
import { PrivacyLogChecksRepository } from './privacy-log-checks.repository';
import { PrivacyLogChecks } from './privacy-log-checks.service';
import { ActorPreload } from './actor-row';
import { AccessRepository } from './access.repository';
import { ImpersonationChecksRepository } from './impersonation-checks.repository';

@Global()
@Module({
  providers: [
    AccessService,
    AccessRepository,
    ImpersonationChecksRepository,
    AccessGuard,
    PrivacyLogService,
    PrivacyLogRepository,
    PrivacyLogChecksRepository,
    PrivacyLogChecks,
    ActorPreload,
  ],
  exports: [
    AccessService,
    AccessRepository,
    AccessGuard,
    PrivacyLogService,
    PrivacyLogRepository,
    PrivacyLogChecksRepository,
    PrivacyLogChecks,
    ActorPreload,
  ],
})
export class AccessModule {}
