import { Module } from '@nestjs/common';
import { AccountsRepositoriesModule } from '@rehearse/server/accounts';
import { CoursesRepositoriesModule } from '@rehearse/server/courses';
import { RecordingsRepositoriesModule } from '@rehearse/server/recordings';
import { UnsubscribeLinks } from '@rehearse/server/mail';
import { AnswerViewsRepository } from '../answer-views.repository';
import { ReviewsRepository } from '../reviews.repository';
import { CoachDigestsRepository } from '../coach-digests.repository';
import { CoachQueueRepository } from '../coach-queue.repository';
import { CoachDigestMail } from './coach-digest.mail';
import { FeedbackPublishedMail } from './feedback-published.mail';
import { PeerReviewAssignedMail } from './peer-review-assigned.mail';
import { PeerReviewReminderMail } from './peer-review-reminder.mail';
import { PeerReviewMails } from './peer-review-mail';

/** Feedback's e-mails (feedback published, a peer review to do, a reminder of one, a coach's morning e-mail), for the worker's mail queue. */
@Module({
  imports: [AccountsRepositoriesModule, CoursesRepositoriesModule, RecordingsRepositoriesModule],
  providers: [
    FeedbackPublishedMail,
    PeerReviewAssignedMail,
    PeerReviewReminderMail,
    PeerReviewMails,
    CoachDigestMail,
    UnsubscribeLinks,
    ReviewsRepository,
    AnswerViewsRepository,
    CoachDigestsRepository,
    CoachQueueRepository,
  ],
})
export class FeedbackMailModule {}
