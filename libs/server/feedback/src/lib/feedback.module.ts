import { Injectable, Logger, Module, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { repeatEvery } from '@rehearse/server/core';
import { CoursesModule } from '@rehearse/server/courses';
import { MailProducer, QueueModule } from '@rehearse/server/mail';
import { FeedbackSettingsService, ReportsService } from './reports.service';
import { ReviewsService } from './reviews.service';

const SERVICES = [ReviewsService, ReportsService, FeedbackSettingsService];

/** The API side: reviews, sharing, the trainee's view, queues, reports and settings. */
@Module({ imports: [QueueModule, CoursesModule], providers: [...SERVICES, MailProducer], exports: SERVICES })
export class FeedbackModule {}

/** Every 15 minutes, lapsed peer reviews go to the next reviewer. */
@Injectable()
export class PeerReviewSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(PeerReviewSweeper.name);
  private stop: (() => void) | null = null;

  constructor(private readonly reviews: ReviewsService) {}

  onApplicationBootstrap(): void {
    const sweep = async () => {
      const r = await this.reviews.sweepLapsed();
      if (r.lapsed) this.logger.log(`${r.lapsed} peer review(s) lapsed, ${r.reassigned} re-assigned`);
    };
    const failed = (e: Error) => this.logger.warn(`peer review sweep failed: ${e.message}`);
    void sweep().catch(failed);
    this.stop = repeatEvery(15 * 60_000, sweep, failed);
  }

  onModuleDestroy(): void {
    this.stop?.();
  }
}

/** The worker side: the peer review sweep. */
@Module({
  imports: [QueueModule, CoursesModule],
  providers: [ReviewsService, PeerReviewSweeper, MailProducer],
  exports: [ReviewsService],
})
export class FeedbackWorkerModule {}
