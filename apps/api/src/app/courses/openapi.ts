/* Response schemas of the course routes for the OpenAPI document (mirroring @rehearse/shared/contracts). */
import { ApiProperty } from '@nestjs/swagger';
import { ANSWER_TYPES, COURSE_LANGUAGES, FEEDBACK_SOURCES, TEST_KINDS } from '@rehearse/shared/contracts';
import type { AnswerType, CourseLanguage, FeedbackSource, TestKind } from '@rehearse/shared/contracts';
import { RecordingSummaryDto } from '../recordings/openapi';
import { CourseContentDto, CoverFileDto, RubricCriterionDto, RubricSnapshotDto } from '@rehearse/server/courses';

export class CourseSummaryDto {
  @ApiProperty() id!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: COURSE_LANGUAGES }) language!: CourseLanguage;
  @ApiProperty({ enum: ['draft', 'published', 'archived'] }) status!: 'draft' | 'published' | 'archived';
  @ApiProperty() hasDraft!: boolean;
  @ApiProperty({ type: Number, nullable: true }) publishedVersion!: number | null;
  @ApiProperty() exerciseCount!: number;
  @ApiProperty() hasCover!: boolean;
  @ApiProperty() updatedAt!: string;
}

export class CoursePageDto {
  @ApiProperty({ type: [CourseSummaryDto] }) items!: CourseSummaryDto[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

class DraftDto {
  @ApiProperty() versionId!: string;
  @ApiProperty() version!: number;
  @ApiProperty() revision!: number;
  @ApiProperty({ type: CourseContentDto }) content!: CourseContentDto;
}

class PublishedDto {
  @ApiProperty() versionId!: string;
  @ApiProperty() version!: number;
  @ApiProperty() publishedAt!: string;
  @ApiProperty({ type: CourseContentDto, description: 'exercises carry a frozen `rubric` snapshot' })
  content!: CourseContentDto;
}

class VersionInfoDto {
  @ApiProperty() id!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ enum: ['draft', 'published', 'superseded'] }) state!: string;
  @ApiProperty({ type: String, nullable: true }) changeSummary!: string | null;
  @ApiProperty({ type: String, nullable: true }) publishedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) publishedByName!: string | null;
}

export class CourseDetailDto extends CourseSummaryDto {
  @ApiProperty({ type: DraftDto, nullable: true }) draft!: DraftDto | null;
  @ApiProperty({ type: PublishedDto, nullable: true }) published!: PublishedDto | null;
  @ApiProperty({ type: [VersionInfoDto] }) versions!: VersionInfoDto[];
}

export class CourseExportFileOutDto {
  @ApiProperty({ enum: ['rehearse.course'] }) format!: string;
  @ApiProperty({ enum: [1] }) formatVersion!: number;
  @ApiProperty() exportedAt!: string;
  @ApiProperty({ type: CourseContentDto }) course!: CourseContentDto;
  @ApiProperty({ type: [RubricSnapshotDto] }) rubrics!: RubricSnapshotDto[];
  @ApiProperty({ type: CoverFileDto, nullable: true }) cover!: CoverFileDto | null;
}

export class RubricDto {
  @ApiProperty() id!: string;
  @ApiProperty() title!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ type: [RubricCriterionDto] }) criteria!: RubricCriterionDto[];
  @ApiProperty() revision!: number;
  @ApiProperty() archived!: boolean;
  @ApiProperty() updatedAt!: string;
  @ApiProperty() usedBy!: number;
}

export class RubricPageDto {
  @ApiProperty({ type: [RubricDto] }) items!: RubricDto[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class LearnerExerciseDto {
  @ApiProperty() id!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ description: 'sanitised HTML rendered from the Markdown instructions' }) instructionsHtml!: string;
  @ApiProperty({ type: String, nullable: true }) prompt!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'prompt video or audio: GET /api/prompt-media/{id}/content',
  })
  promptMediaId!: string | null;
  @ApiProperty({ enum: ANSWER_TYPES }) answerType!: AnswerType;
  @ApiProperty() preparationSeconds!: number;
  @ApiProperty() maxAnswerSeconds!: number;
  @ApiProperty() attemptsAllowed!: number;
  @ApiProperty() attemptsUsed!: number;
  @ApiProperty({ enum: TEST_KINDS }) testKind!: TestKind;
  @ApiProperty({ enum: FEEDBACK_SOURCES, isArray: true }) feedback!: FeedbackSource[];
  @ApiProperty({ type: RubricSnapshotDto, nullable: true }) rubric!: RubricSnapshotDto | null;
  @ApiProperty() answered!: boolean;
  @ApiProperty() feedbackReceived!: boolean;
}

class LearnerModuleDto {
  @ApiProperty() id!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ type: [LearnerExerciseDto] }) exercises!: LearnerExerciseDto[];
  @ApiProperty() answered!: number;
  @ApiProperty() total!: number;
}

export class LearnerCourseSummaryDto {
  @ApiProperty() id!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ description: 'sanitised HTML' }) description!: string;
  @ApiProperty({ enum: COURSE_LANGUAGES }) language!: CourseLanguage;
  @ApiProperty() version!: number;
  @ApiProperty() exercisesTotal!: number;
  @ApiProperty() exercisesAnswered!: number;
  @ApiProperty() feedbackReceived!: number;
  @ApiProperty({ type: String, nullable: true }) startsOn!: string | null;
  @ApiProperty({ type: String, nullable: true }) dueOn!: string | null;
  @ApiProperty() hasCover!: boolean;
}

export class LearnerCourseDto extends LearnerCourseSummaryDto {
  @ApiProperty({ type: [LearnerModuleDto] }) modules!: LearnerModuleDto[];
}

export class AnswerSummaryDto {
  @ApiProperty() id!: string;
  @ApiProperty() courseId!: string;
  @ApiProperty() courseVersion!: number;
  @ApiProperty() exerciseId!: string;
  @ApiProperty() exerciseTitle!: string;
  @ApiProperty() attempt!: number;
  @ApiProperty({ enum: ANSWER_TYPES }) answerType!: AnswerType;
  @ApiProperty({ type: String, nullable: true }) text!: string | null;
  @ApiProperty() submittedAt!: string;
  @ApiProperty({ type: LearnerExerciseDto, description: 'the exercise and rubric as they were when answered' })
  exercise!: LearnerExerciseDto;
  @ApiProperty({ type: RecordingSummaryDto, nullable: true, description: 'video and audio answers' })
  recording!: RecordingSummaryDto | null;
}

export class ParticipantProgressDto {
  @ApiProperty() userId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: [LearnerCourseSummaryDto] }) courses!: LearnerCourseSummaryDto[];
}

class GroupMemberDto {
  @ApiProperty() userId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: ['participant', 'coach'] }) role!: 'participant' | 'coach';
}

export class GroupDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() description!: string;
  @ApiProperty() participantCount!: number;
  @ApiProperty() coachCount!: number;
}

export class GroupDetailDto extends GroupDto {
  @ApiProperty({ type: [GroupMemberDto] }) members!: GroupMemberDto[];
}

export class GroupPageDto {
  @ApiProperty({ type: [GroupDto] }) items!: GroupDto[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class EnrolmentDto {
  @ApiProperty() id!: string;
  @ApiProperty() courseId!: string;
  @ApiProperty() courseTitle!: string;
  @ApiProperty({ type: String, nullable: true }) groupId!: string | null;
  @ApiProperty({ type: String, nullable: true }) groupName!: string | null;
  @ApiProperty({ type: String, nullable: true }) userId!: string | null;
  @ApiProperty({ type: String, nullable: true }) userName!: string | null;
  @ApiProperty({ type: String, nullable: true }) coachId!: string | null;
  @ApiProperty({ type: String, nullable: true }) coachName!: string | null;
  @ApiProperty({ type: String, nullable: true }) startsOn!: string | null;
  @ApiProperty({ type: String, nullable: true }) dueOn!: string | null;
}
