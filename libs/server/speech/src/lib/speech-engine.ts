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
