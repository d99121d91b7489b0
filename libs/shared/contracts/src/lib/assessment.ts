import type { Locale } from './locale';
/** The local AI coach's report on one answer: metrics computed on this host from the transcript and the audio. */

export const AI_METRICS = [
  'speaking_rate',
  'fillers',
  'pauses',
  'duration',
  'key_phrases',
  'avoid_phrases',
  'sentiment',
  'loudness',
] as const;
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
  /**
   * the finding rests on words a weak recogniser heard (PocketSphinx gets about half the words
   * of real speech wrong): shown as something to check, not as a verdict
   */
  lowConfidence?: boolean;
}

/** A metric's words in another language than the report's English. */
export interface AiMetricText {
  label: string;
  unit: string;
  threshold: string | null;
  explanation: string;
}

export interface TimedSpan {
  start: number;
  end: number;
}

export interface FillerHit extends TimedSpan {
  /** the filler as listed ("you know") */
  filler: string;
  /** the recogniser's confidence in the word(s), where it gives one (0–1) */
  confidence?: number | null;
  /** heard by a weak recogniser, or with low confidence: to be checked by listening */
  lowConfidence?: boolean;
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
  /** heard by a weak recogniser, or with low confidence: to be checked by listening */
  lowConfidence?: boolean;
}

export interface PacePoint extends TimedSpan {
  wpm: number;
}

/** Which recogniser heard the words, and how far its words can be trusted. */
export interface Recogniser {
  engine: string;
  model: string;
  /** false for a weak recogniser: its word-level findings are shown as things to check */
  reliableWords: boolean;
  /** what to expect, in a sentence ("about 1 word in 16 is wrong on real read speech") */
  accuracy: string;
}

/**
 * Word error rates measured by `npm run bench:asr` on real speech (jfk.wav, LibriVox and command
 * clips of Debian's pocketsphinx-testdata; 2026-11-30, see the README), per engine and model.
 */
export const RECOGNISER_ACCURACY: Record<string, { wer: number; reliableWords: boolean }> = {
  pocketsphinx: { wer: 0.439, reliableWords: false },
  'whisper.cpp ggml-tiny.en.bin': { wer: 0.061, reliableWords: true },
  'whisper.cpp ggml-base.bin': { wer: 0.053, reliableWords: true },
};

/** The recogniser of a transcript, with its measured accuracy in words a trainee understands. */
export function recogniserOf(engine: string, model: string): Recogniser {
  const known = RECOGNISER_ACCURACY[`${engine} ${model}`] ?? RECOGNISER_ACCURACY[engine];
  if (!known) {
    const whisper = engine === 'whisper.cpp';
    return {
      engine,
      model,
      reliableWords: whisper,
      accuracy: whisper
        ? 'Whisper; this model was not measured here (tiny.en misheard about 1 word in 16 on real read speech)'
        : 'not measured here: check word-level findings by listening',
    };
  }
  const accuracy =
    known.wer >= 0.3
      ? `about ${Math.round(known.wer * 100)} words in 100 misheard on real speech: check word-level findings by listening`
      : `about 1 word in ${Math.round(1 / known.wer)} misheard on real read speech`;
  return { engine, model, reliableWords: known.reliableWords, accuracy };
}

export interface AiReport {
  noSpeech: boolean;
  /** absent in reports made before 2026-11-30 */
  recogniser?: Recogniser;
  /** the metrics' words in the other languages, by metric id (absent in reports made before 2026-12-01: English only) */
  translations?: Partial<Record<Locale, Partial<Record<AiMetricId, AiMetricText>>>>;
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
  en: [
    'um',
    'uh',
    'uhm',
    'er',
    'erm',
    'hmm',
    'you know',
    'like',
    'i mean',
    'sort of',
    'kind of',
    'basically',
    'actually',
  ],
  nl: ['eh', 'ehm', 'uh', 'uhm', 'nou', 'zeg maar', 'weet je', 'eigenlijk', 'gewoon'],
  de: ['äh', 'ähm', 'öh', 'halt', 'also', 'sozusagen', 'quasi'],
  fr: ['euh', 'ben', 'bah', 'genre', 'en fait', 'du coup', 'tu vois'],
  es: ['eh', 'em', 'este', 'o sea', 'pues', 'bueno', 'sabes'],
  pt: ['é', 'hum', 'tipo', 'né', 'então', 'sabe'],
};
