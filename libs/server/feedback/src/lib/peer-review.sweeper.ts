import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Repeating, repeatEvery } from '@rehearse/server/core';
import { PeerRotation } from './peer-rotation';

/** Every 15 minutes, peer reviewers whose review is due within a day are reminded, and lapsed peer reviews go to the next reviewer. */
@Injectable()
export class PeerReviewSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(PeerReviewSweeper.name);
  private repeating: Repeating | null = null;

  constructor(private readonly rotation: PeerRotation) {}

  onApplicationBootstrap(): void {
    const sweep = async () => {
      const reminded = await this.rotation.remindDueSoon();
      if (reminded) this.logger.log(`${reminded} peer reviewer(s) reminded`);
      const r = await this.rotation.sweepLapsed();
      if (r.lapsed) this.logger.log(`${r.lapsed} peer review(s) lapsed, ${r.reassigned} re-assigned`);
    };
    const failed = (e: Error) => this.logger.warn(`peer review sweep failed: ${e.message}`);
    this.repeating = repeatEvery(15 * 60_000, sweep, failed, { now: true });
  }

  async onModuleDestroy(): Promise<void> {
    await this.repeating?.stop();
  }
}
