/* The shape of GET /api/home (its OpenAPI schema comes from these declarations: npm run openapi:metadata). */
import type { AdminHome, CoachHome, DeveloperHome, HomeSummary, ParticipantHome } from '@rehearse/shared/contracts';
import { QueueItemDto } from '@rehearse/server/feedback';

export class NextExerciseDto {
  courseId!: string;
  courseTitle!: string;
  exerciseId!: string;
  exerciseTitle!: string;
  dueOn!: string | null;
}

export class DueCourseDto {
  courseId!: string;
  title!: string;
  dueOn!: string;
  exercisesAnswered!: number;
  exercisesTotal!: number;
}

export class ArrivedFeedbackDto {
  answerId!: string;
  courseTitle!: string;
  exerciseTitle!: string;
  source!: 'coach' | 'peer';
  publishedAt!: string;
}

export class ParticipantHomeDto implements ParticipantHome {
  /** the first unanswered exercise of the course due soonest */
  next!: NextExerciseDto | null;
  /** unfinished courses with a due date, soonest first (at most 5) */
  due!: DueCourseDto[];
  /** the day your licence ended: nothing is due and nothing can be answered until it is extended */
  licenceEndedOn!: string | null;
  /** published coach and peer feedback on your answers, newest first (at most 5) */
  feedback!: ArrivedFeedbackDto[];
}

export class PublishedByYouDto {
  answerId!: string;
  participantName!: string;
  exerciseTitle!: string;
  publishedAt!: string;
}

export class CoachHomeDto implements CoachHome {
  /** answers waiting for your feedback */
  waiting!: number;
  /** of those, waiting longer than 7 days */
  overdue!: number;
  /** the oldest waiting answers (at most 5; privacy-logged) */
  oldest!: QueueItemDto[];
  /** feedback you published, newest first (at most 5) */
  recent!: PublishedByYouDto[];
}

export class PersonLicenceDto {
  userId!: string;
  name!: string;
  expiresOn!: string;
}

export class PersonDto {
  userId!: string;
  name!: string;
}

export class AdminHomeDto implements AdminHome {
  /** licences ending within 30 days, soonest first (at most 5) */
  expiring!: PersonLicenceDto[];
  expiringTotal!: number;
  /** requests to keep recordings awaiting your decision */
  pendingKeepRequests!: number;
  /** participants in no group (at most 5) */
  withoutGroup!: PersonDto[];
  withoutGroupTotal!: number;
}

export class DraftCourseDto {
  courseId!: string;
  title!: string;
  updatedAt!: string;
  /** an earlier version is published */
  published!: boolean;
}

export class PublishedVersionDto {
  courseId!: string;
  title!: string;
  version!: number;
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
