/**
 * The AI coach's measurements, as pure functions over a word-timed transcript and measurements
 * of the audio, so each one is tested on fixed inputs with exact results. Times are seconds.
 */
import { SentimentIntensityAnalyzer } from 'vader-sentiment';
import type { FillerHit, PacePoint, PauseFound, PhraseHit, TimedSpan } from '@rehearse/shared/contracts';
import { findPhrase, TimedWord, Token, words as plainWords } from './text';
import { round } from './numbers';

/** Gaps between consecutive words of at least `threshold` seconds (before the first and after the last word do not count). */
export function wordGaps(words: TimedWord[], threshold: number): TimedSpan[] {
  const gaps: TimedSpan[] = [];
  for (let i = 1; i < words.length; i++) {
    const start = words[i - 1].end;
    const end = words[i].start;
    if (end - start >= threshold) gaps.push({ start, end });
  }
  return gaps;
}

/**
 * Speaking time: from the start of the first word to the end of the last, less the pauses
 * between words (gaps of at least `pauseThreshold`). Zero without words.
 */
export function speakingSeconds(words: TimedWord[], pauseThreshold: number): number {
  if (!words.length) return 0;
  const span = words[words.length - 1].end - words[0].start;
  const paused = wordGaps(words, pauseThreshold).reduce((s, g) => s + (g.end - g.start), 0);
  return round(Math.max(0, span - paused), 3);
}

/** Words per minute of speaking time, to one decimal; null without speech. */
export function wordsPerMinute(wordCount: number, speaking: number): number | null {
  return speaking > 0 && wordCount > 0 ? round((wordCount * 60) / speaking, 1) : null;
}

/**
 * Pace over time: the answer cut into windows of `windowSeconds` (the last one shorter), each
 * with the words that start in it, per minute of window. A last window under a second is left out.
 */
export function paceOverTime(words: TimedWord[], durationSeconds: number, windowSeconds = 10): PacePoint[] {
  const points: PacePoint[] = [];
  for (let start = 0; start < durationSeconds; start += windowSeconds) {
    const end = Math.min(durationSeconds, start + windowSeconds);
    if (end - start < 1) break;
    const n = words.filter((w) => w.start >= start && w.start < end).length;
    points.push({ start, end: round(end, 3), wpm: round((n * 60) / (end - start), 1) });
  }
  return points;
}

/** "like" is a filler unless the word before shows a verb or a comparison ("I'd like", "looks like"). */
const LIKE_NOT_FILLER_AFTER = new Set([
  "i'd",
  "you'd",
  "we'd",
  "they'd",
  'would',
  'i',
  'you',
  'we',
  'they',
  'to',
  "don't",
  "didn't",
  'do',
  'does',
  'did',
  'feel',
  'feels',
  'felt',
  'look',
  'looks',
  'looked',
  'sound',
  'sounds',
  'seem',
  'seems',
  'something',
  'anything',
  'nothing',
  'just',
  'really',
  'not',
]);

/** "like" before these, with no break between, compares ("works like a mobile"): not a filler. */
const LIKE_NOT_FILLER_BEFORE = new Set([
  'a',
  'an',
  'the',
  'this',
  'that',
  'these',
  'those',
  'my',
  'your',
  'his',
  'her',
  'its',
  'our',
  'their',
  'me',
  'him',
  'us',
  'them',
  'it',
  'someone',
  'somebody',
  'anyone',
  'everyone',
  'one',
  'any',
  'some',
  'every',
  'each',
  'what',
  'how',
  'new',
  'before',
]);

/** Listener sounds ("mm-hmm", "uh-huh") are backchannels, not fillers, even where a part ("hmm", "uh") is on the list. */
const BACKCHANNELS = new Set(['mm hmm', 'mhm', 'mmhmm', 'mm hm', 'm hm', 'uh huh', 'uh uh', 'mm mm', 'hm mm', 'uhuh']);

/**
 * Fillers from the language's list, with where they were said; several-word fillers ("you know")
 * are found as a sequence of words. Matching is exact (no stemming): "ums" is not "um". A
 * backchannel ("mm-hmm") is not a filler, and "like" is not one where it compares or is a verb.
 */
export function findFillers(tokens: Token[], list: string[]): FillerHit[] {
  const entries = list.map((f) => ({ filler: f, parts: plainWords(f) })).filter((e) => e.parts.length > 0);
  // longer fillers first, so "you know" wins over a one-word entry at the same place
  entries.sort((a, b) => b.parts.length - a.parts.length);
  const backchannel = new Set<number>();
  for (let i = 0; i < tokens.length; i++) {
    for (const n of [2, 1]) {
      const group = tokens.slice(i, i + n);
      if (
        group.length === n &&
        group.every((t) => t.word === group[0].word || n === 1) &&
        BACKCHANNELS.has(group.map((t) => t.norm).join(' '))
      ) {
        group.forEach((_, k) => backchannel.add(i + k));
        break;
      }
    }
  }
  const hits: FillerHit[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (backchannel.has(i)) continue;
    const e = entries.find((x) => x.parts.every((p, k) => tokens[i + k]?.norm === p));
    if (!e) continue;
    if (e.parts.length === 1 && e.parts[0] === 'like' && i > 0 && LIKE_NOT_FILLER_AFTER.has(tokens[i - 1].norm))
      continue;
    if (
      e.parts.length === 1 &&
      e.parts[0] === 'like' &&
      !tokens[i].breakAfter &&
      LIKE_NOT_FILLER_BEFORE.has(tokens[i + 1]?.norm ?? '')
    )
      continue;
    const last = tokens[i + e.parts.length - 1];
    hits.push({ filler: e.filler, start: tokens[i].start, end: last.end });
    i += e.parts.length - 1;
  }
  return hits;
}

/**
 * Pauses of at least `threshold`: gaps between recognised words, and silences measured in the
 * audio (ffmpeg silencedetect) that fall between the first and the last word. Where both see
 * the same pause it is reported once, with the audio's more precise times.
 */
export function findPauses(words: TimedWord[], silences: TimedSpan[], threshold: number): PauseFound[] {
  const fromWords = wordGaps(words, threshold);
  const first = words[0]?.start ?? 0;
  const last = words[words.length - 1]?.end ?? 0;
  const fromAudio = words.length
    ? silences.filter((s) => s.end - s.start >= threshold && s.start >= first - 0.05 && s.end <= last + 0.05)
    : [];
  const out: PauseFound[] = [];
  const usedAudio = new Set<number>();
  for (const g of fromWords) {
    const k = fromAudio.findIndex((s, idx) => !usedAudio.has(idx) && s.start < g.end && s.end > g.start);
    if (k >= 0) {
      usedAudio.add(k);
      const s = fromAudio[k];
      out.push({ start: round(s.start, 3), end: round(s.end, 3), seconds: round(s.end - s.start, 3), source: 'both' });
    } else {
      out.push({ start: round(g.start, 3), end: round(g.end, 3), seconds: round(g.end - g.start, 3), source: 'words' });
    }
  }
  fromAudio.forEach((s, idx) => {
    if (!usedAudio.has(idx))
      out.push({ start: round(s.start, 3), end: round(s.end, 3), seconds: round(s.end - s.start, 3), source: 'audio' });
  });
  return out.sort((a, b) => a.start - b.start);
}

/** Each expected phrase: whether and when (first time) it was said, and what was heard there. */
export function phraseHits(tokens: Token[], transcript: TimedWord[], phrases: string[], language: string): PhraseHit[] {
  return phrases.map((phrase) => {
    const [m] = findPhrase(tokens, phrase, language);
    if (!m) return { phrase, found: false, at: null, heard: null };
    const from = tokens[m.at].word;
    const to = tokens[m.at + m.length - 1].word;
    return {
      phrase,
      found: true,
      at: tokens[m.at].start,
      heard: transcript
        .slice(from, to + 1)
        .map((w) => w.text.trim())
        .join(' '),
    };
  });
}

/**
 * Tone on a 1–5 scale from VADER's compound score (a lexicon and rules, computed locally):
 * ≤ −0.5 → 1, < −0.05 → 2, up to 0.05 → 3 (neutral), < 0.5 → 4, ≥ 0.5 → 5.
 * English only: null for other languages, which VADER's lexicon does not cover.
 */
export function sentiment(text: string, language: string): { level: 1 | 2 | 3 | 4 | 5; compound: number } | null {
  if (!language.startsWith('en') || !text.trim()) return null;
  const compound = SentimentIntensityAnalyzer.polarity_scores(text).compound;
  const level = compound <= -0.5 ? 1 : compound < -0.05 ? 2 : compound <= 0.05 ? 3 : compound < 0.5 ? 4 : 5;
  return { level, compound: round(compound, 4) };
}

/** A loudness reading of the audio: RMS level in dBFS of the window starting at `start`. */
export interface LoudnessWindow {
  start: number;
  db: number;
}

/**
 * Loudness consistency over the windows with voice (louder than `floorDb`): their mean level and
 * spread (population standard deviation), in dB to one decimal. Null with no voiced window.
 */
export function loudness(windows: LoudnessWindow[], floorDb = -45): { meanDb: number; spreadDb: number } | null {
  const voiced = windows.map((w) => w.db).filter((db) => Number.isFinite(db) && db > floorDb);
  if (!voiced.length) return null;
  const mean = voiced.reduce((a, b) => a + b, 0) / voiced.length;
  const variance = voiced.reduce((a, b) => a + (b - mean) ** 2, 0) / voiced.length;
  return { meanDb: round(mean, 1), spreadDb: round(Math.sqrt(variance), 1) };
}
