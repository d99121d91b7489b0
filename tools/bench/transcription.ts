/**
 * Transcription benchmark (part of `npm run bench`; alone: `npm run bench:transcription`).
 * Side by side in one run, on the same machine and the same audio, per engine and clip:
 *   - the engine alone on 16 kHz PCM that is already in memory;
 *   - the worker's whole pipeline on the stored recording: decrypt the object into a private
 *     temporary file, probe, extract 16 kHz mono with ffmpeg, transcribe, store words and
 *     passages (full-text index) in PostgreSQL, announce each stage on Redis.
 * Prints medians, the pipeline/engine ratio and the real-time factor (processing time / audio
 * length; below 1 is faster than real time). Not a test: nothing asserts on timings.
 *
 * Engines: Debian's PocketSphinx always; whisper.cpp (the binding, and the command-line program
 * when WHISPER_CLI is set, as on a GPU host) with the installed model when it verifies
 * (WHISPER_MODELS_DIR, WHISPER_MODEL), otherwise with whisper.cpp's empty test model from
 * ../shared/asr when it is there — that runs the real encoder graph on zero weights (a compute
 * proxy, labelled as such), not a real transcription.
 * Needs PostgreSQL and Redis (DATABASE_ADMIN_URL, REDIS_URL); creates and drops its own database.
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import Bull from 'bull';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig, loadConfig, WorkFolder } from '@rehearse/server/core';
import { dataSourceOptions } from '@rehearse/server/database';
import { extractPcm } from '@rehearse/server/media';
import { RecordingEvents, TranscriptionPipeline } from '@rehearse/server/recordings';
import { manifestEntry, PocketSphinxEngine, SpeechEngine, verifyModel, WhisperCliEngine, WhisperCppEngine } from '@rehearse/server/speech';
import { KeyRing, KeyVault, LocalDiskStore, SealedObjects } from '@rehearse/server/storage';
import { migrate } from '@rehearse/migrations';

const root = join(__dirname, '..', '..');
const ASR = process.env['REHEARSE_SHARED_ASR'] ?? join(root, '..', 'shared', 'asr');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const since = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e6;

interface Clip {
  name: string;
  path: string;
  seconds: number;
}

interface EngineUnderTest {
  label: string;
  engine: SpeechEngine;
}

async function engines(config: AppConfig): Promise<EngineUnderTest[]> {
  const out: EngineUnderTest[] = [{ label: 'PocketSphinx (Debian en-us)', engine: new PocketSphinxEngine() }];
  const entry = manifestEntry(config.WHISPER_MODEL);
  const verified = await verifyModel(config.WHISPER_MODELS_DIR, entry);
  const threads = config.WHISPER_THREADS;
  const proxy = join(ASR, 'models/whisper-cpp-for-tests-NOT-REAL/for-tests-ggml-tiny.en.bin');
  let model: { path: string; label: string } | null = null;
  if (verified.ok) model = { path: verified.path, label: entry.name };
  else if (existsSync(proxy)) {
    console.log(`  (no verified Whisper model: ${verified.reason}; whisper.cpp runs the empty tiny.en test model as a compute proxy)`);
    model = { path: proxy, label: 'tiny.en EMPTY TEST MODEL (compute proxy)' };
  } else console.log(`  (no Whisper model: ${verified.reason}; whisper.cpp is left out)`);
  if (model) {
    out.push({ label: `whisper.cpp binding, ${model.label}`, engine: new WhisperCppEngine({ modelPath: model.path, threads, beamSize: config.WHISPER_BEAM_SIZE, language: 'en', useGpu: config.WHISPER_USE_GPU }) });
    // a GPU host: WHISPER_CLI=/usr/local/bin/whisper-cli WHISPER_USE_GPU=true npm run bench:transcription
    if (config.WHISPER_CLI) {
      const engine = new WhisperCliEngine({ binary: config.WHISPER_CLI, modelPath: model.path, threads, beamSize: config.WHISPER_BEAM_SIZE, language: 'en', useGpu: config.WHISPER_USE_GPU });
      out.push({ label: `whisper.cpp program ${config.WHISPER_CLI} (GPU ${config.WHISPER_USE_GPU ? 'on' : 'off'}), ${model.label}`, engine });
    }
  }
  return out;
}

/** The 11 s jfk clip, and the same repeated `times` times (a longer answer), as MP4 video. */
async function clips(dir: string, times: number): Promise<Clip[]> {
  const short = join(ASR, 'samples/jfk-video.mp4');
  if (!existsSync(short)) throw new Error(`${short} not found: set REHEARSE_SHARED_ASR to the shared asr folder`);
  const list = join(dir, 'list.txt');
  await writeFile(list, Array.from({ length: times }, () => `file '${short.replace(/'/g, "'\\''")}'`).join('\n'));
  const long = join(dir, `jfk-x${times}.mp4`);
  execFileSync('ffmpeg', ['-nostdin', '-v', 'error', '-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy', long]);
  const seconds = (p: string) => Number(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', p]).toString().trim());
  return [
    { name: 'jfk 11 s', path: short, seconds: seconds(short) },
    { name: `jfk x${times}`, path: long, seconds: seconds(long) },
  ];
}

async function withDatabase<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const adminUrl = process.env['DATABASE_ADMIN_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `rehearse_bench_${randomBytes(5).toString('hex')}`;
  const admin = async (sql: string) => {
    const c = new Client({ connectionString: adminUrl });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  try {
    await migrate(url.toString());
    return await fn(url.toString());
  } finally {
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

export async function benchTranscription(rounds = 3, times = 3): Promise<void> {
  Logger.overrideLogger(false); // the pipeline's per-recording log lines would interleave with the table
  const dir = await mkdtemp(join(tmpdir(), 'rehearse-bench-asr-'));
  const prefix = `rehearse-bench-${randomBytes(4).toString('hex')}`;
  await withDatabase(async (url) => {
    const config = loadConfig({ ...process.env, NODE_ENV: 'test', DATABASE_URL: url, STORAGE_DIR: join(dir, 'objects'), WORK_DIR: join(dir, 'work'), QUEUE_PREFIX: prefix, LOG_LEVEL: 'silent' });
    const db = new DataSource(dataSourceOptions(url));
    await db.initialize();
    const queue = new Bull('bench-events', config.REDIS_URL, { prefix });
    const master = randomBytes(32);
    const sealed = new SealedObjects(new LocalDiskStore(config.STORAGE_DIR), new KeyRing(master, new KeyVault(join(dir, 'vault'), master)));
    const events = new RecordingEvents(queue, config);
    const under = await engines(config);
    try {
      // one tenant, author, course and answer per clip; the recordings are stored encrypted like uploads
      const [t] = await db.query(`INSERT INTO tenants (name, slug) VALUES ('Bench', 'bench') RETURNING id`);
      const [u] = await db.query(`INSERT INTO users (tenant_id, email, name, status) VALUES ($1, 'bench@bench.test', 'Bench', 'active') RETURNING id`, [t.id]);
      const [c] = await db.query(`INSERT INTO courses (tenant_id, title, language) VALUES ($1, 'Bench', 'en') RETURNING id`, [t.id]);
      const [v] = await db.query(`INSERT INTO course_versions (tenant_id, course_id, version, state, content) VALUES ($1, $2, 1, 'draft', '{}') RETURNING id`, [t.id, c.id]);
      const exercise = randomUUID();
      const media = await clips(dir, times);
      const stored: { clip: Clip; recordingId: string; pcm: Float32Array }[] = [];
      for (const [i, clip] of media.entries()) {
        const [a] = await db.query(
          `INSERT INTO answers (tenant_id, user_id, course_id, course_version_id, exercise_id, attempt, answer_type) VALUES ($1,$2,$3,$4,$5,$6,'video') RETURNING id`,
          [t.id, u.id, c.id, v.id, exercise, i + 1],
        );
        const id = randomUUID();
        const key = `tenants/${t.id}/recordings/${id}`;
        const size = (await stat(clip.path)).size;
        const envelope = await sealed.put({ tenantId: t.id, key }, createReadStream(clip.path), size);
        await db.query(
          `INSERT INTO recordings (id, tenant_id, owner_id, purpose, answer_id, course_id, exercise_id, object_key, envelope, container, content_type, size_bytes, duration_seconds, has_video, status)
           VALUES ($1,$2,$3,'answer',$4,$5,$6,$7,$8,'mp4','video/mp4',$9,$10,true,'queued')`,
          [id, t.id, u.id, a.id, c.id, exercise, key, envelope, size, clip.seconds],
        );
        stored.push({ clip, recordingId: id, pcm: await extractPcm(clip.path, 3600) });
      }

      console.log(`transcription benchmark: ${rounds} rounds each, pipeline (decrypt, probe, ffmpeg, engine, PostgreSQL index) against the engine alone on the same audio`);
      for (const { label, engine } of under) {
        const pipeline = new TranscriptionPipeline(db, config, engine, sealed, events, new WorkFolder(config.WORK_DIR));
        console.log(`  ${label}`);
        for (const { clip, recordingId, pcm } of stored) {
          await engine.transcribe(pcm, { language: 'en' }); // warm-up: loads the model, fills caches
          const alone: number[] = [];
          const whole: number[] = [];
          let words = 0;
          for (let r = 0; r < rounds; r++) {
            // alternate the order so neither side always runs second on a warmer machine
            for (const kind of r % 2 ? ['pipeline', 'engine'] : ['engine', 'pipeline']) {
              if (kind === 'engine') {
                const t0 = process.hrtime.bigint();
                words = (await engine.transcribe(pcm, { language: 'en' })).words.length;
                alone.push(since(t0));
              } else {
                await db.query(`UPDATE recordings SET status = 'queued' WHERE id = $1`, [recordingId]);
                const t0 = process.hrtime.bigint();
                const outcome = await pipeline.run(recordingId);
                whole.push(since(t0));
                if (outcome !== 'transcribed') throw new Error(`the pipeline answered ${outcome} for ${clip.name}`);
              }
            }
          }
          const [e, p] = [median(alone), median(whole)];
          const rtf = (ms: number) => (ms / 1000 / clip.seconds).toFixed(3);
          console.log(
            `    ${clip.name.padEnd(10)} audio ${clip.seconds.toFixed(1).padStart(5)} s · ${String(words).padStart(3)} words · engine alone ${e.toFixed(0).padStart(6)} ms (RTF ${rtf(e)}) · pipeline ${p.toFixed(0).padStart(6)} ms (RTF ${rtf(p)}) · ratio pipeline/engine ${(p / e).toFixed(2)}x · overhead ${(p - e).toFixed(0)} ms`,
          );
        }
        await engine.close();
      }
    } finally {
      await events.onModuleDestroy();
      await queue.close();
      await db.destroy();
    }
  });
  await rm(dir, { recursive: true, force: true });
}

if (process.argv[1] === __filename) {
  benchTranscription(Number(process.argv[2] ?? 3), Number(process.argv[3] ?? 3))
    .then(() => process.exit(0)) // whisper.cpp's native binding keeps the process alive
    .catch((e: unknown) => {
      console.error(e);
      process.exit(1);
    });
}
