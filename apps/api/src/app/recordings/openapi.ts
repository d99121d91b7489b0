/* Response schemas of the recording routes for the OpenAPI document (mirroring @rehearse/shared/contracts). */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { type MediaFailure, RECORDING_STATUSES, type RecordingStatus } from '@rehearse/shared/contracts';

const FAILURES = ['unsupported_type', 'corrupt', 'no_audio', 'too_long', 'empty', 'too_large', 'incomplete', 'no_engine', 'processing_failed'];

export class RecordingSummaryDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['video', 'audio'] }) kind!: 'video' | 'audio';
  @ApiProperty() contentType!: string;
  @ApiProperty() sizeBytes!: number;
  @ApiProperty({ type: Number, nullable: true }) durationSeconds!: number | null;
  @ApiProperty({ enum: RECORDING_STATUSES }) status!: RecordingStatus;
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

class AiMetricDto {
  @ApiProperty({ enum: ['speaking_rate', 'fillers', 'pauses', 'duration', 'key_phrases', 'avoid_phrases', 'sentiment', 'loudness'] }) id!: string;
  @ApiProperty() label!: string;
  @ApiProperty({ type: Number, nullable: true }) value!: number | null;
  @ApiProperty() unit!: string;
  @ApiProperty({ type: String, nullable: true }) threshold!: string | null;
  @ApiProperty({ enum: ['pass', 'attention', 'info'] }) verdict!: string;
  @ApiProperty({ description: 'one line a trainee understands' }) explanation!: string;
}

class SentimentDto {
  @ApiProperty({ minimum: 1, maximum: 5 }) level!: number;
  @ApiProperty({ description: "VADER's compound score, −1 … 1" }) compound!: number;
}

class LoudnessDto {
  @ApiProperty() meanDb!: number;
  @ApiProperty() spreadDb!: number;
}

export class AiReportDto {
  @ApiProperty({ description: 'no words were recognised' }) noSpeech!: boolean;
  @ApiProperty() language!: string;
  @ApiProperty() durationSeconds!: number;
  @ApiProperty({ description: 'first word to last, less pauses' }) speakingSeconds!: number;
  @ApiProperty() wordCount!: number;
  @ApiProperty({ type: [AiMetricDto] }) metrics!: AiMetricDto[];
  @ApiPropertyOptional({ description: 'the metrics’ label, unit, threshold and explanation in the other languages, by locale and metric id ("nl": {"pauses": {...}}); absent in reports made before Dutch was added', type: 'object', additionalProperties: { type: 'object' } }) translations?: object;
  @ApiProperty({ description: 'words per minute per 10-second window', type: 'array', items: { type: 'object' } }) paceOverTime!: object[];
  @ApiProperty({ description: 'filler words with their times', type: 'array', items: { type: 'object' } }) fillers!: object[];
  @ApiProperty({ description: 'pauses of a second or more', type: 'array', items: { type: 'object' } }) pauses!: object[];
  @ApiProperty({ description: 'expected phrases: found, when, what was heard', type: 'array', items: { type: 'object' } }) keyPhrases!: object[];
  @ApiProperty({ description: 'phrases to avoid: found, when, what was heard', type: 'array', items: { type: 'object' } }) avoidPhrases!: object[];
  @ApiProperty({ description: 'tone 1–5 (VADER, English); null for other languages', type: () => SentimentDto, nullable: true }) sentiment!: SentimentDto | null;
  @ApiProperty({ description: 'mean level and spread of the voiced sound', type: () => LoudnessDto, nullable: true }) loudness!: LoudnessDto | null;
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
