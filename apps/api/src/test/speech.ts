import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { extractPcm } from '@rehearse/server/media';
import { wavFromPcm } from '@rehearse/server/speech';

const RATE = 16_000;

/**
 * Speech made with espeak-ng: each part spoken at `wpm`, its leading and trailing silence trimmed,
 * with `silences[i]` seconds of silence inserted after part i. Written as a 16 kHz WAV; returns
 * where each inserted silence starts and the total length, in seconds.
 */
export async function spokenAnswer(
  dir: string,
  name: string,
  wpm: number,
  parts: string[],
  silences: number[],
): Promise<{ path: string; pauseStarts: number[]; durationSeconds: number }> {
  const pcm: Float32Array[] = [];
  for (const [i, text] of parts.entries()) {
    const raw = join(dir, `${name}-${i}.wav`);
    const trimmed = join(dir, `${name}-${i}-trimmed.wav`);
    execFileSync('espeak-ng', ['-v', 'en-us', '-s', String(wpm), '-w', raw, text]);
    const trim = 'silenceremove=start_periods=1:start_threshold=-50dB';
    execFileSync('ffmpeg', [
      '-nostdin',
      '-v',
      'error',
      '-y',
      '-i',
      raw,
      '-af',
      `${trim},areverse,${trim},areverse`,
      '-ar',
      String(RATE),
      '-ac',
      '1',
      trimmed,
    ]);
    pcm.push(await extractPcm(trimmed));
  }
  const pieces: Float32Array[] = [];
  const pauseStarts: number[] = [];
  let at = 0;
  pcm.forEach((p, i) => {
    pieces.push(p);
    at += p.length;
    if (i < silences.length) {
      pauseStarts.push(at / RATE);
      const gap = new Float32Array(Math.round(silences[i] * RATE));
      pieces.push(gap);
      at += gap.length;
    }
  });
  const joined = new Float32Array(at);
  let offset = 0;
  for (const p of pieces) {
    joined.set(p, offset);
    offset += p.length;
  }
  const path = join(dir, `${name}.wav`);
  await writeFile(path, wavFromPcm(joined));
  return { path, pauseStarts, durationSeconds: at / RATE };
}
