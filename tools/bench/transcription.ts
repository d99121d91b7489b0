/**
 * Transcription benchmark (part of `npm run bench`; alone: `npm run bench:transcription`).
 * Side by side in one run, on the same machine and the same audio, per engine and clip:
 *   - the engine alone on 16 kHz PCM that is already in memory;
 *   - the worker's whole pipeline on the stored recording (an MP4 answer with video): decrypt the
 *     object into a private work file, extract 16 kHz mono with ffmpeg, transcribe, store words
 *     and passages (full-text index) in PostgreSQL, announce each stage on Redis; with the app's
 *     ffmpeg (FFMPEG_PATH, else tools/scripts/build-ffmpeg.sh's build) and, beside it, with the
 *     machine's (Debian's, on PATH);
 *   - before those, the audio extraction alone with either ffmpeg.
 * Prints medians, the pipeline/engine ratio and the real-time factor (processing time / audio
 * length; below 1 is faster than real time). Not a test: nothing asserts on timings.
 *
 * Audio: the JFK clip of ../shared/asr when it is there (REHEARSE_SHARED_ASR names another
 * folder), otherwise a spoken passage made here with espeak-ng, so the benchmark runs from a clean
 * clone with no setting. Engines: Debian's PocketSphinx, and Whisper (whisper.cpp's program,
 * tools/scripts/build-whisper-cli.sh) with each model installed in REHEARSE_WHISPER_MODELS_DIR
 * (default ~/.cache/rehearse/models; npm test provisions tiny.en and base).
 * Needs PostgreSQL and Redis (tools/scripts/ensure-system.sh); creates and drops its own database.
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { extractPcm, useMediaPrograms } from '@rehearse/server/media';
import { appMediaPrograms, machineMediaPrograms } from '@rehearse/server/testing';
import { benchEngines } from './lib/engines';
import { withPipelineEnv } from './lib/pipeline-env';
import { mediaSeconds, speechVideo } from './lib/speech-video';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const since = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e6;

const SIDES = ['engine', 'app', 'machine'] as const;
type Side = (typeof SIDES)[number];

interface Clip {
  name: string;
  path: string;
  seconds: number;
}

/** A short answer and the same repeated `times` times (a longer answer), as MP4 with video. */
async function clips(dir: string, times: number): Promise<Clip[]> {
  const short = speechVideo(dir);
  const list = join(dir, 'list.txt');
  await writeFile(list, Array.from({ length: times }, () => `file '${short.path.replace(/'/g, "'\\''")}'`).join('\n'));
  const long = join(dir, `${short.name}-x${times}.mp4`);
  execFileSync('ffmpeg', ['-nostdin', '-v', 'error', '-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy', long]);
  return [
    { name: `${short.name} ${short.seconds.toFixed(0)} s`, path: short.path, seconds: short.seconds },
    { name: `${short.name} x${times}`, path: long, seconds: mediaSeconds(long) },
  ];
}

export async function benchTranscription(rounds = 3, times = 3): Promise<void> {
  Logger.overrideLogger(false); // the pipeline's per-recording log lines would interleave with the table
  const dir = await mkdtemp(join(tmpdir(), 'rehearse-bench-asr-'));
  const [app, machine] = [appMediaPrograms(), machineMediaPrograms()];
  try {
    await withPipelineEnv(async (env) => {
      const media = await clips(dir, times);
      const stored: { clip: Clip; recordingId: string; pcm: Float32Array }[] = [];
      for (const clip of media) {
        const recordingId = await env.store(clip.path, clip.seconds, {
          container: 'mp4',
          contentType: 'video/mp4',
          hasVideo: true,
        });
        useMediaPrograms(app);
        stored.push({ clip, recordingId, pcm: await extractPcm(clip.path, 3600) });
      }
      // the audio extraction alone (ffmpeg's start and the decoding), the machine's ffmpeg against the app's
      console.log('audio extraction to 16 kHz (ffmpeg started and run, median of 15):');
      for (const { clip } of stored) {
        const times: Record<'machine' | 'app', number[]> = { machine: [], app: [] };
        for (let r = 0; r < 15; r++) {
          for (const side of r % 2 ? (['app', 'machine'] as const) : (['machine', 'app'] as const)) {
            useMediaPrograms(side === 'app' ? app : machine);
            const t0 = process.hrtime.bigint();
            await extractPcm(clip.path, 3600);
            times[side].push(since(t0));
          }
        }
        const [m, a] = [median(times.machine), median(times.app)];
        console.log(
          `  ${clip.name.padEnd(12)} the machine's ffmpeg ${m.toFixed(1).padStart(6)} ms · the app's build ${a.toFixed(1).padStart(6)} ms · ratio ${(a / m).toFixed(2)}x`,
        );
      }
      console.log(
        `transcription benchmark: ${rounds} rounds each, pipeline (decrypt, ffmpeg, engine, PostgreSQL index) against the engine alone on the same audio; the pipeline with the app's ffmpeg (${app.FFMPEG_PATH}) and with the machine's (${machine.FFMPEG_PATH})`,
      );
      for (const { label, engine } of await benchEngines()) {
        const pipeline = env.pipeline(engine);
        console.log(`  ${label}`);
        for (const { clip, recordingId, pcm } of stored) {
          await engine.transcribe(pcm, { language: 'en' }); // warm-up: loads the model, fills caches
          const times: Record<Side, number[]> = { engine: [], app: [], machine: [] };
          let words = 0;
          for (let r = 0; r < rounds; r++) {
            // each side in turn goes first, so none always runs on a warmer or busier machine
            for (let k = 0; k < SIDES.length; k++) {
              const side = SIDES[(r + k) % SIDES.length];
              if (side === 'engine') {
                const t0 = process.hrtime.bigint();
                words = (await engine.transcribe(pcm, { language: 'en' })).words.length;
                times.engine.push(since(t0));
              } else {
                useMediaPrograms(side === 'app' ? app : machine);
                await env.db.query(`UPDATE recordings SET status = 'queued' WHERE id = $1`, [recordingId]);
                const t0 = process.hrtime.bigint();
                const outcome = await pipeline.run(recordingId);
                times[side].push(since(t0));
                if (outcome !== 'transcribed') throw new Error(`the pipeline answered ${outcome} for ${clip.name}`);
              }
            }
          }
          const [e, p, pm] = [median(times.engine), median(times.app), median(times.machine)];
          const rtf = (ms: number) => (ms / 1000 / clip.seconds).toFixed(3);
          console.log(
            `    ${clip.name.padEnd(12)} audio ${clip.seconds.toFixed(1).padStart(5)} s · ${String(words).padStart(3)} words · engine alone ${e.toFixed(0).padStart(6)} ms (RTF ${rtf(e)}) · pipeline ${p.toFixed(0).padStart(6)} ms (RTF ${rtf(p)}) · ratio pipeline/engine ${(p / e).toFixed(2)}x · overhead ${(p - e).toFixed(0)} ms · with the machine's ffmpeg ${pm.toFixed(0)} ms, ${(pm / e).toFixed(2)}x`,
          );
        }
        await engine.close();
      }
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === __filename) {
  benchTranscription(Number(process.argv[2] ?? 3), Number(process.argv[3] ?? 3))
    .then(() => process.exit(0))
    .catch((e: unknown) => {
      console.error(e);
      process.exit(1);
    });
}
