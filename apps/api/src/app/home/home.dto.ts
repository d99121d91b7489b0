/* The shape of GET /api/home (its OpenAPI schema comes from these declarations: npm run openapi:metadata). */
import type {
  AdminHome,
  AgreementEnd,
  CoachHome,
  DeveloperHome,
  HomeSummary,
  ParticipantHome,
  PeerReviewsToDo,
} from '@rehearse/shared/contracts';
import { QueueItemDto } from '@rehearse/server/feedback';

export class NextExerciseDto {
  /** @example '4809561b-3438-4fc0-97da-4d2efc93d79c' */
  courseId!: string;
  /** @example 'Handling price objections' */
  courseTitle!: string;
  /** @example 'eb70d1fc-df82-4fda-896f-9a129bacd4ee' */
  exerciseId!: string;
  /** @example 'Answer a customer who finds the offer too expensive' */
  exerciseTitle!: string;
  /** @example '2026-12-18' */
  dueOn!: string | null;
}

export class DueCourseDto {
  /** @example '4809561b-3438-4fc0-97da-4d2efc93d79c' */
  courseId!: string;
  /** @example 'Handling price objections' */
  title!: string;
  /** @example '2026-12-18' */
  dueOn!: string;
  /** @example 2 */
  exercisesAnswered!: number;
  /** @example 4 */
  exercisesTotal!: number;
}

export class ArrivedFeedbackDto {
  /** @example '25dc282b-5a3d-4ba6-aa9a-777a856c65dd' */
  answerId!: string;
  /** @example 'Handling price objections' */
  courseTitle!: string;
  /** @example 'Answer a customer who finds the offer too expensive' */
  exerciseTitle!: string;
  source!: 'coach' | 'peer';
  /** @example '2026-11-28T14:30:00.000Z' */
  publishedAt!: string;
}

export class PeerReviewsToDoDto implements PeerReviewsToDo {
  /**
   * peer reviews handed to you and not done yet
   * @example 2
   */
  toDo!: number;
  /**
   * when the first of them is due
   * @example '2026-12-05T09:00:00.000Z'
   */
  nextDueAt!: string | null;
}

export class ParticipantHomeDto implements ParticipantHome {
  /** the first unanswered exercise of the course due soonest */
  next!: NextExerciseDto | null;
  /** unfinished courses with a due date, soonest first (at most 5) */
  due!: DueCourseDto[];
  /**
   * the day your licence ended: nothing is due and nothing can be answered until it is extended
   * @example '2026-10-31'
   */
  licenceEndedOn!: string | null;
  /** published coach and peer feedback on your answers, newest first (at most 5) */
  feedback!: ArrivedFeedbackDto[];
  /** the peer reviews handed to you and not done yet */
  peerReviews!: PeerReviewsToDoDto;
}

export class PublishedByYouDto {
  /** @example '25dc282b-5a3d-4ba6-aa9a-777a856c65dd' */
  answerId!: string;
  /** @example 'Ada Lovelace' */
  participantName!: string;
  /** @example 'Answer a customer who finds the offer too expensive' */
  exerciseTitle!: string;
  /** @example '2026-11-28T14:30:00.000Z' */
  publishedAt!: string;
}

export class CoachHomeDto implements CoachHome {
  /**
   * answers waiting for your feedback
   * @example 14
   */
  waiting!: number;
  /**
   * of those, waiting longer than 7 days
   * @example 3
   */
  overdue!: number;
  /** the oldest waiting answers (at most 5; privacy-logged) */
  oldest!: QueueItemDto[];
  /** feedback you published, newest first (at most 5) */
  recent!: PublishedByYouDto[];
}

export class PersonLicenceDto {
  /** @example '12dea96f-ec20-4935-a6ab-75692c994959' */
  userId!: string;
  /** @example 'Ada Lovelace' */
  name!: string;
  /** @example '2026-12-31' */
  expiresOn!: string;
}

export class PersonDto {
  /** @example '12dea96f-ec20-4935-a6ab-75692c994959' */
  userId!: string;
  /** @example 'Ada Lovelace' */
  name!: string;
}

export class OrganisationAgreementEndDto implements AgreementEnd {
  /**
   * the agreement's last day
   * @example '2027-03-31'
   */
  endsOn!: string;
  /**
   * the day everything of the organisation is destroyed (its people, courses, answers, recordings, privacy log)
   * @example '2027-05-15'
   */
  destroyOn!: string;
}

export class AdminHomeDto implements AdminHome {
  /** licences ending within 30 days, soonest first (at most 5) */
  expiring!: PersonLicenceDto[];
  /** @example 7 */
  expiringTotal!: number;
  /**
   * requests to keep recordings awaiting your decision
   * @example 1
   */
  pendingKeepRequests!: number;
  /** participants in no group (at most 5) */
  withoutGroup!: PersonDto[];
  /** @example 9 */
  withoutGroupTotal!: number;
  /** the organisation's agreement with the operator, once it has an end date (null: it does not end) */
  agreement!: OrganisationAgreementEndDto | null;
}

export class DraftCourseDto {
  /** @example '4809561b-3438-4fc0-97da-4d2efc93d79c' */
  courseId!: string;
  /** @example 'Handling price objections' */
  title!: string;
  /** @example '2026-11-28T14:30:00.000Z' */
  updatedAt!: string;
  /** an earlier version is published */
  published!: boolean;
}

export class PublishedVersionDto {
  /** @example '4809561b-3438-4fc0-97da-4d2efc93d79c' */
  courseId!: string;
  /** @example 'Handling price objections' */
  title!: string;
  /** @example 3 */
  version!: number;
  /** @example '2026-11-28T14:30:00.000Z' */
  publishedAt!: string;
}

export class DeveloperHomeDto implements DeveloperHome {
  /** courses with an unpublished draft, last edited first (at most 5) */
  drafts!: DraftCourseDto[];
  /** published versions, newest first (at most 5) */
  published!: PublishedVersionDto[];
}

export class HomeSummaryDto implements HomeSummary {
  /** present for participants */
  participant!: ParticipantHomeDto | null;
  /** present for coaches */
  coach!: CoachHomeDto | null;
  /** present for administrators */
  admin!: AdminHomeDto | null;
  /** present for content developers */
  developer!: DeveloperHomeDto | null;
}
