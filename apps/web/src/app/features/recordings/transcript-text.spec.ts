import { passagesOf, spokenWordAt } from './transcript-text';

describe('spokenWordAt', () => {
  const words = [
    { start: 0, end: 0.5 },
    { start: 0.5, end: 0.9 },
    { start: 1.5, end: 2 },
  ];

  it('picks the later word where two words touch', () => {
    expect(spokenWordAt(words, 0)).toBe(0);
    expect(spokenWordAt(words, 0.5)).toBe(1);
    expect(spokenWordAt(words, 0.52)).toBe(1);
  });

  it('keeps a word lit for a moment after it ends, then nothing in a gap, before the first or after the last', () => {
    expect(spokenWordAt(words, 0.93)).toBe(1);
    expect(spokenWordAt(words, 1.2)).toBe(-1);
    expect(spokenWordAt(words, -0.1)).toBe(-1);
    expect(spokenWordAt(words, 2.2)).toBe(-1);
    expect(spokenWordAt([], 1)).toBe(-1);
  });
});

describe('passagesOf', () => {
  const w = (text: string, start: number, end: number) => ({ text, start, end, confidence: null });
  const texts = (t: Parameters<typeof passagesOf>[0]) =>
    passagesOf(t).map((p) => [p.start, p.words.map((x) => `${x.i}:${x.word.text}`)]);

  it('puts each word in the passage its middle falls in, keeping its place among all the words', () => {
    const segments = [
      { start: 0, end: 2, text: 'ask not what' },
      { start: 2, end: 4, text: 'your country' },
    ];
    // "your" starts a moment before its segment (word and segment times come apart), its middle is in it
    const words = [
      w('ask', 0.1, 0.5),
      w('not', 0.6, 1),
      w('what', 1.1, 1.6),
      w('your', 1.95, 2.4),
      w('country', 2.5, 3),
    ];
    expect(texts({ segments, words })).toEqual([
      [0, ['0:ask', '1:not', '2:what']],
      [2, ['3:your', '4:country']],
    ]);
  });

  it('makes one passage of words without segments, and leaves out passages without words', () => {
    expect(texts({ segments: [], words: [w('hello', 0.4, 0.8), w('there', 0.9, 1.2)] })).toEqual([
      [0.4, ['0:hello', '1:there']],
    ]);
    expect(
      texts({
        segments: [
          { start: 0, end: 1, text: '' },
          { start: 1, end: 2, text: 'hi' },
        ],
        words: [w('hi', 1.1, 1.3)],
      }),
    ).toEqual([[1, ['0:hi']]]);
    expect(passagesOf({ segments: [], words: [] })).toEqual([]);
  });

  it('shows the passages’ text where the engine gave no word times, none of it marked as being spoken', () => {
    const t = {
      segments: [
        { start: 0, end: 2.5, text: ' Thank you for calling.' },
        { start: 2.5, end: 3, text: ' ' },
        { start: 3, end: 5, text: 'I am  sorry' },
      ],
      words: [],
    };
    expect(texts(t)).toEqual([
      [0, ['0:Thank', '1:you', '2:for', '3:calling.']],
      [3, ['4:I', '5:am', '6:sorry']],
    ]);
    // the spoken word is looked up among the transcript's words: none here, at any moment
    expect(spokenWordAt(t.words, 1)).toBe(-1);
  });
});
