import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Repeating, repeatEvery } from '@rehearse/server/core';
import { UploadStaging } from './upload-staging';

/** Removes staged uploads left past UPLOAD_EXPIRY_HOURS, hourly (and makes the staging bucket when missing). */
@Injectable()
export class UploadJanitor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(UploadJanitor.name);
  private repeating: Repeating | null = null;

  constructor(private readonly staging: UploadStaging) {}

  onApplicationBootstrap(): void {
    const sweep = async () => {
      // the staging bucket (UPLOAD_STAGING=s3) is made when missing; tried again at each sweep
      await this.staging.ready();
      const n = await this.staging.cleanUpExpired();
      if (n) this.logger.log(`removed ${n} expired upload(s)`);
    };
    const failed = (e: Error) => this.logger.warn(`upload clean-up failed: ${e.message}`);
    this.repeating = repeatEvery(3600_000, sweep, failed, { now: true });
  }

  async onModuleDestroy(): Promise<void> {
    await this.repeating?.stop();
  }
}
