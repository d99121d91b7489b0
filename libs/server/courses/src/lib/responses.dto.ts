/*
 * The course, learning, group and answer routes' response shapes. Their OpenAPI schemas come from
 * these declarations through @nestjs/swagger's compiler plugin (npm run openapi:metadata): type,
 * optionality, nullability and enum from the TypeScript declaration, the description from the doc
 * comment.
 */
import type {
  AnswerSummary,
  AnswerType,
  CourseDetail,
  CourseExportFile,
  CourseLanguage,
  CourseSummary,
  Enrolment,
  FeedbackSource,
  Group,
  GroupDetail,
  GroupMember,
  LearnerCourse,
  LearnerCourseSummary,
  LearnerExercise,
  LearnerModule,
  MediaFailure,
  ParticipantProgress,
  RecordingStatus,
  RecordingSummary,
  Rubric,
  TestKind,
} from '@rehearse/shared/contracts';
import { ApiProperty } from '@nestjs/swagger';
import { CourseContentDto, CoverFileDto, RubricCriterionDto, RubricSnapshotDto } from './dto';

export class CourseSummaryDto implements CourseSummary {
  id!: string;
  title!: string;
  language!: CourseLanguage;
  status!: 'draft' | 'published' | 'archived';
  hasDraft!: boolean;
  publishedVersion!: number | null;
  exerciseCount!: number;
  hasCover!: boolean;
  updatedAt!: string;
}

export class CoursePageDto {
  items!: CourseSummaryDto[];
  total!: number;
  page!: number;
  pageSize!: number;
}

export class DraftDto {
  versionId!: string;
  version!: number;
  revision!: number;
  content!: CourseContentDto;
}

export class PublishedDto {
  versionId!: string;
  version!: number;
  publishedAt!: string;
  /** exercises carry a frozen `rubric` snapshot */
  content!: CourseContentDto;
}

export class VersionInfoDto {
  id!: string;
  version!: number;
  state!: 'draft' | 'published' | 'superseded';
  changeSummary!: string | null;
  publishedAt!: string | null;
  publishedByName!: string | null;
}

export class CourseDetailDto extends CourseSummaryDto implements CourseDetail {
  draft!: DraftDto | null;
  published!: PublishedDto | null;
  versions!: VersionInfoDto[];
}

export class CourseExportFileOutDto implements CourseExportFile {
  // one-value enums: the plugin reads a single literal type as its base type
  @ApiProperty({ enum: ['rehearse.course'] }) format!: 'rehearse.course';
  @ApiProperty({ enum: [1] }) formatVersion!: 1;
  exportedAt!: string;
  course!: CourseContentDto;
  rubrics!: RubricSnapshotDto[];
  cover!: CoverFileDto | null;
}

export class RubricDto implements Rubric {
  id!: string;
  title!: string;
  description!: string;
  criteria!: RubricCriterionDto[];
  revision!: number;
  archived!: boolean;
  updatedAt!: string;
  usedBy!: number;
}

export class RubricPageDto {
  items!: RubricDto[];
  total!: number;
  page!: number;
  pageSize!: number;
}

export class LearnerExerciseDto implements LearnerExercise {
  id!: string;
  title!: string;
  /** sanitised HTML rendered from the Markdown instructions */
  instructionsHtml!: string;
  prompt!: string | null;
  /** prompt video or audio: GET /api/prompt-media/{id}/content */
  promptMediaId!: string | null;
  answerType!: AnswerType;
  preparationSeconds!: number;
  maxAnswerSeconds!: number;
  attemptsAllowed!: number;
  attemptsUsed!: number;
  testKind!: TestKind;
  feedback!: FeedbackSource[];
  rubric!: RubricSnapshotDto | null;
  answered!: boolean;
  feedbackReceived!: boolean;
}

export class LearnerModuleDto implements LearnerModule {
  id!: string;
  title!: string;
  exercises!: LearnerExerciseDto[];
  answered!: number;
  total!: number;
}

export class LearnerCourseSummaryDto implements LearnerCourseSummary {
  id!: string;
  title!: string;
  /** sanitised HTML */
  description!: string;
  language!: CourseLanguage;
  version!: number;
  exercisesTotal!: number;
  exercisesAnswered!: number;
  feedbackReceived!: number;
  startsOn!: string | null;
  dueOn!: string | null;
  hasCover!: boolean;
}

export class LearnerCourseDto extends LearnerCourseSummaryDto implements LearnerCourse {
  modules!: LearnerModuleDto[];
}

export class AnswerSummaryDto implements AnswerSummary {
  id!: string;
  courseId!: string;
  courseVersion!: number;
  exerciseId!: string;
  exerciseTitle!: string;
  attempt!: number;
  answerType!: AnswerType;
  text!: string | null;
  submittedAt!: string;
  /** the exercise and rubric as they were when answered */
  exercise!: LearnerExerciseDto;
  /** video and audio answers */
  recording!: RecordingSummaryDto | null;
}

export class ParticipantProgressDto implements ParticipantProgress {
  userId!: string;
  name!: string;
  courses!: LearnerCourseSummaryDto[];
}

export class GroupMemberDto implements GroupMember {
  userId!: string;
  name!: string;
  email!: string;
  role!: 'participant' | 'coach';
}

export class GroupDto implements Group {
  id!: string;
  name!: string;
  description!: string;
  participantCount!: number;
  coachCount!: number;
}

export class GroupDetailDto extends GroupDto implements GroupDetail {
  members!: GroupMemberDto[];
}

export class GroupPageDto {
  items!: GroupDto[];
  total!: number;
  page!: number;
  pageSize!: number;
}

export class EnrolmentDto implements Enrolment {
  id!: string;
  courseId!: string;
  courseTitle!: string;
  groupId!: string | null;
  groupName!: string | null;
  userId!: string | null;
  userName!: string | null;
  coachId!: string | null;
  coachName!: string | null;
  startsOn!: string | null;
  dueOn!: string | null;
}

/** a recording as every answer carries it (GET /api/recordings/{id} answers it too) */
export class RecordingSummaryDto implements RecordingSummary {
  id!: string;
  kind!: 'video' | 'audio';
  contentType!: string;
  sizeBytes!: number;
  durationSeconds!: number | null;
  status!: RecordingStatus;
  failure!: MediaFailure | null;
  failureMessage!: string | null;
  createdAt!: string;
  transcribedAt!: string | null;
  /** speech engine of the transcript */
  engine!: string | null;
  model!: string | null;
}
