import { Injectable } from '@nestjs/common';
import { Sweeper } from '@rehearse/server/core';
import { ErasureService } from './erasure.service';
import { ExportBuilder } from './export-builder';
import { ExportsOfHiddenAnswers } from './exports-of-hidden-answers';
import { LicenceExpiryDeletions } from './licence-expiry-deletions';
import { Shredder } from './shredder';
import { TenantDestructionService } from './tenant-destruction.service';

/**
 * Every hour: deletion notices and deletions after licence expiry, and tenants at the end of their
 * agreement (their administrators reminded 14 days before); and the objects earlier deletions could not confirm gone are deleted again.
 * First of all, organisations destroyed and people erased before whom a database restored from an earlier backup
 * brought back are destroyed and erased again.
 */
@Injectable()
export class RetentionSweeper extends Sweeper {
  constructor(
    private readonly expiries: LicenceExpiryDeletions,
    private readonly tenants: TenantDestructionService,
    private readonly exports: ExportBuilder,
    private readonly shredder: Shredder,
    private readonly erasures: ErasureService,
    private readonly hidden: ExportsOfHiddenAnswers,
  ) {
    super();
  }

  protected readonly label = 'retention sweep';

  protected everyMs(): number {
    return 60 * 60_000;
  }

  protected async round(): Promise<void> {
    // first: organisations destroyed and people erased before whom a restored backup brought back
    const destroyedAgain = await this.tenants.destroyAgain();
    if (destroyedAgain)
      this.logger.warn(
        `${destroyedAgain} organisation(s) destroyed before came back (a restored backup?): destroyed again`,
      );
    const again = await this.erasures.eraseAgain();
    if (again) this.logger.warn(`${again} person(s) erased before came back (a restored backup?): erased again`);
    const r = await this.expiries.sweep();
    if (r.notices || r.deleted)
      this.logger.log(`retention: ${r.notices} notice(s) sent, ${r.deleted} recording(s) deleted`);
    const expired = await this.exports.sweepExpired();
    if (expired) this.logger.log(`${expired} data export(s) expired`);
    const withdrawn = await this.hidden.withdraw();
    if (withdrawn)
      this.logger.log(`${withdrawn} data export(s) withdrawn: they held answers a licence has hidden since`);
    const reminded = await this.tenants.remind();
    if (reminded) this.logger.log(`end of agreement: ${reminded} organisation(s) reminded of their destruction`);
    const destroyed = await this.tenants.sweep();
    if (destroyed.length) this.logger.log(`end of agreement: ${destroyed.length} tenant(s) destroyed`);
    const confirmed = await this.shredder.finishUnverified();
    if (confirmed) this.logger.log(`${confirmed} deletion(s) confirmed now (their objects were left behind)`);
  }
}
