import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class SubmitRecordingDto {
  /** id of a finished resumable upload (the last segment of its tus Location) */
  @IsString()
  @Matches(/^[a-f0-9]{32}$/, { message: 'uploadId is not an upload id' })
  uploadId!: string;
}

export class PromptMediaDto extends SubmitRecordingDto {
  @IsUUID('4')
  courseId!: string;
}

export class UploadIdParam {
  @IsString()
  @Matches(/^[a-f0-9]{32}$/, { message: 'not an upload id' })
  uploadId!: string;
}

export class TranscriptSearchQuery {
  /** words to find; "quoted phrases", OR and -exclusions work as in web search */
  @Transform(trim)
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  q!: string;

  @ApiPropertyOptional({ default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10000)
  page = 1;

  @ApiPropertyOptional({ default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  pageSize = 20;
}
