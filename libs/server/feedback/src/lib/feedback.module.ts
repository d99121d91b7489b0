import { Module } from '@nestjs/common';
import { AccountsRepositoriesModule } from '@rehearse/server/accounts';
import { CoursesModule, CoursesRepositoriesModule } from '@rehearse/server/courses';
import { RecordingsRepositoriesModule } from '@rehearse/server/recordings';
import { MailOutbox, MailOutboxRepository, MailProducer, QueueModule } from '@rehearse/server/mail';
import { FeedbackSettingsService } from './feedback-settings.service';
import { ReportsService } from './reports.service';
import { AnswerFeedbackService } from './answer-feedback.service';
import { CoachQueueService } from './coach-queue.service';
import { PeerReviewsService } from './peer-reviews.service';
import { AnswerSharing } from './answer-sharing.service';
import { PeerRotation } from './peer-rotation';
import { ReviewDraftsService } from './review-drafts.service';
import { PeerReviewSweeper } from './peer-review.sweeper';
import { CoachDigestSweeper } from './coach-digest.sweeper';
import { CoachDigestService } from './coach-digest.service';
import { CoachDigestsRepository } from './coach-digests.repository';
import { ReviewsRepository } from './reviews.repository';
import { AnswerSharesRepository } from './answer-shares.repository';
import { CoachQueueRepository } from './coach-queue.repository';
import { AnswerViewsRepository } from './answer-views.repository';
import { PeerReviewsRepository } from './peer-reviews.repository';
import { ReportsRepository } from './reports.repository';
import { FeedbackFootprintRepository } from './feedback-footprint.repository';
import { AnswerFeedbackRepository } from './answer-feedback.repository';

const SERVICES = [
  ReviewDraftsService,
  AnswerFeedbackService,
  PeerReviewsService,
  AnswerSharing,
  PeerRotation,
  CoachQueueService,
  ReportsService,
  FeedbackSettingsService,
  CoachDigestService,
];
/** The statements on feedback's own tables. */
const REPOSITORIES = [
  ReviewsRepository,
  AnswerSharesRepository,
  CoachQueueRepository,
  AnswerViewsRepository,
  PeerReviewsRepository,
  ReportsRepository,
  CoachDigestsRepository,
];

/** The API side: reviews, sharing, the trainee's view, queues, reports and settings. */
@Module({
  imports: [QueueModule, CoursesModule, AccountsRepositoriesModule, RecordingsRepositoriesModule],
  providers: [...SERVICES, ...REPOSITORIES, MailProducer, MailOutbox, MailOutboxRepository],
  exports: SERVICES,
})
export class FeedbackModule {}

/** The worker side: the peer review sweep (reminders, lapsed reviews to the next reviewer) and the coaches' morning e-mail. */
@Module({
  imports: [QueueModule, AccountsRepositoriesModule, CoursesRepositoriesModule, RecordingsRepositoriesModule],
  providers: [
    PeerRotation,
    PeerReviewSweeper,
    CoachDigestSweeper,
    ...REPOSITORIES,
    MailProducer,
    MailOutbox,
    MailOutboxRepository,
  ],
  exports: [PeerRotation],
})
export class FeedbackWorkerModule {}

/**
 * Feedback's repositories for other libraries: a person's reviews and shares for privacy's export
 * and erasure, the feedback published on answers for courses (through feedback's DomainPortsModule).
 */
@Module({
  providers: [FeedbackFootprintRepository, AnswerFeedbackRepository],
  exports: [FeedbackFootprintRepository, AnswerFeedbackRepository],
})
export class FeedbackRepositoriesModule {}
