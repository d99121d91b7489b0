/*
 * The feedback, review-queue and report routes' response shapes. Their OpenAPI schemas come from
 * these declarations through @nestjs/swagger's compiler plugin (npm run openapi:metadata).
 */
import type {
  AgreementRow,
  AiMarker,
  AiMetricId,
  AiProposedScore,
  AnswerFeedback,
  AnswerShare,
  AttemptResult,
  CriterionSeriesPoint,
  CriterionTrend,
  ExerciseProgress,
  CoachDigestSetting,
  FeedbackSettings,
  PeerAssignment,
  ReportOverview,
  Review,
  ReviewComment,
  ReviewContext,
  ReviewQueueCourse,
  ReviewSource,
  ReviewState,
} from '@rehearse/shared/contracts';
import { ApiProperty } from '@nestjs/swagger';
import { AnswerSummaryDto, RubricCriterionDto } from '@rehearse/server/courses';

export class ReviewCommentOutDto implements ReviewComment {
  /**
   * seconds into the recording
   * @example 12.4
   */
  at!: number;
  /** @example 'Good question here: it turns the objection into a conversation.' */
  text!: string;
  /** @example 'question' */
  tag!: string | null;
  /**
   * the AI finding the coach accepted
   * @example 'filler:0'
   */
  aiFinding!: string | null;
}

export class ReviewDto implements Review {
  /** @example '61e62b21-3a1a-46f7-a958-45df4fc372a1' */
  id!: string;
  /** @example '25dc282b-5a3d-4ba6-aa9a-777a856c65dd' */
  answerId!: string;
  source!: ReviewSource;
  state!: ReviewState;
  /** @example 'c63c8ec7-f6e2-4088-b407-6f269e863af5' */
  reviewerId!: string | null;
  /** @example 'Grace Hopper' */
  reviewerName!: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    description: 'criterion id → score',
    example: { 'ad3bcfda-c54c-4e7b-9090-c0c32edb71bb': 3 },
  })
  scores!: Record<string, number>;
  /**
   * weighted over the scored criteria
   * @example 132
   */
  total!: number | null;
  /** @example 'A calm, clear answer. Ask what matters most to the customer before you talk about value.' */
  summary!: string;
  comments!: ReviewCommentOutDto[];
  /** @example 4 */
  revision!: number;
  /** @example '2026-12-04T17:00:00.000Z' */
  dueAt!: string | null;
  /** @example '2026-11-28T14:30:00.000Z' */
  publishedAt!: string | null;
  /** @example '2026-11-28T14:30:00.000Z' */
  updatedAt!: string;
}

export class AiMarkerDto implements AiMarker {
  /** @example 'filler:0' */
  key!: string;
  kind!: 'filler' | 'pause' | 'avoid_phrase' | 'key_phrase';
  /** @example 12.4 */
  at!: number;
  /** @example 12.8 */
  end!: number;
  /** @example 'Filler “um”' */
  label!: string;
  decision!: 'proposed' | 'accepted' | 'dismissed';
}

export class AiProposedScoreDto implements AiProposedScore {
  /** @example 'ad3bcfda-c54c-4e7b-9090-c0c32edb71bb' */
  criterionId!: string;
  /** @example 3 */
  score!: number;
  /** the linked metrics that had a verdict */
  basis!: AiMetricId[];
  /**
   * how many of them passed
   * @example 2
   */
  passed!: number;
}

export class ReviewContextDto implements ReviewContext {
  answer!: AnswerSummaryDto;
  /** @example '12dea96f-ec20-4935-a6ab-75692c994959' */
  participantId!: string;
  /** @example 'Ada Lovelace' */
  participantName!: string;
  /** the review you write here */
  role!: ReviewSource;
  /** rubric criteria you score, with level descriptors */
  criteria!: RubricCriterionDto[];
  /** @example ['strong opening','filler','question'] */
  markerTags!: string[];
  review!: ReviewDto | null;
  aiMarkers!: AiMarkerDto[];
  aiProposed!: AiProposedScoreDto[];
  otherReviews!: ReviewDto[];
}

export class AnswerShareDto implements AnswerShare {
  /** @example '64292b1c-2b2e-43ea-9878-8fc8a2b8edc8' */
  groupId!: string;
  /** @example 'Sales team North' */
  groupName!: string;
  /** @example '2026-11-27T11:00:00.000Z' */
  sharedAt!: string;
  /** @example 2 */
  reviewersAssigned!: number;
  /** @example 1 */
  reviewsPublished!: number;
}

export class AttemptResultDto implements AttemptResult {
  /** @example '25dc282b-5a3d-4ba6-aa9a-777a856c65dd' */
  answerId!: string;
  /** @example 2 */
  attempt!: number;
  /** @example '2026-11-26T15:42:00.000Z' */
  submittedAt!: string;
  /** @example 3.4 */
  coachTotal!: number | null;
  /** @example 3 */
  selfTotal!: number | null;
  /** @example 3 */
  peerTotal!: number | null;
  /** @example 162 */
  wpm!: number | null;
  /** @example 2.5 */
  fillersPerMinute!: number | null;
}

export class ExerciseProgressDto implements ExerciseProgress {
  /** @example 'eb70d1fc-df82-4fda-896f-9a129bacd4ee' */
  exerciseId!: string;
  /** @example 'Answer a customer who finds the offer too expensive' */
  exerciseTitle!: string;
  /** @example 2 */
  attempts!: number;
  /** the first attempt */
  baseline!: AttemptResultDto;
  /** the latest attempt */
  final!: AttemptResultDto;
}

export class AnswerFeedbackDto implements AnswerFeedback {
  answer!: AnswerSummaryDto;
  /** @example '12dea96f-ec20-4935-a6ab-75692c994959' */
  participantId!: string;
  /** @example 'Ada Lovelace' */
  participantName!: string;
  /** others' feedback waits for your self-assessment */
  selfAssessmentPending!: boolean;
  reviews!: ReviewDto[];
  share!: AnswerShareDto | null;
  peersAllowed!: boolean;
  attempts!: AttemptResultDto[];
  /** each exercise of the course: the participant's first attempt against the latest */
  courseProgress!: ExerciseProgressDto[];
}

export class QueueItemDto {
  /** @example '25dc282b-5a3d-4ba6-aa9a-777a856c65dd' */
  answerId!: string;
  /** @example '12dea96f-ec20-4935-a6ab-75692c994959' */
  participantId!: string;
  /** @example 'Ada Lovelace' */
  participantName!: string;
  /** @example 'Sales team North' */
  groupName!: string | null;
  /** @example '4809561b-3438-4fc0-97da-4d2efc93d79c' */
  courseId!: string;
  /** @example 'Handling price objections' */
  courseTitle!: string;
  /** @example 'Answer a customer who finds the offer too expensive' */
  exerciseTitle!: string;
  /** @example 2 */
  attempt!: number;
  answerType!: 'video' | 'audio' | 'text';
  /** @example '2026-11-26T15:42:00.000Z' */
  submittedAt!: string;
  /** @example '2026-12-18' */
  dueOn!: string | null;
  /** you have a draft */
  drafted!: boolean;
}

export class ReviewQueuePageDto {
  items!: QueueItemDto[];
  /** @example 132 */
  total!: number;
  /** @example 1 */
  page!: number;
  /** @example 25 */
  pageSize!: number;
}

export class ReviewQueueCourseDto implements ReviewQueueCourse {
  /** @example '12dea96f-ec20-4935-a6ab-75692c994959' */
  courseId!: string;
  /** @example 'Handling price objections' */
  courseTitle!: string;
  /** @example 12 */
  waiting!: number;
}

export class PeerAssignmentDto implements PeerAssignment {
  /** @example '25dc282b-5a3d-4ba6-aa9a-777a856c65dd' */
  answerId!: string;
  /** @example 'Handling price objections' */
  courseTitle!: string;
  /** @example 'Answer a customer who finds the offer too expensive' */
  exerciseTitle!: string;
  /** @example 'Ada Lovelace' */
  participantName!: string;
  state!: ReviewState;
  /** @example '2026-11-30T09:15:00.000Z' */
  assignedAt!: string;
  /** @example '2026-12-04T17:00:00.000Z' */
  dueAt!: string | null;
}

export class FeedbackSettingsOutDto implements FeedbackSettings {
  /** @example ['strong opening','filler','question'] */
  markerTags!: string[];
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
    example: { en: ['um', 'uh', 'you know'], nl: ['eh', 'uhm', 'zeg maar'] },
  })
  fillers!: Record<string, string[]>;
}

export class CoachDigestSettingDto implements CoachDigestSetting {
  /**
   * the coach wants the morning e-mail (until they turn it off)
   * @example true
   */
  enabled!: boolean;
  /** the hour of the day (0–23) on the installation's clocks from which it is sent; null: this installation sends none */
  @ApiProperty({ type: 'integer', nullable: true, minimum: 0, maximum: 23, example: 6 })
  hour!: number | null;
  /**
   * the installation's time zone (TIME_ZONE), whose clocks `hour` is read on
   * @example "Europe/Amsterdam"
   */
  timeZone!: string;
  /** that hour today, as a moment, to show in the reader's own time; null: none is sent */
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: '2026-12-07T05:00:00.000Z' })
  from!: string | null;
}

export class CriterionTrendDto implements CriterionTrend {
  /** @example '64292b1c-2b2e-43ea-9878-8fc8a2b8edc8' */
  groupId!: string | null;
  /** @example 'Sales team North' */
  groupName!: string;
  /** @example '4809561b-3438-4fc0-97da-4d2efc93d79c' */
  courseId!: string;
  /** @example 'Handling price objections' */
  courseTitle!: string;
  /** @example 'ad3bcfda-c54c-4e7b-9090-c0c32edb71bb' */
  criterionId!: string;
  /** @example 'Acknowledges the concern' */
  criterionTitle!: string;
  /**
   * YYYY-MM
   * @example '2026-11'
   */
  month!: string;
  /** @example 3.2 */
  meanScore!: number;
  /** @example 38 */
  reviews!: number;
}

export class CriterionSeriesPointDto implements CriterionSeriesPoint {
  /** @example 'ad3bcfda-c54c-4e7b-9090-c0c32edb71bb' */
  criterionId!: string;
  /** @example 'Acknowledges the concern' */
  criterionTitle!: string;
  /**
   * YYYY-MM
   * @example '2026-11'
   */
  month!: string;
  /** @example 3.2 */
  meanScore!: number;
  /** @example 38 */
  reviews!: number;
}

export class AgreementRowDto implements AgreementRow {
  /** @example '4809561b-3438-4fc0-97da-4d2efc93d79c' */
  courseId!: string;
  /** @example 'Handling price objections' */
  courseTitle!: string;
  /** @example 'eb70d1fc-df82-4fda-896f-9a129bacd4ee' */
  exerciseId!: string;
  /** @example 'Answer a customer who finds the offer too expensive' */
  exerciseTitle!: string;
  /**
   * criterion scores the AI proposed and a coach published
   * @example 118
   */
  pairs!: number;
  /**
   * share (0–1) where both gave the same level
   * @example 0.61
   */
  exact!: number | null;
  /**
   * share where they were at most one level apart
   * @example 0.92
   */
  adjacent!: number | null;
  /** @example 0.45 */
  meanAbsoluteDifference!: number | null;
}

export class ReportOverviewDto implements ReportOverview {
  /** @example 256 */
  participants!: number;
  /** @example 212 */
  active!: number;
  /** @example 0.83 */
  participationRate!: number | null;
  /** @example 1840 */
  answers!: number;
  /** @example 1520 */
  reviewed!: number;
  /** @example 2.6 */
  baselineMean!: number | null;
  /** @example 3.3 */
  finalMean!: number | null;
  /** one page of the mean coach score per group, course, criterion and month */
  criteria!: CriterionTrendDto[];
  /**
   * rows of the criteria table in all
   * @example 240
   */
  criteriaTotal!: number;
  /** @example 1 */
  page!: number;
  /** @example 25 */
  pageSize!: number;
  /** mean coach score per criterion and month over everything in view (the chart) */
  trend!: CriterionSeriesPointDto[];
  /** AI–coach agreement per exercise */
  agreement!: AgreementRowDto[];
  /**
   * when a large scope’s figures were computed (they are at most 5 minutes old); null: computed for this request
   * @example '2026-11-30T09:10:00.000Z'
   */
  asOf!: string | null;
}
