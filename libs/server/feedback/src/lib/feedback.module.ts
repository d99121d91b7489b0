import { Injectable, Logger, Module, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
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
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly reviews: ReviewsService) {}

  onApplicationBootstrap(): void {
    const sweep = () =>
      void this.reviews.sweepLapsed().then(
        (r) => r.lapsed && this.logger.log(`${r.lapsed} peer review(s) lapsed, ${r.reassigned} re-assigned`),
        (e: Error) => this.logger.warn(`peer review sweep failed: ${e.message}`),
      );
    sweep();
    this.timer = setInterval(sweep, 15 * 60_000);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }
}

/** The worker side: the peer review sweep. */
@Module({ imports: [QueueModule, CoursesModule], providers: [ReviewsService, PeerReviewSweeper, MailProducer], exports: [ReviewsService] })
export class FeedbackWorkerModule {}
