/*
 * The recording routes' response shapes (a recording's summary is the answers', in the courses
 * library). Their OpenAPI schemas come from these declarations through @nestjs/swagger's compiler
 * plugin (npm run openapi:metadata): type, optionality, nullability and enum from the TypeScript
 * declaration, the description from the doc comment.
 */
import type {
  AiMetric,
  AnswerOrigin,
  AiMetricText,
  AiReport,
  FillerHit,
  PacePoint,
  PauseFound,
  PhraseHit,
  PromptMediaView,
  Recogniser,
  RecordingAnswer,
  RecordingDetail,
  TranscriptSearchHit,
} from '@rehearse/shared/contracts';
import { RecordingSummaryDto } from '@rehearse/server/courses';

export class WordDto {
  /** @example 'understand' */
  text!: string;
  /**
   * seconds
   * @example 12.4
   */
  start!: number;
  /** @example 12.9 */
  end!: number;
  /** @example 0.87 */
  confidence!: number | null;
}

export class SegmentDto {
  /** @example 12.4 */
  start!: number;
  /** @example 15 */
  end!: number;
  /** @example 'I understand that the price matters to you.' */
  text!: string;
}

export class TranscriptDto {
  /** @example '5d7c6eae-5b5b-4575-97ed-6604693be92a' */
  recordingId!: string;
  /** @example 'whisper' */
  engine!: string;
  /** @example 'base.en' */
  model!: string;
  /** @example 'en' */
  language!: string;
  /** @example 'I understand that the price matters to you. May I ask what you compare it with?' */
  text!: string;
  /** the engine heard no speech */
  noSpeech!: boolean;
  /** @example 94.2 */
  audioSeconds!: number;
  segments!: SegmentDto[];
  words!: WordDto[];
  /** @example '2026-09-01T08:00:00.000Z' */
  createdAt!: string;
}

export class AiMetricDto implements AiMetric {
  id!: 'speaking_rate' | 'fillers' | 'pauses' | 'duration' | 'key_phrases' | 'avoid_phrases' | 'sentiment' | 'loudness';
  /** @example 'Pace' */
  label!: string;
  /** @example 162 */
  value!: number | null;
  /** @example 'words/min' */
  unit!: string;
  /** @example '120–170' */
  threshold!: string | null;
  verdict!: 'pass' | 'attention' | 'info';
  /**
   * one line a trainee understands
   * @example 'You spoke at 162 words a minute, within the 120 to 170 this exercise asks for'
   */
  explanation!: string;
}

export class SentimentDto {
  /** 1 very negative … 5 very positive */
  level!: 1 | 2 | 3 | 4 | 5;
  /**
   * VADER's compound score, −1 … 1
   * @example 0.42
   */
  compound!: number;
}

export class LoudnessDto {
  /** @example -21.5 */
  meanDb!: number;
  /** @example 6.2 */
  spreadDb!: number;
}

export class PacePointDto implements PacePoint {
  /** @example 0 */
  start!: number;
  /** @example 15 */
  end!: number;
  /** @example 162 */
  wpm!: number;
}

export class FillerHitDto implements FillerHit {
  /** @example 20.1 */
  start!: number;
  /** @example 20.4 */
  end!: number;
  /**
   * the filler as listed ("you know")
   * @example 'um'
   */
  filler!: string;
  /**
   * the recogniser's confidence (0–1), where it gives one
   * @example 0.87
   */
  confidence?: number | null;
  /** to be checked by listening */
  lowConfidence?: boolean;
}

export class PauseFoundDto implements PauseFound {
  /** @example 41 */
  start!: number;
  /** @example 43.8 */
  end!: number;
  /** @example 2.8 */
  seconds!: number;
  /** a gap between words, a silence in the sound, or both agreeing */
  source!: 'words' | 'audio' | 'both';
}

export class PhraseHitDto implements PhraseHit {
  /** @example 'I understand' */
  phrase!: string;
  found!: boolean;
  /**
   * seconds where it was first said
   * @example 3.2
   */
  at!: number | null;
  /**
   * what the recogniser heard there
   * @example 'I understand your concern'
   */
  heard!: string | null;
  /** to be checked by listening */
  lowConfidence?: boolean;
}

export class RecogniserDto implements Recogniser {
  /** @example 'whisper' */
  engine!: string;
  /** @example 'base.en' */
  model!: string;
  /** false: the recogniser's word-level findings are things to check */
  reliableWords!: boolean;
  /**
   * what to expect of its words, in a sentence
   * @example 'Good on clear speech; names and numbers may be misheard'
   */
  accuracy!: string;
}

export class AiMetricTextDto implements AiMetricText {
  /** @example 'Pace' */
  label!: string;
  /** @example 'words/min' */
  unit!: string;
  /** @example '120–170' */
  threshold!: string | null;
  /** @example 'You spoke at 162 words a minute, within the 120 to 170 this exercise asks for' */
  explanation!: string;
}

export class AiMetricTextsDto {
  speaking_rate?: AiMetricTextDto;
  fillers?: AiMetricTextDto;
  pauses?: AiMetricTextDto;
  duration?: AiMetricTextDto;
  key_phrases?: AiMetricTextDto;
  avoid_phrases?: AiMetricTextDto;
  sentiment?: AiMetricTextDto;
  loudness?: AiMetricTextDto;
}

export class AiReportTranslationsDto {
  en?: AiMetricTextsDto;
  nl?: AiMetricTextsDto;
}

export class AiReportDto implements AiReport {
  /** no words were recognised */
  noSpeech!: boolean;
  /** @example 'en' */
  language!: string;
  /** @example 94.2 */
  durationSeconds!: number;
  /**
   * first word to last, less pauses
   * @example 81.5
   */
  speakingSeconds!: number;
  /** @example 221 */
  wordCount!: number;
  metrics!: AiMetricDto[];
  /** which recogniser heard the words (absent in reports made before 2026-11-30) */
  recogniser?: RecogniserDto;
  /** the metrics’ label, unit, threshold and explanation in the other languages, by locale and metric id; absent in reports made before Dutch was added */
  translations?: AiReportTranslationsDto;
  /** words per minute per 10-second window */
  paceOverTime!: PacePointDto[];
  /** filler words with their times */
  fillers!: FillerHitDto[];
  /** pauses of a second or more */
  pauses!: PauseFoundDto[];
  /** expected phrases: found, when, what was heard */
  keyPhrases!: PhraseHitDto[];
  /** phrases to avoid: found, when, what was heard */
  avoidPhrases!: PhraseHitDto[];
  /** tone 1–5 (VADER, English); null for other languages */
  sentiment!: SentimentDto | null;
  /** mean level and spread of the voiced sound */
  loudness!: LoudnessDto | null;
}

export class PromptMediaViewDto implements PromptMediaView {
  /** @example 'bb362a46-a483-43f8-8993-ec45978ae24e' */
  id!: string;
  kind!: 'video' | 'audio';
  /** @example 'video/webm' */
  contentType!: string;
  /** @example 94.2 */
  durationSeconds!: number | null;
}

/** whose answer it is, to which exercise of which course */
export class AnswerOriginDto implements AnswerOrigin {
  /** @example '25dc282b-5a3d-4ba6-aa9a-777a856c65dd' */
  answerId!: string;
  /** @example '12dea96f-ec20-4935-a6ab-75692c994959' */
  participantId!: string;
  /** @example 'Ada Lovelace' */
  participantName!: string;
  /** @example '4809561b-3438-4fc0-97da-4d2efc93d79c' */
  courseId!: string;
  /**
   * the course's title in the version answered
   * @example 'Handling price objections'
   */
  courseTitle!: string;
  /** @example 'eb70d1fc-df82-4fda-896f-9a129bacd4ee' */
  exerciseId!: string;
  /**
   * the exercise's title in the version answered
   * @example 'Answer a customer who finds the offer too expensive'
   */
  exerciseTitle!: string;
  /** @example '2026-11-26T15:42:00.000Z' */
  submittedAt!: string;
}

export class RecordingAnswerDto extends AnswerOriginDto implements RecordingAnswer {
  /**
   * which of the participant's attempts at the exercise this is, from 1
   * @example 2
   */
  attempt!: number;
}

/** a recording and the answer it belongs to */
export class RecordingDetailDto extends RecordingSummaryDto implements RecordingDetail {
  answer!: RecordingAnswerDto;
}

export class SearchHitDto extends AnswerOriginDto implements TranscriptSearchHit {
  /** @example '5d7c6eae-5b5b-4575-97ed-6604693be92a' */
  recordingId!: string;
  /**
   * seconds into the recording
   * @example 12.4
   */
  start!: number;
  /** @example 15 */
  end!: number;
  /**
   * plain text; matches wrapped in «»
   * @example 'I understand that the «price» matters to you'
   */
  snippet!: string;
  /** @example 'whisper' */
  engine!: string;
}

export class SearchPageDto {
  items!: SearchHitDto[];
  /** @example 132 */
  total!: number;
  /** @example 1 */
  page!: number;
  /** @example 25 */
  pageSize!: number;
}
