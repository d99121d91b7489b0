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
  /** a fixed silence level in dBFS; by default it adapts to the recording (see voiceActivity) */
  silenceDb?: number;
}

const DEFAULTS: AudioOptions = { sampleRate: 16_000, frameSeconds: 0.02, windowSeconds: 0.5, minSilenceSeconds: 0.3 };

function rmsDb(pcm: Float32Array, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += pcm[i] * pcm[i];
  const rms = Math.sqrt(sum / Math.max(1, to - from));
  return rms > 0 ? 20 * Math.log10(rms) : -Infinity;
}

/** Frames quieter than this are digital silence (an inserted gap, a muted input), not room noise. */
const DIGITAL_SILENCE_DB = -100;

export interface VoiceActivity {
  /** the level of each 20 ms frame, dBFS */
  frames: number[];
  frameSeconds: number;
  /** the recording's own background: the 10th percentile of frames that are not digital silence */
  noiseFloorDb: number;
  /** the speech level: the 95th (90th with digital silence) percentile of frame levels */
  speechDb: number;
  /** frames above this are voice */
  thresholdDb: number;
}

/**
 * Where the voice is, from the sound itself (energy in 20 ms frames), with a threshold that
 * adapts to the recording. A real room has a noise floor close to speech (20–30 dB below it in
 * ordinary recordings); the threshold sits a third of the way from that floor to the speech level,
 * at least 6 dB above the floor; a sound that never rises 6 dB above its own floor has no voice. Where a good part of the recording is digital silence (a muted
 * input, generated speech), there is no room noise to measure and the threshold is 30 dB under
 * the speech level, between −60 and −30 dBFS.
 */
export function voiceActivity(
  pcm: Float32Array,
  options: { sampleRate?: number; frameSeconds?: number; thresholdDb?: number } = {},
): VoiceActivity {
  const sampleRate = options.sampleRate ?? 16_000;
  const frameSeconds = options.frameSeconds ?? 0.02;
  const frame = Math.max(1, Math.round(frameSeconds * sampleRate));
  const frames: number[] = [];
  for (let i = 0; i + frame <= pcm.length; i += frame) {
    const db = rmsDb(pcm, i, i + frame);
    frames.push(Number.isNaN(db) ? -Infinity : db);
  }
  const live = frames.filter((db) => db > DIGITAL_SILENCE_DB).sort((a, b) => a - b);
  const digital = frames.length ? 1 - live.length / frames.length : 1;
  const pct = (q: number) => (live.length ? live[Math.min(live.length - 1, Math.floor(live.length * q))] : -Infinity);
  let thresholdDb: number;
  let noiseFloorDb: number;
  let speechDb: number;
  if (digital >= 0.05 || live.length === 0) {
    speechDb = pct(0.9);
    noiseFloorDb = -Infinity;
    thresholdDb = Math.min(-30, Math.max(-60, speechDb - 30));
  } else {
    speechDb = pct(0.95);
    noiseFloorDb = pct(0.1);
    // a sound without dynamics (a hum, a fan, a held tone) is not a voice: speech rises well above its room
    thresholdDb =
      speechDb - noiseFloorDb < 6
        ? Infinity
        : Math.min(speechDb - 3, noiseFloorDb + Math.max(6, (speechDb - noiseFloorDb) / 3));
  }
  if (options.thresholdDb !== undefined) thresholdDb = options.thresholdDb;
  return { frames, frameSeconds: frame / sampleRate, noiseFloorDb, speechDb, thresholdDb };
}

/** Stretches of voice (frames above the threshold), gaps shorter than `bridgeSeconds` bridged, blips shorter than `minSeconds` dropped. */
export function voicedRuns(v: VoiceActivity, bridgeSeconds = 0.1, minSeconds = 0.06): TimedSpan[] {
  const runs: TimedSpan[] = [];
  let start = -1;
  v.frames.forEach((db, k) => {
    const voiced = db > v.thresholdDb;
    if (voiced && start < 0) start = k;
    if (!voiced && start >= 0) {
      runs.push({ start: start * v.frameSeconds, end: k * v.frameSeconds });
      start = -1;
    }
  });
  if (start >= 0) runs.push({ start: start * v.frameSeconds, end: v.frames.length * v.frameSeconds });
  const merged: TimedSpan[] = [];
  for (const r of runs) {
    const last = merged[merged.length - 1];
    if (last && r.start - last.end < bridgeSeconds) last.end = r.end;
    else merged.push({ ...r });
  }
  return merged
    .filter((r) => r.end - r.start >= minSeconds)
    .map((r) => ({ start: round(r.start, 3), end: round(r.end, 3) }));
}

/**
 * Measures the sound itself, independent of the recogniser: the voice activity above (what
 * ffmpeg's silencedetect does, with a level that adapts to the room) giving the silences, and the
 * RMS level of each half second for loudness consistency.
 */
export function measureAudio(pcm: Float32Array, options: Partial<AudioOptions> = {}): AudioMeasurements {
  const o = { ...DEFAULTS, ...options };
  const v = voiceActivity(pcm, { sampleRate: o.sampleRate, frameSeconds: o.frameSeconds, thresholdDb: o.silenceDb });
  const frame = Math.max(1, Math.round(o.frameSeconds * o.sampleRate));
  const silenceDb = v.thresholdDb;
  const silences: TimedSpan[] = [];
  let runStart = -1;
  const close = (endFrame: number) => {
    const start = (runStart * frame) / o.sampleRate;
    const end = (endFrame * frame) / o.sampleRate;
    if (end - start >= o.minSilenceSeconds - 1e-9) silences.push({ start: round(start, 3), end: round(end, 3) });
    runStart = -1;
  };
  v.frames.forEach((db, k) => {
    const quiet = !(db > silenceDb);
    if (quiet && runStart < 0) runStart = k;
    else if (!quiet && runStart >= 0) close(k);
  });
  if (runStart >= 0) close(v.frames.length);
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
