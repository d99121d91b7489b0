/*
 * The recording routes' response shapes (a recording's summary is the answers', in the courses
 * library). Their OpenAPI schemas come from these declarations through @nestjs/swagger's compiler
 * plugin (npm run openapi:metadata): type, optionality, nullability and enum from the TypeScript
 * declaration, the description from the doc comment.
 */
import type {
  AiMetric,
  AiMetricText,
  AiReport,
  FillerHit,
  PacePoint,
  PauseFound,
  PhraseHit,
  PromptMediaView,
  Recogniser,
} from '@rehearse/shared/contracts';

export class WordDto {
  text!: string;
  /** seconds */
  start!: number;
  end!: number;
  confidence!: number | null;
}

export class SegmentDto {
  start!: number;
  end!: number;
  text!: string;
}

export class TranscriptDto {
  recordingId!: string;
  engine!: string;
  model!: string;
  language!: string;
  text!: string;
  /** the engine heard no speech */
  noSpeech!: boolean;
  audioSeconds!: number;
  segments!: SegmentDto[];
  words!: WordDto[];
  createdAt!: string;
}

export class AiMetricDto implements AiMetric {
  id!: 'speaking_rate' | 'fillers' | 'pauses' | 'duration' | 'key_phrases' | 'avoid_phrases' | 'sentiment' | 'loudness';
  label!: string;
  value!: number | null;
  unit!: string;
  threshold!: string | null;
  verdict!: 'pass' | 'attention' | 'info';
  /** one line a trainee understands */
  explanation!: string;
}

export class SentimentDto {
  /** 1 very negative … 5 very positive */
  level!: 1 | 2 | 3 | 4 | 5;
  /** VADER's compound score, −1 … 1 */
  compound!: number;
}

export class LoudnessDto {
  meanDb!: number;
  spreadDb!: number;
}

export class PacePointDto implements PacePoint {
  start!: number;
  end!: number;
  wpm!: number;
}

export class FillerHitDto implements FillerHit {
  start!: number;
  end!: number;
  /** the filler as listed ("you know") */
  filler!: string;
  /** the recogniser's confidence (0–1), where it gives one */
  confidence?: number | null;
  /** to be checked by listening */
  lowConfidence?: boolean;
}

export class PauseFoundDto implements PauseFound {
  start!: number;
  end!: number;
  seconds!: number;
  /** a gap between words, a silence in the sound, or both agreeing */
  source!: 'words' | 'audio' | 'both';
}

export class PhraseHitDto implements PhraseHit {
  phrase!: string;
  found!: boolean;
  /** seconds where it was first said */
  at!: number | null;
  /** what the recogniser heard there */
  heard!: string | null;
  /** to be checked by listening */
  lowConfidence?: boolean;
}

export class RecogniserDto implements Recogniser {
  engine!: string;
  model!: string;
  /** false: the recogniser's word-level findings are things to check */
  reliableWords!: boolean;
  /** what to expect of its words, in a sentence */
  accuracy!: string;
}

export class AiMetricTextDto implements AiMetricText {
  label!: string;
  unit!: string;
  threshold!: string | null;
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
  language!: string;
  durationSeconds!: number;
  /** first word to last, less pauses */
  speakingSeconds!: number;
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
  id!: string;
  kind!: 'video' | 'audio';
  contentType!: string;
  durationSeconds!: number | null;
}

export class SearchHitDto {
  recordingId!: string;
  answerId!: string;
  participantId!: string;
  participantName!: string;
  courseId!: string;
  courseTitle!: string;
  exerciseId!: string;
  exerciseTitle!: string;
  /** seconds into the recording */
  start!: number;
  end!: number;
  /** plain text; matches wrapped in «» */
  snippet!: string;
  engine!: string;
  submittedAt!: string;
}

export class SearchPageDto {
  items!: SearchHitDto[];
  total!: number;
  page!: number;
  pageSize!: number;
}
