/* Response schemas of the recording routes for the OpenAPI document (mirroring @rehearse/shared/contracts). */
import { ApiProperty } from '@nestjs/swagger';
import type { MediaFailure, RecordingStatus } from '@rehearse/shared/contracts';

const STATUSES = ['queued', 'probing', 'extracting', 'transcribing', 'indexing', 'transcribed', 'failed', 'ready'];
const FAILURES = ['unsupported_type', 'corrupt', 'no_audio', 'too_long', 'empty', 'too_large', 'incomplete', 'no_engine', 'processing_failed'];

export class RecordingSummaryDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['video', 'audio'] }) kind!: 'video' | 'audio';
  @ApiProperty() contentType!: string;
  @ApiProperty() sizeBytes!: number;
  @ApiProperty({ type: Number, nullable: true }) durationSeconds!: number | null;
  @ApiProperty({ enum: STATUSES }) status!: RecordingStatus;
  @ApiProperty({ enum: FAILURES, nullable: true }) failure!: MediaFailure | null;
  @ApiProperty({ type: String, nullable: true }) failureMessage!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ type: String, nullable: true }) transcribedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'speech engine of the transcript' }) engine!: string | null;
  @ApiProperty({ type: String, nullable: true }) model!: string | null;
}

class WordDto {
  @ApiProperty() text!: string;
  @ApiProperty({ description: 'seconds' }) start!: number;
  @ApiProperty() end!: number;
  @ApiProperty({ type: Number, nullable: true }) confidence!: number | null;
}

class SegmentDto {
  @ApiProperty() start!: number;
  @ApiProperty() end!: number;
  @ApiProperty() text!: string;
}

export class TranscriptDto {
  @ApiProperty() recordingId!: string;
  @ApiProperty() engine!: string;
  @ApiProperty() model!: string;
  @ApiProperty() language!: string;
  @ApiProperty() text!: string;
  @ApiProperty({ description: 'the engine heard no speech' }) noSpeech!: boolean;
  @ApiProperty() audioSeconds!: number;
  @ApiProperty({ type: [SegmentDto] }) segments!: SegmentDto[];
  @ApiProperty({ type: [WordDto] }) words!: WordDto[];
  @ApiProperty() createdAt!: string;
}

export class PromptMediaViewDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['video', 'audio'] }) kind!: 'video' | 'audio';
  @ApiProperty() contentType!: string;
  @ApiProperty({ type: Number, nullable: true }) durationSeconds!: number | null;
}

class SearchHitDto {
  @ApiProperty() recordingId!: string;
  @ApiProperty() answerId!: string;
  @ApiProperty() participantId!: string;
  @ApiProperty() participantName!: string;
  @ApiProperty() courseId!: string;
  @ApiProperty() courseTitle!: string;
  @ApiProperty() exerciseId!: string;
  @ApiProperty() exerciseTitle!: string;
  @ApiProperty({ description: 'seconds into the recording' }) start!: number;
  @ApiProperty() end!: number;
  @ApiProperty({ description: 'plain text; matches wrapped in «»' }) snippet!: string;
  @ApiProperty() engine!: string;
  @ApiProperty() submittedAt!: string;
}

export class SearchPageDto {
  @ApiProperty({ type: [SearchHitDto] }) items!: SearchHitDto[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}
