import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  Equals,
  IsArray,
  IsBase64,
  IsBoolean,
  IsDefined,
  IsObject,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
  ArrayMinSize,
} from 'class-validator';
import {
  AI_METRICS,
  AiMetricId,
  ANSWER_TYPES,
  AnswerType,
  COURSE_LANGUAGES,
  CourseLanguage,
  FEEDBACK_SOURCES,
  FeedbackSource,
  LIMITS,
  TEST_KINDS,
  TestKind,
} from '@rehearse/shared/contracts';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
/** Raw HTML that has no business in course Markdown: refused on save and import (rendering sanitises too). */
export const UNSAFE_MARKDOWN =
  /<\s*\/?\s*(script|iframe|object|embed|style|link|meta|form)\b|javascript\s*:|<[^>]*\son[a-z]+\s*=|data\s*:\s*text\/html/i;
const SAFE = { message: '$property must not contain scripts, frames, event handlers or javascript: links' };
const SAFE_MARKDOWN = new RegExp(`^(?![\\s\\S]*(${UNSAFE_MARKDOWN.source}))`, 'i');

function NoUnsafeMarkup() {
  return Matches(SAFE_MARKDOWN, SAFE);
}

export class AiSettingsDto {
  @ApiProperty({ enum: COURSE_LANGUAGES })
  @IsIn(COURSE_LANGUAGES)
  language!: CourseLanguage;

  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMaxSize(LIMITS.phrases)
  @IsString({ each: true })
  @MaxLength(LIMITS.phrase, { each: true })
  keyPhrases!: string[];

  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMaxSize(LIMITS.phrases)
  @IsString({ each: true })
  @MaxLength(LIMITS.phrase, { each: true })
  avoidPhrases!: string[];

  @ApiProperty({ type: Number, nullable: true })
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(40)
  @Max(300)
  wpmMin!: number | null;

  @ApiProperty({ type: Number, nullable: true })
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(40)
  @Max(300)
  wpmMax!: number | null;

  @ApiProperty({ type: Number, nullable: true })
  @ValidateIf((_, v) => v !== null)
  @IsNumber()
  @Min(0)
  @Max(60)
  maxFillersPerMinute!: number | null;

  @ApiProperty({ type: Number, nullable: true })
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(5)
  @Max(3600)
  targetDurationSeconds!: number | null;

  @ApiPropertyOptional({
    type: () => [AiCriterionLinkDto],
    description: 'rubric criteria the AI proposes a score for, from the linked metrics',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LIMITS.criteria)
  @ValidateNested({ each: true })
  @Type(() => AiCriterionLinkDto)
  criterionLinks?: AiCriterionLinkDto[];
}

export class AiCriterionLinkDto {
  @ApiProperty()
  @IsUUID('4')
  criterionId!: string;

  @ApiProperty({ enum: AI_METRICS, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(AI_METRICS, { each: true })
  metrics!: AiMetricId[];
}

export class PeerReviewSettingsDto {
  @ApiProperty({ description: 'reviews each shared answer gets' })
  @IsInt()
  @Min(1)
  @Max(10)
  reviewers!: number;

  @ApiProperty({ description: 'days before an unfinished review goes to someone else' })
  @IsInt()
  @Min(1)
  @Max(60)
  dueDays!: number;

  @ApiProperty({ type: [String], description: 'criteria peers score; empty: all' })
  @IsArray()
  @ArrayMaxSize(LIMITS.criteria)
  @ArrayUnique()
  @IsUUID('4', { each: true })
  criterionIds!: string[];
}

export class RubricLevelDto {
  @ApiProperty()
  @IsInt()
  @Min(0)
  @Max(100)
  score!: number;

  @ApiProperty()
  @IsString()
  @MaxLength(1000)
  @NoUnsafeMarkup()
  descriptor!: string;
}

export class RubricCriterionDto {
  @ApiProperty()
  @IsUUID('4')
  id!: string;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(LIMITS.title)
  @Transform(trim)
  title!: string;

  @ApiProperty()
  @IsString()
  @MaxLength(LIMITS.description)
  @NoUnsafeMarkup()
  description!: string;

  @ApiProperty({ description: 'relative weight, > 0' })
  @IsNumber()
  @Min(0.01)
  @Max(100)
  weight!: number;

  @ApiProperty({ type: [RubricLevelDto] })
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(LIMITS.levels)
  @ValidateNested({ each: true })
  @Type(() => RubricLevelDto)
  levels!: RubricLevelDto[];
}

export class RubricInputDto {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(LIMITS.title)
  @Transform(trim)
  title!: string;

  @ApiProperty()
  @IsString()
  @MaxLength(LIMITS.description)
  @NoUnsafeMarkup()
  description!: string;

  @ApiProperty({ type: [RubricCriterionDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(LIMITS.criteria)
  @ValidateNested({ each: true })
  @Type(() => RubricCriterionDto)
  criteria!: RubricCriterionDto[];
}

export class UpdateRubricDto extends RubricInputDto {
  @ApiProperty({ description: 'the revision you edited; a stale one answers 409' })
  @IsInt()
  @Min(1)
  @Max(LIMITS.revision)
  revision!: number;
}

export class RubricSnapshotDto extends RubricInputDto {
  @ApiProperty()
  @IsUUID('4')
  id!: string;
}

export class ExerciseDto {
  @ApiProperty()
  @IsUUID('4')
  id!: string;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(LIMITS.title)
  @Transform(trim)
  title!: string;

  @ApiProperty({ description: 'Markdown' })
  @IsString()
  @MaxLength(LIMITS.instructions)
  @NoUnsafeMarkup()
  instructions!: string;

  @ApiProperty({ type: String, nullable: true })
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(LIMITS.prompt)
  @NoUnsafeMarkup()
  prompt!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    required: false,
    description: 'id of uploaded prompt media (POST /api/authoring/prompt-media)',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsUUID('4')
  promptMediaId?: string | null;

  @ApiProperty({ enum: ANSWER_TYPES })
  @IsIn(ANSWER_TYPES)
  answerType!: AnswerType;

  @ApiProperty()
  @IsInt()
  @Min(0)
  @Max(600)
  preparationSeconds!: number;

  @ApiProperty()
  @IsInt()
  @Min(10)
  @Max(1800)
  maxAnswerSeconds!: number;

  @ApiProperty()
  @IsInt()
  @Min(1)
  @Max(10)
  attemptsAllowed!: number;

  @ApiProperty({ enum: TEST_KINDS })
  @IsIn(TEST_KINDS)
  testKind!: TestKind;

  @ApiProperty({ enum: FEEDBACK_SOURCES, isArray: true })
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(4)
  @IsIn(FEEDBACK_SOURCES, { each: true })
  feedback!: FeedbackSource[];

  @ApiProperty({ type: String, nullable: true })
  @ValidateIf((_, v) => v !== null)
  @IsUUID('4')
  rubricId!: string | null;

  @ApiProperty({ type: AiSettingsDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => AiSettingsDto)
  ai!: AiSettingsDto;

  @ApiPropertyOptional({ type: PeerReviewSettingsDto, nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @ValidateNested()
  @Type(() => PeerReviewSettingsDto)
  peerReview?: PeerReviewSettingsDto | null;

  @ApiPropertyOptional({ description: 'the trainee assesses themselves before seeing feedback from others' })
  @IsOptional()
  @IsBoolean()
  selfAssessmentFirst?: boolean;
}

export class ModuleDto {
  @ApiProperty()
  @IsUUID('4')
  id!: string;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(LIMITS.title)
  @Transform(trim)
  title!: string;

  @ApiProperty({ type: [ExerciseDto] })
  @IsArray()
  @ArrayMaxSize(LIMITS.exercisesPerModule)
  @ValidateNested({ each: true })
  @Type(() => ExerciseDto)
  exercises!: ExerciseDto[];
}

export class CourseContentDto {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(LIMITS.title)
  @Transform(trim)
  title!: string;

  @ApiProperty()
  @IsString()
  @MaxLength(LIMITS.description)
  @NoUnsafeMarkup()
  description!: string;

  @ApiProperty({ enum: COURSE_LANGUAGES })
  @IsIn(COURSE_LANGUAGES)
  language!: CourseLanguage;

  @ApiProperty({ type: [ModuleDto] })
  @IsArray()
  @ArrayMaxSize(LIMITS.modules)
  @ValidateNested({ each: true })
  @Type(() => ModuleDto)
  modules!: ModuleDto[];
}

export class CreateCourseDto {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(LIMITS.title)
  @Transform(trim)
  title!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.description)
  @NoUnsafeMarkup()
  description?: string;

  @ApiProperty({ enum: COURSE_LANGUAGES })
  @IsIn(COURSE_LANGUAGES)
  language!: CourseLanguage;
}

export class SaveDraftDto {
  @ApiProperty({ description: 'the draft revision you edited; a stale one answers 409' })
  @IsInt()
  @Min(1)
  @Max(LIMITS.revision)
  revision!: number;

  @ApiProperty({ type: CourseContentDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => CourseContentDto)
  content!: CourseContentDto;
}

export class PublishDto {
  @ApiProperty({ description: 'what changed, for the people who take the course' })
  @IsString()
  @MinLength(3)
  @MaxLength(2000)
  @Transform(trim)
  changeSummary!: string;
}

export class CoverDto {
  @ApiProperty({ description: 'data:image/(png|jpeg|webp);base64,...' })
  @IsString()
  @MaxLength(Math.ceil((LIMITS.coverBytes * 4) / 3) + 40)
  @Matches(/^data:image\/(png|jpeg|webp);base64,[A-Za-z0-9+/]+=*$/, {
    message: 'dataUrl must be a base64 PNG, JPEG or WebP data URL',
  })
  dataUrl!: string;
}

export class CoverFileDto {
  @ApiProperty({ enum: ['image/png', 'image/jpeg', 'image/webp'] })
  @IsIn(['image/png', 'image/jpeg', 'image/webp'])
  type!: 'image/png' | 'image/jpeg' | 'image/webp';

  @ApiProperty()
  @IsString()
  @MaxLength(Math.ceil((LIMITS.coverBytes * 4) / 3) + 4)
  @IsBase64()
  base64!: string;
}

export class CourseExportFileDto {
  @ApiProperty({ enum: ['rehearse.course'] })
  @Equals('rehearse.course')
  format!: 'rehearse.course';

  @ApiProperty({ enum: [1] })
  @Equals(1)
  formatVersion!: 1;

  @ApiProperty()
  @IsISO8601()
  exportedAt!: string;

  @ApiProperty({ type: CourseContentDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => CourseContentDto)
  course!: CourseContentDto;

  @ApiProperty({ type: [RubricSnapshotDto] })
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => RubricSnapshotDto)
  rubrics!: RubricSnapshotDto[];

  @ApiProperty({ type: CoverFileDto, nullable: true })
  @ValidateIf((_, v) => v !== null)
  @ValidateNested()
  @Type(() => CoverFileDto)
  cover!: CoverFileDto | null;
}

export class CourseListQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ enum: ['draft', 'published', 'archived'] })
  @IsOptional()
  @IsIn(['draft', 'published', 'archived'])
  status?: 'draft' | 'published' | 'archived';

  @ApiPropertyOptional({ default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100000)
  page = 1;

  @ApiPropertyOptional({ default: 25 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  pageSize = 25;
}

export class ArchiveDto {
  @ApiProperty()
  @IsBoolean()
  archived!: boolean;
}

export class GroupInputDto {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Transform(trim)
  name!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;
}

export class GroupMembersDto {
  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMaxSize(2000)
  @ArrayUnique()
  @IsUUID('4', { each: true })
  participants!: string[];

  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsUUID('4', { each: true })
  coaches!: string[];
}

export class EnrolDto {
  @ApiProperty()
  @IsUUID('4')
  courseId!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('4')
  groupId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('4')
  userId?: string;

  @ApiPropertyOptional({ description: 'the coach responsible for feedback' })
  @IsOptional()
  @IsUUID('4')
  coachId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  @IsISO8601({ strict: true })
  startsOn?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  @IsISO8601({ strict: true })
  dueOn?: string;
}

export class TextAnswerDto {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(20000)
  text!: string;
}

export class SearchQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100000)
  page = 1;

  @ApiPropertyOptional({ default: 25 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  pageSize = 25;
}

export class EnrolmentQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('4')
  courseId?: string;
}

export class ExerciseParams {
  @ApiProperty()
  @IsUUID('4')
  courseId!: string;

  @ApiProperty()
  @IsUUID('4')
  exerciseId!: string;
}

export class GroupParticipantParams {
  @ApiProperty()
  @IsUUID('4')
  id!: string;

  @ApiProperty()
  @IsUUID('4')
  userId!: string;
}

export class GroupCourseParams {
  @ApiProperty()
  @IsUUID('4')
  id!: string;

  @ApiProperty()
  @IsUUID('4')
  courseId!: string;
}
