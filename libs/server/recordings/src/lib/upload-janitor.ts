import { Injectable } from '@nestjs/common';
import { Sweeper } from '@rehearse/server/core';
import { UploadStaging } from './upload-staging';

/** Removes staged uploads left past UPLOAD_EXPIRY_HOURS, hourly (and makes the staging bucket when missing). */
@Injectable()
export class UploadJanitor extends Sweeper {
  constructor(private readonly staging: UploadStaging) {
    super();
  }

  protected readonly label = 'upload clean-up';

  protected everyMs(): number {
    return 3600_000;
  }

  protected async round(): Promise<void> {
    // the staging bucket (UPLOAD_STAGING=s3) is made when missing; tried again at each round
    await this.staging.ready();
    const n = await this.staging.cleanUpExpired();
    if (n) this.logger.log(`removed ${n} expired upload(s)`);
  }
}
