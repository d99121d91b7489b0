import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class SubmitRecordingDto {
  /**
   * id of a finished resumable upload (the last segment of its tus Location)
   * @example '4e1c6f0b2d9a4c7e8b3f5a61d2c0e9f7'
   */
  @IsString()
  @Matches(/^[a-f0-9]{32}$/, { message: 'uploadId is not an upload id' })
  uploadId!: string;
}

export class PromptMediaDto extends SubmitRecordingDto {
  /** @example '4809561b-3438-4fc0-97da-4d2efc93d79c' */
  @IsUUID('all')
  courseId!: string;
}

export class UploadIdParam {
  /** @example '4e1c6f0b2d9a4c7e8b3f5a61d2c0e9f7' */
  @IsString()
  @Matches(/^[a-f0-9]{32}$/, { message: 'not an upload id' })
  uploadId!: string;
}

export class TranscriptSearchQuery {
  /**
   * words to find; "quoted phrases", OR and -exclusions work as in web search
   * @example 'price -discount'
   */
  @Transform(trim)
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  q!: string;

  /** @example 1 */
  @ApiPropertyOptional({ type: 'integer', default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10000)
  page = 1;

  /** @example 25 */
  @ApiPropertyOptional({ type: 'integer', default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  pageSize = 20;
}
