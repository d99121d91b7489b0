import { execFileSync } from 'node:child_process';
import { measureAudio, voiceActivity } from './audio';

/**
 * The silence detector on real speech with room noise: read LibriVox recordings from Debian's
 * pocketsphinx-testdata (a noise floor some 25 dB under the speech, as in LibriSpeech), joined by a
 * pause made of the recording's own background noise, not digital silence.
 */
const LIBRIVOX = '/usr/share/pocketsphinx/test/data/librivox';
const clip = (n: string) => `${LIBRIVOX}/sense_and_sensibility_01_austen_64kb-${n}.wav`;
const RATE = 16_000;

function pcmOf(file: string): Float32Array {
  const out = execFileSync(
    'ffmpeg',
    ['-nostdin', '-v', 'error', '-i', file, '-ac', '1', '-ar', String(RATE), '-f', 'f32le', '-'],
    { maxBuffer: 1 << 28 },
  );
  return new Float32Array(out.buffer, out.byteOffset, out.byteLength / 4).slice();
}

/** `seconds` of the recording's own background: its quietest 0.2 s, repeated. */
function roomNoise(pcm: Float32Array, seconds: number): Float32Array {
  const win = 0.2 * RATE;
  let best = 0;
  let bestEnergy = Infinity;
  for (let i = 0; i + win <= pcm.length; i += win / 4) {
    let e = 0;
    for (let k = i; k < i + win; k++) e += pcm[k] * pcm[k];
    if (e < bestEnergy) [best, bestEnergy] = [i, e];
  }
  const piece = pcm.subarray(best, best + win);
  return Float32Array.from({ length: Math.round(seconds * RATE) }, (_, i) => piece[i % piece.length]);
}

function join(...parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe('pauses in real speech with room noise', () => {
  const a = pcmOf(clip('0880'));
  const b = pcmOf(clip('0930'));

  it('the recordings have a noise floor close to the speech: 30 dB under speech would be below it', () => {
    const v = voiceActivity(a);
    expect(v.speechDb - v.noiseFloorDb).toBeLessThan(30);
    expect(v.thresholdDb).toBeGreaterThan(v.noiseFloorDb + 5);
    expect(v.thresholdDb).toBeLessThan(v.speechDb - 3);
  });

  it.each([1.5, 1.15])(
    'finds a %s s pause of room noise between two sentences, where the old fixed level found none',
    (seconds) => {
      const pcm = join(a, roomNoise(a, seconds), b);
      const junction = a.length / RATE;
      const found = measureAudio(pcm).silences.filter((s) => s.end - s.start >= 1);
      expect(found).toHaveLength(1);
      const [pause] = found;
      expect(pause.start).toBeLessThanOrEqual(junction + 0.05);
      expect(pause.end).toBeGreaterThanOrEqual(junction + seconds - 0.05);
      // the clips' own quiet ends add at most half a second
      expect(pause.end - pause.start).toBeLessThan(seconds + 0.6);
      // the old level (30 dB under speech) sits below this room's noise: no pause at all
      const speech = [...voiceActivity(pcm).frames].sort((x, y) => x - y)[
        Math.floor(voiceActivity(pcm).frames.length * 0.9)
      ];
      expect(
        measureAudio(pcm, { silenceDb: Math.min(-30, Math.max(-60, speech - 30)) }).silences.filter(
          (s) => s.end - s.start >= 1,
        ),
      ).toEqual([]);
    },
  );

  it('invents no pause inside continuous read speech', () => {
    for (const n of ['0870', '0890', '0920']) {
      expect(measureAudio(pcmOf(clip(n))).silences.filter((s) => s.end - s.start >= 1)).toEqual([]);
    }
  });
});
