import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..', '..', '..');

export interface MediaPrograms {
  FFMPEG_PATH: string;
  FFPROBE_PATH: string;
}

/**
 * The ffmpeg and ffprobe the app runs: those FFMPEG_PATH and FFPROBE_PATH name, else the build of
 * tools/scripts/build-ffmpeg.sh (the machine's, in ~/.cache/rehearse/ffmpeg; built there if missing).
 * `fromBuild` asks the build script whatever the environment says.
 */
export function appMediaPrograms(fromBuild = false): MediaPrograms {
  const { FFMPEG_PATH, FFPROBE_PATH } = process.env;
  if (FFMPEG_PATH && FFPROBE_PATH && !fromBuild) return { FFMPEG_PATH, FFPROBE_PATH };
  const dir = execFileSync('bash', [join(root, 'tools/scripts/build-ffmpeg.sh')], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .pop();
  if (!dir) throw new Error('tools/scripts/build-ffmpeg.sh printed no folder');
  return { FFMPEG_PATH: join(dir, 'ffmpeg'), FFPROBE_PATH: join(dir, 'ffprobe') };
}

/** The machine's own ffmpeg and ffprobe (Debian's, on PATH). */
export function machineMediaPrograms(): MediaPrograms {
  const which = (name: string) => execFileSync('bash', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
  return { FFMPEG_PATH: which('ffmpeg'), FFPROBE_PATH: which('ffprobe') };
}

/** What the environment names (npm test: the app's build; empty: fluent-ffmpeg's own choice), to go back to after a test switched. */
export function environmentMediaPrograms(): MediaPrograms {
  return { FFMPEG_PATH: process.env['FFMPEG_PATH'] ?? '', FFPROBE_PATH: process.env['FFPROBE_PATH'] ?? '' };
}
