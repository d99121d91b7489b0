import type { TimedSpan } from '@rehearse/shared/contracts';
import type { LoudnessWindow } from './metrics';
import { round } from './numbers';

export interface AudioMeasurements {
  /** stretches quieter than `silenceDb`, at least `minSilenceSeconds` long */
  silences: TimedSpan[];
  /** RMS level per window */
  loudness: LoudnessWindow[];
  /** the level below which a frame counted as silence */
  silenceDb: number;
  durationSeconds: number;
}

export interface AudioOptions {
  sampleRate: number;
  frameSeconds: number;
  windowSeconds: number;
  minSilenceSeconds: number;
  /** a fixed silence level in dBFS; by default 30 dB under the speech level, between −60 and −30 dBFS */
  silenceDb?: number;
}

const DEFAULTS: AudioOptions = { sampleRate: 16_000, frameSeconds: 0.02, windowSeconds: 0.5, minSilenceSeconds: 0.3 };

function rmsDb(pcm: Float32Array, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += pcm[i] * pcm[i];
  const rms = Math.sqrt(sum / Math.max(1, to - from));
  return rms > 0 ? 20 * Math.log10(rms) : -Infinity;
}

/**
 * Measures the sound itself, independent of the recogniser: an energy-based voice-activity check
 * in 20 ms frames (what ffmpeg's silencedetect does, on the PCM the pipeline already holds) giving
 * the silences, and the RMS level of each half second for loudness consistency.
 * The silence level adapts to the recording: 30 dB under its speech level (the 90th percentile
 * of frame levels), kept between −60 and −30 dBFS.
 */
export function measureAudio(pcm: Float32Array, options: Partial<AudioOptions> = {}): AudioMeasurements {
  const o = { ...DEFAULTS, ...options };
  const frame = Math.max(1, Math.round(o.frameSeconds * o.sampleRate));
  const frames: number[] = [];
  for (let i = 0; i + frame <= pcm.length; i += frame) frames.push(rmsDb(pcm, i, i + frame));
  const finite = frames.filter(Number.isFinite).sort((a, b) => a - b);
  const speech = finite.length ? finite[Math.floor(finite.length * 0.9)] : -Infinity;
  const silenceDb = o.silenceDb ?? Math.min(-30, Math.max(-60, speech - 30));
  const silences: TimedSpan[] = [];
  let runStart = -1;
  const close = (endFrame: number) => {
    const start = (runStart * frame) / o.sampleRate;
    const end = (endFrame * frame) / o.sampleRate;
    if (end - start >= o.minSilenceSeconds - 1e-9) silences.push({ start: round(start, 3), end: round(end, 3) });
    runStart = -1;
  };
  frames.forEach((db, k) => {
    const quiet = !(db > silenceDb);
    if (quiet && runStart < 0) runStart = k;
    else if (!quiet && runStart >= 0) close(k);
  });
  if (runStart >= 0) close(frames.length);
  const window = Math.max(1, Math.round(o.windowSeconds * o.sampleRate));
  const loudness: LoudnessWindow[] = [];
  for (let i = 0; i < pcm.length; i += window) {
    const to = Math.min(pcm.length, i + window);
    if (to - i < window / 2) break;
    const db = rmsDb(pcm, i, to);
    loudness.push({ start: round(i / o.sampleRate, 3), db: Number.isFinite(db) ? round(db, 1) : -Infinity });
  }
  return { silences, loudness, silenceDb: round(silenceDb, 1), durationSeconds: round(pcm.length / o.sampleRate, 3) };
}
