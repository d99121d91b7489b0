import { Global, Module } from '@nestjs/common';
import { AccessService } from './access.service';
import { AccessGuard } from './access.guard';
import { PrivacyLogService } from './privacy-log.service';
import { ActorPreload } from './actor-row';

@Global()
@Module({
  providers: [AccessService, AccessGuard, PrivacyLogService, ActorPreload],
  exports: [AccessService, AccessGuard, PrivacyLogService, ActorPreload],
})
export class AccessModule {}
