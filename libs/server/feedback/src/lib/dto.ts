import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOmittable } from '@rehearse/server/core';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { FEEDBACK_LIMITS, LIMITS, ReviewComment } from '@rehearse/shared/contracts';
import { PageQuery } from '@rehearse/server/accounts';
import type { ReportFormat } from './report-workbook';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class ReviewCommentDto implements ReviewComment {
  /**
   * seconds into the recording
   * @example 12.4
   */
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(36000)
  at!: number;

  /** @example 'Good question here: it turns the objection into a conversation.' */
  @IsString()
  @Transform(trim)
  @MinLength(1)
  @MaxLength(FEEDBACK_LIMITS.comment)
  text!: string;

  /**
   * one of the tenant's marker tags
   * @example 'question'
   */
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(FEEDBACK_LIMITS.tag)
  tag!: string | null;

  /**
   * the AI finding this comment takes over (coaches)
   * @example 'filler:0'
   */
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(40)
  aiFinding!: string | null;
}

export class ReviewDraftDto {
  /**
   * the revision you edited; leave out on the first save. A stale one answers 409
   * @example 4
   */
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(LIMITS.revision)
  revision?: number;

  @ApiProperty({
    description: 'criterion id → level score',
    type: 'object',
    additionalProperties: { type: 'number' },
    example: { 'ad3bcfda-c54c-4e7b-9090-c0c32edb71bb': 3 },
  })
  @IsObject()
  scores!: Record<string, number>;

  /** @example 'A calm, clear answer. Ask what matters most to the customer before you talk about value.' */
  @IsString()
  @MaxLength(FEEDBACK_LIMITS.summary)
  summary!: string;

  @IsArray()
  @ArrayMaxSize(FEEDBACK_LIMITS.comments)
  @ValidateNested({ each: true })
  @Type(() => ReviewCommentDto)
  comments!: ReviewCommentDto[];

  @ApiPropertyOptional({
    description: 'coaches: AI finding key → accepted | dismissed',
    type: 'object',
    additionalProperties: { type: 'string', enum: ['accepted', 'dismissed'] },
    example: { 'filler:0': 'accepted', 'pause:1': 'dismissed' },
  })
  @IsOmittable()
  @IsObject()
  aiDecisions?: Record<string, 'accepted' | 'dismissed'>;
}

export class PublishReviewDto {
  /**
   * the revision you publish
   * @example 4
   */
  @IsInt()
  @Min(1)
  @Max(LIMITS.revision)
  revision!: number;
}

export class ShareAnswerDto {
  /**
   * needed when you are in more than one group that takes the course
   * @example '64292b1c-2b2e-43ea-9878-8fc8a2b8edc8'
   */
  @IsOmittable()
  @IsUUID('all')
  groupId?: string;
}

export class ReportFilterQuery {
  /** @example '4809561b-3438-4fc0-97da-4d2efc93d79c' */
  @IsOptional()
  @IsUUID('all')
  courseId?: string;

  /** @example '64292b1c-2b2e-43ea-9878-8fc8a2b8edc8' */
  @IsOptional()
  @IsUUID('all')
  groupId?: string;
}

export class ReportQuery extends ReportFilterQuery {
  /** @example 1 */
  @ApiPropertyOptional({ type: 'integer', default: 1, description: 'page of the criteria table' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100000)
  page = 1;

  /** @example 25 */
  @ApiPropertyOptional({ type: 'integer', default: 50, description: 'rows of the criteria table per page' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  pageSize = 50;
}

export class ReportExportQuery extends ReportFilterQuery {
  @IsIn(['criteria', 'agreement'])
  table!: 'criteria' | 'agreement';

  @ApiPropertyOptional({
    enum: ['csv', 'xlsx'],
    default: 'csv',
    description:
      "csv: UTF-8 with a byte order mark, comma-separated, numbers with a decimal point; xlsx: an Excel workbook with numbers and months typed (read alike in every language's Excel) and the headings in the reader's language",
  })
  @IsOmittable()
  @IsIn(['csv', 'xlsx'])
  format?: ReportFormat;
}

export class FeedbackSettingsDto {
  /** @example ['strong opening','filler','question'] */
  @IsArray()
  @ArrayMaxSize(FEEDBACK_LIMITS.tags)
  @IsString({ each: true })
  @MaxLength(FEEDBACK_LIMITS.tag, { each: true })
  markerTags!: string[];

  @ApiProperty({
    description: 'language → fillers; a language left out uses the built-in list',
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
    example: { en: ['um', 'uh', 'you know'], nl: ['eh', 'uhm', 'zeg maar'] },
  })
  @IsObject()
  fillers!: Record<string, string[]>;
}

/** A coach's choice about their morning e-mail. */
export class CoachDigestDto {
  /**
   * whether to receive it
   * @example false
   */
  @IsBoolean()
  enabled!: boolean;
}

export class AnswerIdParam {
  /** @example '25dc282b-5a3d-4ba6-aa9a-777a856c65dd' */
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
}

export class ReviewQueueQuery extends PageQuery {
  /**
   * only the answers to this course
   * @example '4809561b-3438-4fc0-97da-4d2efc93d79c'
   */
  @IsOptional()
  @IsUUID('all')
  courseId?: string;
}
