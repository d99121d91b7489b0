import { AiMetric, AiReport, AiSettings, DEFAULT_FILLERS, FillerLists, Recogniser, TimedSpan } from '@rehearse/shared/contracts';
import { findFillers, findPauses, loudness, LoudnessWindow, paceOverTime, phraseHits, sentiment, speakingSeconds, wordsPerMinute } from './metrics';
import { TimedWord, tokenize } from './text';
import { round } from './numbers';

export interface AssessmentInput {
  /** the transcript's words, in order */
  words: TimedWord[];
  /** the recording's length */
  durationSeconds: number;
  language: string;
  /** the exercise's AI settings; what is missing has no threshold */
  settings: Partial<Pick<AiSettings, 'keyPhrases' | 'avoidPhrases' | 'wpmMin' | 'wpmMax' | 'maxFillersPerMinute' | 'targetDurationSeconds'>>;
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
  const c = words.slice(from, to + 1).map((w) => w.confidence).filter((x): x is number => typeof x === 'number');
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


/** m:ss */
export function clock(seconds: number): string {
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

const NO_THRESHOLDS: Required<AssessmentInput['settings']> = { keyPhrases: [], avoidPhrases: [], wpmMin: null, wpmMax: null, maxFillersPerMinute: null, targetDurationSeconds: null };

const NO_SPEECH = 'No speech was detected in this recording, so this could not be measured.';

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
    return { ...f, ...(confidence !== null ? { confidence } : {}), ...(weak(confidence) ? { lowConfidence: true } : {}) };
  });
  const pauses = noSpeech ? [] : findPauses(words, input.audio?.silences ?? [], PAUSE_THRESHOLD_SECONDS);
  const markPhrases = (hits: ReturnType<typeof phraseHits>) =>
    hits.map((h) => {
      const at = h.at;
      const i = h.found && at !== null ? words.findIndex((w) => w.start >= at - 1e-6) : -1;
      const low = weak(i >= 0 ? confidenceOf(words, i, i + Math.max(0, (h.heard ?? '').split(/\s+/).length - 1)) : null);
      return low ? { ...h, lowConfidence: true } : h;
    });
  const keyPhrases = markPhrases(phraseHits(tokens, words, settings.keyPhrases, language));
  const avoidPhrases = markPhrases(phraseHits(tokens, words, settings.avoidPhrases, language));
  const text = words.map((w) => w.text.trim()).join(' ');
  const tone = sentiment(text, language);
  const level = input.audio ? loudness(input.audio.loudness) : null;
  const metrics: AiMetric[] = [];

  // speaking rate
  const wpm = wordsPerMinute(wordCount, speaking);
  {
    const { wpmMin: lo, wpmMax: hi } = settings;
    const threshold = lo !== null && hi !== null ? `${lo}–${hi} wpm` : lo !== null ? `at least ${lo} wpm` : hi !== null ? `at most ${hi} wpm` : null;
    let verdict: AiMetric['verdict'] = 'info';
    let explanation = wpm === null ? NO_SPEECH : `You spoke ${wordCount} words in ${speaking.toFixed(1)} s of speaking time.`;
    if (wpm !== null && threshold) {
      const slow = lo !== null && wpm < lo;
      const fast = hi !== null && wpm > hi;
      verdict = slow || fast ? 'attention' : 'pass';
      explanation = slow ? `At ${wpm} words per minute you spoke slower than the ${threshold} aimed for.` : fast ? `At ${wpm} words per minute you spoke faster than the ${threshold} aimed for; slow down a little.` : `A comfortable pace: ${wpm} words per minute.`;
    } else if (wpm === null) verdict = 'attention';
    metrics.push({ id: 'speaking_rate', label: 'Speaking rate', value: wpm, unit: 'wpm', threshold, verdict, explanation });
  }

  // fillers per minute of speaking
  {
    const perMinute = speaking > 0 ? round((fillers.length * 60) / speaking, 1) : null;
    const max = settings.maxFillersPerMinute;
    const threshold = max !== null ? `at most ${max} per minute` : null;
    const named = [...new Set(fillers.map((f) => `“${f.filler}”`))].slice(0, 3).join(', ');
    let verdict: AiMetric['verdict'] = perMinute === null ? 'attention' : max === null ? 'info' : perMinute <= max ? 'pass' : 'attention';
    let explanation = perMinute === null ? NO_SPEECH : fillers.length === 0 ? 'No filler words: clear and direct.' : `${fillers.length} filler word${fillers.length === 1 ? '' : 's'} (${named}), ${perMinute} per minute.`;
    if (perMinute !== null && max !== null && perMinute > max) explanation += ` Try a short silence instead of ${named}.`;
    if (!list.length && perMinute !== null) {
      verdict = 'info';
      explanation = `No filler list for language "${language}"; an administrator can add one.`;
    }
    metrics.push({ id: 'fillers', label: 'Filler words', value: perMinute, unit: 'per minute', threshold, verdict, explanation });
  }

  // pauses
  {
    const longest = pauses.reduce((m, p) => Math.max(m, p.seconds), 0);
    const verdict: AiMetric['verdict'] = noSpeech ? 'attention' : longest > LONG_PAUSE_SECONDS ? 'attention' : 'pass';
    const explanation = noSpeech
      ? NO_SPEECH
      : pauses.length === 0
        ? `No pauses of ${PAUSE_THRESHOLD_SECONDS} s or more.`
        : longest > LONG_PAUSE_SECONDS
          ? `${pauses.length} pause${pauses.length === 1 ? '' : 's'}; the longest (${longest.toFixed(1)} s at ${clock(pauses.find((p) => p.seconds === longest)?.start ?? 0)}) may lose your listener.`
          : `${pauses.length} pause${pauses.length === 1 ? '' : 's'} of ${PAUSE_THRESHOLD_SECONDS} s or more, none longer than ${LONG_PAUSE_SECONDS} s: well-placed pauses help.`;
    metrics.push({ id: 'pauses', label: 'Pauses', value: noSpeech ? null : pauses.length, unit: pauses.length === 1 ? 'pause' : 'pauses', threshold: `none longer than ${LONG_PAUSE_SECONDS} s`, verdict, explanation });
  }

  // duration against the target
  {
    const target = settings.targetDurationSeconds;
    const d = round(durationSeconds, 2);
    let verdict: AiMetric['verdict'] = 'info';
    let explanation = `Your answer lasted ${clock(d)}.`;
    let threshold: string | null = null;
    if (target !== null) {
      const slack = Math.round(target * DURATION_TOLERANCE);
      threshold = `${clock(target)} ± ${slack} s`;
      const off = d - target;
      verdict = Math.abs(off) <= target * DURATION_TOLERANCE ? 'pass' : 'attention';
      explanation = verdict === 'pass' ? `${clock(d)}: close to the ${clock(target)} aimed for.` : off > 0 ? `${clock(d)} is ${Math.round(off)} s longer than the ${clock(target)} aimed for; come to the point sooner.` : `${clock(d)} is ${Math.round(-off)} s shorter than the ${clock(target)} aimed for; there may be more to say.`;
    }
    metrics.push({ id: 'duration', label: 'Duration', value: d, unit: 's', threshold, verdict, explanation });
  }

  // key phrases
  {
    const n = keyPhrases.length;
    const said = keyPhrases.filter((k) => k.found).length;
    const missing = keyPhrases.filter((k) => !k.found).map((k) => `“${k.phrase}”`);
    const verdict: AiMetric['verdict'] = n === 0 ? 'info' : noSpeech || said < n ? 'attention' : 'pass';
    const explanation = n === 0 ? 'This exercise lists no key phrases.' : noSpeech ? NO_SPEECH : said === n ? `You used all ${n} key phrase${n === 1 ? '' : 's'}.` : `Not heard: ${missing.join(', ')}.`;
    metrics.push({ id: 'key_phrases', label: 'Key phrases', value: n === 0 || noSpeech ? null : said, unit: `of ${n}`, threshold: n ? `all ${n}` : null, verdict, explanation });
  }

  // phrases to avoid
  {
    const n = avoidPhrases.length;
    const used = avoidPhrases.filter((k) => k.found);
    const verdict: AiMetric['verdict'] = n === 0 ? 'info' : noSpeech ? 'attention' : used.length ? 'attention' : 'pass';
    const explanation = n === 0 ? 'This exercise lists no phrases to avoid.' : noSpeech ? NO_SPEECH : used.length ? `Avoid ${used.map((u) => `“${u.phrase}” (at ${clock(u.at ?? 0)})`).join(', ')}.` : 'You avoided every phrase to avoid.';
    metrics.push({ id: 'avoid_phrases', label: 'Phrases to avoid', value: n === 0 || noSpeech ? null : used.length, unit: 'used', threshold: n ? 'none' : null, verdict, explanation });
  }

  // tone
  {
    const names = ['', 'very negative', 'negative', 'neutral', 'positive', 'very positive'];
    const verdict: AiMetric['verdict'] = noSpeech ? 'attention' : tone === null ? 'info' : tone.level >= 3 ? 'pass' : 'attention';
    const explanation = noSpeech ? NO_SPEECH : tone === null ? `Tone is measured for English only (this answer: "${language}").` : tone.level >= 3 ? `Your words sound ${names[tone.level]}.` : `Your words sound ${names[tone.level]}; acknowledge the problem and offer help in positive terms.`;
    metrics.push({ id: 'sentiment', label: 'Tone', value: tone?.level ?? null, unit: '1–5', threshold: 'neutral or better (3–5)', verdict, explanation });
  }

  // loudness consistency
  {
    const verdict: AiMetric['verdict'] = level === null ? 'info' : level.spreadDb <= LOUDNESS_SPREAD_DB ? 'pass' : 'attention';
    const explanation = level === null ? (input.audio ? 'No voiced sound to measure.' : 'The audio was not measured.') : verdict === 'pass' ? `An even voice (varies by ${level.spreadDb} dB).` : `Your volume varies by ${level.spreadDb} dB; keep a steady distance from the microphone.`;
    metrics.push({ id: 'loudness', label: 'Loudness consistency', value: level?.spreadDb ?? null, unit: 'dB spread', threshold: `at most ${LOUDNESS_SPREAD_DB} dB`, verdict, explanation });
  }

  // a weak recogniser's word-level findings are things to check by listening, not verdicts
  if (!reliable && !noSpeech) {
    const who = input.recogniser?.engine === 'pocketsphinx' ? 'PocketSphinx' : (input.recogniser?.engine ?? 'The recogniser');
    for (const m of metrics) {
      if (m.id !== 'fillers' && m.id !== 'key_phrases' && m.id !== 'avoid_phrases') continue;
      m.lowConfidence = true;
      m.verdict = 'info';
      m.explanation = `${who} often mishears words, so listen before relying on this: ${m.explanation.charAt(0).toLowerCase()}${m.explanation.slice(1)}`;
    }
  }
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
  };
}
