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
  FeedbackSettings,
  PeerAssignment,
  ReportOverview,
  Review,
  ReviewComment,
  ReviewContext,
  ReviewSource,
  ReviewState,
} from '@rehearse/shared/contracts';
import { ApiProperty } from '@nestjs/swagger';
import { AnswerSummaryDto, RubricCriterionDto } from '@rehearse/server/courses';

export class ReviewCommentOutDto implements ReviewComment {
  /** seconds into the recording */
  at!: number;
  text!: string;
  tag!: string | null;
  /** the AI finding the coach accepted */
  aiFinding!: string | null;
}

export class ReviewDto implements Review {
  id!: string;
  answerId!: string;
  source!: ReviewSource;
  state!: ReviewState;
  reviewerId!: string | null;
  reviewerName!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, description: 'criterion id → score' })
  scores!: Record<string, number>;
  /** weighted over the scored criteria */
  total!: number | null;
  summary!: string;
  comments!: ReviewCommentOutDto[];
  revision!: number;
  dueAt!: string | null;
  publishedAt!: string | null;
  updatedAt!: string;
}

export class AiMarkerDto implements AiMarker {
  key!: string;
  kind!: 'filler' | 'pause' | 'avoid_phrase' | 'key_phrase';
  at!: number;
  end!: number;
  label!: string;
  decision!: 'proposed' | 'accepted' | 'dismissed';
}

export class AiProposedScoreDto implements AiProposedScore {
  criterionId!: string;
  score!: number;
  /** the linked metrics that had a verdict */
  basis!: AiMetricId[];
  /** how many of them passed */
  passed!: number;
}

export class ReviewContextDto implements ReviewContext {
  answer!: AnswerSummaryDto;
  participantId!: string;
  participantName!: string;
  /** the review you write here */
  role!: ReviewSource;
  /** rubric criteria you score, with level descriptors */
  criteria!: RubricCriterionDto[];
  markerTags!: string[];
  review!: ReviewDto | null;
  aiMarkers!: AiMarkerDto[];
  aiProposed!: AiProposedScoreDto[];
  otherReviews!: ReviewDto[];
}

export class AnswerShareDto implements AnswerShare {
  groupId!: string;
  groupName!: string;
  sharedAt!: string;
  reviewersAssigned!: number;
  reviewsPublished!: number;
}

export class AttemptResultDto implements AttemptResult {
  answerId!: string;
  attempt!: number;
  submittedAt!: string;
  coachTotal!: number | null;
  selfTotal!: number | null;
  peerTotal!: number | null;
  wpm!: number | null;
  fillersPerMinute!: number | null;
}

export class ExerciseProgressDto implements ExerciseProgress {
  exerciseId!: string;
  exerciseTitle!: string;
  attempts!: number;
  /** the first attempt */
  baseline!: AttemptResultDto;
  /** the latest attempt */
  final!: AttemptResultDto;
}

export class AnswerFeedbackDto implements AnswerFeedback {
  answer!: AnswerSummaryDto;
  participantId!: string;
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
  answerId!: string;
  participantId!: string;
  participantName!: string;
  groupName!: string | null;
  courseId!: string;
  courseTitle!: string;
  exerciseTitle!: string;
  attempt!: number;
  answerType!: 'video' | 'audio' | 'text';
  submittedAt!: string;
  dueOn!: string | null;
  /** you have a draft */
  drafted!: boolean;
}

export class ReviewQueuePageDto {
  items!: QueueItemDto[];
  total!: number;
  page!: number;
  pageSize!: number;
}

export class PeerAssignmentDto implements PeerAssignment {
  answerId!: string;
  courseTitle!: string;
  exerciseTitle!: string;
  participantName!: string;
  state!: ReviewState;
  assignedAt!: string;
  dueAt!: string | null;
}

export class FeedbackSettingsOutDto implements FeedbackSettings {
  markerTags!: string[];
  @ApiProperty({ type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } }) fillers!: Record<
    string,
    string[]
  >;
}

export class CriterionTrendDto implements CriterionTrend {
  groupId!: string | null;
  groupName!: string;
  courseId!: string;
  courseTitle!: string;
  criterionId!: string;
  criterionTitle!: string;
  /** YYYY-MM */
  month!: string;
  meanScore!: number;
  reviews!: number;
}

export class CriterionSeriesPointDto implements CriterionSeriesPoint {
  criterionId!: string;
  criterionTitle!: string;
  /** YYYY-MM */
  month!: string;
  meanScore!: number;
  reviews!: number;
}

export class AgreementRowDto implements AgreementRow {
  courseId!: string;
  courseTitle!: string;
  exerciseId!: string;
  exerciseTitle!: string;
  /** criterion scores the AI proposed and a coach published */
  pairs!: number;
  /** share (0–1) where both gave the same level */
  exact!: number | null;
  /** share where they were at most one level apart */
  adjacent!: number | null;
  meanAbsoluteDifference!: number | null;
}

export class ReportOverviewDto implements ReportOverview {
  participants!: number;
  active!: number;
  participationRate!: number | null;
  answers!: number;
  reviewed!: number;
  baselineMean!: number | null;
  finalMean!: number | null;
  /** one page of the mean coach score per group, course, criterion and month */
  criteria!: CriterionTrendDto[];
  /** rows of the criteria table in all */
  criteriaTotal!: number;
  page!: number;
  pageSize!: number;
  /** mean coach score per criterion and month over everything in view (the chart) */
  trend!: CriterionSeriesPointDto[];
  /** AI–coach agreement per exercise */
  agreement!: AgreementRowDto[];
  /** when a large scope’s figures were computed (they are at most 5 minutes old); null: computed for this request */
  asOf!: string | null;
}
