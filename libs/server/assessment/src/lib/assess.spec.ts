import { assess, AssessmentInput } from './assess';
import { aiMarkers } from './proposals';
import {
  findFillers,
  findPauses,
  loudness,
  paceOverTime,
  sentiment,
  speakingSeconds,
  wordGaps,
  wordsPerMinute,
} from './metrics';
import { findPhrase, sameWord, TimedWord, tokenize, words } from './text';

/** "Thank you for calling. ‖1.5 s‖ Um, I'm sorry, you know, the delay is like really annoying. ‖3.5 s‖ Let me be checking your orders and the refunt right now." */
const T: [string, number, number][] = [
  ['Thank', 0.5, 0.8],
  ['you', 0.8, 1.0],
  ['for', 1.0, 1.2],
  ['calling.', 1.2, 1.7],
  ['Um,', 3.2, 3.5],
  ["I'm", 3.6, 3.8],
  ['sorry,', 3.8, 4.2],
  ['you', 4.3, 4.45],
  ['know,', 4.45, 4.7],
  ['the', 4.8, 4.9],
  ['delay', 4.9, 5.3],
  ['is', 5.3, 5.4],
  ['like', 5.4, 5.6],
  ['really', 5.6, 5.9],
  ['annoying.', 5.9, 6.5],
  ['Let', 10.0, 10.2],
  ['me', 10.2, 10.3],
  ['be', 10.3, 10.4],
  ['checking', 10.4, 10.9],
  ['your', 10.9, 11.0],
  ['orders', 11.0, 11.5],
  ['and', 11.5, 11.6],
  ['the', 11.6, 11.7],
  ['refunt', 11.7, 12.2],
  ['right', 12.2, 12.4],
  ['now.', 12.4, 12.8],
];
const WORDS: TimedWord[] = T.map(([text, start, end]) => ({ text, start, end }));

const INPUT: AssessmentInput = {
  words: WORDS,
  durationSeconds: 14,
  language: 'en',
  settings: {
    keyPhrases: ['check your order', 'refund', 'I understand'],
    avoidPhrases: ['calm down', 'annoying'],
    wpmMin: 120,
    wpmMax: 170,
    maxFillersPerMinute: 4,
    targetDurationSeconds: 60,
  },
  audio: {
    silences: [
      { start: 0, end: 0.45 }, // before the first word: not a pause
      { start: 1.72, end: 3.18 },
      { start: 6.55, end: 9.95 },
      { start: 7.0, end: 7.5 }, // shorter than the threshold
      { start: 12.85, end: 14 }, // after the last word
    ],
    loudness: [
      { start: 0, db: -20 },
      { start: 0.5, db: -22 },
      { start: 1, db: -18 },
      { start: 1.5, db: -60 },
      { start: 2, db: -21 },
      { start: 2.5, db: -19 },
    ],
  },
};

describe('text matching', () => {
  it('normalises words: lowercase, punctuation off, inner apostrophes kept, hyphens split', () => {
    expect(words('Um, I’m SORRY—you know... check-in')).toEqual(['um', "i'm", 'sorry', 'you', 'know', 'check', 'in']);
  });

  it('matches by stem and allows small recognition errors, scaled to the word length', () => {
    expect(sameWord('order', 'order')).toBe(true);
    expect(sameWord('refund', 'refunt')).toBe(true); // 1 edit in 6 letters
    expect(sameWord('help', 'held')).toBe(false); // short words must match exactly
    expect(sameWord('apologis', 'apolog')).toBe(false); // 2 edits in 8 letters
    expect(sameWord('understanding', 'understandinx')).toBe(true);
    const tokens = tokenize(WORDS, 'en');
    expect(findPhrase(tokens, 'check your order', 'en')).toEqual([{ at: 18, length: 3 }]);
    expect(findPhrase(tokens, 'the', 'en')).toEqual([
      { at: 9, length: 1 },
      { at: 22, length: 1 },
    ]);
    expect(findPhrase(tokens, '...', 'en')).toEqual([]);
  });

  it('stems Dutch words for Dutch answers', () => {
    const nl = tokenize([{ text: 'Ik begrijpen het', start: 0, end: 1 }], 'nl');
    expect(findPhrase(nl, 'begrijp', 'nl')).toEqual([{ at: 1, length: 1 }]);
  });
});

describe('AI metrics on a fixed transcript', () => {
  it('speaking time leaves out pauses between words; the rate is words over speaking time', () => {
    expect(wordGaps(WORDS, 1)).toEqual([
      { start: 1.7, end: 3.2 },
      { start: 6.5, end: 10 },
    ]);
    expect(speakingSeconds(WORDS, 1)).toBe(7.3); // 12.8 − 0.5 − 1.5 − 3.5
    expect(wordsPerMinute(26, 7.3)).toBe(213.7);
    expect(wordsPerMinute(0, 0)).toBeNull();
  });

  it('pace over time in 10-second windows', () => {
    expect(paceOverTime(WORDS, 14)).toEqual([
      { start: 0, end: 10, wpm: 90 },
      { start: 10, end: 14, wpm: 165 },
    ]);
    expect(paceOverTime(WORDS, 10.5)).toEqual([{ start: 0, end: 10, wpm: 90 }]); // a last window under 1 s is left out
  });

  it('finds fillers with their positions, several-word fillers included; "like" as a verb is not a filler', () => {
    expect(findFillers(tokenize(WORDS, 'en'), ['um', 'you know', 'like', 'uh'])).toEqual([
      { filler: 'um', start: 3.2, end: 3.5 },
      { filler: 'you know', start: 4.3, end: 4.7 },
      { filler: 'like', start: 5.4, end: 5.6 },
    ]);
    const verb = tokenize(
      [
        { text: "I'd", start: 0, end: 0.2 },
        { text: 'like', start: 0.2, end: 0.4 },
        { text: 'that', start: 0.4, end: 0.6 },
      ],
      'en',
    );
    expect(findFillers(verb, ['like'])).toEqual([]);
    const dutch = tokenize(
      [
        { text: 'Nou,', start: 0, end: 0.3 },
        { text: 'ehm', start: 0.5, end: 0.8 },
        { text: 'ja', start: 1, end: 1.2 },
      ],
      'nl',
    );
    expect(findFillers(dutch, ['eh', 'ehm', 'nou'])).toEqual([
      { filler: 'nou', start: 0, end: 0.3 },
      { filler: 'ehm', start: 0.5, end: 0.8 },
    ]);
  });

  it('a backchannel ("mm-hmm", "uh-huh") is not the filler "hmm" or "uh"; "like" that compares is not a filler, "like," with a break is', () => {
    const t = (...ws: string[]) =>
      tokenize(
        ws.map((text, i) => ({ text, start: i, end: i + 0.5 })),
        'en',
      );
    const list = ['um', 'uh', 'hmm', 'like'];
    expect(findFillers(t('Mm-hmm,', 'I', 'see.'), list)).toEqual([]);
    expect(findFillers(t('Uh-huh.', 'Right.'), list)).toEqual([]);
    expect(findFillers(t('Mhm.'), list)).toEqual([]);
    expect(findFillers(t('Hmm,', 'let', 'me', 'think.'), list)).toEqual([{ filler: 'hmm', start: 0, end: 0.5 }]);
    expect(findFillers(t('It', 'works', 'like', 'a', 'mobile.'), list)).toEqual([]);
    expect(findFillers(t('just', 'like', 'that.'), list)).toEqual([]);
    expect(findFillers(t('It', 'was,', 'like,', 'the', 'worst', 'day.'), list)).toEqual([
      { filler: 'like', start: 2, end: 2.5 },
    ]);
    expect(findFillers(t('So', 'like', 'we', 'went', 'home.'), list)).toEqual([{ filler: 'like', start: 1, end: 1.5 }]);
  });

  it('finds pauses from word gaps and from the audio, once each, with the audio’s times where both agree', () => {
    expect(findPauses(WORDS, INPUT.audio!.silences, 1)).toEqual([
      { start: 1.72, end: 3.18, seconds: 1.46, source: 'both' },
      { start: 6.55, end: 9.95, seconds: 3.4, source: 'both' },
    ]);
    const w: TimedWord[] = [
      { text: 'a', start: 0, end: 1 },
      { text: 'b', start: 2.5, end: 3 },
      { text: 'c', start: 3, end: 6 },
    ];
    expect(findPauses(w, [{ start: 4, end: 5.2 }], 1)).toEqual([
      { start: 1, end: 2.5, seconds: 1.5, source: 'words' },
      { start: 4, end: 5.2, seconds: 1.2, source: 'audio' },
    ]);
    expect(findPauses([], [{ start: 0, end: 5 }], 1)).toEqual([]);
  });

  it('rates tone 1–5 from VADER’s compound score, English only', () => {
    expect(sentiment('This is terrible and I hate it.', 'en')).toEqual({ level: 1, compound: -0.7783 });
    expect(sentiment('I am not happy with this.', 'en')).toEqual({ level: 2, compound: -0.4585 });
    expect(sentiment('The parcel left the depot on Tuesday.', 'en')).toEqual({ level: 3, compound: 0 });
    expect(sentiment('That is fine.', 'en')).toEqual({ level: 4, compound: 0.2023 });
    expect(sentiment('Thank you so much, that is wonderful!', 'en')).toEqual({ level: 5, compound: 0.7574 });
    expect(sentiment('Dat is prima.', 'nl')).toBeNull();
    expect(sentiment('  ', 'en')).toBeNull();
  });

  it('measures loudness consistency over voiced windows only', () => {
    expect(loudness(INPUT.audio!.loudness)).toEqual({ meanDb: -20, spreadDb: 1.4 });
    expect(
      loudness([
        { start: 0, db: -70 },
        { start: 1, db: -Infinity },
      ]),
    ).toBeNull();
  });
});

describe('the AI report', () => {
  it('counts one pause in the singular', () => {
    // the answer up to "annoying.": only the 1.5 s silence after "calling." lies between words
    const words = WORDS.filter((w) => w.end <= 6.5);
    const one = assess({
      ...INPUT,
      words,
      durationSeconds: 7,
      audio: { ...INPUT.audio!, silences: INPUT.audio!.silences.filter((s) => s.end <= 6.6) },
    });
    const pauses = one.metrics.find((x) => x.id === 'pauses');
    expect(pauses).toMatchObject({ value: 1, unit: 'pause' });
  });

  it('explains every metric in Dutch too, with the same values and Dutch plurals', () => {
    const r = assess(INPUT);
    const nl = r.translations?.nl ?? {};
    expect(Object.keys(nl).sort()).toEqual(r.metrics.map((m) => m.id).sort());
    expect(nl.speaking_rate).toEqual({
      label: 'Spreektempo',
      unit: 'wpm',
      threshold: '120–170 woorden per minuut',
      explanation:
        'Met 213,7 woorden per minuut sprak je sneller dan de beoogde 120–170 woorden per minuut; doe het iets rustiger aan.',
    });
    expect(nl.fillers?.explanation).toBe(
      '3 stopwoorden (“um”, “you know”, “like”), 24,7 per minuut. Probeer een korte stilte in plaats van “um”, “you know”, “like”.',
    );
    expect(nl.pauses).toEqual({
      label: 'Pauzes',
      unit: 'pauzes',
      threshold: 'geen langer dan 3 s',
      explanation: '2 pauzes; de langste (3,4 s op 0:06) kan je luisteraar kwijtraken.',
    });
    expect(nl.duration?.explanation).toBe('0:14 is 46 s korter dan de beoogde 1:00; er valt misschien meer te zeggen.');
    expect(nl.key_phrases).toMatchObject({
      label: 'Kernzinnen',
      unit: 'van 3',
      threshold: 'alle 3',
      explanation: 'Niet gehoord: “I understand”.',
    });
    expect(nl.sentiment?.explanation).toBe(
      'Je woorden klinken negatief; erken het probleem en bied in positieve woorden hulp aan.',
    );
    // no English left in the Dutch words (placeholders all filled)
    for (const t of Object.values(nl)) expect(JSON.stringify(t)).not.toMatch(/\{\{|words per minute|pause|aimed for/);
    const one = assess({
      ...INPUT,
      words: WORDS.filter((w) => w.end <= 6.5),
      durationSeconds: 7,
      audio: { ...INPUT.audio!, silences: INPUT.audio!.silences.filter((x) => x.end <= 6.6) },
    });
    expect(one.translations?.nl?.pauses?.unit).toBe('pauze');
  });

  it('labels the coach’s AI markers in the coach’s language', () => {
    const r = assess(INPUT);
    expect(aiMarkers(r).map((m) => m.label)).toContain('Filler “um”');
    expect(aiMarkers(r, 'nl').map((m) => m.label)).toEqual(
      expect.arrayContaining(['Stopwoord “um”', 'Te vermijden zin: “annoying” op 0:05', 'Pauze van 3,4 s']),
    );
    expect(aiMarkers(r, 'xx').map((m) => m.label)).toEqual(aiMarkers(r).map((m) => m.label));
  });

  it('gives every metric a value, threshold, verdict and a one-line explanation', () => {
    const r = assess(INPUT);
    expect(r).toMatchObject({
      noSpeech: false,
      language: 'en',
      durationSeconds: 14,
      speakingSeconds: 7.3,
      wordCount: 26,
    });
    const m = Object.fromEntries(r.metrics.map((x) => [x.id, x]));
    expect(m['speaking_rate']).toEqual({
      id: 'speaking_rate',
      label: 'Speaking rate',
      value: 213.7,
      unit: 'wpm',
      threshold: '120–170 wpm',
      verdict: 'attention',
      explanation: 'At 213.7 words per minute you spoke faster than the 120–170 wpm aimed for; slow down a little.',
    });
    expect(m['fillers']).toEqual({
      id: 'fillers',
      label: 'Filler words',
      value: 24.7,
      unit: 'per minute',
      threshold: 'at most 4 per minute',
      verdict: 'attention',
      explanation:
        '3 filler words (“um”, “you know”, “like”), 24.7 per minute. Try a short silence instead of “um”, “you know”, “like”.',
    });
    expect(m['pauses']).toEqual({
      id: 'pauses',
      label: 'Pauses',
      value: 2,
      unit: 'pauses',
      threshold: 'none longer than 3 s',
      verdict: 'attention',
      explanation: '2 pauses; the longest (3.4 s at 0:06) may lose your listener.',
    });
    expect(m['duration']).toEqual({
      id: 'duration',
      label: 'Duration',
      value: 14,
      unit: 's',
      threshold: '1:00 ± 12 s',
      verdict: 'attention',
      explanation: '0:14 is 46 s shorter than the 1:00 aimed for; there may be more to say.',
    });
    expect(m['key_phrases']).toEqual({
      id: 'key_phrases',
      label: 'Key phrases',
      value: 2,
      unit: 'of 3',
      threshold: 'all 3',
      verdict: 'attention',
      explanation: 'Not heard: “I understand”.',
    });
    expect(m['avoid_phrases']).toEqual({
      id: 'avoid_phrases',
      label: 'Phrases to avoid',
      value: 1,
      unit: 'used',
      threshold: 'none',
      verdict: 'attention',
      explanation: 'Avoid “annoying” (at 0:05).',
    });
    expect(m['sentiment']).toEqual({
      id: 'sentiment',
      label: 'Tone',
      value: 2,
      unit: 'of 5',
      threshold: 'neutral or better (3–5)',
      verdict: 'attention',
      explanation: 'Your words sound negative; acknowledge the problem and offer help in positive terms.',
    });
    expect(m['loudness']).toEqual({
      id: 'loudness',
      label: 'Loudness consistency',
      value: 1.4,
      unit: 'dB spread',
      threshold: 'at most 6 dB',
      verdict: 'pass',
      explanation: 'An even voice (varies by 1.4 dB).',
    });
    expect(r.keyPhrases).toEqual([
      { phrase: 'check your order', found: true, at: 10.4, heard: 'checking your orders' },
      { phrase: 'refund', found: true, at: 11.7, heard: 'refunt' },
      { phrase: 'I understand', found: false, at: null, heard: null },
    ]);
    expect(r.avoidPhrases).toEqual([
      { phrase: 'calm down', found: false, at: null, heard: null },
      { phrase: 'annoying', found: true, at: 5.9, heard: 'annoying.' },
    ]);
    expect(r.sentiment).toEqual({ level: 2, compound: -0.1513 });
    expect(r.paceOverTime).toEqual([
      { start: 0, end: 10, wpm: 90 },
      { start: 10, end: 14, wpm: 165 },
    ]);
    expect(r.fillers.map((f) => f.start)).toEqual([3.2, 4.3, 5.4]);
  });

  it('passes an answer within every threshold', () => {
    const w: TimedWord[] = 'I understand and I am glad to check your order for you right away thank you'
      .split(' ')
      .map((text, i) => ({ text, start: 1 + i * 0.4, end: 1.35 + i * 0.4 }));
    const r = assess({
      ...INPUT,
      words: w,
      durationSeconds: 55,
      settings: { ...INPUT.settings, keyPhrases: ['I understand', 'check your order'], targetDurationSeconds: 60 },
      audio: undefined,
    });
    expect(r.metrics.map((x) => [x.id, x.value, x.verdict])).toEqual([
      ['speaking_rate', 151.2, 'pass'], // 16 words in 6.35 s
      ['fillers', 0, 'pass'],
      ['pauses', 0, 'pass'],
      ['duration', 55, 'pass'],
      ['key_phrases', 2, 'pass'],
      ['avoid_phrases', 0, 'pass'],
      ['sentiment', 5, 'pass'],
      ['loudness', null, 'info'],
    ]);
  });

  it('without thresholds, metrics are informational', () => {
    const r = assess({
      ...INPUT,
      settings: {
        keyPhrases: [],
        avoidPhrases: [],
        wpmMin: null,
        wpmMax: null,
        maxFillersPerMinute: null,
        targetDurationSeconds: null,
      },
    });
    const v = Object.fromEntries(r.metrics.map((x) => [x.id, x.verdict]));
    expect(v).toMatchObject({
      speaking_rate: 'info',
      fillers: 'info',
      duration: 'info',
      key_phrases: 'info',
      avoid_phrases: 'info',
    });
  });

  it('a transcript with no words is "no speech detected", not a crash', () => {
    const r = assess({ ...INPUT, words: [], durationSeconds: 9.5 });
    expect(r).toMatchObject({
      noSpeech: true,
      wordCount: 0,
      speakingSeconds: 0,
      fillers: [],
      pauses: [],
      paceOverTime: [],
      sentiment: null,
    });
    for (const m of r.metrics.filter((x) => !['duration', 'loudness'].includes(x.id))) {
      expect(m.value).toBeNull();
      expect(m.verdict).toBe('attention');
      expect(m.explanation).toBe('No speech was detected in this recording, so this could not be measured.');
    }
    expect(r.metrics.find((x) => x.id === 'duration')?.value).toBe(9.5);
  });

  it('uses the tenant’s filler list for the language, and says so when a language has none', () => {
    const nl: TimedWord[] = [
      { text: 'Nou', start: 0, end: 0.5 },
      { text: 'dat', start: 0.5, end: 1 },
      { text: 'zeker', start: 1, end: 1.5 },
    ];
    expect(assess({ ...INPUT, words: nl, language: 'nl', fillers: { nl: ['zeker'] } }).fillers).toEqual([
      { filler: 'zeker', start: 1, end: 1.5 },
    ]);
    expect(assess({ ...INPUT, words: nl, language: 'nl' }).fillers).toEqual([{ filler: 'nou', start: 0, end: 0.5 }]);
    const fi = assess({ ...INPUT, words: nl, language: 'fi' }).metrics.find((x) => x.id === 'fillers');
    expect(fi).toMatchObject({
      verdict: 'info',
      explanation: 'No filler list for language "fi"; an administrator can add one.',
    });
  });
});

describe('findings from a weak recogniser, or from words heard with low confidence', () => {
  it('a weak recogniser’s word-level findings are things to check, not verdicts; sound-based ones stay verdicts', () => {
    const report = assess({
      ...INPUT,
      recogniser: {
        engine: 'pocketsphinx',
        model: 'en-us',
        reliableWords: false,
        accuracy: 'about 44 words in 100 misheard',
      },
    });
    const byId = Object.fromEntries(report.metrics.map((m) => [m.id, m]));
    for (const id of ['fillers', 'key_phrases', 'avoid_phrases']) {
      expect(byId[id]).toMatchObject({ lowConfidence: true, verdict: 'info' });
      expect(byId[id].explanation).toMatch(/^PocketSphinx often mishears words, so listen before relying on this: /);
    }
    for (const id of ['speaking_rate', 'pauses', 'duration']) expect(byId[id].lowConfidence).toBeUndefined();
    expect(report.recogniser?.engine).toBe('pocketsphinx');
    expect(report.fillers.every((f) => f.lowConfidence)).toBe(true);
    expect(report.avoidPhrases.find((h) => h.found)?.lowConfidence).toBe(true);
    const markers = aiMarkers(report);
    expect(
      markers.filter((m) => m.kind === 'filler').every((m) => m.lowConfidence && m.label.startsWith('Possible filler')),
    ).toBe(true);
    expect(markers.filter((m) => m.kind === 'pause').every((m) => !m.lowConfidence)).toBe(true);
  });

  it('a strong recogniser’s findings are verdicts, except words it gave low confidence', () => {
    const words = WORDS.map((w) => ({ ...w, confidence: w.text === 'Um,' ? 0.3 : 0.9 }));
    const report = assess({
      ...INPUT,
      words,
      recogniser: {
        engine: 'whisper.cpp',
        model: 'ggml-tiny.en.bin',
        reliableWords: true,
        accuracy: 'about 1 word in 16',
      },
    });
    expect(report.metrics.find((m) => m.id === 'fillers')).toMatchObject({ verdict: 'attention' });
    expect(report.metrics.find((m) => m.id === 'fillers')?.lowConfidence).toBeUndefined();
    const um = report.fillers.find((f) => f.filler === 'um');
    expect(um).toMatchObject({ confidence: 0.3, lowConfidence: true });
    expect(report.fillers.find((f) => f.filler === 'you know')).toEqual(expect.objectContaining({ confidence: 0.9 }));
    expect(report.fillers.find((f) => f.filler === 'you know')?.lowConfidence).toBeUndefined();
  });
});
