import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { endEverySignIn } from '@rehearse/server/accounts';
import { grantRuntimeRoleOn, tableCounts, withClient } from '@rehearse/server/database';
import { type BlobStore, LIVE_PREFIX } from '@rehearse/server/storage';

const run = promisify(execFile);

/** One day's backup: where it is, what it holds, and that it was read back and found whole. */
export interface BackupManifest {
  format: 1;
  day: string;
  createdAt: string;
  database: { file: string; bytes: number; sha256: string; tables: Record<string, number> };
  objects: { key: string; bytes: number; sha256: string }[];
  verified: boolean;
}

const DAY_FOLDER = /^\d{4}-\d{2}-\d{2}$/;
const MANIFEST = 'manifest.json';

function sha256File(path: string): Promise<{ sha256: string; bytes: number }> {
  return sha256Stream(createReadStream(path));
}

async function sha256Stream(s: Readable): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of s) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** Every object of the store a backup holds: all but those describing the running installation (LIVE_PREFIX). */
async function backedUpKeys(store: BlobStore): Promise<string[]> {
  return (await store.list('')).filter((key) => !key.startsWith(LIVE_PREFIX)).sort();
}

/** sha256 and size of every object in a store that a backup holds (the encrypted bytes; no key is needed). */
export async function objectHashes(store: BlobStore): Promise<{ key: string; bytes: number; sha256: string }[]> {
  const out: { key: string; bytes: number; sha256: string }[] = [];
  for (const key of await backedUpKeys(store)) out.push({ key, ...(await sha256Stream(await store.get(key))) });
  return out;
}

/**
 * Daily backups: PostgreSQL as a custom-format `pg_dump`, and every object of the store as it is
 * stored (encrypted; data keys only wrapped). The key vault is never part of a backup, so a key
 * destroyed since (an erased user, a destroyed tenant) keeps their recordings unreadable in
 * every backup. Each part is read back and checked against its hash before the manifest is
 * written; a folder without a manifest is an unfinished backup.
 */
export class Backups {
  constructor(
    private readonly dir: string,
    private readonly databaseUrl: string,
    private readonly store: BlobStore,
  ) {}

  /** Takes the backup of `day` (YYYY-MM-DD); a finished backup of that day is kept as it is. */
  async take(day: string, now: Date, onProgress?: (done: number, total: number) => void): Promise<BackupManifest> {
    if (!DAY_FOLDER.test(day)) throw new Error(`invalid backup day "${day}"`);
    const existing = await this.manifest(day);
    if (existing?.verified) return existing;
    const final = join(this.dir, day);
    const work = join(this.dir, `.${day}.partial`);
    await rm(work, { recursive: true, force: true });
    await mkdir(join(work, 'objects'), { recursive: true, mode: 0o700 });
    try {
      // the database: a consistent snapshot (pg_dump runs in one repeatable-read transaction)
      const dumpFile = join(work, 'database.dump');
      await run(
        'pg_dump',
        ['--format=custom', '--no-owner', '--no-privileges', `--file=${dumpFile}`, `--dbname=${this.databaseUrl}`],
        { maxBuffer: 16 * 1024 * 1024 },
      );
      const dump = await sha256File(dumpFile);
      await run('pg_restore', ['--list', dumpFile], { maxBuffer: 64 * 1024 * 1024 }); // readable as a dump
      const tables = await tableCounts(this.databaseUrl);

      // the objects, hashed while copied, then read back
      const keys = await backedUpKeys(this.store);
      const objects: BackupManifest['objects'] = [];
      for (const [i, key] of keys.entries()) {
        const target = join(work, 'objects', key);
        await mkdir(dirname(target), { recursive: true });
        const hash = createHash('sha256');
        let bytes = 0;
        const tap = new Transform({
          transform(chunk: Buffer, _e, done) {
            hash.update(chunk);
            bytes += chunk.length;
            done(null, chunk);
          },
        });
        await pipeline(await this.store.get(key), tap, createWriteStream(target, { mode: 0o600 }));
        const sha256 = hash.digest('hex');
        const back = await sha256File(target);
        if (back.sha256 !== sha256) throw new Error(`object ${key} did not read back the same`);
        objects.push({ key, bytes, sha256 });
        onProgress?.(i + 1, keys.length);
      }
      const manifest: BackupManifest = {
        format: 1,
        day,
        createdAt: now.toISOString(),
        database: { file: 'database.dump', bytes: dump.bytes, sha256: dump.sha256, tables },
        objects,
        verified: true,
      };
      await writeFile(join(work, MANIFEST), JSON.stringify(manifest, null, 2), { mode: 0o600 });
      await rm(final, { recursive: true, force: true });
      await rename(work, final);
      return manifest;
    } catch (e) {
      await rm(work, { recursive: true, force: true });
      throw e;
    }
  }

  async manifest(day: string): Promise<BackupManifest | null> {
    try {
      return JSON.parse(await readFile(join(this.dir, day, MANIFEST), 'utf8')) as BackupManifest;
    } catch {
      return null;
    }
  }

  /** Finished backups, oldest first. */
  async days(): Promise<string[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const out: string[] = [];
    for (const n of names.filter((x) => DAY_FOLDER.test(x)).sort()) if (await this.manifest(n)) out.push(n);
    return out;
  }

  /** The newest verified backup's manifest (null: none), read newest first. */
  async newest(): Promise<BackupManifest | null> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    for (const n of names
      .filter((x) => DAY_FOLDER.test(x))
      .sort()
      .reverse()) {
      const m = await this.manifest(n);
      if (m?.verified) return m;
    }
    return null;
  }

  /** Removes backups (and unfinished leftovers) older than `keepDays` before `today`; returns the days removed. */
  async prune(today: string, keepDays: number): Promise<string[]> {
    const cutoff = new Date(Date.parse(`${today}T00:00:00Z`) - keepDays * 86_400_000).toISOString().slice(0, 10);
    const removed: string[] = [];
    for (const n of await readdir(this.dir).catch(() => [] as string[])) {
      const day = n.replace(/^\.(.*)\.partial$/, '$1');
      if (DAY_FOLDER.test(day) && day < cutoff) {
        await rm(join(this.dir, n), { recursive: true, force: true });
        if (n === day) removed.push(day);
      }
    }
    return removed.sort();
  }
}

/** What a restore found: the database's row counts and the objects' hashes, against the manifest. */
export interface RestoreReport {
  day: string;
  tables: number;
  rows: number;
  objects: number;
  mismatches: string[];
  /** the sign-ins the restore ended once it was checked (endEverySignIn) */
  signedOut: { sessions: number; trustedDevices: number };
}

/**
 * Rebuilds a fresh, empty database and an empty store from one day's backup, and checks the result
 * against the manifest (row counts of every table, sha256 of every object). Refuses a target that
 * already holds tables or objects, and a backup whose files do not match their hashes. Then ends
 * every sign-in (sessions and trusted devices): what was signed out or revoked since the backup's
 * day must not count again.
 */
export async function restoreBackup(
  backupDir: string,
  day: string,
  databaseUrl: string,
  store: BlobStore,
  opts: { runtimeRole?: string | null } = {},
): Promise<RestoreReport> {
  const folder = join(backupDir, day);
  const manifest = JSON.parse(
    await readFile(join(folder, MANIFEST), 'utf8').catch(() => {
      throw new Error(`no finished backup for ${day} in ${backupDir}`);
    }),
  ) as BackupManifest;
  const dumpFile = join(folder, manifest.database.file);
  if ((await sha256File(dumpFile)).sha256 !== manifest.database.sha256)
    throw new Error(`the database dump of ${day} does not match its hash: the backup is damaged`);
  for (const o of manifest.objects) {
    const path = join(folder, 'objects', o.key);
    if ((await stat(path).catch(() => null))?.size !== o.bytes || (await sha256File(path)).sha256 !== o.sha256)
      throw new Error(`object ${o.key} of ${day} does not match its hash: the backup is damaged`);
  }
  if (Object.keys(await tableCounts(databaseUrl)).length)
    throw new Error('the target database is not empty: restore into a fresh database');
  if ((await backedUpKeys(store)).length) throw new Error('the target store is not empty: restore into a fresh store');
  // what a worker already wrote about the fresh installation (the witness of its privacy logs) would
  // contradict the restored database: it goes, and is written again
  for (const key of await store.list(LIVE_PREFIX)) await store.delete(key);

  await run('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', `--dbname=${databaseUrl}`, dumpFile], {
    maxBuffer: 64 * 1024 * 1024,
  });
  if (opts.runtimeRole) {
    await grantRuntimeRoleOn(databaseUrl, opts.runtimeRole);
  }
  for (const o of manifest.objects) await store.put(o.key, createReadStream(join(folder, 'objects', o.key)), o.bytes);

  const mismatches: string[] = [];
  const counts = await tableCounts(databaseUrl);
  for (const [table, n] of Object.entries(manifest.database.tables))
    if (counts[table] !== n) mismatches.push(`table ${table}: ${counts[table] ?? 'missing'} rows, expected ${n}`);
  const restored = new Map((await objectHashes(store)).map((o) => [o.key, o.sha256]));
  for (const o of manifest.objects)
    if (restored.get(o.key) !== o.sha256)
      mismatches.push(`object ${o.key}: ${restored.has(o.key) ? 'different bytes' : 'missing'}`);
  // checked as backed up; then every sign-in ends: one ended or revoked since the backup's day
  // would otherwise count again
  const signedOut = await withClient(databaseUrl, endEverySignIn);
  return {
    day,
    tables: Object.keys(counts).length,
    rows: Object.values(counts).reduce((a, b) => a + b, 0),
    objects: restored.size,
    mismatches,
    signedOut,
  };
}
