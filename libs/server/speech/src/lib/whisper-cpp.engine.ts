import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { Worker } from 'node:worker_threads';
import { voiceActivity, voicedRuns } from '@rehearse/server/assessment';
import type { SpeechEngine, TranscribeOptions, Transcript } from './speech-engine';
import { decodeInParts, PART_SECONDS } from './parts';

export interface WhisperCppOptions {
  modelPath: string;
  threads: number;
  language: string;
  /** 1 = greedy decoding; more = beam search */
  beamSize: number;
  /** tokens per segment; 0 = no limit (tests use a small limit: the test models decode nothing) */
  maxTokens?: number;
  useGpu?: boolean;
  /** an ".en" model: other languages are refused, not mistranscribed */
  englishOnly?: boolean;
  /** prompt with disfluencies so "um" and "uh" are written down (default on) */
  promptFillers?: boolean;
  /** the longest part of an answer decoded on its own (parts.ts; default PART_SECONDS; Infinity: whole) */
  partSeconds?: number;
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
const squash = (t) => t.replace(/\\s+/g, '');
parentPort.on('message', async ({ id, pcm, language, prompt }) => {
  try {
    const p = new WhisperFullParams(workerData.beamSize > 1 ? WhisperSamplingStrategy.BeamSearch : WhisperSamplingStrategy.Greedy);
    p.nThreads = workerData.threads;
    p.language = language;
    p.tokenTimestamps = true;
    p.maxLen = 1;
    p.splitOnWord = true;
    if (prompt) p.initialPrompt = prompt;
    if (workerData.maxTokens) p.maxTokens = workerData.maxTokens;
    const segments = [];
    p.onNewSegment = (s) => segments.push({ text: s.text, start: s.start, end: s.end });
    const text = whisper.full(p, pcm);
    // the segment callbacks reach this thread after full() returns: wait until they add up to the text
    const want = squash(text).length;
    for (let i = 0; i < 500 && squash(segments.map((s) => s.text).join('')).length < want; i++) await new Promise((r) => setTimeout(r, 4));
    parentPort.postMessage({ id, text, segments });
  } catch (e) {
    parentPort.postMessage({ id, error: String(e && e.message || e) });
  }
});
`;

/**
 * What Whisper writes for sounds that are not words ("[BLANK_AUDIO]", "(music)", "♪", "[Applause]"):
 * never a word of the transcript.
 */
export function isNonSpeechToken(text: string): boolean {
  const t = text.trim();
  return t === '' || /^[[(*♪♫].*[\])*♪♫]$/u.test(t) || /^[♪♫\s.,!?-]+$/u.test(t);
}

/**
 * Words without the sound descriptions Whisper writes between brackets, also when they run over
 * several words ("[phone ringing]", "(upbeat music)").
 */
export function withoutSoundDescriptions<T extends { text: string }>(words: T[]): T[] {
  const out: T[] = [];
  let inside: string | null = null;
  for (const w of words) {
    const t = w.text.trim();
    if (inside) {
      if (t.endsWith(inside)) inside = null;
      continue;
    }
    const open = /^[[(]/.exec(t)?.[0];
    if (open && !t.endsWith(open === '[' ? ']' : ')')) {
      inside = open === '[' ? ']' : ')';
      continue;
    }
    if (!isNonSpeechToken(t)) out.push(w);
  }
  return out;
}

/**
 * Whisper writes what people meant, leaving out "um" and "uh", unless the prompt it continues
 * already has them (the remedy OpenAI's prompting guide gives). Only for English: the other
 * languages' fillers are not prompted.
 */
export const DISFLUENT_PROMPT: Record<string, string> = {
  en: 'Umm, let me think like, hmm... Okay, here is what I am, like, thinking. Uh, so, you know, I mean, er...',
};

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
      throw new Error(
        `Whisper model not found at ${options.modelPath}. Install one with: npm run models -- install <name> (or import a file copied in by hand).`,
      );
    }
    this.model = basename(options.modelPath);
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { ...this.options } });
    worker.on(
      'message',
      (m: { id: number; text?: string; segments?: { text: string; start: number; end: number }[]; error?: string }) => {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (m.error) p.reject(new Error(`whisper.cpp failed: ${m.error}`));
        else p.resolve({ text: m.text ?? '', segments: m.segments ?? [] });
      },
    );
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
    if (this.options.englishOnly && language !== 'en' && language !== 'auto') {
      throw new Error(
        `The Whisper model ${this.model} has only an English model; install a multilingual one (tiny or base) for "${language}"`,
      );
    }
    const audioSeconds = pcm.length / 16_000;
    const runs = voicedRuns(voiceActivity(pcm));
    // nothing to hear: no decoding (Whisper invents words in silence)
    if (!runs.length) return { engine: this.name, model: this.model, language, text: '', words: [], audioSeconds };
    const worker = this.start();
    const prompt =
      this.options.promptFillers === false ? undefined : DISFLUENT_PROMPT[language === 'auto' ? 'en' : language];
    // a long answer in parts cut at pauses (parts.ts), each its own full() in the worker thread
    const heard = await decodeInParts(
      pcm,
      runs,
      this.options.partSeconds ?? PART_SECONDS,
      async (samples) => {
        const id = this.nextId++;
        const result = await new Promise<{ text: string; segments: { text: string; start: number; end: number }[] }>(
          (resolve, reject) => {
            this.pending.set(id, { resolve, reject });
            // a copy of the part alone (a view would send the whole answer's buffer)
            worker.postMessage({ id, pcm: samples.slice(), language, prompt });
          },
        );
        return result.segments.map((s) => ({ text: s.text.trim(), start: s.start / 100, end: s.end / 100 }));
      },
      (w) => w.start,
      (w, offset) => ({ ...w, start: w.start + offset, end: w.end + offset }),
    );
    const words = withoutSoundDescriptions(
      heard.map((w) => ({ ...w, end: Math.min(audioSeconds, w.end), confidence: null })),
    );
    return {
      engine: this.name,
      model: this.model,
      language,
      text: words.map((w) => w.text).join(' '),
      words,
      audioSeconds,
    };
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }
}
