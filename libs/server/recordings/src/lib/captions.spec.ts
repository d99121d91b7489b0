import { segmentsFromWords, toWebVtt } from './captions';
import { mediaPreconditions, parseRange } from './range';

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

describe('HTTP Range parsing', () => {
  it.each([
    ['bytes=0-', 100, { start: 0, end: 99 }],
    ['bytes=0-0', 100, { start: 0, end: 0 }],
    ['bytes=10-19', 100, { start: 10, end: 19 }],
    ['bytes=90-500', 100, { start: 90, end: 99 }],
    ['bytes=-10', 100, { start: 90, end: 99 }],
    ['bytes=-500', 100, { start: 0, end: 99 }],
    ['BYTES = 5 - 6', 100, { start: 5, end: 6 }],
    ['bytes=100-', 100, 'unsatisfiable'],
    ['bytes=1000-2000', 100, 'unsatisfiable'],
    ['bytes=-0', 100, 'unsatisfiable'],
    ['bytes=0-', 0, 'unsatisfiable'],
    [undefined, 100, null],
    ['bytes=5-1', 100, null],
    ['bytes=0-1,5-6', 100, null],
    ['items=0-1', 100, null],
    ['bytes=-', 100, null],
    ['bytes=abc', 100, null],
    // a position past every safe integer is past the end: the start unsatisfiable, the end clipped
    ['bytes=99999999999999999999-', 100, 'unsatisfiable'],
    ['bytes=0-99999999999999999999', 100, { start: 0, end: 99 }],
    ['bytes=-99999999999999999999', 100, { start: 0, end: 99 }],
  ])('%s of %d bytes', (header, size, expected) => {
    expect(parseRange(header as string | undefined, size as number)).toEqual(expected);
  });
});

describe('conditional media reads (RFC 9110 §13)', () => {
  const etag = '"rec-100"';
  it.each([
    // no condition: the range as sent
    [{ range: 'bytes=0-9' }, { status: 200, range: 'bytes=0-9' }],
    [{}, { status: 200, range: undefined }],
    // If-None-Match: the browser's copy is current (weak comparison), whatever the range
    [{ ifNoneMatch: '"rec-100"' }, { status: 304 }],
    [{ ifNoneMatch: 'W/"rec-100"', range: 'bytes=0-9' }, { status: 304 }],
    [{ ifNoneMatch: '"old", "rec-100"' }, { status: 304 }],
    [{ ifNoneMatch: ' , "rec-100" ,' }, { status: 304 }],
    [{ ifNoneMatch: '*' }, { status: 304 }],
    [{ ifNoneMatch: '"old"' }, { status: 200, range: undefined }],
    [{ ifNoneMatch: 'rec-100' }, { status: 200, range: undefined }],
    [{ ifNoneMatch: '"rec-100" "x"' }, { status: 200, range: undefined }],
    [{ ifNoneMatch: '' }, { status: 200, range: undefined }],
    // If-Match: strong comparison; it comes first
    [
      { ifMatch: '"rec-100"', range: 'bytes=0-9' },
      { status: 200, range: 'bytes=0-9' },
    ],
    [{ ifMatch: '*' }, { status: 200, range: undefined }],
    [{ ifMatch: 'W/"rec-100"' }, { status: 412 }],
    [{ ifMatch: '"old"' }, { status: 412 }],
    [{ ifMatch: 'garbage' }, { status: 412 }],
    [{ ifMatch: '"old"', ifNoneMatch: '"rec-100"' }, { status: 412 }],
    // If-Range: the range only for the same copy (strong), never for a weak tag or a date
    [
      { ifRange: '"rec-100"', range: 'bytes=0-9' },
      { status: 200, range: 'bytes=0-9' },
    ],
    [
      { ifRange: ' "rec-100" ', range: 'bytes=0-9' },
      { status: 200, range: 'bytes=0-9' },
    ],
    [
      { ifRange: '"old"', range: 'bytes=0-9' },
      { status: 200, range: undefined },
    ],
    [
      { ifRange: 'W/"rec-100"', range: 'bytes=0-9' },
      { status: 200, range: undefined },
    ],
    [
      { ifRange: 'Thu, 01 Jan 2026 00:00:00 GMT', range: 'bytes=0-9' },
      { status: 200, range: undefined },
    ],
    [
      { ifRange: 'garbage', range: 'bytes=0-9' },
      { status: 200, range: undefined },
    ],
    [{ ifRange: '"old"' }, { status: 200, range: undefined }],
  ])('%j', (request, expected) => {
    expect(mediaPreconditions(request, etag)).toEqual(expected);
  });
});
