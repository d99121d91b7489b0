import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { wavFromPcm } from './pocketsphinx.engine';
import { inWorkDir, SpeechEngine, TranscribeOptions, Transcript, TranscriptWord } from './speech-engine';

const run = promisify(execFile);

export interface WhisperCliOptions {
  /** whisper.cpp's command-line program: `whisper-cli` (v1.7+) or `main` (older builds) */
  binary: string;
  modelPath: string;
  threads: number;
  beamSize: number;
  /** 'auto' or a two-letter code */
  language: string;
  /** false adds --no-gpu; a CUDA build uses the GPU otherwise */
  useGpu: boolean;
}

interface CliToken {
  text: string;
  p?: number;
}

interface CliSegment {
  offsets: { from: number; to: number };
  text: string;
  tokens?: CliToken[];
}

/**
 * Words from whisper.cpp's `--output-json-full` file, written with `--max-len 1 --split-on-word`
 * (one word per segment). Offsets are milliseconds. Special tokens ("[_BEG_]", "[_TT_42]") carry
 * no text and no confidence; a word's confidence is the mean probability of its text tokens.
 */
export function parseWhisperCliJson(json: unknown): { text: string; words: TranscriptWord[] } {
  const segments = (json as { transcription?: CliSegment[] })?.transcription;
  if (!Array.isArray(segments)) throw new Error('whisper.cpp wrote no transcription array');
  const words: TranscriptWord[] = [];
  for (const s of segments) {
    const text = String(s.text ?? '').trim();
    if (!text) continue;
    const probs = (s.tokens ?? []).filter((t) => !/^\[_[A-Z]+_?\d*\]$/.test(t.text) && typeof t.p === 'number').map((t) => t.p as number);
    words.push({
      text,
      start: Number(s.offsets?.from ?? 0) / 1000,
      end: Number(s.offsets?.to ?? 0) / 1000,
      confidence: probs.length ? Math.round((probs.reduce((a, b) => a + b, 0) / probs.length) * 1000) / 1000 : null,
    });
  }
  return { text: words.map((w) => w.text).join(' '), words };
}

/** The command line for one transcription (exported for tests). */
export function whisperCliArgs(o: WhisperCliOptions, wav: string, outBase: string, language: string): string[] {
  return [
    '--model', o.modelPath,
    '--file', wav,
    '--output-file', outBase,
    '--output-json-full',
    '--max-len', '1',
    '--split-on-word',
    '--threads', String(o.threads),
    '--beam-size', String(o.beamSize),
    '--language', language,
    ...(o.useGpu ? [] : ['--no-gpu']),
  ];
}

/**
 * whisper.cpp's own command-line program as the engine: how a GPU host transcribes, with
 * whisper.cpp built with CUDA (docker/worker-gpu.Dockerfile). One process per recording, fed a
 * private temporary WAV file, read back from its full JSON output; the folder is always removed.
 */
export class WhisperCliEngine implements SpeechEngine {
  readonly name = 'whisper.cpp';
  readonly model: string;

  constructor(private readonly options: WhisperCliOptions) {
    if (!existsSync(options.modelPath)) throw new Error(`Whisper model not found at ${options.modelPath}. Install one with: npm run models -- install <name>.`);
    if (!existsSync(options.binary)) throw new Error(`whisper.cpp program not found at ${options.binary} (WHISPER_CLI). Build it as in docker/worker-gpu.Dockerfile, or leave WHISPER_CLI empty to use the built-in binding.`);
    this.model = basename(options.modelPath);
  }

  async transcribe(pcm: Float32Array, options: TranscribeOptions = {}): Promise<Transcript> {
    const language = options.language ?? this.options.language;
    return inWorkDir(options.workDir, 'rehearse-whisper-', async (dir) => {
      const wav = join(dir, 'audio.wav');
      const out = join(dir, 'out');
      try {
        await writeFile(wav, wavFromPcm(pcm), { mode: 0o600 });
        const seconds = pcm.length / 16_000;
        try {
          await run(this.options.binary, whisperCliArgs(this.options, wav, out, language), { timeout: Math.ceil(60_000 + seconds * 20_000), maxBuffer: 32 * 1024 * 1024 });
        } catch (e) {
          const err = e as { stderr?: string; code?: number | string; signal?: string; message: string };
          const detail = (err.stderr ?? '').trim().split('\n').slice(-3).join(' | ') || err.message;
          throw new Error(`whisper.cpp failed (${err.signal ?? err.code}): ${detail}`);
        }
        const parsed = parseWhisperCliJson(JSON.parse(await readFile(`${out}.json`, 'utf8')));
        return { engine: this.name, model: this.model, language, text: parsed.text, words: parsed.words, audioSeconds: seconds };
      } finally {
        await Promise.all([rm(wav, { force: true }), rm(`${out}.json`, { force: true })]);
      }
    });
  }

  async close(): Promise<void> {
    // nothing held between recordings
  }
}
