import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayUnique, IsOmittable, IsOneLine } from '@rehearse/server/core';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
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
  ValidateBy,
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
  GroupMembersChange,
  LIMITS,
  TEST_KINDS,
  TestKind,
} from '@rehearse/shared/contracts';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
/**
 * Raw HTML that has no business in course Markdown, refused on save and import (rendering
 * sanitises too): a script, frame, object, embed, style, link, meta or form tag, a `javascript:` or
 * `data:text/html` link, an event handler (`onload=`) inside a tag. In time linear in the text's
 * length: the one regular expression it was (`<[^>]*\son[a-z]+\s*=` tried at every "<", behind a
 * look-ahead over the whole text) took time quadratic in it, 140 ms for one field of 20,000 "<",
 * and a course's draft of a hundred such fields (2 MB) held the API's thread for about 14 s.
 */
export function unsafeMarkup(text: string): boolean {
  if (UNSAFE_TAG.test(text) || UNSAFE_LINK.test(text)) return true;
  // each tag's text, from a "<" to the next ">" (or the end), once: the text of a later "<" in the
  // same stretch is the end of the first one's
  for (const tag of text.matchAll(TAG_TEXT)) if (EVENT_HANDLER.test(tag[0])) return true;
  return false;
}
const UNSAFE_TAG = /<\s*(?:\/\s*)?(?:script|iframe|object|embed|style|link|meta|form)\b/i;
const UNSAFE_LINK = /javascript\s*:|data\s*:\s*text\/html/i;
const TAG_TEXT = /<[^>]*/g;
const EVENT_HANDLER = /\son[a-z]+\s*=/i;

function NoUnsafeMarkup() {
  return ValidateBy({
    name: 'noUnsafeMarkup',
    validator: {
      validate: (value: unknown) => typeof value !== 'string' || !unsafeMarkup(value),
      defaultMessage: (args) =>
        `${args?.property ?? 'the value'} must not contain scripts, frames, event handlers or javascript: links`,
    },
  });
}

export class AiSettingsDto {
  @IsIn(COURSE_LANGUAGES)
  language!: CourseLanguage;

  /** @example ['I understand','what matters most to you'] */
  @IsArray()
  @ArrayMaxSize(LIMITS.phrases)
  @IsString({ each: true })
  @MaxLength(LIMITS.phrase, { each: true })
  keyPhrases!: string[];

  /** @example ['to be honest','cheap'] */
  @IsArray()
  @ArrayMaxSize(LIMITS.phrases)
  @IsString({ each: true })
  @MaxLength(LIMITS.phrase, { each: true })
  avoidPhrases!: string[];

  /** @example 120 */
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(40)
  @Max(300)
  wpmMin!: number | null;

  /** @example 170 */
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(40)
  @Max(300)
  wpmMax!: number | null;

  /** @example 4 */
  @ValidateIf((_, v) => v !== null)
  @IsNumber()
  @Min(0)
  @Max(60)
  maxFillersPerMinute!: number | null;

  /** @example 90 */
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(5)
  @Max(3600)
  targetDurationSeconds!: number | null;

  /** rubric criteria the AI proposes a score for, from the linked metrics */
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(LIMITS.criteria)
  @ValidateNested({ each: true })
  @Type(() => AiCriterionLinkDto)
  criterionLinks?: AiCriterionLinkDto[];
}

export class AiCriterionLinkDto {
  /** @example 'ad3bcfda-c54c-4e7b-9090-c0c32edb71bb' */
  @IsUUID('all')
  criterionId!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(AI_METRICS, { each: true })
  metrics!: AiMetricId[];
}

export class PeerReviewSettingsDto {
  /**
   * reviews each shared answer gets
   * @example 2
   */
  @IsInt()
  @Min(1)
  @Max(10)
  reviewers!: number;

  /**
   * days before an unfinished review goes to someone else
   * @example 5
   */
  @IsInt()
  @Min(1)
  @Max(60)
  dueDays!: number;

  /**
   * criteria peers score; empty: all
   * @example ['ad3bcfda-c54c-4e7b-9090-c0c32edb71bb']
   */
  @IsArray()
  @ArrayMaxSize(LIMITS.criteria)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  criterionIds!: string[];
}

export class RubricLevelDto {
  /** @example 3 */
  @IsInt()
  @Min(0)
  @Max(100)
  score!: number;

  /** @example 'Names the concern and asks a question about it' */
  @IsString()
  @MaxLength(1000)
  @NoUnsafeMarkup()
  descriptor!: string;
}

export class RubricCriterionDto {
  /** @example 'ad3bcfda-c54c-4e7b-9090-c0c32edb71bb' */
  @IsUUID('all')
  id!: string;

  /** @example 'Acknowledges the concern' */
  @IsString()
  @MinLength(1)
  @MaxLength(LIMITS.title)
  @Transform(trim)
  @IsOneLine()
  title!: string;

  /** @example 'Names the customer’s concern before answering it' */
  @IsString()
  @MaxLength(LIMITS.description)
  @NoUnsafeMarkup()
  description!: string;

  /**
   * relative weight, > 0
   * @example 1
   */
  @IsNumber()
  @Min(0.01)
  @Max(100)
  weight!: number;

  /** @example [{"score":1,"descriptor":"Answers the price without naming the concern"},{"score":3,"descriptor":"Names the concern and asks a question about it"}] */
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(LIMITS.levels)
  @ValidateNested({ each: true })
  @Type(() => RubricLevelDto)
  levels!: RubricLevelDto[];
}

export class RubricInputDto {
  /** @example 'Sales conversation' */
  @IsString()
  @MinLength(1)
  @MaxLength(LIMITS.title)
  @Transform(trim)
  @IsOneLine()
  title!: string;

  /** @example 'Scores a sales conversation on four criteria' */
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
  /**
   * the revision you edited; a stale one answers 409
   * @example 4
   */
  @IsInt()
  @Min(1)
  @Max(LIMITS.revision)
  revision!: number;
}

export class RubricSnapshotDto extends RubricInputDto {
  /** @example '56230a91-7786-4fe6-9eb0-83b53fac7bcd' */
  @IsUUID('all')
  id!: string;
}

export class ExerciseDto {
  /** @example 'eb70d1fc-df82-4fda-896f-9a129bacd4ee' */
  @IsUUID('all')
  id!: string;

  /** @example 'Answer a customer who finds the offer too expensive' */
  @IsString()
  @MinLength(1)
  @MaxLength(LIMITS.title)
  @Transform(trim)
  @IsOneLine()
  title!: string;

  /**
   * Markdown
   * @example 'The customer says: **your offer is too expensive**. Answer in under two minutes.'
   */
  @IsString()
  @MaxLength(LIMITS.instructions)
  @NoUnsafeMarkup()
  instructions!: string;

  /** @example 'Your offer is too expensive. Why should I pay more than for the competitor?' */
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(LIMITS.prompt)
  @NoUnsafeMarkup()
  prompt!: string | null;

  /**
   * id of uploaded prompt media (POST /api/authoring/prompt-media)
   * @example 'bb362a46-a483-43f8-8993-ec45978ae24e'
   */
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsUUID('all')
  promptMediaId?: string | null;

  @IsIn(ANSWER_TYPES)
  answerType!: AnswerType;

  /** @example 30 */
  @IsInt()
  @Min(0)
  @Max(600)
  preparationSeconds!: number;

  /** @example 120 */
  @IsInt()
  @Min(10)
  @Max(1800)
  maxAnswerSeconds!: number;

  /** @example 3 */
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

  /** @example '56230a91-7786-4fe6-9eb0-83b53fac7bcd' */
  @ValidateIf((_, v) => v !== null)
  @IsUUID('all')
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
  @IsOmittable()
  @IsBoolean()
  selfAssessmentFirst?: boolean;
}

export class ModuleDto {
  /** @example 'fbd34a2b-6e6a-4fe8-961f-97dc43564260' */
  @IsUUID('all')
  id!: string;

  /** @example 'Objections' */
  @IsString()
  @MinLength(1)
  @MaxLength(LIMITS.title)
  @Transform(trim)
  @IsOneLine()
  title!: string;

  @IsArray()
  @ArrayMaxSize(LIMITS.exercisesPerModule)
  @ValidateNested({ each: true })
  @Type(() => ExerciseDto)
  exercises!: ExerciseDto[];
}

export class CourseContentDto {
  /** @example 'Handling price objections' */
  @IsString()
  @MinLength(1)
  @MaxLength(LIMITS.title)
  @Transform(trim)
  @IsOneLine()
  title!: string;

  /** @example 'Practise answering customers who say the price is too high' */
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
  /** @example 'Handling price objections' */
  @IsString()
  @MinLength(1)
  @MaxLength(LIMITS.title)
  @Transform(trim)
  @IsOneLine()
  title!: string;

  /** @example 'Practise answering customers who say the price is too high' */
  @IsOmittable()
  @IsString()
  @MaxLength(LIMITS.description)
  @NoUnsafeMarkup()
  description?: string;

  @IsIn(COURSE_LANGUAGES)
  language!: CourseLanguage;
}

export class SaveDraftDto {
  /**
   * the draft revision you edited; a stale one answers 409
   * @example 4
   */
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
  /**
   * what changed, for the people who take the course
   * @example 'Added an exercise on discount requests'
   */
  @IsString()
  @MinLength(3)
  @MaxLength(2000)
  @Transform(trim)
  changeSummary!: string;
}

export class CoverDto {
  /**
   * data:image/(png|jpeg|webp);base64,...
   * @example 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='
   */
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

  /** @example 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==' */
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

  /** @example '2026-11-30T09:15:00.000Z' */
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
  /** @example 'objection' */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @IsOptional()
  @IsIn(['draft', 'published', 'archived'])
  status?: 'draft' | 'published' | 'archived';

  /** @example 1 */
  @ApiPropertyOptional({ type: 'integer', default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100000)
  page = 1;

  /** @example 25 */
  @ApiPropertyOptional({ type: 'integer', default: 25 })
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
  /** @example 'Sales team North' */
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Transform(trim)
  @IsOneLine()
  name!: string;

  /** @example 'Account managers of the northern region' */
  @IsOmittable()
  @IsString()
  @MaxLength(2000)
  description?: string;
}

export class GroupMembersDto {
  /** @example ['12dea96f-ec20-4935-a6ab-75692c994959'] */
  @IsArray()
  @ArrayMaxSize(2000)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  participants!: string[];

  /** @example ['c63c8ec7-f6e2-4088-b407-6f269e863af5'] */
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  coaches!: string[];
}

/** Changes to a group's members; everyone not named keeps their place. */
export class GroupMembersChangeDto implements GroupMembersChange {
  /**
   * participants to add
   * @example ['12dea96f-ec20-4935-a6ab-75692c994959']
   */
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(2000)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  addParticipants?: string[];

  /**
   * coaches to add
   * @example ['c63c8ec7-f6e2-4088-b407-6f269e863af5']
   */
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  addCoaches?: string[];

  /**
   * participants to remove from the group (people who are not members are ignored)
   * @example ['0b5e1c52-5d4e-4c43-9d3e-2f5b8f0f6a11']
   */
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(2000)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  removeParticipants?: string[];

  /**
   * coaches to remove from the group
   * @example []
   */
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  removeCoaches?: string[];
}

export class EnrolDto {
  /** @example '4809561b-3438-4fc0-97da-4d2efc93d79c' */
  @IsUUID('all')
  courseId!: string;

  /** @example '64292b1c-2b2e-43ea-9878-8fc8a2b8edc8' */
  @IsOmittable()
  @IsUUID('all')
  groupId?: string;

  /** @example '12dea96f-ec20-4935-a6ab-75692c994959' */
  @IsOmittable()
  @IsUUID('all')
  userId?: string;

  /**
   * the coach responsible for feedback
   * @example 'c63c8ec7-f6e2-4088-b407-6f269e863af5'
   */
  @IsOmittable()
  @IsUUID('all')
  coachId?: string;

  /** @example '2026-01-01' */
  @IsOmittable()
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  @IsISO8601({ strict: true })
  startsOn?: string;

  /** @example '2026-12-18' */
  @IsOmittable()
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  @IsISO8601({ strict: true })
  dueOn?: string;
}

export class TextAnswerDto {
  /** @example 'I understand that the price matters to you. May I ask what you compare it with?' */
  @IsString()
  @MinLength(1)
  @MaxLength(20000)
  text!: string;
  /**
   * the browser's id of this submission, the same when it sends the text again: a repeat answers
   * with the answer already made (its response was lost on the way), not a second attempt
   * @example '3f2b8c1e-5d4a-4e6f-9a7b-2c1d0e9f8a7b'
   */
  @IsOmittable()
  @IsUUID('all')
  submissionId?: string;
}

export class SearchQuery {
  /** @example 'objection' */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  /** @example 1 */
  @ApiPropertyOptional({ type: 'integer', default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100000)
  page = 1;

  /** @example 25 */
  @ApiPropertyOptional({ type: 'integer', default: 25 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  pageSize = 25;
}

/** A page of a group's members, of one role or both (coaches first), found by name or address. */
export class GroupMemberQuery extends SearchQuery {
  /** @example 'participant' */
  @IsOptional()
  @IsIn(['participant', 'coach'])
  role?: 'participant' | 'coach';
}

/** Which enrolments: of a course, of a group, of one person (their own, not their groups'); any together. */
export class EnrolmentQuery {
  /** @example '4809561b-3438-4fc0-97da-4d2efc93d79c' */
  @IsOptional()
  @IsUUID('all')
  courseId?: string;

  /** @example '64292b1c-2b2e-43ea-9878-8fc8a2b8edc8' */
  @IsOptional()
  @IsUUID('all')
  groupId?: string;

  /** @example '12dea96f-ec20-4935-a6ab-75692c994959' */
  @IsOptional()
  @IsUUID('all')
  userId?: string;
}

export class ExerciseParams {
  /** @example '4809561b-3438-4fc0-97da-4d2efc93d79c' */
  @IsUUID('all')
  courseId!: string;

  /** @example 'eb70d1fc-df82-4fda-896f-9a129bacd4ee' */
  @IsUUID('all')
  exerciseId!: string;
}

export class GroupParticipantParams {
  /** @example '64292b1c-2b2e-43ea-9878-8fc8a2b8edc8' */
  @IsUUID('all')
  id!: string;

  /** @example '12dea96f-ec20-4935-a6ab-75692c994959' */
  @IsUUID('all')
  userId!: string;
}

export class GroupCourseParams {
  /** @example '64292b1c-2b2e-43ea-9878-8fc8a2b8edc8' */
  @IsUUID('all')
  id!: string;

  /** @example '4809561b-3438-4fc0-97da-4d2efc93d79c' */
  @IsUUID('all')
  courseId!: string;
}
