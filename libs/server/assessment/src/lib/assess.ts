import {
  AiMetric,
  AiReport,
  AiSettings,
  DEFAULT_FILLERS,
  FillerLists,
  Locale,
  LOCALES,
  Recogniser,
  TimedSpan,
} from '@rehearse/shared/contracts';
import { formatNumber, type Translate, translations } from '@rehearse/server/core';
import { type CoachText, en } from './locales/en';
import { nl } from './locales/nl';
import {
  findFillers,
  findPauses,
  loudness,
  LoudnessWindow,
  paceOverTime,
  phraseHits,
  sentiment,
  speakingSeconds,
  wordsPerMinute,
} from './metrics';
import { TimedWord, tokenize } from './text';
import { round } from './numbers';

export interface AssessmentInput {
  /** the transcript's words, in order */
  words: TimedWord[];
  /** the recording's length */
  durationSeconds: number;
  language: string;
  /** the exercise's AI settings; what is missing has no threshold */
  settings: Partial<
    Pick<
      AiSettings,
      'keyPhrases' | 'avoidPhrases' | 'wpmMin' | 'wpmMax' | 'maxFillersPerMinute' | 'targetDurationSeconds'
    >
  >;
  /** the tenant's filler lists; a language without its own list uses the built-in one */
  fillers?: FillerLists;
  /** measured in the audio; absent when the audio was not measured */
  audio?: { silences: TimedSpan[]; loudness: LoudnessWindow[] };
  /** who heard the words; a weak recogniser's word-level findings become things to check */
  recogniser?: Recogniser;
}

/** A word the recogniser gave less confidence than this is a finding to check by listening. */
export const LOW_WORD_CONFIDENCE = 0.5;

/** The lowest confidence among words [from, to] of the transcript, or null when the recogniser gives none. */
function confidenceOf(words: TimedWord[], from: number, to: number): number | null {
  const c = words
    .slice(from, to + 1)
    .map((w) => w.confidence)
    .filter((x): x is number => typeof x === 'number');
  return c.length ? round(Math.min(...c), 3) : null;
}

/** Gaps of at least this long count as pauses. */
export const PAUSE_THRESHOLD_SECONDS = 1;
/** A pause longer than this needs attention. */
export const LONG_PAUSE_SECONDS = 3;
/** An answer within this fraction of its target length passes. */
export const DURATION_TOLERANCE = 0.2;
/** Loudness spread (dB) above which the voice is called uneven. */
export const LOUDNESS_SPREAD_DB = 6;

/** m:ss, the whole seconds gone by: as the media player and the answer's timeline write a moment */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

const NO_THRESHOLDS: Required<AssessmentInput['settings']> = {
  keyPhrases: [],
  avoidPhrases: [],
  wpmMin: null,
  wpmMax: null,
  maxFillersPerMinute: null,
  targetDurationSeconds: null,
};

/**
 * The AI coach's report on one answer. Each metric carries its value, the exercise's threshold,
 * a verdict and a one-line explanation. A transcript without words is "no speech detected".
 */
export function assess(input: AssessmentInput): AiReport {
  const { words, durationSeconds } = input;
  const settings = { ...NO_THRESHOLDS, ...input.settings };
  const language = input.language.slice(0, 2);
  const tokens = tokenize(words, language);
  const speaking = speakingSeconds(words, PAUSE_THRESHOLD_SECONDS);
  const noSpeech = tokens.length === 0;
  const wordCount = words.filter((w) => w.text.trim()).length;
  const list = input.fillers?.[language] ?? DEFAULT_FILLERS[language] ?? [];
  const reliable = input.recogniser?.reliableWords ?? true;
  const weak = (confidence: number | null) => !reliable || (confidence !== null && confidence < LOW_WORD_CONFIDENCE);
  const fillers = findFillers(tokens, list).map((f) => {
    const inWords = tokens.filter((t) => t.start >= f.start - 1e-6 && t.end <= f.end + 1e-6).map((t) => t.word);
    const confidence = inWords.length ? confidenceOf(words, Math.min(...inWords), Math.max(...inWords)) : null;
    return {
      ...f,
      ...(confidence !== null ? { confidence } : {}),
      ...(weak(confidence) ? { lowConfidence: true } : {}),
    };
  });
  const pauses = noSpeech ? [] : findPauses(words, input.audio?.silences ?? [], PAUSE_THRESHOLD_SECONDS);
  const markPhrases = (hits: ReturnType<typeof phraseHits>) =>
    hits.map((h) => {
      const at = h.at;
      const i = h.found && at !== null ? words.findIndex((w) => w.start >= at - 1e-6) : -1;
      const low = weak(
        i >= 0 ? confidenceOf(words, i, i + Math.max(0, (h.heard ?? '').split(/\s+/).length - 1)) : null,
      );
      return low ? { ...h, lowConfidence: true } : h;
    });
  const keyPhrases = markPhrases(phraseHits(tokens, words, settings.keyPhrases, language));
  const avoidPhrases = markPhrases(phraseHits(tokens, words, settings.avoidPhrases, language));
  const text = words.map((w) => w.text.trim()).join(' ');
  const tone = sentiment(text, language);
  const level = input.audio ? loudness(input.audio.loudness) : null;
  const wpm = wordsPerMinute(wordCount, speaking);
  const facts: Facts = {
    settings,
    language,
    noSpeech,
    wordCount,
    speaking,
    wpm,
    fillers,
    fillerList: list.length > 0,
    pauses,
    keyPhrases,
    avoidPhrases,
    tone,
    level,
    durationSeconds,
    audio: !!input.audio,
    reliable,
    engine: input.recogniser?.engine ?? null,
  };
  const metrics = describe(facts, 'en');
  const translations = Object.fromEntries(
    LOCALES.filter((l) => l !== 'en').map((l) => [
      l,
      Object.fromEntries(
        describe(facts, l).map((m) => [
          m.id,
          { label: m.label, unit: m.unit, threshold: m.threshold, explanation: m.explanation },
        ]),
      ),
    ]),
  ) as AiReport['translations'];
  return {
    noSpeech,
    ...(input.recogniser ? { recogniser: input.recogniser } : {}),
    language,
    durationSeconds: round(durationSeconds, 2),
    speakingSeconds: speaking,
    wordCount,
    metrics,
    paceOverTime: noSpeech ? [] : paceOverTime(words, durationSeconds),
    fillers,
    pauses,
    keyPhrases,
    avoidPhrases,
    sentiment: tone,
    loudness: level,
    translations,
  };
}

/** What the metrics are computed from, measured once for every language the report is written in. */
interface Facts {
  settings: Required<AssessmentInput['settings']>;
  language: string;
  noSpeech: boolean;
  wordCount: number;
  speaking: number;
  wpm: number | null;
  fillers: { filler: string }[];
  fillerList: boolean;
  pauses: { start: number; seconds: number }[];
  keyPhrases: { phrase: string; found: boolean }[];
  avoidPhrases: { phrase: string; found: boolean; at: number | null }[];
  tone: { level: number } | null;
  level: { spreadDb: number } | null;
  durationSeconds: number;
  audio: boolean;
  reliable: boolean;
  engine: string | null;
}

/** The AI coach's texts per language (i18next catalogues; the Dutch one must have every English key). */
export const coachText = translations({ en, nl });

/** The metrics in one language: values and verdicts are the same in every language, only words differ. */
function describe(f: Facts, locale: Locale): AiMetric[] {
  const t: Translate<CoachText> = coachText(locale);
  const oneDecimal = (x: number) => formatNumber(locale, x, 1, true);
  const { settings, noSpeech, speaking, wpm, fillers, pauses, keyPhrases, avoidPhrases, tone, level } = f;
  const NO_SPEECH = t('noSpeech');
  const metrics: AiMetric[] = [];

  // speaking rate
  {
    const { wpmMin: lo, wpmMax: hi } = settings;
    const threshold =
      lo !== null && hi !== null
        ? t('rate.between', { lo, hi })
        : lo !== null
          ? t('rate.atLeast', { lo })
          : hi !== null
            ? t('rate.atMost', { hi })
            : null;
    let verdict: AiMetric['verdict'] = 'info';
    let explanation = wpm === null ? NO_SPEECH : t('rate.spoke', { words: f.wordCount, seconds: oneDecimal(speaking) });
    if (wpm !== null && threshold) {
      const slow = lo !== null && wpm < lo;
      const fast = hi !== null && wpm > hi;
      verdict = slow || fast ? 'attention' : 'pass';
      explanation = slow
        ? t('rate.slow', { wpm, threshold })
        : fast
          ? t('rate.fast', { wpm, threshold })
          : t('rate.good', { wpm });
    } else if (wpm === null) verdict = 'attention';
    metrics.push({
      id: 'speaking_rate',
      label: t('rate.label'),
      value: wpm,
      unit: t('rate.unit'),
      threshold,
      verdict,
      explanation,
    });
  }

  // fillers per minute of speaking
  {
    const perMinute = speaking > 0 ? round((fillers.length * 60) / speaking, 1) : null;
    const max = settings.maxFillersPerMinute;
    const threshold = max !== null ? t('fillers.threshold', { max }) : null;
    const named = [...new Set(fillers.map((x) => `“${x.filler}”`))].slice(0, 3).join(', ');
    let verdict: AiMetric['verdict'] =
      perMinute === null ? 'attention' : max === null ? 'info' : perMinute <= max ? 'pass' : 'attention';
    let explanation =
      perMinute === null
        ? NO_SPEECH
        : fillers.length === 0
          ? t('fillers.none')
          : t('fillers.found', { count: fillers.length, named, perMinute });
    if (perMinute !== null && max !== null && perMinute > max) explanation += ` ${t('fillers.tryInstead', { named })}`;
    if (!f.fillerList && perMinute !== null) {
      verdict = 'info';
      explanation = t('fillers.noList', { language: f.language });
    }
    metrics.push({
      id: 'fillers',
      label: t('fillers.label'),
      value: perMinute,
      unit: t('fillers.unit'),
      threshold,
      verdict,
      explanation,
    });
  }

  // pauses
  {
    const longest = pauses.reduce((m, p) => Math.max(m, p.seconds), 0);
    const verdict: AiMetric['verdict'] = noSpeech ? 'attention' : longest > LONG_PAUSE_SECONDS ? 'attention' : 'pass';
    const count = pauses.length;
    const explanation = noSpeech
      ? NO_SPEECH
      : count === 0
        ? t('pauses.none', { min: PAUSE_THRESHOLD_SECONDS })
        : longest > LONG_PAUSE_SECONDS
          ? t('pauses.long', {
              count,
              seconds: oneDecimal(longest),
              at: clock(pauses.find((p) => p.seconds === longest)?.start ?? 0),
            })
          : t('pauses.fine', { count, min: PAUSE_THRESHOLD_SECONDS, max: LONG_PAUSE_SECONDS });
    metrics.push({
      id: 'pauses',
      label: t('pauses.label'),
      value: noSpeech ? null : count,
      unit: t('pauses.unit', { count }),
      threshold: t('pauses.threshold', { max: LONG_PAUSE_SECONDS }),
      verdict,
      explanation,
    });
  }

  // duration against the target
  {
    const target = settings.targetDurationSeconds;
    const d = round(f.durationSeconds, 2);
    let verdict: AiMetric['verdict'] = 'info';
    let explanation = t('duration.lasted', { duration: clock(d) });
    let threshold: string | null = null;
    if (target !== null) {
      const slack = Math.round(target * DURATION_TOLERANCE);
      threshold = t('duration.threshold', { target: clock(target), slack });
      const off = d - target;
      verdict = Math.abs(off) <= target * DURATION_TOLERANCE ? 'pass' : 'attention';
      const words = { duration: clock(d), target: clock(target), off: Math.round(Math.abs(off)) };
      explanation =
        verdict === 'pass'
          ? t('duration.close', words)
          : off > 0
            ? t('duration.long', words)
            : t('duration.short', words);
    }
    metrics.push({
      id: 'duration',
      label: t('duration.label'),
      value: d,
      unit: t('duration.unit'),
      threshold,
      verdict,
      explanation,
    });
  }

  // key phrases
  {
    const n = keyPhrases.length;
    const said = keyPhrases.filter((k) => k.found).length;
    const missing = keyPhrases.filter((k) => !k.found).map((k) => `“${k.phrase}”`);
    const verdict: AiMetric['verdict'] = n === 0 ? 'info' : noSpeech || said < n ? 'attention' : 'pass';
    const explanation =
      n === 0
        ? t('keys.noneListed')
        : noSpeech
          ? NO_SPEECH
          : said === n
            ? t('keys.all', { count: n })
            : t('keys.missing', { phrases: missing.join(', ') });
    metrics.push({
      id: 'key_phrases',
      label: t('keys.label'),
      value: n === 0 || noSpeech ? null : said,
      unit: t('keys.unit', { n }),
      threshold: n ? t('keys.threshold', { n }) : null,
      verdict,
      explanation,
    });
  }

  // phrases to avoid
  {
    const n = avoidPhrases.length;
    const used = avoidPhrases.filter((k) => k.found);
    const verdict: AiMetric['verdict'] = n === 0 ? 'info' : noSpeech ? 'attention' : used.length ? 'attention' : 'pass';
    const explanation =
      n === 0
        ? t('avoid.noneListed')
        : noSpeech
          ? NO_SPEECH
          : used.length
            ? t('avoid.used', {
                phrases: used.map((u) => t('avoid.at', { phrase: u.phrase, at: clock(u.at ?? 0) })).join(', '),
              })
            : t('avoid.clean');
    metrics.push({
      id: 'avoid_phrases',
      label: t('avoid.label'),
      value: n === 0 || noSpeech ? null : used.length,
      unit: t('avoid.unit'),
      threshold: n ? t('avoid.threshold') : null,
      verdict,
      explanation,
    });
  }

  // tone
  {
    const verdict: AiMetric['verdict'] = noSpeech
      ? 'attention'
      : tone === null
        ? 'info'
        : tone.level >= 3
          ? 'pass'
          : 'attention';
    const name = tone ? t(`tone.${Math.min(5, Math.max(1, tone.level)) as 1 | 2 | 3 | 4 | 5}`) : '';
    const explanation = noSpeech
      ? NO_SPEECH
      : tone === null
        ? t('tone.englishOnly', { language: f.language })
        : tone.level >= 3
          ? t('tone.good', { tone: name })
          : t('tone.low', { tone: name });
    metrics.push({
      id: 'sentiment',
      label: t('tone.label'),
      value: tone?.level ?? null,
      unit: t('tone.unit'),
      threshold: t('tone.threshold'),
      verdict,
      explanation,
    });
  }

  // loudness consistency
  {
    const verdict: AiMetric['verdict'] =
      level === null ? 'info' : level.spreadDb <= LOUDNESS_SPREAD_DB ? 'pass' : 'attention';
    const explanation =
      level === null
        ? f.audio
          ? t('loudness.noVoice')
          : t('loudness.notMeasured')
        : verdict === 'pass'
          ? t('loudness.even', { db: level.spreadDb })
          : t('loudness.uneven', { db: level.spreadDb });
    metrics.push({
      id: 'loudness',
      label: t('loudness.label'),
      value: level?.spreadDb ?? null,
      unit: t('loudness.unit'),
      threshold: t('loudness.threshold', { max: LOUDNESS_SPREAD_DB }),
      verdict,
      explanation,
    });
  }

  // a weak recogniser's word-level findings are things to check by listening, not verdicts
  if (!f.reliable && !noSpeech) {
    const who = f.engine === 'pocketsphinx' ? 'PocketSphinx' : (f.engine ?? t('weak.recogniser'));
    for (const m of metrics) {
      if (m.id !== 'fillers' && m.id !== 'key_phrases' && m.id !== 'avoid_phrases') continue;
      m.lowConfidence = true;
      m.verdict = 'info';
      m.explanation = t('weak.check', {
        who,
        finding: `${m.explanation.charAt(0).toLowerCase()}${m.explanation.slice(1)}`,
      });
    }
  }
  return metrics;
}
