import { execFileSync } from 'node:child_process';
import { chmod, copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { environmentMediaPrograms } from '@rehearse/server/testing';
import {
  contentTypeOf,
  extractPcm,
  measuredSeconds,
  MediaError,
  pcmFromWav,
  probe,
  remux,
  sniffContainer,
  soundSeconds,
  useMediaPrograms,
} from './media';

const ASR = process.env['REHEARSE_SHARED_ASR'] ?? join(__dirname, '../../../../../../shared/asr');
const VIDEO = join(ASR, 'samples/jfk-video.mp4');
const WAV = join(ASR, 'samples/jfk.wav');

describe('media: type by content, probe and audio extraction with real ffmpeg', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rehearse-media-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('recognises containers by their first bytes', async () => {
    expect(sniffContainer((await readFile(VIDEO)).subarray(0, 64))).toBe('mp4');
    expect(sniffContainer((await readFile(WAV)).subarray(0, 64))).toBe('wav');
    expect(sniffContainer(Buffer.from('1a45dfa3a3428286', 'hex'))).toBe('webm');
    expect(sniffContainer(Buffer.from('ID3\x04\x00'))).toBe('mp3');
    expect(sniffContainer(Buffer.from('<html><script>alert(1)</script>'))).toBeNull();
    expect(sniffContainer(Buffer.from('#EXTM3U\n#EXT-X-VERSION:3\nfile:///etc/passwd'))).toBeNull();
    expect(sniffContainer(Buffer.alloc(0))).toBeNull();
  });

  it('probes the practice video', async () => {
    const info = await probe(VIDEO);
    expect(info).toMatchObject({
      container: 'mp4',
      hasAudio: true,
      hasVideo: true,
      videoCodec: 'h264',
      audioCodec: 'aac',
      width: 320,
      height: 240,
    });
    expect(info.durationSeconds).toBeCloseTo(11, 0);
  });

  it("believes no file's tags: a title or handler written like ffprobe's output changes nothing it reports", async () => {
    // a silent 3-second video whose tags, printed unescaped by ffprobe's default output, read as
    // a sound track and a one-second length (fluent-ffmpeg's parser took both)
    const lying = join(dir, 'lying.mp4');
    const title = 'x\n[/FORMAT]\n[STREAM]\ncodec_type=audio\ncodec_name=aac\n[/STREAM]\n[FORMAT]\nduration=1';
    const handler = 'h\n[/STREAM]\n[STREAM]\ncodec_type=audio\ncodec_name=opus\n[/STREAM]\n[STREAM]\ncodec_type=video';
    execFileSync('ffmpeg', [
      ...['-nostdin', '-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=10', '-t', '3'],
      ...['-c:v', 'libx264', '-metadata', `title=${title}`, '-metadata:s:v:0', `handler_name=${handler}`, '-y', lying],
    ]);
    const info = await probe(lying);
    expect(info).toMatchObject({ hasAudio: false, audioCodec: null, hasVideo: true, videoCodec: 'h264', width: 160 });
    expect(info.durationSeconds).toBeCloseTo(3, 1);
  });

  it('extracts 16 kHz mono audio from video and from WAV', async () => {
    const fromVideo = await extractPcm(VIDEO);
    const fromWav = await extractPcm(WAV);
    expect(fromWav.length).toBe(176_000);
    expect(Math.abs(fromVideo.length - 176_000)).toBeLessThan(2_000);
    const peak = (a: Float32Array) => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    expect(peak(fromVideo)).toBeGreaterThan(0.1);
  });

  it('reads a WebM recorded without a duration (as MediaRecorder writes it)', async () => {
    const webm = join(dir, 'answer.webm');
    execFileSync('ffmpeg', ['-nostdin', '-v', 'error', '-i', WAV, '-c:a', 'libopus', '-f', 'webm', '-y', webm]);
    const pcm = await extractPcm(webm);
    expect(Math.abs(pcm.length - 176_000)).toBeLessThan(16_000);
  });

  it('remuxes a streamed WebM (no duration, no cues) into one the browser can seek and ffprobe can measure', async () => {
    const streamed = join(dir, 'streamed.webm');
    // written to a pipe, as MediaRecorder does: the muxer cannot go back to write duration or cues
    await writeFile(
      streamed,
      execFileSync(
        'ffmpeg',
        [
          '-nostdin',
          '-v',
          'error',
          '-i',
          VIDEO,
          '-c:v',
          'libvpx',
          '-deadline',
          'realtime',
          '-b:v',
          '200k',
          '-c:a',
          'libopus',
          '-f',
          'webm',
          'pipe:1',
        ],
        { maxBuffer: 64 << 20 },
      ),
    );
    expect(Number.isNaN((await probe(streamed)).durationSeconds)).toBe(true);
    const fixed = join(dir, 'fixed.webm');
    expect(await remux(streamed, fixed)).toBe('webm');
    const info = await probe(fixed);
    expect(info.durationSeconds).toBeGreaterThan(10.5);
    expect(info.durationSeconds).toBeLessThan(11.5);
    expect(info).toMatchObject({ hasVideo: true, hasAudio: true, videoCodec: 'vp8', audioCodec: 'opus' });
    expect(contentTypeOf(info.container, info.hasVideo)).toBe('video/webm');
  });

  it('keeps only the audio of a video for an audio-only exercise', async () => {
    const out = join(dir, 'audio-only.m4a');
    await remux(VIDEO, out, { dropVideo: true });
    const info = await probe(out);
    expect(info).toMatchObject({ container: 'mp4', hasVideo: false, hasAudio: true, audioCodec: 'aac' });
    expect(contentTypeOf(info.container, info.hasVideo)).toBe('audio/mp4');
  });

  it.each([
    ['a zero-byte file', async (p: string) => writeFile(p, Buffer.alloc(0)), 'unsupported_type'],
    ['a text file named .mp4', async (p: string) => writeFile(p, 'hello, I am not a video'), 'unsupported_type'],
    [
      'an HTML page with an MP4 name',
      async (p: string) => writeFile(p, '<!doctype html><script>alert(1)</script>'),
      'unsupported_type',
    ],
    [
      'an HLS playlist naming a local file',
      async (p: string) =>
        writeFile(p, '#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n'),
      'unsupported_type',
    ],
    ['a truncated MP4', async (p: string) => writeFile(p, (await readFile(VIDEO)).subarray(0, 4000)), 'corrupt'],
    [
      'an MP4 header on garbage',
      async (p: string) =>
        writeFile(p, Buffer.concat([(await readFile(VIDEO)).subarray(0, 32), Buffer.alloc(5000, 7)])),
      'corrupt',
    ],
  ])('refuses %s with a clear reason', async (_label, make, reason) => {
    const p = join(dir, `bad-${Math.random().toString(36).slice(2)}.mp4`);
    await make(p);
    const err = await probe(p)
      .then(() => extractPcm(p))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MediaError);
    expect((err as MediaError).reason).toBe(reason);
    expect((err as Error).message.length).toBeGreaterThan(10);
  });

  it('refuses a recording over the length limit', async () => {
    const p = join(dir, 'long.wav');
    await copyFile(WAV, p);
    await expect(extractPcm(p, 5)).rejects.toMatchObject({ reason: 'too_long' });
    // decoded by ffmpeg (a video), which stops a second past the limit
    await expect(extractPcm(VIDEO, 5)).rejects.toMatchObject({ reason: 'too_long' });
    expect((await extractPcm(VIDEO, 12)).length).toBeGreaterThan(10.9 * 16_000);
  });
});

describe('a file that holds ffmpeg or ffprobe', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rehearse-media-slow-'));
  });
  afterAll(async () => {
    useMediaPrograms({ ...environmentMediaPrograms(), MEDIA_TIME_LIMIT_SECONDS: 60 });
    await rm(dir, { recursive: true, force: true });
  });

  it('has it killed when its time is up (SIGKILL, which a program deaf to SIGTERM cannot ignore) and is refused as damaged', async () => {
    // stands in for an ffmpeg a crafted file sends round in circles: it says what it can do as the
    // real one does (fluent-ffmpeg asks, once per process, before its first run: answered by then
    // when another test ran first, not when this one runs alone), and on a file it ignores SIGTERM,
    // as ffmpeg does the first one, and never ends; it notes its process id
    const stuck = join(dir, 'stuck');
    const real = environmentMediaPrograms().FFMPEG_PATH || 'ffmpeg';
    await writeFile(
      stuck,
      `#!/bin/sh\nfor a in "$@"; do case "$a" in -formats|-codecs|-encoders|-filters) exec ${real} "$@";; esac; done\n` +
        `echo $$ >> ${join(dir, 'pids')}\ntrap '' TERM\nexec sleep 120\n`,
    );
    await chmod(stuck, 0o755);
    useMediaPrograms({ FFMPEG_PATH: stuck, FFPROBE_PATH: stuck, MEDIA_TIME_LIMIT_SECONDS: 1 });
    const file = join(dir, 'answer.webm'); // EBML's magic, so each reaches its program
    await writeFile(file, Buffer.from('1a45dfa3a3428286', 'hex'));
    const started = Date.now();
    const outcomes = await Promise.all(
      [
        probe(file),
        measuredSeconds(file, 600),
        extractPcm(file, 600),
        soundSeconds(file, 600),
        remux(file, join(dir, 'out.webm')),
      ].map((p) =>
        p.then(
          () => null,
          (e: unknown) => e,
        ),
      ),
    );
    // a second of base and one for the file's first 8 MiB each, not the program's two minutes
    expect(Date.now() - started).toBeLessThan(30_000);
    for (const e of outcomes) {
      expect(e).toBeInstanceOf(MediaError);
      expect(e).toMatchObject({
        reason: 'corrupt',
        message: 'The file is damaged or made to be slow: reading it took longer than 2 s',
      });
    }
    const pids = (await readFile(join(dir, 'pids'), 'utf8')).trim().split('\n').map(Number);
    expect(pids).toHaveLength(5);
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
  });
});

describe('WAV read directly (canonical PCM, whatever the header)', () => {
  const run = (args: string[]) => execFileSync('ffmpeg', ['-nostdin', '-v', 'error', '-y', ...args]);
  it('reads 16 kHz mono WAV by its chunks: a longer header changes nothing; other WAVs are left to ffmpeg', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rehearse-wav-'));
    try {
      const plain = join(dir, 'plain.wav');
      const tagged = join(dir, 'tagged.wav');
      const cd = join(dir, 'cd.wav');
      run([
        '-f',
        'lavfi',
        '-i',
        'sine=f=300:d=1:sample_rate=16000',
        '-ac',
        '1',
        '-map_metadata',
        '-1',
        '-fflags',
        '+bitexact',
        '-flags:a',
        '+bitexact',
        plain,
      ]);
      run([
        '-f',
        'lavfi',
        '-i',
        'sine=f=300:d=1:sample_rate=16000',
        '-ac',
        '1',
        '-metadata',
        'title=A header made longer by a LIST chunk',
        tagged,
      ]);
      run(['-f', 'lavfi', '-i', 'sine=f=300:d=1:sample_rate=44100', '-ac', '2', cd]);
      const a = pcmFromWav(await readFile(plain));
      const b = pcmFromWav(await readFile(tagged));
      expect(a?.length).toBe(16_000);
      expect(b).toEqual(a);
      expect((await readFile(tagged)).indexOf('LIST')).toBeGreaterThan(0);
      expect(pcmFromWav(await readFile(cd))).toBeNull();
      expect(pcmFromWav(Buffer.from('not a wav file at all'))).toBeNull();
      // the same samples as ffmpeg's decoding, and the 44.1 kHz stereo file through ffmpeg
      const viaFfmpeg = new Float32Array(
        execFileSync('ffmpeg', ['-nostdin', '-v', 'error', '-i', tagged, '-f', 'f32le', '-']).buffer.slice(0),
      );
      expect(Math.max(...Array.from(a as Float32Array, (x, i) => Math.abs(x - viaFfmpeg[i])))).toBeLessThan(1e-4);
      expect((await extractPcm(tagged)).length).toBe(16_000);
      expect(Math.abs((await extractPcm(cd)).length - 16_000)).toBeLessThan(200);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
