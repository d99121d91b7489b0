/* Response schemas of the feedback routes for the OpenAPI document (mirroring @rehearse/shared/contracts). */
import { ApiProperty } from '@nestjs/swagger';
import { AI_METRICS, type AiMetricId, type ReviewSource, type ReviewState } from '@rehearse/shared/contracts';
import { RubricCriterionDto } from '@rehearse/server/courses';
import { AnswerSummaryDto } from '../courses/openapi';

const STATES = ['assigned', 'draft', 'published', 'lapsed'];
const SOURCES = ['coach', 'peer', 'self'];

class ReviewCommentOutDto {
  @ApiProperty({ description: 'seconds into the recording' }) at!: number;
  @ApiProperty() text!: string;
  @ApiProperty({ type: String, nullable: true }) tag!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'the AI finding the coach accepted' }) aiFinding!:
    string | null;
}

export class ReviewDto {
  @ApiProperty() id!: string;
  @ApiProperty() answerId!: string;
  @ApiProperty({ enum: SOURCES }) source!: ReviewSource;
  @ApiProperty({ enum: STATES }) state!: ReviewState;
  @ApiProperty({ type: String, nullable: true }) reviewerId!: string | null;
  @ApiProperty({ type: String, nullable: true }) reviewerName!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, description: 'criterion id → score' })
  scores!: Record<string, number>;
  @ApiProperty({ type: Number, nullable: true, description: 'weighted over the scored criteria' }) total!:
    number | null;
  @ApiProperty() summary!: string;
  @ApiProperty({ type: [ReviewCommentOutDto] }) comments!: ReviewCommentOutDto[];
  @ApiProperty() revision!: number;
  @ApiProperty({ type: String, nullable: true }) dueAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) publishedAt!: string | null;
  @ApiProperty() updatedAt!: string;
}

class AiMarkerDto {
  @ApiProperty() key!: string;
  @ApiProperty({ enum: ['filler', 'pause', 'avoid_phrase', 'key_phrase'] }) kind!: string;
  @ApiProperty() at!: number;
  @ApiProperty() end!: number;
  @ApiProperty() label!: string;
  @ApiProperty({ enum: ['proposed', 'accepted', 'dismissed'] }) decision!: string;
}

class AiProposedScoreDto {
  @ApiProperty() criterionId!: string;
  @ApiProperty() score!: number;
  @ApiProperty({ enum: AI_METRICS, isArray: true, description: 'the linked metrics that had a verdict' })
  basis!: AiMetricId[];
  @ApiProperty({ description: 'how many of them passed' }) passed!: number;
}

export class ReviewContextDto {
  @ApiProperty({ type: AnswerSummaryDto }) answer!: AnswerSummaryDto;
  @ApiProperty() participantId!: string;
  @ApiProperty() participantName!: string;
  @ApiProperty({ enum: SOURCES, description: 'the review you write here' }) role!: ReviewSource;
  @ApiProperty({ type: [RubricCriterionDto], description: 'rubric criteria you score, with level descriptors' })
  criteria!: RubricCriterionDto[];
  @ApiProperty({ type: [String] }) markerTags!: string[];
  @ApiProperty({ type: ReviewDto, nullable: true }) review!: ReviewDto | null;
  @ApiProperty({ type: [AiMarkerDto] }) aiMarkers!: AiMarkerDto[];
  @ApiProperty({ type: [AiProposedScoreDto] }) aiProposed!: AiProposedScoreDto[];
  @ApiProperty({ type: [ReviewDto] }) otherReviews!: ReviewDto[];
}

class AnswerShareDto {
  @ApiProperty() groupId!: string;
  @ApiProperty() groupName!: string;
  @ApiProperty() sharedAt!: string;
  @ApiProperty() reviewersAssigned!: number;
  @ApiProperty() reviewsPublished!: number;
}

class AttemptResultDto {
  @ApiProperty() answerId!: string;
  @ApiProperty() attempt!: number;
  @ApiProperty() submittedAt!: string;
  @ApiProperty({ type: Number, nullable: true }) coachTotal!: number | null;
  @ApiProperty({ type: Number, nullable: true }) selfTotal!: number | null;
  @ApiProperty({ type: Number, nullable: true }) peerTotal!: number | null;
  @ApiProperty({ type: Number, nullable: true }) wpm!: number | null;
  @ApiProperty({ type: Number, nullable: true }) fillersPerMinute!: number | null;
}

class ExerciseProgressDto {
  @ApiProperty() exerciseId!: string;
  @ApiProperty() exerciseTitle!: string;
  @ApiProperty() attempts!: number;
  @ApiProperty({ type: AttemptResultDto, description: 'the first attempt' }) baseline!: AttemptResultDto;
  @ApiProperty({ type: AttemptResultDto, description: 'the latest attempt' }) final!: AttemptResultDto;
}

export class AnswerFeedbackDto {
  @ApiProperty({ type: AnswerSummaryDto }) answer!: AnswerSummaryDto;
  @ApiProperty() participantId!: string;
  @ApiProperty() participantName!: string;
  @ApiProperty({ description: "others' feedback waits for your self-assessment" }) selfAssessmentPending!: boolean;
  @ApiProperty({ type: [ReviewDto] }) reviews!: ReviewDto[];
  @ApiProperty({ type: AnswerShareDto, nullable: true }) share!: AnswerShareDto | null;
  @ApiProperty() peersAllowed!: boolean;
  @ApiProperty({ type: [AttemptResultDto] }) attempts!: AttemptResultDto[];
  @ApiProperty({
    type: [ExerciseProgressDto],
    description: "each exercise of the course: the participant's first attempt against the latest",
  })
  courseProgress!: ExerciseProgressDto[];
}

export class QueueItemDto {
  @ApiProperty() answerId!: string;
  @ApiProperty() participantId!: string;
  @ApiProperty() participantName!: string;
  @ApiProperty({ type: String, nullable: true }) groupName!: string | null;
  @ApiProperty() courseId!: string;
  @ApiProperty() courseTitle!: string;
  @ApiProperty() exerciseTitle!: string;
  @ApiProperty() attempt!: number;
  @ApiProperty({ enum: ['video', 'audio', 'text'] }) answerType!: 'video' | 'audio' | 'text';
  @ApiProperty() submittedAt!: string;
  @ApiProperty({ type: String, nullable: true }) dueOn!: string | null;
  @ApiProperty({ description: 'you have a draft' }) drafted!: boolean;
}

export class ReviewQueuePageDto {
  @ApiProperty({ type: [QueueItemDto] }) items!: QueueItemDto[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class PeerAssignmentDto {
  @ApiProperty() answerId!: string;
  @ApiProperty() courseTitle!: string;
  @ApiProperty() exerciseTitle!: string;
  @ApiProperty() participantName!: string;
  @ApiProperty({ enum: STATES }) state!: ReviewState;
  @ApiProperty() assignedAt!: string;
  @ApiProperty({ type: String, nullable: true }) dueAt!: string | null;
}

export class FeedbackSettingsOutDto {
  @ApiProperty({ type: [String] }) markerTags!: string[];
  @ApiProperty({ type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } }) fillers!: Record<
    string,
    string[]
  >;
}

class CriterionTrendDto {
  @ApiProperty({ type: String, nullable: true }) groupId!: string | null;
  @ApiProperty() groupName!: string;
  @ApiProperty() courseId!: string;
  @ApiProperty() courseTitle!: string;
  @ApiProperty() criterionId!: string;
  @ApiProperty() criterionTitle!: string;
  @ApiProperty({ description: 'YYYY-MM' }) month!: string;
  @ApiProperty() meanScore!: number;
  @ApiProperty() reviews!: number;
}

class CriterionSeriesPointDto {
  @ApiProperty() criterionId!: string;
  @ApiProperty() criterionTitle!: string;
  @ApiProperty({ description: 'YYYY-MM' }) month!: string;
  @ApiProperty() meanScore!: number;
  @ApiProperty() reviews!: number;
}

class AgreementRowDto {
  @ApiProperty() courseId!: string;
  @ApiProperty() courseTitle!: string;
  @ApiProperty() exerciseId!: string;
  @ApiProperty() exerciseTitle!: string;
  @ApiProperty({ description: 'criterion scores the AI proposed and a coach published' }) pairs!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'share (0–1) where both gave the same level' }) exact!:
    number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'share where they were at most one level apart' })
  adjacent!: number | null;
  @ApiProperty({ type: Number, nullable: true }) meanAbsoluteDifference!: number | null;
}

export class ReportOverviewDto {
  @ApiProperty() participants!: number;
  @ApiProperty() active!: number;
  @ApiProperty({ type: Number, nullable: true }) participationRate!: number | null;
  @ApiProperty() answers!: number;
  @ApiProperty() reviewed!: number;
  @ApiProperty({ type: Number, nullable: true }) baselineMean!: number | null;
  @ApiProperty({ type: Number, nullable: true }) finalMean!: number | null;
  @ApiProperty({
    type: [CriterionTrendDto],
    description: 'one page of the mean coach score per group, course, criterion and month',
  })
  criteria!: CriterionTrendDto[];
  @ApiProperty({ description: 'rows of the criteria table in all' }) criteriaTotal!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty({
    type: [CriterionSeriesPointDto],
    description: 'mean coach score per criterion and month over everything in view (the chart)',
  })
  trend!: CriterionSeriesPointDto[];
  @ApiProperty({ type: [AgreementRowDto], description: 'AI–coach agreement per exercise' })
  agreement!: AgreementRowDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'when a large scope’s figures were computed (they are at most 5 minutes old); null: computed for this request',
  })
  asOf!: string | null;
}
