import { Injectable } from '@nestjs/common';
import { Sweeper } from '@rehearse/server/core';
import { PeerRotation } from './peer-rotation';

/** Every 15 minutes, peer reviewers whose review is due within a day are reminded, and lapsed peer reviews go to the next reviewer. */
@Injectable()
export class PeerReviewSweeper extends Sweeper {
  constructor(private readonly rotation: PeerRotation) {
    super();
  }

  protected readonly label = 'peer review sweep';

  protected everyMs(): number {
    return 15 * 60_000;
  }

  protected async round(): Promise<void> {
    const reminded = await this.rotation.remindDueSoon();
    if (reminded) this.logger.log(`${reminded} peer reviewer(s) reminded`);
    const r = await this.rotation.sweepLapsed();
    if (r.lapsed) this.logger.log(`${r.lapsed} peer review(s) lapsed, ${r.reassigned} re-assigned`);
  }
}
