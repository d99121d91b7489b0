import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
import { prepareMedia } from './media-intake';

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
});
