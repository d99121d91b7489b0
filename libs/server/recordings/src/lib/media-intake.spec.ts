import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError, WorkFolder } from '@rehearse/server/core';
import { useMediaPrograms } from '@rehearse/server/media';
import {
  appMediaPrograms,
  environmentMediaPrograms,
  machineMediaPrograms,
  MediaPrograms,
} from '@rehearse/server/testing';
import { availableParallelism } from 'node:os';
import { intakeLoad, prepareMedia, useIntakeConcurrency } from './media-intake';

const ASR = process.env['REHEARSE_SHARED_ASR'] ?? join(__dirname, '../../../../../../shared/asr');
const WAV = join(ASR, 'samples/jfk.wav');
const RULES = { maxSeconds: 600, dropVideo: false, requireAudio: true };

/** The upload checks with the app's own ffmpeg (tools/scripts/build-ffmpeg.sh) and with Debian's. */
describe('intake with the ffmpeg in use', () => {
  let dir: string;
  let work: WorkFolder;
  let app: MediaPrograms;
  let machine: MediaPrograms;
  const refusal = async (path: string) => {
    const e = await prepareMedia(path, RULES, work).then(
      () => null,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(AppError);
    const err = e as AppError;
    return { status: err.getStatus(), reason: err.reason, message: (err.getResponse() as { message: string }).message };
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rehearse-intake-'));
    work = new WorkFolder(join(dir, 'work'));
    app = appMediaPrograms(true);
    machine = machineMediaPrograms();
  }, 240_000);
  afterAll(() => {
    useMediaPrograms(environmentMediaPrograms());
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses at once a sound it could not transcribe (Speex in Ogg), saying what to do, where Debian’s ffmpeg reads it', async () => {
    const speex = join(dir, 'answer.ogg');
    execFileSync(machine.FFMPEG_PATH, ['-nostdin', '-v', 'error', '-i', WAV, '-c:a', 'libspeex', '-y', speex]);
    useMediaPrograms(app);
    expect(await refusal(speex)).toEqual({
      status: 422,
      reason: 'unsupported_type',
      message:
        'The sound is in a format Rehearse cannot read (speex): record the answer in the browser, or save the file with AAC, Opus, Vorbis, MP3, FLAC or WAV sound',
    });
    useMediaPrograms(machine);
    const prepared = await prepareMedia(speex, RULES, work);
    expect(prepared.info.audioCodec).toBe('speex');
    await prepared.dispose();
  });

  it('takes what browsers record (WebM with Opus, MP4 with AAC)', async () => {
    useMediaPrograms(app);
    for (const [name, args] of [
      ['answer.webm', ['-c:a', 'libopus', '-f', 'webm']],
      ['answer.m4a', ['-c:a', 'aac', '-f', 'mp4']],
    ] as const) {
      const path = join(dir, name);
      execFileSync(machine.FFMPEG_PATH, ['-nostdin', '-v', 'error', '-i', WAV, ...args, '-y', path]);
      const prepared = await prepareMedia(path, RULES, work);
      expect(prepared.info).toMatchObject({ hasAudio: true });
      expect(prepared.info.durationSeconds).toBeCloseTo(11, 0);
      await prepared.dispose();
    }
  });

  it('says what ffmpeg found wrong, without the private file’s path', async () => {
    useMediaPrograms(app);
    // WebM's magic bytes, then nothing a reader can use
    const broken = join(dir, 'broken.webm');
    writeFileSync(broken, Buffer.concat([Buffer.from('1a45dfa3', 'hex'), Buffer.alloc(4096, 0x41)]));
    const { status, reason, message } = await refusal(broken);
    expect({ status, reason }).toEqual({ status: 422, reason: 'corrupt' });
    expect(message).toMatch(/^The file is damaged or incomplete: \S/);
    expect(message).not.toContain(dir);
    expect(message).not.toMatch(/ffprobe failed|exited with code/);
  });

  it('checks so many uploads at once (MEDIA_INTAKE_CONCURRENCY), the others in their turn', async () => {
    // stands in for ffprobe: notes when it starts and ends (a third of a second), says nothing usable
    const program = join(dir, 'slow-probe');
    const log = join(dir, 'runs');
    writeFileSync(
      program,
      `#!/bin/sh\necho "start $(date +%s%N)" >> ${log}\nsleep 0.3\necho "end $(date +%s%N)" >> ${log}\n`,
    );
    chmodSync(program, 0o755);
    const upload = join(dir, 'upload.webm');
    writeFileSync(upload, Buffer.concat([Buffer.from('1a45dfa3', 'hex'), Buffer.alloc(64, 0x41)]));
    /** the most programs that ran at the same time while `uploads` were checked at once */
    const mostAtOnce = async (limit: number, uploads: number) => {
      writeFileSync(log, '');
      useIntakeConcurrency(limit);
      const checked = Array.from({ length: uploads }, () => refusal(upload));
      await Promise.resolve();
      const load = intakeLoad();
      await Promise.all(checked);
      let now = 0;
      let most = 0;
      const events = readFileSync(log, 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split(' '))
        .sort((a, b) => Number(BigInt(a[1]) - BigInt(b[1])) || (a[0] === 'end' ? -1 : 1));
      for (const [kind] of events) most = Math.max(most, (now += kind === 'start' ? 1 : -1));
      expect(events.filter(([kind]) => kind === 'start')).toHaveLength(uploads);
      return { most, load };
    };
    useMediaPrograms({ FFMPEG_PATH: app.FFMPEG_PATH, FFPROBE_PATH: program });
    try {
      expect(await mostAtOnce(2, 5)).toEqual({ most: 2, load: { running: 2, waiting: 3 } });
      expect(await mostAtOnce(1, 3)).toEqual({ most: 1, load: { running: 1, waiting: 2 } });
      // (and all at once with room for all: the count can tell)
      expect((await mostAtOnce(4, 4)).most).toBeGreaterThan(1);
    } finally {
      useIntakeConcurrency(availableParallelism());
      useMediaPrograms(app);
    }
  });
});
