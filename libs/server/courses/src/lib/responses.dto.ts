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
  PublishedCourseContent,
  PublishedExerciseContent,
  PublishedModuleContent,
} from '@rehearse/shared/contracts';
import { ApiProperty } from '@nestjs/swagger';
import { CourseContentDto, CoverFileDto, ExerciseDto, ModuleDto, RubricCriterionDto, RubricSnapshotDto } from './dto';

export class CourseSummaryDto implements CourseSummary {
  /** @example '4809561b-3438-4fc0-97da-4d2efc93d79c' */
  id!: string;
  /** @example 'Handling price objections' */
  title!: string;
  language!: CourseLanguage;
  status!: 'draft' | 'published' | 'archived';
  hasDraft!: boolean;
  /** @example 3 */
  publishedVersion!: number | null;
  /** @example 4 */
  exerciseCount!: number;
  hasCover!: boolean;
  /** @example '2026-11-28T14:30:00.000Z' */
  updatedAt!: string;
}

export class CoursePageDto {
  items!: CourseSummaryDto[];
  /** @example 132 */
  total!: number;
  /** @example 1 */
  page!: number;
  /** @example 25 */
  pageSize!: number;
}

export class DraftDto {
  /** @example 'c692273d-eb27-42da-b07f-fe37041fef77' */
  versionId!: string;
  /** @example 3 */
  version!: number;
  /** @example 4 */
  revision!: number;
  content!: CourseContentDto;
}

export class PublishedDto {
  /** @example 'c692273d-eb27-42da-b07f-fe37041fef77' */
  versionId!: string;
  /** @example 3 */
  version!: number;
  /** @example '2026-11-28T14:30:00.000Z' */
  publishedAt!: string;
  /** exercises carry a frozen `rubric` snapshot */
  content!: PublishedContentDto;
}

/** An exercise of a published version: as authored, with its rubric as it was when published. */
export class PublishedExerciseDto extends ExerciseDto implements PublishedExerciseContent {
  /** the rubric frozen at publication (null: the exercise has none) */
  rubric!: RubricSnapshotDto | null;
}

// (the schema's item class named explicitly: the parent's, read from its declaration, would win)
export class PublishedModuleDto extends ModuleDto implements PublishedModuleContent {
  @ApiProperty({ type: () => PublishedExerciseDto, isArray: true })
  override exercises: PublishedExerciseDto[] = [];
}

/** A published version's content: the draft's shape, each exercise with its frozen rubric. */
export class PublishedContentDto extends CourseContentDto implements PublishedCourseContent {
  @ApiProperty({ type: () => PublishedModuleDto, isArray: true })
  override modules: PublishedModuleDto[] = [];
}

export class VersionInfoDto {
  /** @example 'c692273d-eb27-42da-b07f-fe37041fef77' */
  id!: string;
  /** @example 3 */
  version!: number;
  state!: 'draft' | 'published' | 'superseded';
  /** @example 'Added an exercise on discount requests' */
  changeSummary!: string | null;
  /** @example '2026-11-28T14:30:00.000Z' */
  publishedAt!: string | null;
  /** @example 'Edsger Dijkstra' */
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
  /** @example '2026-11-30T09:15:00.000Z' */
  exportedAt!: string;
  course!: CourseContentDto;
  rubrics!: RubricSnapshotDto[];
  cover!: CoverFileDto | null;
}

export class RubricDto implements Rubric {
  /** @example '56230a91-7786-4fe6-9eb0-83b53fac7bcd' */
  id!: string;
  /** @example 'Sales conversation' */
  title!: string;
  /** @example 'Scores a sales conversation on four criteria' */
  description!: string;
  criteria!: RubricCriterionDto[];
  /** @example 4 */
  revision!: number;
  archived!: boolean;
  /** @example '2026-11-28T14:30:00.000Z' */
  updatedAt!: string;
  /** @example 2 */
  usedBy!: number;
}

export class RubricPageDto {
  items!: RubricDto[];
  /** @example 132 */
  total!: number;
  /** @example 1 */
  page!: number;
  /** @example 25 */
  pageSize!: number;
}

export class LearnerExerciseDto implements LearnerExercise {
  /** @example 'eb70d1fc-df82-4fda-896f-9a129bacd4ee' */
  id!: string;
  /** @example 'Answer a customer who finds the offer too expensive' */
  title!: string;
  /**
   * sanitised HTML rendered from the Markdown instructions
   * @example '<p>The customer says: <strong>your offer is too expensive</strong>. Answer in under two minutes.</p>'
   */
  instructionsHtml!: string;
  /** @example 'Your offer is too expensive. Why should I pay more than for the competitor?' */
  prompt!: string | null;
  /**
   * prompt video or audio: GET /api/prompt-media/{id}/content
   * @example 'bb362a46-a483-43f8-8993-ec45978ae24e'
   */
  promptMediaId!: string | null;
  answerType!: AnswerType;
  /** @example 30 */
  preparationSeconds!: number;
  /** @example 120 */
  maxAnswerSeconds!: number;
  /** @example 3 */
  attemptsAllowed!: number;
  /** @example 1 */
  attemptsUsed!: number;
  testKind!: TestKind;
  feedback!: FeedbackSource[];
  rubric!: RubricSnapshotDto | null;
  answered!: boolean;
  feedbackReceived!: boolean;
}

export class LearnerModuleDto implements LearnerModule {
  /** @example 'fbd34a2b-6e6a-4fe8-961f-97dc43564260' */
  id!: string;
  /** @example 'Objections' */
  title!: string;
  exercises!: LearnerExerciseDto[];
  /** @example 3 */
  answered!: number;
  /** @example 132 */
  total!: number;
}

export class LearnerCourseSummaryDto implements LearnerCourseSummary {
  /** @example '4809561b-3438-4fc0-97da-4d2efc93d79c' */
  id!: string;
  /** @example 'Handling price objections' */
  title!: string;
  /**
   * sanitised HTML
   * @example '<p>Practise answering customers who say the price is too high</p>'
   */
  description!: string;
  language!: CourseLanguage;
  /** @example 3 */
  version!: number;
  /** @example 4 */
  exercisesTotal!: number;
  /** @example 2 */
  exercisesAnswered!: number;
  /** @example 1 */
  feedbackReceived!: number;
  /** @example '2026-01-01' */
  startsOn!: string | null;
  /** @example '2026-12-18' */
  dueOn!: string | null;
  hasCover!: boolean;
}

export class LearnerCourseDto extends LearnerCourseSummaryDto implements LearnerCourse {
  modules!: LearnerModuleDto[];
}

export class AnswerSummaryDto implements AnswerSummary {
  /** @example '25dc282b-5a3d-4ba6-aa9a-777a856c65dd' */
  id!: string;
  /** @example '4809561b-3438-4fc0-97da-4d2efc93d79c' */
  courseId!: string;
  /** @example 3 */
  courseVersion!: number;
  /** @example 'eb70d1fc-df82-4fda-896f-9a129bacd4ee' */
  exerciseId!: string;
  /** @example 'Answer a customer who finds the offer too expensive' */
  exerciseTitle!: string;
  /** @example 2 */
  attempt!: number;
  answerType!: AnswerType;
  /** @example 'I understand that the price matters to you. May I ask what you compare it with?' */
  text!: string | null;
  /** @example '2026-11-26T15:42:00.000Z' */
  submittedAt!: string;
  /** the exercise and rubric as they were when answered */
  exercise!: LearnerExerciseDto;
  /** video and audio answers */
  recording!: RecordingSummaryDto | null;
}

export class ParticipantProgressDto implements ParticipantProgress {
  /** @example '12dea96f-ec20-4935-a6ab-75692c994959' */
  userId!: string;
  /** @example 'Ada Lovelace' */
  name!: string;
  courses!: LearnerCourseSummaryDto[];
}

export class GroupMemberDto implements GroupMember {
  /** @example '12dea96f-ec20-4935-a6ab-75692c994959' */
  userId!: string;
  /** @example 'Ada Lovelace' */
  name!: string;
  /** @example 'ada.lovelace@northwind.example' */
  email!: string;
  role!: 'participant' | 'coach';
}

export class GroupDto implements Group {
  /** @example '64292b1c-2b2e-43ea-9878-8fc8a2b8edc8' */
  id!: string;
  /** @example 'Sales team North' */
  name!: string;
  /** @example 'Account managers of the northern region' */
  description!: string;
  /** @example 24 */
  participantCount!: number;
  /** @example 2 */
  coachCount!: number;
}

export class GroupMemberPageDto {
  items!: GroupMemberDto[];
  /** @example 24 */
  total!: number;
  /** @example 1 */
  page!: number;
  /** @example 25 */
  pageSize!: number;
}

export class GroupPageDto {
  items!: GroupDto[];
  /** @example 132 */
  total!: number;
  /** @example 1 */
  page!: number;
  /** @example 25 */
  pageSize!: number;
}

export class EnrolmentDto implements Enrolment {
  /** @example '8010c681-f29a-41ea-b782-067d4ec37a01' */
  id!: string;
  /** @example '4809561b-3438-4fc0-97da-4d2efc93d79c' */
  courseId!: string;
  /** @example 'Handling price objections' */
  courseTitle!: string;
  /** @example '64292b1c-2b2e-43ea-9878-8fc8a2b8edc8' */
  groupId!: string | null;
  /** @example 'Sales team North' */
  groupName!: string | null;
  /** @example '12dea96f-ec20-4935-a6ab-75692c994959' */
  userId!: string | null;
  /** @example 'Ada Lovelace' */
  userName!: string | null;
  /** @example 'c63c8ec7-f6e2-4088-b407-6f269e863af5' */
  coachId!: string | null;
  /** @example 'Grace Hopper' */
  coachName!: string | null;
  /** @example '2026-01-01' */
  startsOn!: string | null;
  /** @example '2026-12-18' */
  dueOn!: string | null;
}

/** a recording as every answer carries it (GET /api/recordings/{id} adds the answer it belongs to) */
export class RecordingSummaryDto implements RecordingSummary {
  /** @example '5d7c6eae-5b5b-4575-97ed-6604693be92a' */
  id!: string;
  kind!: 'video' | 'audio';
  /** @example 'video/webm' */
  contentType!: string;
  /** @example 18874368 */
  sizeBytes!: number;
  /** @example 94.2 */
  durationSeconds!: number | null;
  status!: RecordingStatus;
  failure!: MediaFailure | null;
  /** @example 'The recording has no audio track' */
  failureMessage!: string | null;
  /** @example '2026-09-01T08:00:00.000Z' */
  createdAt!: string;
  /** @example '2026-11-26T15:43:10.000Z' */
  transcribedAt!: string | null;
  /**
   * speech engine of the transcript
   * @example 'whisper'
   */
  engine!: string | null;
  /** @example 'base.en' */
  model!: string | null;
}
