import { distance } from 'fastest-levenshtein';
import { newStemmer } from 'snowball-stemmers';

/** A recognised word with its time, as the speech engines give it. */
export interface TimedWord {
  text: string;
  start: number;
  end: number;
  /** the recogniser's confidence (0–1), where it gives one */
  confidence?: number | null;
}

/** One normalised token of the transcript, with the time of the word it came from. */
export interface Token {
  norm: string;
  stem: string;
  start: number;
  end: number;
  /** index of the transcript word it came from */
  word: number;
  /** the word was written with punctuation after it (a comma, a full stop): a break follows */
  breakAfter: boolean;
}

const SNOWBALL: Record<string, string> = {
  en: 'english',
  nl: 'dutch',
  de: 'german',
  fr: 'french',
  es: 'spanish',
  pt: 'portuguese',
};
const stemmers = new Map<string, { stem(w: string): string }>();

/** The Snowball stem of a lowercase word (the word itself for a language without a stemmer). */
export function stem(word: string, language: string): string {
  const name = SNOWBALL[language.slice(0, 2)];
  if (!name) return word;
  let s = stemmers.get(name);
  if (!s) {
    s = newStemmer(name);
    stemmers.set(name, s);
  }
  return s.stem(word);
}

/** Lowercase words without punctuation; apostrophes inside words stay ("i'd"), hyphens split. */
export function words(text: string): string[] {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[’‘`]/g, "'")
    .split(/[^\p{L}\p{N}']+/u)
    .map((w) => w.replace(/^'+|'+$/g, ''))
    .filter((w) => w.length > 0);
}

/** The transcript as normalised tokens; a word the recogniser wrote with punctuation becomes its plain form. */
export function tokenize(transcript: TimedWord[], language: string): Token[] {
  const out: Token[] = [];
  transcript.forEach((w, i) => {
    const parts = words(w.text);
    const breakAfter = /[,.;:!?…]\s*$/.test(w.text.trim());
    parts.forEach((norm, k) =>
      out.push({
        norm,
        stem: stem(norm, language),
        start: w.start,
        end: w.end,
        word: i,
        breakAfter: breakAfter && k === parts.length - 1,
      }),
    );
  });
  return out;
}

/**
 * Whether a heard stem is the expected one, allowing for small recognition errors: one edit in a
 * stem of 5 letters or more, two in one of 9 or more; shorter stems must match exactly.
 */
export function sameWord(expected: string, heard: string): boolean {
  if (expected === heard) return true;
  const len = Math.max(expected.length, heard.length);
  const allowed = len >= 9 ? 2 : len >= 5 ? 1 : 0;
  return allowed > 0 && Math.abs(expected.length - heard.length) <= allowed && distance(expected, heard) <= allowed;
}

export interface PhraseMatch {
  /** index of the first matching token */
  at: number;
  length: number;
}

/**
 * Every place the phrase was said, left to right, not overlapping: its words in order, each
 * matched by stem (inflection) and tolerant of small recognition errors.
 */
export function findPhrase(tokens: Token[], phrase: string, language: string): PhraseMatch[] {
  const want = words(phrase).map((w) => stem(w, language));
  const found: PhraseMatch[] = [];
  if (!want.length) return found;
  for (let i = 0; i + want.length <= tokens.length; i++) {
    if (want.every((w, k) => sameWord(w, tokens[i + k].stem))) {
      found.push({ at: i, length: want.length });
      i += want.length - 1;
    }
  }
  return found;
}
