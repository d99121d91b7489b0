/**
 * Worker replicas benchmark: `npm run bench:replicas [-- <answers>]`.
 * The same batch of stored answers (default 8, the JFK clip or a spoken passage as MP4) is
 * transcribed by one worker process and then by two worker processes sharing PostgreSQL, Redis and
 * the object store, side by side in one run; prints the wall time of each and the throughput ratio.
 * PocketSphinx, which uses one core per job, so the ratio shows what a second process adds (on a
 * machine with at least two free cores). Not a test: nothing asserts on timings; that every answer
 * is transcribed exactly once by two API and two worker processes is
 * apps/api/src/app/scale/replicas.int-spec.ts.
 */
import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import Bull from 'bull';
import { QUEUES, transcribeJobId } from '@rehearse/shared/contracts';
import { withPipelineEnv } from './lib/pipeline-env';
import { appMediaPrograms } from '@rehearse/server/testing';
import { speechVideo } from './lib/speech-video';

const root = join(__dirname, '..', '..');
async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 8);
  console.log(
    `worker replicas benchmark on ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}: ${n} answers, PocketSphinx, one worker process against two\n`,
  );
  const dir = await mkdtemp(join(tmpdir(), 'rehearse-bench-replicas-'));
  try {
    await withPipelineEnv(async (env) => {
      const clip = speechVideo(dir);
      const ids: string[] = [];
      for (let i = 0; i < n; i++)
        ids.push(
          await env.store(clip.path, clip.seconds, { container: 'mp4', contentType: 'video/mp4', hasVideo: true }),
        );
      const queue = new Bull(QUEUES.media, env.config.REDIS_URL, { prefix: env.config.QUEUE_PREFIX });
      const workerEnv = {
        ...process.env,
        ...appMediaPrograms(),
        NODE_ENV: 'test',
        ...(env.config.APP_SECRET ? { APP_SECRET: env.config.APP_SECRET } : {}),
        DATABASE_URL: env.config.DATABASE_URL,
        REDIS_URL: env.config.REDIS_URL,
        QUEUE_PREFIX: env.config.QUEUE_PREFIX,
        STORAGE_DIR: env.config.STORAGE_DIR,
        KEY_VAULT_DIR: env.config.KEY_VAULT_DIR,
        WORK_DIR: env.config.WORK_DIR,
        SPEECH_ENGINE: 'pocketsphinx',
        MEDIA_CONCURRENCY: '1',
        WORKER_HTTP_PORT: '0',
        METRICS_PORT: '0',
        LOG_LEVEL: 'warn',
      };
      const results: { workers: number; seconds: number }[] = [];
      try {
        for (const workers of [1, 2]) {
          await env.db.query(`DELETE FROM transcripts WHERE recording_id = ANY($1::uuid[])`, [ids]);
          await env.db.query(`UPDATE recordings SET status = 'queued', attempts = 0 WHERE id = ANY($1::uuid[])`, [ids]);
          const procs: ChildProcess[] = Array.from({ length: workers }, () =>
            spawn(process.execPath, [join(root, 'tools/scripts/ts-run.cjs'), join(root, 'apps/worker/src/main.ts')], {
              env: workerEnv,
              cwd: root,
              stdio: ['ignore', 'ignore', 'inherit'],
            }),
          );
          try {
            // the workers are up when their queue has as many consumers
            await new Promise((r) => setTimeout(r, 8000));
            const t0 = Date.now();
            for (const id of ids) {
              const old = await queue.getJob(transcribeJobId(id));
              if (old) await old.remove();
              await queue.add('transcribe', { recordingId: id }, { jobId: transcribeJobId(id), attempts: 3 });
            }
            for (;;) {
              const [{ done }] = await env.db.query(
                `SELECT count(*)::int AS done FROM recordings WHERE id = ANY($1::uuid[]) AND status IN ('transcribed', 'failed')`,
                [ids],
              );
              if (done === ids.length) break;
              await new Promise((r) => setTimeout(r, 100));
            }
            const seconds = (Date.now() - t0) / 1000;
            const [{ failed }] = await env.db.query(
              `SELECT count(*)::int AS failed FROM recordings WHERE id = ANY($1::uuid[]) AND status = 'failed'`,
              [ids],
            );
            if (failed) throw new Error(`${failed} answers failed`);
            results.push({ workers, seconds });
            console.log(
              `  ${workers} worker process${workers > 1 ? 'es' : ''}: ${n} answers (${(n * clip.seconds).toFixed(0)} s of audio) in ${seconds.toFixed(1)} s`,
            );
          } finally {
            for (const p of procs) p.kill('SIGTERM');
            await Promise.all(
              procs.map((p) => (p.exitCode === null ? new Promise((r) => p.once('exit', r)) : undefined)),
            );
          }
        }
      } finally {
        await queue.obliterate({ force: true }).catch(() => undefined);
        await queue.close();
      }
      console.log(`\nthroughput with 2 workers: ${(results[0].seconds / results[1].seconds).toFixed(2)}× one worker`);
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main()
  .then(() => process.exit(0))
  .catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
