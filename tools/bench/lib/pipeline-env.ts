import { randomBytes, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Bull from 'bull';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig, createMetrics, loadConfig, WorkFolder } from '@rehearse/server/core';
import { dataSourceOptions } from '@rehearse/server/database';
import { TenantsRepository } from '@rehearse/server/accounts';
import { LearningRepository } from '@rehearse/server/courses';
import { RecordingEvents, TranscriptionPipeline, TranscriptionRepository } from '@rehearse/server/recordings';
import type { SpeechEngine } from '@rehearse/server/speech';
import { KeyRing, keyVaultFrom, LocalDiskStore, SealedObjects } from '@rehearse/server/storage';
import { migrate } from '@rehearse/migrations';

/**
 * A throw-away installation for the benchmarks: its own migrated database (created and dropped
 * through the local owner role that tools/scripts/ensure-system.sh sets up, or
 * DATABASE_ADMIN_URL), an encrypted store and key vault in a temporary folder, Redis for the stage
 * events, and one tenant with a course in which recordings can be stored like uploads.
 */
export interface PipelineEnv {
  config: AppConfig;
  db: DataSource;
  /** stores a media file as an answer recording, encrypted, queued; returns its id */
  store(
    path: string,
    seconds: number,
    opts?: { language?: string; container?: string; contentType?: string; hasVideo?: boolean },
  ): Promise<string>;
  pipeline(engine: SpeechEngine): TranscriptionPipeline;
  /** the stored transcript's text */
  transcript(recordingId: string): Promise<string>;
}

function adminUrl(): string {
  const url = process.env['DATABASE_ADMIN_URL'] ?? process.env['TEST_DATABASE_ADMIN_URL'];
  if (!url)
    throw new Error(
      'no PostgreSQL to benchmark with: run tools/scripts/ensure-system.sh (as root) first, or set DATABASE_ADMIN_URL to a role that may create databases',
    );
  return url;
}

export async function withPipelineEnv<T>(fn: (env: PipelineEnv) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'rehearse-bench-'));
  const name = `rehearse_bench_${randomBytes(5).toString('hex')}`;
  const admin = async (sql: string) => {
    const c = new Client({ connectionString: adminUrl() });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  const prefix = `rehearse-bench-${randomBytes(4).toString('hex')}`;
  try {
    await migrate(url.toString());
    const config = loadConfig({
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: url.toString(),
      STORAGE_DIR: join(dir, 'objects'),
      WORK_DIR: join(dir, 'work'),
      KEY_VAULT_DIR: join(dir, 'keys', 'vault'),
      QUEUE_PREFIX: prefix,
      LOG_LEVEL: 'silent',
    });
    const db = new DataSource(dataSourceOptions(url.toString()));
    await db.initialize();
    const queue = new Bull('bench-events', config.REDIS_URL, { prefix });
    const sealed = new SealedObjects(
      new LocalDiskStore(config.STORAGE_DIR),
      new KeyRing(config.storageMasterKey, keyVaultFrom(config)),
    );
    const events = new RecordingEvents(queue, config);
    const work = new WorkFolder(config.WORK_DIR);
    try {
      const [t] = await db.query(`INSERT INTO tenants (name, slug) VALUES ('Bench', 'bench') RETURNING id`);
      const [u] = await db.query(
        `INSERT INTO users (tenant_id, email, name, status) VALUES ($1, 'bench@bench.test', 'Bench', 'active') RETURNING id`,
        [t.id],
      );
      const courses = new Map<string, { course: string; version: string }>();
      const courseFor = async (language: string) => {
        const known = courses.get(language);
        if (known) return known;
        const [c] = await db.query(
          `INSERT INTO courses (tenant_id, title, language) VALUES ($1, $2, $3) RETURNING id`,
          [t.id, `Bench ${language}`, language],
        );
        const [v] = await db.query(
          `INSERT INTO course_versions (tenant_id, course_id, version, state, content) VALUES ($1, $2, 1, 'draft', '{}') RETURNING id`,
          [t.id, c.id],
        );
        courses.set(language, { course: c.id, version: v.id });
        return { course: c.id as string, version: v.id as string };
      };
      let attempt = 0;
      const env: PipelineEnv = {
        config,
        db,
        async store(path, seconds, opts = {}) {
          const { course, version } = await courseFor(opts.language ?? 'en');
          const exercise = randomUUID();
          const [a] = await db.query(
            `INSERT INTO answers (tenant_id, user_id, course_id, course_version_id, exercise_id, attempt, answer_type) VALUES ($1,$2,$3,$4,$5,$6,'audio') RETURNING id`,
            [t.id, u.id, course, version, exercise, ++attempt],
          );
          const id = randomUUID();
          const key = `tenants/${t.id}/recordings/${id}`;
          const size = (await stat(path)).size;
          const envelope = await sealed.put({ tenantId: t.id, key }, createReadStream(path), size);
          await db.query(
            `INSERT INTO recordings (id, tenant_id, owner_id, purpose, answer_id, course_id, exercise_id, object_key, envelope, container, content_type, size_bytes, duration_seconds, has_video, status)
             VALUES ($1,$2,$3,'answer',$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,'queued')`,
            [
              id,
              t.id,
              u.id,
              a.id,
              course,
              exercise,
              key,
              envelope,
              opts.container ?? 'wav',
              opts.contentType ?? 'audio/wav',
              size,
              seconds,
              opts.hasVideo ?? false,
            ],
          );
          return id;
        },
        pipeline: (engine) =>
          new TranscriptionPipeline(
            config,
            engine,
            sealed,
            events,
            work,
            new TranscriptionRepository(db),
            new LearningRepository(db),
            new TenantsRepository(db),
            createMetrics('bench'),
          ),
        async transcript(recordingId) {
          const [row] = await db.query(`SELECT text FROM transcripts WHERE recording_id = $1`, [recordingId]);
          return String(row?.text ?? '');
        },
      };
      return await fn(env);
    } finally {
      await events.onModuleDestroy();
      await queue.close();
      await db.destroy();
    }
  } finally {
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await rm(dir, { recursive: true, force: true });
  }
}
