import { mmss, spokenWordAt } from './answer-media';

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

describe('mmss', () => {
  it('writes minutes and seconds, rounding and never negative', () => {
    expect(mmss(0)).toBe('0:00');
    expect(mmss(61.6)).toBe('1:02');
    expect(mmss(-3)).toBe('0:00');
  });
});
