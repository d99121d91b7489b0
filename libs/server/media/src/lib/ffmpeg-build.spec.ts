import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appMediaPrograms, environmentMediaPrograms, machineMediaPrograms } from '@rehearse/server/testing';
import { decodableAudio, extractPcm, MediaInfo, probe, remux, useMediaPrograms } from './media';

const ROOT = join(__dirname, '../../../../..');
const ASR = process.env['REHEARSE_SHARED_ASR'] ?? join(ROOT, '../shared/asr');
const VIDEO = join(ASR, 'samples/jfk-video.mp4');
const WAV = join(ASR, 'samples/jfk.wav');

/**
 * tools/scripts/build-ffmpeg.sh: the ffmpeg and ffprobe the API and the worker run (FFMPEG_PATH,
 * FFPROBE_PATH), built from Debian's source with only what Rehearse reads. npm test builds it
 * before the tests (once per machine); here it is only found again.
 */
describe('the ffmpeg build the app runs', () => {
  let built: { ffmpeg: string; ffprobe: string };
  /** the machine's full ffmpeg (Debian's), which makes the fixtures and is the reference */
  let system: { ffmpeg: string; ffprobe: string };
  let dir: string;
  const run = (program: string, args: string[]) =>
    spawnSync(program, ['-hide_banner', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

  beforeAll(() => {
    const app = appMediaPrograms(true);
    built = { ffmpeg: app.FFMPEG_PATH, ffprobe: app.FFPROBE_PATH };
    const machine = machineMediaPrograms();
    system = { ffmpeg: machine.FFMPEG_PATH, ffprobe: machine.FFPROBE_PATH };
    dir = mkdtempSync(join(tmpdir(), 'rehearse-ffmpeg-build-'));
  }, 240_000);
  afterAll(() => {
    // back to what the environment names (npm test: this build), for any later test in this worker
    useMediaPrograms(environmentMediaPrograms());
    rmSync(dir, { recursive: true, force: true });
  });

  it('is what npm test gives the app', () => {
    if (process.env['CI']) {
      expect(process.env['FFMPEG_PATH']).toBe(built.ffmpeg);
      expect(process.env['FFPROBE_PATH']).toBe(built.ffprobe);
    }
    expect(readFileSync(join(built.ffmpeg, '..', '.source'), 'utf8')).toMatch(
      /^ffmpeg \S+, configuration [0-9a-f]{12}$/m,
    );
  });

  it('links no shared library but the C library (FFmpeg its own, statically)', () => {
    for (const program of [built.ffmpeg, built.ffprobe]) {
      const libraries = execFileSync('ldd', [program], { encoding: 'utf8' })
        .split('\n')
        .map((l) => l.trim().split(/\s/)[0])
        .filter((l) => l && !/^(linux-vdso|\/lib64\/ld-linux)/.test(l));
      expect(libraries.sort()).toEqual(['libc.so.6', 'libm.so.6']);
    }
    expect(execFileSync('ldd', [system.ffmpeg], { encoding: 'utf8' })).toMatch(/libavcodec/);
  });

  it('reads only the five accepted containers, from files and pipes, and decodes no picture', () => {
    const demuxers = run(built.ffmpeg, ['-demuxers'])
      .stdout.split(' --\n')[1]
      .split('\n')
      .map((l) => /^\s*D\S*\s+(\S+)/.exec(l)?.[1])
      .filter(Boolean);
    expect(demuxers.sort()).toEqual(['matroska,webm', 'mov,mp4,m4a,3gp,3g2,mj2', 'mp3', 'ogg', 'wav']);
    const protocols = run(built.ffmpeg, ['-protocols']).stdout;
    const input = protocols.slice(protocols.indexOf('Input:'), protocols.indexOf('Output:'));
    expect(input.split(/\s+/).filter((w) => w && w !== 'Input:')).toEqual(['file', 'pipe']);
    const videoDecoders = run(built.ffmpeg, ['-decoders'])
      .stdout.split(' ------\n')[1]
      .split('\n')
      .filter((l) => /^\s*V[.A-Z]{5}\s/.test(l));
    expect(videoDecoders).toEqual([]);
    // what Debian's reads and this one refuses: a playlist, a generated picture, the network
    const playlist = join(dir, 'list.m3u8');
    writeFileSync(playlist, '#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n');
    for (const args of [
      ['-f', 'hls', '-i', playlist],
      ['-f', 'lavfi', '-i', 'testsrc2'],
      ['-i', 'http://127.0.0.1:9/a.mp4'],
      ['-f', 'concat', '-i', playlist],
    ]) {
      const r = run(built.ffmpeg, ['-nostdin', '-v', 'error', ...args, '-f', 'null', '-']);
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(/Unknown input format|Protocol not found|No such filter|Invalid argument/);
    }
  });

  it('says which sounds it decodes: those of the accepted containers, not every one Debian’s does', async () => {
    useMediaPrograms({ FFMPEG_PATH: built.ffmpeg, FFPROBE_PATH: built.ffprobe });
    const ours = await decodableAudio();
    for (const codec of ['aac', 'opus', 'vorbis', 'mp3', 'flac', 'alac', 'ac3', 'pcm_s16le', 'pcm_f32le', 'pcm_mulaw'])
      expect({ codec, decodes: ours.has(codec) }).toEqual({ codec, decodes: true });
    for (const codec of ['dts', 'speex', 'wmav2', 'h264', 'vp8'])
      expect({ codec, decodes: ours.has(codec) }).toEqual({ codec, decodes: false });
    useMediaPrograms({ FFMPEG_PATH: system.ffmpeg, FFPROBE_PATH: system.ffprobe });
    const debian = await decodableAudio();
    expect(['dts', 'speex', 'aac'].map((c) => debian.has(c))).toEqual([true, true, true]);
    expect(debian.has('h264')).toBe(false); // a picture is no sound
  });

  it('decodes the same 16 kHz samples as Debian’s ffmpeg, from each container an answer comes in', async () => {
    const made = (name: string, args: string[]) => {
      const path = join(dir, name);
      execFileSync(system.ffmpeg, ['-nostdin', '-v', 'error', '-i', WAV, ...args, '-y', path]);
      return path;
    };
    const files = [
      VIDEO, // MP4: H.264 and AAC, moov at the end
      made('answer.webm', ['-c:a', 'libopus', '-f', 'webm']), // Chrome's and Firefox's recordings
      made('answer.m4a', ['-c:a', 'aac', '-movflags', '+faststart']), // Safari's
      made('answer.ogg', ['-c:a', 'libvorbis']),
      made('answer.mp3', ['-c:a', 'libmp3lame']),
      made('answer-44k.wav', ['-ar', '44100', '-ac', '2']), // not 16 kHz mono: ffmpeg resamples it
    ];
    for (const file of files) {
      useMediaPrograms({ FFMPEG_PATH: system.ffmpeg, FFPROBE_PATH: system.ffprobe });
      const reference = await extractPcm(file);
      useMediaPrograms({ FFMPEG_PATH: built.ffmpeg, FFPROBE_PATH: built.ffprobe });
      const ours = await extractPcm(file);
      expect({ file, length: ours.length }).toEqual({ file, length: reference.length });
      let worst = 0;
      for (let i = 0; i < ours.length; i++) worst = Math.max(worst, Math.abs(ours[i] - reference[i]));
      // the same decoders; Debian's use hand-written assembly for some sums where this build has C
      expect({ file, worst: worst < 1e-4 }).toEqual({ file, worst: true });
    }
  }, 60_000);

  it('probes and remuxes as Debian’s does', async () => {
    const webm = join(dir, 'streamed.webm');
    // a picture and the voice, written to a pipe as MediaRecorder does (no duration, no cues)
    const made = spawnSync(
      'bash',
      [
        '-c',
        `"${system.ffmpeg}" -nostdin -v error -f lavfi -i testsrc2=size=320x240:rate=15 -i "${WAV}" -shortest -c:v libvpx -b:v 200k -c:a libopus -f webm - > "${webm}"`,
      ],
      { encoding: 'utf8' },
    );
    expect(made.status).toBe(0);
    const infos: MediaInfo[][] = [];
    for (const programs of [system, built]) {
      useMediaPrograms({ FFMPEG_PATH: programs.ffmpeg, FFPROBE_PATH: programs.ffprobe });
      const out = join(dir, `remuxed-${infos.length}.webm`);
      await remux(webm, out);
      infos.push([await probe(VIDEO), await probe(out)]);
    }
    expect(infos[1]).toEqual(infos[0]);
    expect(infos[1][1]).toMatchObject({
      container: 'webm',
      hasVideo: true,
      videoCodec: 'vp8',
      audioCodec: 'opus',
      width: 320,
    });
    expect(infos[1][1].durationSeconds).toBeCloseTo(11, 0);
  }, 60_000);
});
