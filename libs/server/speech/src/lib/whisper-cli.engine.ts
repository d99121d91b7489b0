import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { wavFromPcm } from './pocketsphinx.engine';
import { voiceActivity, voicedRuns } from '@rehearse/server/assessment';
import { inWorkDir, SpeechEngine, TranscribeOptions, Transcript, TranscriptWord } from './speech-engine';
import { DISFLUENT_PROMPT, withoutSoundDescriptions } from './whisper-cpp.engine';
import { decodeInParts, PART_SECONDS } from './parts';

const run = promisify(execFile);

export interface WhisperCliOptions {
  /** whisper.cpp's command-line program: `whisper-cli` (v1.7+) or `main` (builds of 2024) */
  binary: string;
  modelPath: string;
  threads: number;
  beamSize: number;
  /** 'auto' or a two-letter code */
  language: string;
  /** false adds --no-gpu; a CUDA build uses the GPU otherwise */
  useGpu: boolean;
  /**
   * whisper.cpp's alignment-head preset for the model (tiny.en, base, …): token times by dynamic
   * time warping over the cross-attention, far closer to the sound than the heuristic ones.
   * Unset: the heuristic times.
   */
  dtw?: string;
  /** an ".en" model: other languages are refused, not mistranscribed */
  englishOnly?: boolean;
  /** prompt with disfluencies so "um" and "uh" are written down (default on) */
  promptFillers?: boolean;
  /**
   * the longest part of an answer decoded on its own, cut at a pause (planParts; default
   * PART_SECONDS); Infinity decodes the whole answer in one run, whisper.cpp's windows carrying
   * text into the next
   */
  partSeconds?: number;
}

interface CliToken {
  text: string;
  p?: number;
  t_dtw?: number;
  offsets?: { from: number; to: number };
}

interface CliSegment {
  offsets: { from: number; to: number };
  text: string;
  tokens?: CliToken[];
}

const SPECIAL = /^(\[_[A-Z]+_?\d*\]|<\|.*\|>)$/;

/** A word as whisper.cpp's tokens give it: its text, when its first token sounds, its tokens' mean probability. */
export interface TimedToken {
  text: string;
  /** seconds */
  at: number;
  confidence: number | null;
}

/**
 * Words from whisper.cpp's `--output-json-full` file: tokens that begin with a space begin a word,
 * the others (punctuation, the rest of a long word) join the word before. A word starts when its
 * first token sounds: the DTW time (`t_dtw`, 10 ms units) where present, else the token's offset
 * (ms). Special tokens ("[_BEG_]", "[_TT_42]") carry no text and no confidence; a word's
 * confidence is the mean probability of its tokens. The words' texts come from the segment's own
 * text where it splits into as many words (a character split over two tokens stays whole).
 */
export function wordsFromCliJson(json: unknown): TimedToken[] {
  const segments = (json as { transcription?: CliSegment[] })?.transcription;
  if (!Array.isArray(segments)) throw new Error('whisper.cpp wrote no transcription array');
  const out: TimedToken[] = [];
  for (const s of segments) {
    const words: { text: string; at: number; probs: number[] }[] = [];
    const tokens = (s.tokens ?? []).filter((t) => !SPECIAL.test(t.text.trim()) && t.text !== '');
    for (const t of tokens) {
      const at =
        typeof t.t_dtw === 'number' && t.t_dtw >= 0
          ? t.t_dtw / 100
          : Number(t.offsets?.from ?? s.offsets?.from ?? 0) / 1000;
      if (t.text.startsWith(' ') || !words.length) words.push({ text: t.text.trim(), at, probs: [] });
      else words[words.length - 1].text += t.text;
      if (typeof t.p === 'number') words[words.length - 1].probs.push(t.p);
    }
    if (!tokens.length && s.text.trim())
      words.push({ text: s.text.trim(), at: Number(s.offsets?.from ?? 0) / 1000, probs: [] });
    const clean = s.text.trim().split(/\s+/).filter(Boolean);
    const kept = words.filter((w) => w.text.trim() !== '');
    kept.forEach((w, i) => {
      out.push({
        text: clean.length === kept.length ? clean[i] : w.text.trim(),
        at: w.at,
        confidence: w.probs.length
          ? Math.round((w.probs.reduce((a, b) => a + b, 0) / w.probs.length) * 1000) / 1000
          : null,
      });
    });
  }
  return out;
}

/**
 * Word spans from word onsets and the sound: a word begins at its onset (moved to the voice's
 * onset when the onset falls in silence just before it) and ends where the voice after it stops,
 * or where the next word begins, whichever comes first. Pauses between words are the sound's.
 */
export function spanWords(
  tokens: TimedToken[],
  runs: { start: number; end: number }[],
  duration: number,
): TranscriptWord[] {
  const words: TranscriptWord[] = [];
  tokens.forEach((t, i) => {
    const next = i + 1 < tokens.length ? Math.max(tokens[i + 1].at, t.at) : Math.min(duration, t.at + 1.5);
    let start = Math.min(Math.max(0, t.at), duration);
    const run = runs.find((r) => r.end > start);
    if (run && run.start > start && run.start < next) start = run.start;
    let end = run && run.start <= start ? Math.min(next, Math.max(run.end, start + 0.08)) : Math.min(next, start + 0.3);
    end = Math.min(Math.max(end, start), duration);
    const previous = words[words.length - 1];
    if (previous && start < previous.start) start = previous.start;
    words.push({ text: t.text, start: round3(start), end: round3(Math.max(end, start)), confidence: t.confidence });
  });
  return words;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/**
 * What the program's `--help` lists that the command line depends on. whisper.cpp 1.8 and later
 * (the GPU image's 1.9.1) turn flash attention on by default and then skip DTW: every token's
 * `t_dtw` is -1 and the words fall back to the decoder's heuristic times, which put words in
 * silences (seen with 1.9.1 built here: the first word of an answer that opens with 2 s of
 * silence placed at 0 s). Such a program is asked for `--no-flash-attn` when DTW is wanted; the
 * 2024 builds know no such option and would refuse it.
 */
export interface WhisperCliProgram {
  noFlashAttn: boolean;
}

/**
 * Reads what the program at `binary` understands from its `--help` (exported for tests). A build
 * that ends its usage with a non-zero status is read all the same; one that cannot run at all
 * fails here with its reason, as its transcription would: one that is not there, and one that
 * starts but prints no usage, such as a program whose shared library is missing (the dynamic
 * loader's "error while loading shared libraries", status 127).
 */
export async function probeWhisperCli(binary: string): Promise<WhisperCliProgram> {
  let usage: string;
  try {
    // whisper.cpp prints its usage on stderr
    const { stdout, stderr } = await run(binary, ['--help'], { timeout: 30_000, maxBuffer: 1024 * 1024 });
    usage = `${stdout}\n${stderr}`;
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; code?: number | string };
    if (typeof err.code !== 'number') throw e;
    usage = `${err.stdout ?? ''}\n${err.stderr ?? ''}`;
  }
  // its usage line, or at least an option as whisper.cpp lists them ("  -m FNAME, --model FNAME")
  if (!/usage:|^\s+-\w+[^\n]*\s--[a-z]/m.test(usage)) {
    const said = usage.trim().split('\n').slice(-3).join(' | ') || 'nothing';
    throw new Error(`${binary} printed no usage for --help; it said: ${said}`);
  }
  return { noFlashAttn: /--no-flash-attn\b/.test(usage) };
}

/** The command line for one transcription (exported for tests). */
export function whisperCliArgs(
  o: WhisperCliOptions,
  wav: string,
  outBase: string,
  language: string,
  prompt?: string,
  program: WhisperCliProgram = { noFlashAttn: false },
): string[] {
  return [
    '--model',
    o.modelPath,
    '--file',
    wav,
    '--output-file',
    outBase,
    '--output-json-full',
    '--threads',
    String(o.threads),
    '--beam-size',
    String(o.beamSize),
    '--language',
    language,
    ...(o.dtw ? ['--dtw', o.dtw] : []),
    ...(o.dtw && program.noFlashAttn ? ['--no-flash-attn'] : []),
    // a part (one window at most) decoded once: with timestamps whisper.cpp decodes a part's tail
    // again in a window of its own when the last segment closes more than a second before its end
    // (2 encoder runs for a 28.5-s part with base, 19.2 against 8.8 s of CPU). The words' times come
    // from DTW; without DTW they come from the timestamps, which the whole decoding keeps
    ...(o.dtw && Number.isFinite(o.partSeconds ?? PART_SECONDS) ? ['--no-timestamps'] : []),
    ...(prompt ? ['--prompt', prompt] : []),
    ...(o.useGpu ? [] : ['--no-gpu']),
  ];
}

/**
 * whisper.cpp's own command-line program as the engine: how CPU workers (built from source) and
 * GPU hosts (built with CUDA, docker/worker-gpu.Dockerfile) transcribe. One process per
 * recording, fed a WAV file in the job's private work folder, read back from its full JSON
 * output with token probabilities and DTW token times; the files are always removed.
 */
export class WhisperCliEngine implements SpeechEngine {
  readonly name = 'whisper.cpp';
  readonly model: string;
  /** the program's options, read once (the first transcription asks: programOptions) */
  private program?: Promise<WhisperCliProgram>;

  constructor(private readonly options: WhisperCliOptions) {
    if (!existsSync(options.modelPath))
      throw new Error(
        `Whisper model not found at ${options.modelPath}. Install one with: npm run models -- install <name>.`,
      );
    if (!existsSync(options.binary))
      throw new Error(
        `whisper.cpp program not found at ${options.binary} (WHISPER_CLI). Build it with tools/scripts/build-whisper-cli.sh (or as in docker/worker-gpu.Dockerfile), or leave WHISPER_CLI empty to use the built-in binding.`,
      );
    this.model = basename(options.modelPath);
  }

  async transcribe(pcm: Float32Array, options: TranscribeOptions = {}): Promise<Transcript> {
    const language = options.language ?? this.options.language;
    if (this.options.englishOnly && language !== 'en' && language !== 'auto') {
      throw new Error(
        `The Whisper model ${this.model} has only an English model; install a multilingual one (tiny or base) for "${language}"`,
      );
    }
    const seconds = pcm.length / 16_000;
    const voice = voiceActivity(pcm);
    const runs = voicedRuns(voice);
    // nothing to hear: no decoding (Whisper invents words in silence)
    if (!runs.length)
      return { engine: this.name, model: this.model, language, text: '', words: [], audioSeconds: seconds };
    const prompt =
      this.options.promptFillers === false ? undefined : DISFLUENT_PROMPT[language === 'auto' ? 'en' : language];
    return inWorkDir(options.workDir, 'rehearse-whisper-', async (dir) => {
      const tokens = await decodeInParts(
        pcm,
        runs,
        this.options.partSeconds ?? PART_SECONDS,
        (samples) => this.decode(dir, samples, language, prompt),
        (t) => t.at,
        (t, offset) => ({ ...t, at: round3(t.at + offset) }),
      );
      const words = spanWords(tokens, runs, seconds);
      return {
        engine: this.name,
        model: this.model,
        language,
        text: words.map((w) => w.text).join(' '),
        words,
        audioSeconds: seconds,
      };
    });
  }

  /** One run of the program over `pcm` (one window at most): its words, timed from the start of `pcm`. */
  private async decode(dir: string, pcm: Float32Array, language: string, prompt?: string): Promise<TimedToken[]> {
    const wav = join(dir, 'audio.wav');
    const out = join(dir, 'out');
    try {
      await writeFile(wav, wavFromPcm(pcm), { mode: 0o600 });
      try {
        const program = await this.programOptions();
        await run(this.options.binary, whisperCliArgs(this.options, wav, out, language, prompt, program), {
          timeout: Math.ceil(60_000 + (pcm.length / 16_000) * 20_000),
          maxBuffer: 32 * 1024 * 1024,
        });
      } catch (e) {
        const err = e as { stderr?: string; code?: number | string; signal?: string; message: string };
        const detail = (err.stderr ?? '').trim().split('\n').slice(-3).join(' | ') || err.message;
        throw new Error(`whisper.cpp failed (${err.signal ?? err.code}): ${detail}`);
      }
      return withoutSoundDescriptions(wordsFromCliJson(JSON.parse(await readFile(`${out}.json`, 'utf8'))));
    } finally {
      await Promise.all([rm(wav, { force: true }), rm(`${out}.json`, { force: true })]);
    }
  }

  /**
   * Runs the program once (its `--help`), so that a worker whose program cannot run says so as it
   * starts (libs/server/recordings' speech setup) instead of failing every transcription.
   */
  async check(): Promise<void> {
    await this.programOptions();
  }

  /** The program's options, probed once and shared by concurrent transcriptions; a failed probe is tried again next time. */
  private programOptions(): Promise<WhisperCliProgram> {
    this.program ??= probeWhisperCli(this.options.binary).catch((e: unknown) => {
      this.program = undefined;
      throw e;
    });
    return this.program;
  }

  async close(): Promise<void> {
    // nothing held between recordings
  }
}

/** whisper.cpp's alignment-head preset for a model file (ggml-base.en.bin → base.en), when it has one. */
export function dtwPresetFor(modelFile: string): string | undefined {
  const m = /ggml-(tiny|base|small|medium|large-v[123])(\.en)?(?:-q\d_\d)?\.bin$/.exec(basename(modelFile));
  return m ? `${m[1]}${m[2] ?? ''}`.replace(/-v(\d)$/, '.v$1') : undefined;
}
