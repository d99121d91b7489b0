import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
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

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class ReviewCommentDto implements ReviewComment {
  /** seconds into the recording */
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(36000)
  at!: number;

  @IsString()
  @Transform(trim)
  @MinLength(1)
  @MaxLength(FEEDBACK_LIMITS.comment)
  text!: string;

  /** one of the tenant's marker tags */
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(FEEDBACK_LIMITS.tag)
  tag!: string | null;

  /** the AI finding this comment takes over (coaches) */
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(40)
  aiFinding!: string | null;
}

export class ReviewDraftDto {
  /** the revision you edited; leave out on the first save. A stale one answers 409 */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(LIMITS.revision)
  revision?: number;

  @ApiProperty({ description: 'criterion id → level score', type: 'object', additionalProperties: { type: 'number' } })
  @IsObject()
  scores!: Record<string, number>;

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
  })
  @IsOptional()
  @IsObject()
  aiDecisions?: Record<string, 'accepted' | 'dismissed'>;
}

export class PublishReviewDto {
  /** the revision you publish */
  @IsInt()
  @Min(1)
  @Max(LIMITS.revision)
  revision!: number;
}

export class ShareAnswerDto {
  /** needed when you are in more than one group that takes the course */
  @IsOptional()
  @IsUUID('4')
  groupId?: string;
}

export class ReportFilterQuery {
  @IsOptional()
  @IsUUID('4')
  courseId?: string;

  @IsOptional()
  @IsUUID('4')
  groupId?: string;
}

export class ReportQuery extends ReportFilterQuery {
  @ApiPropertyOptional({ default: 1, description: 'page of the criteria table' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100000)
  page = 1;

  @ApiPropertyOptional({ default: 50, description: 'rows of the criteria table per page' })
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
}

export class FeedbackSettingsDto {
  @IsArray()
  @ArrayMaxSize(FEEDBACK_LIMITS.tags)
  @IsString({ each: true })
  @MaxLength(FEEDBACK_LIMITS.tag, { each: true })
  markerTags!: string[];

  @ApiProperty({
    description: 'language → fillers; a language left out uses the built-in list',
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
  })
  @IsObject()
  fillers!: Record<string, string[]>;
}

export class AnswerIdParam {
  @IsUUID('4', { message: 'id must be a UUID' })
  id!: string;
}
