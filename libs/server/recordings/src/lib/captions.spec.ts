import { segmentsFromWords, toWebVtt } from './captions';

const w = (text: string, start: number, end: number) => ({ text, start, end, confidence: 0.9 });

describe('passages and WebVTT captions', () => {
  it('splits words into passages at pauses and sentence ends', () => {
    const segments = segmentsFromWords([
      w(' And', 0, 0.3),
      w('so', 0.3, 0.5),
      w('my', 0.5, 0.7),
      w('fellow', 0.7, 1),
      w('Americans,', 1, 1.6),
      w('ask', 3.1, 3.4),
      w('not.', 3.4, 3.8),
      w('What', 3.9, 4.1),
    ]);
    expect(segments).toEqual([
      { start: 0, end: 1.6, text: 'And so my fellow Americans,' },
      { start: 3.1, end: 3.8, text: 'ask not.' },
      { start: 3.9, end: 4.1, text: 'What' },
    ]);
    expect(segmentsFromWords([])).toEqual([]);
    expect(segmentsFromWords([w('  ', 0, 1)])).toEqual([]);
  });

  it('caps a passage at a readable length', () => {
    const many = Array.from({ length: 40 }, (_, i) => w(`w${i}`, i * 0.2, i * 0.2 + 0.2));
    const segments = segmentsFromWords(many);
    expect(segments.length).toBeGreaterThanOrEqual(3);
    expect(segments.every((s) => s.text.split(' ').length <= 14)).toBe(true);
    expect(segments.map((s) => s.text).join(' ')).toBe(many.map((x) => x.text).join(' '));
  });

  it('writes WebVTT with escaped cue text that cannot break out of its cue', () => {
    const vtt = toWebVtt([
      { start: 0, end: 1.5, text: 'Hello <b>there</b> & you' },
      { start: 3661.25, end: 3662, text: 'line one\n\nline two --> three' },
    ]);
    expect(vtt).toBe(
      'WEBVTT\n\n1\n00:00:00.000 --> 00:00:01.500\nHello &lt;b&gt;there&lt;/b&gt; &amp; you\n\n2\n01:01:01.250 --> 01:01:02.000\nline one line two --&gt; three\n',
    );
    expect(toWebVtt([])).toBe('WEBVTT\n\n');
  });
});
