/** The local AI coach's report on one answer: metrics computed on this host from the transcript and the audio. */

export const AI_METRICS = ['speaking_rate', 'fillers', 'pauses', 'duration', 'key_phrases', 'avoid_phrases', 'sentiment', 'loudness'] as const;
export type AiMetricId = (typeof AI_METRICS)[number];

/** pass: within the exercise's threshold; attention: outside it; info: measured, no threshold set (or not measurable). */
export type AiVerdict = 'pass' | 'attention' | 'info';

export interface AiMetric {
  id: AiMetricId;
  label: string;
  /** null when it cannot be measured (no speech, no audio measurement, language without a lexicon) */
  value: number | null;
  unit: string;
  /** the exercise's threshold in words ("120–170 wpm"), or null */
  threshold: string | null;
  verdict: AiVerdict;
  /** one line a trainee understands */
  explanation: string;
}

export interface TimedSpan {
  start: number;
  end: number;
}

export interface FillerHit extends TimedSpan {
  /** the filler as listed ("you know") */
  filler: string;
}

export interface PauseFound extends TimedSpan {
  seconds: number;
  /** words: a gap between recognised words; audio: the sound's silence; both: the two agree */
  source: 'words' | 'audio' | 'both';
}

export interface PhraseHit {
  phrase: string;
  found: boolean;
  /** seconds where it was said (first time) */
  at: number | null;
  /** what the recogniser heard there */
  heard: string | null;
}

export interface PacePoint extends TimedSpan {
  wpm: number;
}

export interface AiReport {
  noSpeech: boolean;
  language: string;
  durationSeconds: number;
  /** from the first word to the last, less the pauses */
  speakingSeconds: number;
  wordCount: number;
  metrics: AiMetric[];
  paceOverTime: PacePoint[];
  fillers: FillerHit[];
  pauses: PauseFound[];
  keyPhrases: PhraseHit[];
  avoidPhrases: PhraseHit[];
  /** 1 (very negative) … 5 (very positive); null where no lexicon exists for the language */
  sentiment: { level: 1 | 2 | 3 | 4 | 5; compound: number } | null;
  loudness: { meanDb: number; spreadDb: number } | null;
}

/** A tenant's filler words per language; entries may be several words ("you know"). */
export type FillerLists = Partial<Record<string, string[]>>;

export const DEFAULT_FILLERS: Record<string, string[]> = {
  en: ['um', 'uh', 'uhm', 'er', 'erm', 'hmm', 'you know', 'like', 'i mean', 'sort of', 'kind of', 'basically', 'actually'],
  nl: ['eh', 'ehm', 'uh', 'uhm', 'nou', 'zeg maar', 'weet je', 'eigenlijk', 'gewoon'],
  de: ['äh', 'ähm', 'öh', 'halt', 'also', 'sozusagen', 'quasi'],
  fr: ['euh', 'ben', 'bah', 'genre', 'en fait', 'du coup', 'tu vois'],
  es: ['eh', 'em', 'este', 'o sea', 'pues', 'bueno', 'sabes'],
  pt: ['é', 'hum', 'tipo', 'né', 'então', 'sabe'],
};
