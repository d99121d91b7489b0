/* Response schemas of the recording routes for the OpenAPI document (mirroring @rehearse/shared/contracts). */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { type MediaFailure, RECORDING_STATUSES, type RecordingStatus } from '@rehearse/shared/contracts';

const FAILURES = [
  'unsupported_type',
  'corrupt',
  'no_audio',
  'too_long',
  'empty',
  'too_large',
  'incomplete',
  'no_engine',
  'processing_failed',
];

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
  @ApiProperty({
    enum: ['speaking_rate', 'fillers', 'pauses', 'duration', 'key_phrases', 'avoid_phrases', 'sentiment', 'loudness'],
  })
  id!: string;
  @ApiProperty() label!: string;
  @ApiProperty({ type: Number, nullable: true }) value!: number | null;
  @ApiProperty() unit!: string;
  @ApiProperty({ type: String, nullable: true }) threshold!: string | null;
  @ApiProperty({ enum: ['pass', 'attention', 'info'] }) verdict!: string;
  @ApiProperty({ description: 'one line a trainee understands' }) explanation!: string;
}

class SentimentDto {
  @ApiProperty({ enum: [1, 2, 3, 4, 5], description: '1 very negative … 5 very positive' }) level!: 1 | 2 | 3 | 4 | 5;
  @ApiProperty({ description: "VADER's compound score, −1 … 1" }) compound!: number;
}

class LoudnessDto {
  @ApiProperty() meanDb!: number;
  @ApiProperty() spreadDb!: number;
}

class PacePointDto {
  @ApiProperty() start!: number;
  @ApiProperty() end!: number;
  @ApiProperty() wpm!: number;
}

class FillerHitDto {
  @ApiProperty() start!: number;
  @ApiProperty() end!: number;
  @ApiProperty({ description: 'the filler as listed ("you know")' }) filler!: string;
  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description: "the recogniser's confidence (0–1), where it gives one",
  })
  confidence?: number | null;
  @ApiPropertyOptional({ description: 'to be checked by listening' }) lowConfidence?: boolean;
}

class PauseFoundDto {
  @ApiProperty() start!: number;
  @ApiProperty() end!: number;
  @ApiProperty() seconds!: number;
  @ApiProperty({
    enum: ['words', 'audio', 'both'],
    description: 'a gap between words, a silence in the sound, or both agreeing',
  })
  source!: 'words' | 'audio' | 'both';
}

class PhraseHitDto {
  @ApiProperty() phrase!: string;
  @ApiProperty() found!: boolean;
  @ApiProperty({ type: Number, nullable: true, description: 'seconds where it was first said' }) at!: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'what the recogniser heard there' }) heard!: string | null;
  @ApiPropertyOptional({ description: 'to be checked by listening' }) lowConfidence?: boolean;
}

class RecogniserDto {
  @ApiProperty() engine!: string;
  @ApiProperty() model!: string;
  @ApiProperty({ description: "false: the recogniser's word-level findings are things to check" })
  reliableWords!: boolean;
  @ApiProperty({ description: 'what to expect of its words, in a sentence' }) accuracy!: string;
}

class AiMetricTextDto {
  @ApiProperty() label!: string;
  @ApiProperty() unit!: string;
  @ApiProperty({ type: String, nullable: true }) threshold!: string | null;
  @ApiProperty() explanation!: string;
}

class AiMetricTextsDto {
  @ApiPropertyOptional({ type: AiMetricTextDto }) speaking_rate?: AiMetricTextDto;
  @ApiPropertyOptional({ type: AiMetricTextDto }) fillers?: AiMetricTextDto;
  @ApiPropertyOptional({ type: AiMetricTextDto }) pauses?: AiMetricTextDto;
  @ApiPropertyOptional({ type: AiMetricTextDto }) duration?: AiMetricTextDto;
  @ApiPropertyOptional({ type: AiMetricTextDto }) key_phrases?: AiMetricTextDto;
  @ApiPropertyOptional({ type: AiMetricTextDto }) avoid_phrases?: AiMetricTextDto;
  @ApiPropertyOptional({ type: AiMetricTextDto }) sentiment?: AiMetricTextDto;
  @ApiPropertyOptional({ type: AiMetricTextDto }) loudness?: AiMetricTextDto;
}

class AiReportTranslationsDto {
  @ApiPropertyOptional({ type: AiMetricTextsDto }) en?: AiMetricTextsDto;
  @ApiPropertyOptional({ type: AiMetricTextsDto }) nl?: AiMetricTextsDto;
}

export class AiReportDto {
  @ApiProperty({ description: 'no words were recognised' }) noSpeech!: boolean;
  @ApiProperty() language!: string;
  @ApiProperty() durationSeconds!: number;
  @ApiProperty({ description: 'first word to last, less pauses' }) speakingSeconds!: number;
  @ApiProperty() wordCount!: number;
  @ApiProperty({ type: [AiMetricDto] }) metrics!: AiMetricDto[];
  @ApiPropertyOptional({
    type: RecogniserDto,
    description: 'which recogniser heard the words (absent in reports made before 2026-11-30)',
  })
  recogniser?: RecogniserDto;
  @ApiPropertyOptional({
    type: AiReportTranslationsDto,
    description:
      'the metrics’ label, unit, threshold and explanation in the other languages, by locale and metric id; absent in reports made before Dutch was added',
  })
  translations?: AiReportTranslationsDto;
  @ApiProperty({ type: [PacePointDto], description: 'words per minute per 10-second window' })
  paceOverTime!: PacePointDto[];
  @ApiProperty({ type: [FillerHitDto], description: 'filler words with their times' }) fillers!: FillerHitDto[];
  @ApiProperty({ type: [PauseFoundDto], description: 'pauses of a second or more' }) pauses!: PauseFoundDto[];
  @ApiProperty({ type: [PhraseHitDto], description: 'expected phrases: found, when, what was heard' })
  keyPhrases!: PhraseHitDto[];
  @ApiProperty({ type: [PhraseHitDto], description: 'phrases to avoid: found, when, what was heard' })
  avoidPhrases!: PhraseHitDto[];
  @ApiProperty({
    description: 'tone 1–5 (VADER, English); null for other languages',
    type: () => SentimentDto,
    nullable: true,
  })
  sentiment!: SentimentDto | null;
  @ApiProperty({ description: 'mean level and spread of the voiced sound', type: () => LoudnessDto, nullable: true })
  loudness!: LoudnessDto | null;
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
