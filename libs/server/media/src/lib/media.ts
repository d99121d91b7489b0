import ffmpeg from 'fluent-ffmpeg';
import { execFile } from 'node:child_process';
import { open, readFile, stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { PassThrough } from 'node:stream';

const run = promisify(execFile);

/** Containers accepted for answers and prompts, recognised by their first bytes only. */
export type MediaContainer = 'webm' | 'mp4' | 'wav' | 'mp3' | 'ogg';

/** The ffmpeg demuxer each container is forced to: never let ffmpeg pick (no HLS, concat, images ...). */
const DEMUXER: Record<MediaContainer, string> = { webm: 'matroska', mp4: 'mov', wav: 'wav', mp3: 'mp3', ogg: 'ogg' };

/** The ffmpeg fluent-ffmpeg runs (as it chooses: the one set, else FFMPEG_PATH, else PATH's), and the ffprobe `probe` runs. */
let ffmpegProgram = process.env['FFMPEG_PATH'] || 'ffmpeg';
let ffprobeProgram = process.env['FFPROBE_PATH'] || 'ffprobe';
/** MEDIA_TIME_LIMIT_SECONDS: what a run over the smallest file may take (a second more per 8 MiB) */
let baseSeconds = 60;
const decoders = new Map<string, Promise<Set<string>>>();

/**
 * The ffmpeg and ffprobe every function here runs (config: FFMPEG_PATH, FFPROBE_PATH; an empty
 * one leaves fluent-ffmpeg's own choice: that variable of the environment, else the PATH's), and
 * how long they may take (MEDIA_TIME_LIMIT_SECONDS; unchanged when not given).
 * For the whole process: the API and the worker call it once at start.
 */
export function useMediaPrograms(programs: {
  FFMPEG_PATH: string;
  FFPROBE_PATH: string;
  MEDIA_TIME_LIMIT_SECONDS?: number;
}): void {
  if (programs.FFMPEG_PATH) ffmpeg.setFfmpegPath(programs.FFMPEG_PATH);
  ffmpegProgram = programs.FFMPEG_PATH || process.env['FFMPEG_PATH'] || 'ffmpeg';
  ffprobeProgram = programs.FFPROBE_PATH || process.env['FFPROBE_PATH'] || 'ffprobe';
  if (programs.MEDIA_TIME_LIMIT_SECONDS) baseSeconds = programs.MEDIA_TIME_LIMIT_SECONDS;
}

/**
 * How long one ffmpeg or ffprobe run over the file at `path` may take, in seconds: the base
 * (MEDIA_TIME_LIMIT_SECONDS, 60) and a second per 8 MiB of it, so a 2 GiB upload's copy has
 * 316 s on a slow disk, while a file made to send a demuxer round in circles (or to spin it over
 * a few bytes) holds an intake or a transcription for a minute, not forever. The program is then
 * killed (SIGKILL: ffmpeg only notes a first SIGTERM and goes on) and the file refused as damaged.
 */
async function secondsAllowed(path: string): Promise<number> {
  const size = await stat(path).then(
    (s) => s.size,
    () => 0,
  );
  return baseSeconds + Math.ceil(size / (8 << 20));
}

/** Kills an ffmpeg run when its `seconds` are up; `passed` says whether they were. */
function deadline(command: ffmpeg.FfmpegCommand, seconds: number): { passed: () => boolean; clear: () => void } {
  let passed = false;
  const timer = setTimeout(() => {
    passed = true;
    command.kill('SIGKILL');
  }, seconds * 1000);
  return { passed: () => passed, clear: () => clearTimeout(timer) };
}

function tooSlow(seconds: number): MediaError {
  return new MediaError(`The file is damaged or made to be slow: reading it took longer than ${seconds} s`, 'corrupt');
}

/**
 * The audio codecs (by ffprobe's names) the ffmpeg in use can decode, from its `-codecs`; asked
 * once per program. The app's own build decodes the codecs found in the accepted containers, not
 * every one Debian's does (DTS, Speex, ...): intake refuses a sound it could not transcribe.
 */
export function decodableAudio(): Promise<Set<string>> {
  const program = ffmpegProgram;
  let known = decoders.get(program);
  if (!known) {
    known = run(program, ['-hide_banner', '-codecs'], { timeout: 30_000, killSignal: 'SIGKILL' }).then(
      ({ stdout }) =>
        new Set(
          stdout
            .split('\n')
            .map((l) => /^\s*D[.E]A\S*\s+(\S+)/.exec(l)?.[1])
            .filter((name): name is string => !!name),
        ),
    );
    known.catch(() => decoders.delete(program));
    decoders.set(program, known);
  }
  return known;
}

/**
 * What ffmpeg or ffprobe said last (fluent-ffmpeg's message ends with ffmpeg's standard error,
 * whose last line is often empty), with the private file's path taken out: the message reaches
 * the uploader.
 */
function lastWords(output: string, path: string, fallback: string): string {
  const line = output
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .pop();
  return line
    ? line
        .split(path)
        .join('the file')
        .replace(/^(ffmpeg|ffprobe) exited with code \d+: /, '')
    : fallback;
}

/**
 * What ffprobe or ffmpeg writes to its output about the file at `path` (at most 4 MiB of output or
 * errors, in the time `secondsAllowed`); a file it cannot read is "damaged or incomplete", in its
 * own last words.
 */
async function reading(program: string, path: string, args: string[]): Promise<string> {
  const seconds = await secondsAllowed(path);
  const options = { maxBuffer: 4 << 20, timeout: seconds * 1000, killSignal: 'SIGKILL' as const };
  const { stdout } = await run(program, args, options).catch((e: Error & { stderr?: string; killed?: boolean }) => {
    if (e.killed) throw tooSlow(seconds);
    throw new MediaError(
      `The file is damaged or incomplete: ${lastWords(e.stderr ?? '', path, `${program.split('/').pop()} failed`)}`,
      'corrupt',
    );
  });
  return stdout;
}

export class MediaError extends Error {
  constructor(
    message: string,
    readonly reason: 'unsupported_type' | 'corrupt' | 'no_audio' | 'too_long' | 'empty',
  ) {
    super(message);
  }
}

/** The container by magic bytes (never by name or declared type). */
export function sniffContainer(head: Buffer): MediaContainer | null {
  if (head.length >= 4 && head.readUInt32BE(0) === 0x1a45dfa3) return 'webm'; // EBML: WebM / Matroska
  if (head.length >= 12 && head.subarray(4, 8).toString('latin1') === 'ftyp') return 'mp4'; // ISO BMFF: mp4, mov, m4a
  if (
    head.length >= 12 &&
    head.subarray(0, 4).toString('latin1') === 'RIFF' &&
    head.subarray(8, 12).toString('latin1') === 'WAVE'
  )
    return 'wav';
  if (head.length >= 3 && head.subarray(0, 3).toString('latin1') === 'ID3') return 'mp3';
  if (head.length >= 2 && head[0] === 0xff && (head[1] & 0xe0) === 0xe0) return 'mp3'; // MPEG audio frame sync
  if (head.length >= 4 && head.subarray(0, 4).toString('latin1') === 'OggS') return 'ogg';
  return null;
}

export async function sniffFile(path: string): Promise<MediaContainer | null> {
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(64);
    const { bytesRead } = await fh.read(head, 0, 64, 0);
    return sniffContainer(head.subarray(0, bytesRead));
  } finally {
    await fh.close();
  }
}

export interface MediaInfo {
  container: MediaContainer;
  durationSeconds: number;
  hasAudio: boolean;
  hasVideo: boolean;
  audioCodec: string | null;
  videoCodec: string | null;
  width: number | null;
  height: number | null;
}

async function checkedContainer(path: string): Promise<MediaContainer> {
  const container = await sniffFile(path).catch(() => null);
  if (!container)
    throw new MediaError(
      'This is not an audio or video file we accept (WebM, MP4/MOV/M4A, WAV, MP3, Ogg)',
      'unsupported_type',
    );
  return container;
}

/** ffprobe on a private temporary file, with the demuxer forced by the sniffed container. */
export async function probe(path: string): Promise<MediaInfo> {
  const container = await checkedContainer(path);
  // JSON, and only the fields read: ffprobe's default output (which fluent-ffmpeg's ffprobe parses)
  // prints a file's tags unescaped, so a title holding "\n[/STREAM]\n[STREAM]\ncodec_type=audio"
  // or "\nduration=1" made a silent two-hour video look like a one-second answer with sound
  const stdout = await reading(ffprobeProgram, path, [
    ...['-v', 'error', '-protocol_whitelist', 'file', '-f', DEMUXER[container]],
    ...['-show_entries', 'format=duration:stream=codec_type,codec_name,width,height', '-of', 'json', '-i', path],
  ]);
  let data: {
    streams?: { codec_type?: string; codec_name?: string; width?: number; height?: number }[];
    format?: { duration?: string };
  };
  try {
    data = JSON.parse(stdout);
  } catch {
    throw new MediaError('The file is damaged or incomplete: ffprobe could not describe it', 'corrupt');
  }
  const streams = data.streams ?? [];
  const audio = streams.find((s) => s.codec_type === 'audio');
  const video = streams.find((s) => s.codec_type === 'video');
  const duration = Number(data.format?.duration);
  return {
    container,
    durationSeconds: Number.isFinite(duration) ? duration : NaN,
    hasAudio: !!audio,
    hasVideo: !!video,
    audioCodec: audio?.codec_name ?? null,
    videoCodec: video?.codec_name ?? null,
    width: video?.width ?? null,
    height: video?.height ?? null,
  };
}

/**
 * How long a file's sound and picture really last, in seconds: its packets read to the end (copied
 * to nothing, never decoded), up to `limit` seconds past which the answer is too long anyway. A
 * container's stated length is what its header says, and a header can say anything (an MP4's
 * mvhd, mdhd and tkhd edited to one second held 40 seconds of sound, which ffprobe reported as
 * one). 0 when there is no packet to read.
 */
export async function measuredSeconds(path: string, limit: number): Promise<number> {
  const container = await checkedContainer(path);
  const stdout = await reading(ffmpegProgram, path, [
    ...['-nostdin', '-v', 'error', '-protocol_whitelist', 'file', '-f', DEMUXER[container], '-i', path],
    ...['-map', '0:a?', '-map', '0:v?', '-c', 'copy', '-t', String(limit), '-f', 'null', '-nostats'],
    ...['-progress', 'pipe:1', '-'],
  ]);
  const times = [...stdout.matchAll(/^out_time_us=(\d+)$/gm)];
  return times.length ? Number(times[times.length - 1][1]) / 1e6 : 0;
}

/**
 * The samples of a WAV file that already holds what the engines take (16 kHz, mono, 16-bit
 * integer or 32-bit float PCM), found by walking its chunks, whatever the header's length
 * (a LIST or other chunk before the data moves it); null for any other WAV (ffmpeg converts it).
 */
export function pcmFromWav(buf: Buffer): Float32Array | null {
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') return null;
  let format: { tag: number; channels: number; rate: number; bits: number } | null = null;
  for (let o = 12; o + 8 <= buf.length;) {
    const id = buf.toString('ascii', o, o + 4);
    const size = buf.readUInt32LE(o + 4);
    const body = o + 8;
    if (id === 'fmt ' && size >= 16) {
      format = {
        tag: buf.readUInt16LE(body),
        channels: buf.readUInt16LE(body + 2),
        rate: buf.readUInt32LE(body + 4),
        bits: buf.readUInt16LE(body + 14),
      };
    } else if (id === 'data') {
      if (!format || format.channels !== 1 || format.rate !== 16_000) return null;
      const end = Math.min(buf.length, body + size);
      if (format.tag === 1 && format.bits === 16) {
        const out = new Float32Array(Math.floor((end - body) / 2));
        for (let i = 0; i < out.length; i++) out[i] = buf.readInt16LE(body + i * 2) / 32768;
        return out;
      }
      if (format.tag === 3 && format.bits === 32) {
        const out = new Float32Array(Math.floor((end - body) / 4));
        for (let i = 0; i < out.length; i++) out[i] = buf.readFloatLE(body + i * 4);
        return out;
      }
      return null;
    }
    o = body + size + (size % 2);
  }
  return null;
}

/**
 * Decodes the audio track to 16 kHz mono float PCM, as the speech engines take it. WebM from
 * MediaRecorder carries no duration, so the decoded length is the truth. A WAV file already in
 * that form is read directly (no ffmpeg process: a short answer spends most of its overhead
 * starting one).
 */
export async function extractPcm(path: string, maxSeconds = 3600): Promise<Float32Array> {
  const container = await checkedContainer(path);
  if (container === 'wav') {
    const direct = pcmFromWav(await readFile(path));
    if (direct) {
      if (direct.length > maxSeconds * 16_000)
        throw new MediaError(`The recording is longer than ${maxSeconds} s`, 'too_long');
      if (direct.length === 0) throw new MediaError('The file has no audio', 'no_audio');
      return direct;
    }
  }
  const { chunks, bytes, limit } = await decodeSound(path, container, maxSeconds, true);
  if (bytes > limit) throw new MediaError(`The recording is longer than ${maxSeconds} s`, 'too_long');
  const all = Buffer.concat(chunks);
  if (all.length === 0) throw new MediaError('The file has no audio', 'no_audio');
  return new Float32Array(all.buffer, all.byteOffset, Math.floor(all.length / 4));
}

/**
 * How many seconds of sound a file decodes to (16 kHz samples counted, not
 * kept), up to a second past `maxSeconds`: what the samples hold, whatever the container's header
 * or its packets' times say (an MP4's sample table can give each packet a tick of time and still
 * hold 1,024 samples in it). The sound track ffmpeg picks, as transcription does; 0 without one.
 */
export async function soundSeconds(path: string, maxSeconds: number): Promise<number> {
  const container = await checkedContainer(path);
  const { bytes } = await decodeSound(path, container, maxSeconds, false).catch((e: unknown) => {
    if (e instanceof MediaError && e.reason === 'no_audio') return { bytes: 0 };
    throw e;
  });
  return bytes / (16_000 * 4);
}

/**
 * Decodes the first sound track to 16 kHz mono float PCM, keeping the samples or only counting
 * them. Decoding ends a second of samples past `maxSeconds` (enough to tell it was passed: ffmpeg
 * is stopped), by the samples counted, not by the output's times (`-t`), which a file's own times
 * set: with every packet given one tick, `-t 11` let 16 s through and stopped there, though 40 s
 * were in it. A long file costs no more than the longest answer allowed.
 */
async function decodeSound(
  path: string,
  container: MediaContainer,
  maxSeconds: number,
  keep: boolean,
): Promise<{ chunks: Buffer[]; bytes: number; limit: number }> {
  // not destroyed (so no 'close') once it ends: fluent-ffmpeg fails a run whose output stream
  // closes more than 20 ms before ffmpeg's exit is seen ("Output stream closed"), which a loaded
  // machine does now and then, though every sample arrived; the run ends with the process instead
  const out = new PassThrough({ autoDestroy: false });
  const chunks: Buffer[] = [];
  let bytes = 0;
  const limit = maxSeconds * 16_000 * 4;
  const enough = limit + 16_000 * 4;
  let stopped = false;
  const seconds = await secondsAllowed(path);
  const command = ffmpeg(path)
    .inputOptions(['-protocol_whitelist', 'file', '-f', DEMUXER[container]])
    .noVideo()
    .audioChannels(1)
    .audioFrequency(16_000)
    .format('f32le');
  out.on('data', (c: Buffer) => {
    bytes += c.length;
    if (keep && bytes <= limit) chunks.push(c);
    if (bytes > enough && !stopped) {
      stopped = true;
      command.kill('SIGKILL');
    }
  });
  const time = deadline(command, seconds);
  await new Promise<void>((resolve, reject) => {
    command
      .on('error', (e: Error) =>
        time.passed()
          ? reject(tooSlow(seconds))
          : stopped
            ? resolve()
            : reject(
                /does not contain any stream|matches no streams/i.test(e.message)
                  ? new MediaError('The recording has no sound track', 'no_audio')
                  : new MediaError(
                      `The audio could not be decoded: ${lastWords(e.message, path, 'ffmpeg failed')}`,
                      'corrupt',
                    ),
              ),
      )
      .on('end', () => resolve())
      .pipe(out, { end: true });
  }).finally(time.clear);
  return { chunks, bytes, limit };
}

/** The MIME type a browser should be told for a stored file. */
export function contentTypeOf(container: MediaContainer, hasVideo: boolean): string {
  switch (container) {
    case 'webm':
      return hasVideo ? 'video/webm' : 'audio/webm';
    case 'mp4':
      return hasVideo ? 'video/mp4' : 'audio/mp4';
    case 'wav':
      return 'audio/wav';
    case 'mp3':
      return 'audio/mpeg';
    case 'ogg':
      return 'audio/ogg';
  }
}

/**
 * Rewrites the container without re-encoding. WebM from MediaRecorder has no duration and no cue
 * index, so the browser cannot seek in it and ffprobe cannot measure it: a stream copy through
 * ffmpeg's muxer writes both. `dropVideo` keeps the audio only (audio-only exercises).
 * Returns the container written.
 */
export async function remux(
  input: string,
  output: string,
  options: { dropVideo?: boolean } = {},
): Promise<MediaContainer> {
  const container = await checkedContainer(input);
  const target: MediaContainer = container === 'webm' ? 'webm' : container === 'mp4' ? 'mp4' : container;
  const outputOptions = [
    '-map',
    '0:a?',
    ...(options.dropVideo ? [] : ['-map', '0:v?']),
    '-c',
    'copy',
    '-map_metadata',
    '-1',
  ];
  if (target === 'mp4') outputOptions.push('-movflags', '+faststart');
  const seconds = await secondsAllowed(input);
  const command = ffmpeg(input)
    .inputOptions(['-protocol_whitelist', 'file', '-f', DEMUXER[container]])
    .outputOptions(outputOptions)
    .format(target === 'webm' ? 'webm' : target === 'mp4' ? 'mp4' : DEMUXER[target]);
  const time = deadline(command, seconds);
  await new Promise<void>((resolve, reject) => {
    command
      .on('error', (e: Error) =>
        reject(
          time.passed()
            ? tooSlow(seconds)
            : new MediaError(`The file could not be read: ${lastWords(e.message, input, 'ffmpeg failed')}`, 'corrupt'),
        ),
      )
      .on('end', () => resolve())
      .save(output);
  }).finally(time.clear);
  return target;
}
