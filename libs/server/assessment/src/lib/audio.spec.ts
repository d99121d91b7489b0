import { measureAudio } from './audio';

const RATE = 16_000;
const tone = (seconds: number, amplitude: number) =>
  Float32Array.from(
    { length: Math.round(seconds * RATE) },
    (_, i) => amplitude * Math.sin((2 * Math.PI * 200 * i) / RATE),
  );
const silence = (seconds: number) => new Float32Array(Math.round(seconds * RATE));
function concat(...parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe('audio measurements (energy-based voice activity, loudness)', () => {
  // 1 s "voice", 1.5 s silence, 1 s voice, 0.5 s hum 60 dB down, 0.5 s voice, 0.2 s silence (too short)
  const pcm = concat(
    tone(1, 0.5),
    silence(1.5),
    tone(1, 0.5),
    tone(0.5, 0.0005),
    tone(0.5, 0.5),
    silence(0.2),
    tone(0.5, 0.5),
  );

  it('finds silences at their exact place, including sound far below the speech level, and ignores short gaps', () => {
    const m = measureAudio(pcm);
    expect(m.silenceDb).toBe(-39); // the speech level (−9.0 dBFS) less 30 dB
    expect(m.silences).toEqual([
      { start: 1, end: 2.5 },
      { start: 3.5, end: 4 },
    ]);
    expect(m.durationSeconds).toBe(5.2);
  });

  it('reads the level of each half second', () => {
    const m = measureAudio(pcm);
    expect(m.loudness.map((w) => [w.start, w.db])).toEqual([
      [0, -9],
      [0.5, -9],
      [1, -Infinity],
      [1.5, -Infinity],
      [2, -Infinity],
      [2.5, -9],
      [3, -9],
      [3.5, -69],
      [4, -9],
      [4.5, -11.2], // 0.2 s silence + 0.3 s voice; the last 0.2 s (under half a window) is left out
    ]);
  });

  it('takes a fixed silence level when given one, and handles silence only', () => {
    expect(measureAudio(pcm, { silenceDb: -80 }).silences).toEqual([{ start: 1, end: 2.5 }]);
    expect(measureAudio(silence(2))).toMatchObject({ silences: [{ start: 0, end: 2 }], silenceDb: -60 });
    expect(measureAudio(new Float32Array(0))).toEqual({
      silences: [],
      loudness: [],
      silenceDb: -60,
      durationSeconds: 0,
    });
  });
});
