import { execFile } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { inWorkDir, SpeechEngine, TranscribeOptions, Transcript, TranscriptWord } from './speech-engine';

const run = promisify(execFile);

/** Float PCM as 16-bit little-endian samples, headerless (NaN and out-of-range samples clamped). */
export function pcm16(pcm: Float32Array): Buffer {
  const data = Buffer.alloc(pcm.length * 2);
  for (let i = 0; i < pcm.length; i++)
    data.writeInt16LE(
      Number.isFinite(pcm[i]) ? Math.max(-32768, Math.min(32767, Math.round(pcm[i] * 32768))) : 0,
      i * 2,
    );
  return data;
}

/** 16 kHz mono float PCM as a 16-bit WAV file. */
export function wavFromPcm(pcm: Float32Array, sampleRate = 16_000): Buffer {
  const data = pcm16(pcm);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/**
 * Parses `pocketsphinx_continuous -time yes` output: an utterance line, then one line per token
 * "word start end probability". Sentence markers, silences and noises are dropped; alternate
 * pronunciations ("can(2)") keep their word.
 */
export function parsePocketSphinx(output: string): TranscriptWord[] {
  const words: TranscriptWord[] = [];
  for (const line of output.split('\n')) {
    const m = /^(\S+) (\d+\.\d+) (\d+\.\d+) (\d+\.\d+)$/.exec(line.trim());
    if (!m) continue;
    const token = m[1].replace(/\(\d+\)$/, '');
    if (/^(<s>|<\/s>|<sil>|\[.*\]|\+\+.*\+\+)$/.test(token)) continue;
    words.push({ text: token, start: Number(m[2]), end: Number(m[3]), confidence: Math.min(1, Number(m[4])) });
  }
  return words;
}

/**
 * Debian's PocketSphinx (en-us acoustic model): a real offline recognizer with word timings, far
 * less accurate than Whisper. Used when no Whisper model is installed, so transcripts exist out of the box.
 */
export class PocketSphinxEngine implements SpeechEngine {
  readonly name = 'pocketsphinx';
  readonly model = 'en-us (Debian pocketsphinx-en-us)';

  constructor(private readonly binary = 'pocketsphinx_continuous') {}

  async transcribe(pcm: Float32Array, options: TranscribeOptions = {}): Promise<Transcript> {
    const language = options.language ?? 'en';
    if (!language.startsWith('en'))
      throw new Error(`PocketSphinx has only an English model here; install a Whisper model for "${language}"`);
    return inWorkDir(options.workDir, 'rehearse-asr-', async (dir) => {
      // canonical input: headerless 16 kHz 16-bit samples. pocketsphinx_continuous skips a fixed
      // 44 bytes of any WAV header, so a longer header would be heard as sound.
      const raw = join(dir, 'audio.raw');
      try {
        await writeFile(raw, pcm16(pcm), { mode: 0o600 });
        const seconds = pcm.length / 16_000;
        const { stdout } = await run(
          this.binary,
          ['-infile', raw, '-samprate', '16000', '-time', 'yes', '-logfn', '/dev/null'],
          {
            timeout: Math.ceil(30_000 + seconds * 10_000),
            maxBuffer: 32 * 1024 * 1024,
          },
        );
        const words = parsePocketSphinx(stdout);
        return {
          engine: this.name,
          model: this.model,
          language: 'en',
          text: words.map((w) => w.text).join(' '),
          words,
          audioSeconds: seconds,
        };
      } finally {
        await rm(raw, { force: true });
      }
    });
  }

  async close(): Promise<void> {
    // nothing held between calls
  }
}
