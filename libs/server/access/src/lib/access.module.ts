import { Global, Module } from '@nestjs/common';
import { AccessService } from './access.service';
import { AccessGuard } from './access.guard';
import { PrivacyLogService } from './privacy-log.service';

@Global()
@Module({
  providers: [AccessService, AccessGuard, PrivacyLogService],
  exports: [AccessService, AccessGuard, PrivacyLogService],
})
export class AccessModule {}
