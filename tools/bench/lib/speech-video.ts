/**
 * A video of real speech for the benchmarks: the JFK clip of the shared ASR fixtures
 * (../shared/asr beside the checkout, or REHEARSE_SHARED_ASR), else a spoken passage made here with
 * espeak-ng and ffmpeg (a test picture and the voice, as MP4, like a browser's recording).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const ASR = process.env['REHEARSE_SHARED_ASR'] ?? join(root, '..', 'shared', 'asr');

/** What the clip made here says. */
const PASSAGE =
  'Thank you for calling. I understand that your order arrived late and I am sorry about that. ' +
  'Let me check what happened with the delivery. Your parcel left our warehouse on Monday, ' +
  'and I will make sure that you get a refund for the shipping costs.';

/** A media file's length in seconds (ffprobe). */
export function mediaSeconds(path: string): number {
  return Number(
    execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', path])
      .toString()
      .trim(),
  );
}

/** The clip (made in `dir` when the fixtures are not there), where it came from, and its length in seconds. */
export function speechVideo(dir: string): { path: string; name: 'jfk' | 'espeak'; seconds: number } {
  const jfk = join(ASR, 'samples/jfk-video.mp4');
  if (existsSync(jfk)) return { path: jfk, name: 'jfk', seconds: mediaSeconds(jfk) };
  const wav = join(dir, 'passage.wav');
  execFileSync('espeak-ng', ['-v', 'en-us', '-s', '150', '-w', wav, PASSAGE]);
  const path = join(dir, 'passage.mp4');
  // the lavfi test picture and the voice, cut to the voice's length
  execFileSync('ffmpeg', [
    ...['-nostdin', '-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25', '-i', wav, '-shortest'],
    ...['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', path],
  ]);
  return { path, name: 'espeak', seconds: mediaSeconds(path) };
}
