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
  @IsIn(COURSE_LANGUAGES)
  language!: CourseLanguage;

  @IsArray()
  @ArrayMaxSize(LIMITS.phrases)
  @IsString({ each: true })
  @MaxLength(LIMITS.phrase, { each: true })
  keyPhrases!: string[];

  @IsArray()
  @ArrayMaxSize(LIMITS.phrases)
  @IsString({ each: true })
  @MaxLength(LIMITS.phrase, { each: true })
  avoidPhrases!: string[];

  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(40)
  @Max(300)
  wpmMin!: number | null;

  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(40)
  @Max(300)
  wpmMax!: number | null;

  @ValidateIf((_, v) => v !== null)
  @IsNumber()
  @Min(0)
  @Max(60)
  maxFillersPerMinute!: number | null;

  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(5)
  @Max(3600)
  targetDurationSeconds!: number | null;

  /** rubric criteria the AI proposes a score for, from the linked metrics */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LIMITS.criteria)
  @ValidateNested({ each: true })
  @Type(() => AiCriterionLinkDto)
  criterionLinks?: AiCriterionLinkDto[];
}

export class AiCriterionLinkDto {
  @IsUUID('4')
  criterionId!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(AI_METRICS, { each: true })
  metrics!: AiMetricId[];
}

export class PeerReviewSettingsDto {
  /** reviews each shared answer gets */
  @IsInt()
  @Min(1)
  @Max(10)
  reviewers!: number;

  /** days before an unfinished review goes to someone else */
  @IsInt()
  @Min(1)
  @Max(60)
  dueDays!: number;

  /** criteria peers score; empty: all */
  @IsArray()
  @ArrayMaxSize(LIMITS.criteria)
  @ArrayUnique()
  @IsUUID('4', { each: true })
  criterionIds!: string[];
}

export class RubricLevelDto {
  @IsInt()
  @Min(0)
  @Max(100)
  score!: number;

  @IsString()
  @MaxLength(1000)
  @NoUnsafeMarkup()
  descriptor!: string;
}

export class RubricCriterionDto {
  @IsUUID('4')
  id!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(LIMITS.title)
  @Transform(trim)
  title!: string;

  @IsString()
  @MaxLength(LIMITS.description)
  @NoUnsafeMarkup()
  description!: string;

  /** relative weight, > 0 */
  @IsNumber()
  @Min(0.01)
  @Max(100)
  weight!: number;

  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(LIMITS.levels)
  @ValidateNested({ each: true })
  @Type(() => RubricLevelDto)
  levels!: RubricLevelDto[];
}

export class RubricInputDto {
  @IsString()
  @MinLength(1)
  @MaxLength(LIMITS.title)
  @Transform(trim)
  title!: string;

  @IsString()
  @MaxLength(LIMITS.description)
  @NoUnsafeMarkup()
  description!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(LIMITS.criteria)
  @ValidateNested({ each: true })
  @Type(() => RubricCriterionDto)
  criteria!: RubricCriterionDto[];
}

export class UpdateRubricDto extends RubricInputDto {
  /** the revision you edited; a stale one answers 409 */
  @IsInt()
  @Min(1)
  @Max(LIMITS.revision)
  revision!: number;
}

export class RubricSnapshotDto extends RubricInputDto {
  @IsUUID('4')
  id!: string;
}

export class ExerciseDto {
  @IsUUID('4')
  id!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(LIMITS.title)
  @Transform(trim)
  title!: string;

  /** Markdown */
  @IsString()
  @MaxLength(LIMITS.instructions)
  @NoUnsafeMarkup()
  instructions!: string;

  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(LIMITS.prompt)
  @NoUnsafeMarkup()
  prompt!: string | null;

  /** id of uploaded prompt media (POST /api/authoring/prompt-media) */
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsUUID('4')
  promptMediaId?: string | null;

  @IsIn(ANSWER_TYPES)
  answerType!: AnswerType;

  @IsInt()
  @Min(0)
  @Max(600)
  preparationSeconds!: number;

  @IsInt()
  @Min(10)
  @Max(1800)
  maxAnswerSeconds!: number;

  @IsInt()
  @Min(1)
  @Max(10)
  attemptsAllowed!: number;

  @IsIn(TEST_KINDS)
  testKind!: TestKind;

  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(4)
  @IsIn(FEEDBACK_SOURCES, { each: true })
  feedback!: FeedbackSource[];

  @ValidateIf((_, v) => v !== null)
  @IsUUID('4')
  rubricId!: string | null;

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => AiSettingsDto)
  ai!: AiSettingsDto;

  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @ValidateNested()
  @Type(() => PeerReviewSettingsDto)
  peerReview?: PeerReviewSettingsDto | null;

  /** the trainee assesses themselves before seeing feedback from others */
  @IsOptional()
  @IsBoolean()
  selfAssessmentFirst?: boolean;
}

export class ModuleDto {
  @IsUUID('4')
  id!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(LIMITS.title)
  @Transform(trim)
  title!: string;

  @IsArray()
  @ArrayMaxSize(LIMITS.exercisesPerModule)
  @ValidateNested({ each: true })
  @Type(() => ExerciseDto)
  exercises!: ExerciseDto[];
}

export class CourseContentDto {
  @IsString()
  @MinLength(1)
  @MaxLength(LIMITS.title)
  @Transform(trim)
  title!: string;

  @IsString()
  @MaxLength(LIMITS.description)
  @NoUnsafeMarkup()
  description!: string;

  @IsIn(COURSE_LANGUAGES)
  language!: CourseLanguage;

  @IsArray()
  @ArrayMaxSize(LIMITS.modules)
  @ValidateNested({ each: true })
  @Type(() => ModuleDto)
  modules!: ModuleDto[];
}

export class CreateCourseDto {
  @IsString()
  @MinLength(1)
  @MaxLength(LIMITS.title)
  @Transform(trim)
  title!: string;

  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.description)
  @NoUnsafeMarkup()
  description?: string;

  @IsIn(COURSE_LANGUAGES)
  language!: CourseLanguage;
}

export class SaveDraftDto {
  /** the draft revision you edited; a stale one answers 409 */
  @IsInt()
  @Min(1)
  @Max(LIMITS.revision)
  revision!: number;

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => CourseContentDto)
  content!: CourseContentDto;
}

export class PublishDto {
  /** what changed, for the people who take the course */
  @IsString()
  @MinLength(3)
  @MaxLength(2000)
  @Transform(trim)
  changeSummary!: string;
}

export class CoverDto {
  /** data:image/(png|jpeg|webp);base64,... */
  @IsString()
  @MaxLength(Math.ceil((LIMITS.coverBytes * 4) / 3) + 40)
  @Matches(/^data:image\/(png|jpeg|webp);base64,[A-Za-z0-9+/]+=*$/, {
    message: 'dataUrl must be a base64 PNG, JPEG or WebP data URL',
  })
  dataUrl!: string;
}

export class CoverFileDto {
  @IsIn(['image/png', 'image/jpeg', 'image/webp'])
  type!: 'image/png' | 'image/jpeg' | 'image/webp';

  @IsString()
  @MaxLength(Math.ceil((LIMITS.coverBytes * 4) / 3) + 4)
  @IsBase64()
  base64!: string;
}

export class CourseExportFileDto {
  // one-value enums: the plugin reads a single literal type as its base type, or as none
  @ApiProperty({ enum: ['rehearse.course'] })
  @Equals('rehearse.course')
  format!: 'rehearse.course';

  @ApiProperty({ enum: [1] })
  @Equals(1)
  formatVersion!: 1;

  @IsISO8601()
  exportedAt!: string;

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => CourseContentDto)
  course!: CourseContentDto;

  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => RubricSnapshotDto)
  rubrics!: RubricSnapshotDto[];

  @ValidateIf((_, v) => v !== null)
  @ValidateNested()
  @Type(() => CoverFileDto)
  cover!: CoverFileDto | null;
}

export class CourseListQuery {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

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
  @IsBoolean()
  archived!: boolean;
}

export class GroupInputDto {
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Transform(trim)
  name!: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;
}

export class GroupMembersDto {
  @IsArray()
  @ArrayMaxSize(2000)
  @ArrayUnique()
  @IsUUID('4', { each: true })
  participants!: string[];

  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsUUID('4', { each: true })
  coaches!: string[];
}

export class EnrolDto {
  @IsUUID('4')
  courseId!: string;

  @IsOptional()
  @IsUUID('4')
  groupId?: string;

  @IsOptional()
  @IsUUID('4')
  userId?: string;

  /** the coach responsible for feedback */
  @IsOptional()
  @IsUUID('4')
  coachId?: string;

  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  @IsISO8601({ strict: true })
  startsOn?: string;

  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  @IsISO8601({ strict: true })
  dueOn?: string;
}

export class TextAnswerDto {
  @IsString()
  @MinLength(1)
  @MaxLength(20000)
  text!: string;
}

export class SearchQuery {
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
  @IsOptional()
  @IsUUID('4')
  courseId?: string;
}

export class ExerciseParams {
  @IsUUID('4')
  courseId!: string;

  @IsUUID('4')
  exerciseId!: string;
}

export class GroupParticipantParams {
  @IsUUID('4')
  id!: string;

  @IsUUID('4')
  userId!: string;
}

export class GroupCourseParams {
  @IsUUID('4')
  id!: string;

  @IsUUID('4')
  courseId!: string;
}
