import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
/** One interface for every speech engine; the engine and model are recorded on every transcript. */
export interface TranscriptWord {
  text: string;
  /** seconds from the start of the audio */
  start: number;
  end: number;
  /** 0..1 where the engine reports it */
  confidence: number | null;
}

export interface Transcript {
  engine: string;
  model: string;
  language: string;
  text: string;
  words: TranscriptWord[];
  /** audio seconds the engine received */
  audioSeconds: number;
}

export interface TranscribeOptions {
  language?: string;
  /**
   * A private folder for the engine's files (the decrypted audio): the pipeline passes its job's
   * folder in the worker's WORK_DIR, removed after every job. Without one, the engine makes and
   * removes its own temporary folder.
   */
  workDir?: string;
}

/** Runs `fn` in the caller's work folder, or in a temporary folder of its own that is always removed. */
export async function inWorkDir<T>(
  workDir: string | undefined,
  prefix: string,
  fn: (dir: string) => Promise<T>,
): Promise<T> {
  if (workDir) return fn(workDir);
  const dir = await mkdtemp(join(tmpdir(), prefix));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface SpeechEngine {
  readonly name: string;
  readonly model: string;
  /** 16 kHz mono PCM, float32 in [-1, 1] */
  transcribe(pcm: Float32Array, options?: TranscribeOptions): Promise<Transcript>;
  close(): Promise<void>;
}

/** An empty transcript is a result ("no speech detected"), not an error. */
export function noSpeechDetected(t: Transcript): boolean {
  return t.words.length === 0 && t.text.trim() === '';
}
