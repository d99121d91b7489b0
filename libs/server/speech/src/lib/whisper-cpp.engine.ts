import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SpeechEngine, TranscribeOptions, Transcript } from './speech-engine';

export interface WhisperCppOptions {
  modelPath: string;
  threads: number;
  language: string;
  /** 1 = greedy decoding; more = beam search */
  beamSize: number;
  /** tokens per segment; 0 = no limit (tests use a small limit: the test models decode nothing) */
  maxTokens?: number;
  useGpu?: boolean;
}

/**
 * The worker thread's code. @napi-rs/whisper's full() is synchronous, so it runs here, off the
 * event loop (job locks keep renewing while a long answer is transcribed). With maxLen = 1 and
 * split-on-word, every segment is one word. Segment times come from whisper.cpp in centiseconds.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { Whisper, WhisperFullParams, WhisperSamplingStrategy } = require('@napi-rs/whisper');
const whisper = new Whisper(workerData.modelPath, { useGpu: !!workerData.useGpu });
parentPort.on('message', ({ id, pcm, language }) => {
  try {
    const p = new WhisperFullParams(workerData.beamSize > 1 ? WhisperSamplingStrategy.BeamSearch : WhisperSamplingStrategy.Greedy);
    p.nThreads = workerData.threads;
    p.language = language;
    p.tokenTimestamps = true;
    p.maxLen = 1;
    p.splitOnWord = true;
    if (workerData.maxTokens) p.maxTokens = workerData.maxTokens;
    const segments = [];
    p.onNewSegment = (s) => segments.push({ text: s.text, start: s.start, end: s.end });
    const text = whisper.full(p, pcm);
    parentPort.postMessage({ id, text, segments });
  } catch (e) {
    parentPort.postMessage({ id, error: String(e && e.message || e) });
  }
});
`;

interface Pending {
  resolve: (v: { text: string; segments: { text: string; start: number; end: number }[] }) => void;
  reject: (e: Error) => void;
}

export class WhisperCppEngine implements SpeechEngine {
  readonly name = 'whisper.cpp';
  readonly model: string;
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(private readonly options: WhisperCppOptions) {
    if (!existsSync(options.modelPath)) {
      throw new Error(`Whisper model not found at ${options.modelPath}. Install one with: npm run models -- install <name> (or import a file copied in by hand).`);
    }
    this.model = basename(options.modelPath);
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { ...this.options } });
    worker.on('message', (m: { id: number; text?: string; segments?: { text: string; start: number; end: number }[]; error?: string }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.error) p.reject(new Error(`whisper.cpp failed: ${m.error}`));
      else p.resolve({ text: m.text ?? '', segments: m.segments ?? [] });
    });
    worker.on('error', (e) => this.failAll(e));
    worker.on('exit', (code) => {
      this.worker = null;
      if (code !== 0) this.failAll(new Error(`whisper worker exited with ${code}`));
    });
    this.worker = worker;
    return worker;
  }

  private failAll(e: Error): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  async transcribe(pcm: Float32Array, options: TranscribeOptions = {}): Promise<Transcript> {
    const language = options.language ?? this.options.language;
    const worker = this.start();
    const id = this.nextId++;
    const result = await new Promise<{ text: string; segments: { text: string; start: number; end: number }[] }>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, pcm, language });
    });
    const words = result.segments
      .map((s) => ({ text: s.text.trim(), start: s.start / 100, end: s.end / 100, confidence: null }))
      .filter((w) => w.text.length > 0);
    return { engine: this.name, model: this.model, language, text: result.text.trim(), words, audioSeconds: pcm.length / 16_000 };
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }
}
