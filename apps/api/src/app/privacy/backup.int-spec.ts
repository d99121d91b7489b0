import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { BackupScheduler, Backups, objectHashes, restoreBackup } from '@rehearse/server/backup';
import {
  createEmptyDatabase,
  DatabaseModule,
  tableCounts,
  TestDatabase,
  testRuntimeRole,
} from '@rehearse/server/database';
import { Client as PgClient } from 'pg';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { AccessModule } from '@rehearse/server/access';
import { ErasureService, PrivacyModule, TenantDestructionService, WITNESS_KEY } from '@rehearse/server/privacy';
import { CoreModule, createLogger, createMetrics, loggerParams } from '@rehearse/server/core';
import {
  BLOB_STORE,
  BlobStore,
  Envelope,
  KeyDestroyedError,
  KeyRing,
  keyVaultFrom,
  LocalDiskStore,
  SealedObjects,
  StorageModule,
} from '@rehearse/server/storage';
import { Client, Harness, seedTwoTenants, startHarness } from '../../test/harness';
import { publishedCourse } from '../../test/courses';
import { JFK_WAV, uploadFile, waitForRecording } from '../../test/media';

const AUDIO = '3d2c1b0a-9f8e-4d7c-8b6a-5f4e3d2c1b0a';

/**
 * Daily backups and the restore drill: a backup restored into a fresh database and store equals
 * the source (row counts of every table, sha256 of every object); a user erased after the backup
 * stays unreadable in it.
 */
describe('backups and restore', () => {
  let h: Harness;
  let store: BlobStore;
  let scratch: string;
  const fresh: TestDatabase[] = [];
  const rec = {} as Record<'p' | 'q', { id: string; key: string; envelope: Envelope }>;
  let world: Awaited<ReturnType<typeof seedTwoTenants>>;

  const sealedOver = (s: BlobStore) =>
    new SealedObjects(s, new KeyRing(h.config.storageMasterKey, keyVaultFrom(h.config)));
  const restoreInto = async (day: string) => {
    const db = await createEmptyDatabase();
    fresh.push(db);
    const dir = await mkdtemp(join(scratch, 'store-'));
    const target = new LocalDiskStore(dir);
    return {
      db,
      dir,
      target,
      report: await restoreBackup(h.config.BACKUP_DIR, day, db.ownerUrl, target, { runtimeRole: testRuntimeRole() }),
    };
  };

  beforeAll(async () => {
    h = await startHarness();
    store = h.app.get(BLOB_STORE);
    scratch = await mkdtemp(join(tmpdir(), 'rehearse-restore-'));
    world = await seedTwoTenants(h);
    const dev = await h.signIn(world.a.emails.developer);
    const admin = await h.signIn(world.a.emails.admin);
    const course = await publishedCourse(dev, { media: true });
    const group = await admin.post('/api/admin/groups', { name: 'Backup group' });
    await admin.put(`/api/admin/groups/${group.body.id}/members`, {
      participants: [world.a.ids.participant, world.a.ids.participant2],
      coaches: [world.a.ids.coach],
    });
    await admin.post('/api/admin/enrolments', { courseId: course.id, groupId: group.body.id });
    for (const [who, email] of [
      ['p', world.a.emails.participant],
      ['q', world.a.emails.participant2],
    ] as const) {
      // (Q trusts this browser: a trusted device in the backup)
      const c: Client = await h.signIn(email, undefined, { trustDevice: who === 'q' });
      const a = await c.post(`/api/my/courses/${course.id}/exercises/${AUDIO}/recordings`, {
        uploadId: await uploadFile(c, JFK_WAV),
      });
      expect((await waitForRecording(c, a.body.recording.id)).body.status).toBe('transcribed');
      const [row] = await h.db.query(`SELECT id, object_key AS key, envelope FROM recordings WHERE id = $1`, [
        a.body.recording.id,
      ]);
      rec[who] = row;
    }
  }, 120_000);

  /**
   * The day's backup, taken once by the scheduler by whichever test needs it first, with the rows and
   * objects as they were when it was taken (a later test erases someone).
   */
  const metrics = createMetrics('worker');
  let taken: Promise<{
    day: string | null;
    tables: Awaited<ReturnType<typeof tableCounts>>;
    objects: Awaited<ReturnType<typeof objectHashes>>;
  }> | null = null;
  const dayBackup = () =>
    (taken ??= (async () => {
      const tables = await tableCounts(h.config.DATABASE_URL);
      const objects = await objectHashes(store);
      const scheduler = new BackupScheduler({ ...h.config, BACKUP_HOUR_UTC: 0 }, store, h.db, h.clock, metrics);
      return { day: await scheduler.runIfDue(), tables, objects };
    })());

  /** The worker of an installation started on a restored database and store (the same key vault, never in the backups). */
  const installationOn = (databaseUrl: string, storageDir: string) =>
    NestFactory.createApplicationContext(
      {
        module: class RestoredInstallation {},
        imports: [
          CoreModule.forRoot(
            {
              ...h.config,
              DATABASE_URL: databaseUrl,
              STORAGE_DIR: storageDir,
              QUEUE_PREFIX: `${h.config.QUEUE_PREFIX}-restored`,
            },
            h.clock,
          ),
          LoggerModule.forRoot(loggerParams(createLogger('silent'))),
          DatabaseModule.forRoot(),
          StorageModule,
          AccessModule,
          PrivacyModule,
        ],
      },
      { logger: false },
    );

  afterAll(async () => {
    await h?.close();
    for (const db of fresh) await db.drop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('the scheduler takes the day’s backup once, verified, with every table and object', async () => {
    const { day, tables } = await dayBackup();
    expect(day).toBe(h.clock.today());
    // the metrics page says when: this process took it; one started since reads it from the backups
    const newest = await new Backups(h.config.BACKUP_DIR, h.config.DATABASE_URL, store).newest();
    const at = Date.parse(newest?.createdAt ?? '') / 1000;
    expect(newest?.day).toBe(h.clock.today());
    expect((await metrics.backupLastSuccess.get()).values[0].value).toBe(at);
    const later = createMetrics('worker');
    const scheduler = new BackupScheduler({ ...h.config, BACKUP_HOUR_UTC: 0 }, store, h.db, h.clock, later);
    expect((await later.backupLastSuccess.get()).values[0].value).toBe(0);
    await scheduler.timeNewest();
    expect((await later.backupLastSuccess.get()).values[0].value).toBe(at);
    // a failed round is counted there (and logged as an error)
    scheduler['failed'](new Error('the disk is full'));
    expect((await later.backupFailures.get()).values[0].value).toBe(1);
    expect(await scheduler.runIfDue()).toBeNull(); // already there
    const m = await scheduler.backups.manifest(h.clock.today());
    expect(m?.verified).toBe(true);
    expect(m?.database.tables).toEqual(tables);
    expect(m?.objects.map((o) => o.key).sort()).toEqual([rec.p.key, rec.q.key].sort());
    // the dump is a PostgreSQL custom-format archive and holds wrapped keys only: the vault is not in it
    const dump = await readFile(join(h.config.BACKUP_DIR, h.clock.today(), 'database.dump'));
    expect(dump.subarray(0, 5).toString()).toBe('PGDMP');
  });

  it('a backup restored into a fresh database and store equals the source: row counts and object hashes', async () => {
    // the source as it was when the backup was taken
    const source = await dayBackup();
    const { db, target, report } = await restoreInto(h.clock.today());
    expect(report.mismatches).toEqual([]);
    // read as the application's role: its rights came back. Every row as backed up, but the
    // sign-ins, all ended: a session signed out or a device revoked since must not count again
    expect(source.tables['sessions']).toBeGreaterThan(0);
    expect(source.tables['trusted_devices']).toBeGreaterThan(0);
    expect(report.signedOut).toEqual({
      sessions: source.tables['sessions'],
      trustedDevices: source.tables['trusted_devices'],
    });
    expect(await tableCounts(db.url)).toEqual({ ...source.tables, sessions: 0, trusted_devices: 0 });
    // ... and the restored privacy log is as append-only for it as the original
    const app = new PgClient({ connectionString: db.url });
    await app.connect();
    try {
      await expect(app.query(`DELETE FROM privacy_log`)).rejects.toThrow(/permission denied/);
    } finally {
      await app.end();
    }
    expect(await objectHashes(target)).toEqual(source.objects);
    // and a restored recording decrypts to the same bytes as the original
    const original = await buffer(
      await sealedOver(store).get({ tenantId: world.a.tenantId, key: rec.q.key }, rec.q.envelope),
    );
    expect(
      (
        await buffer(await sealedOver(target).get({ tenantId: world.a.tenantId, key: rec.q.key }, rec.q.envelope))
      ).equals(original),
    ).toBe(true);
  });

  it("leaves out what describes the running installation (the witness of the privacy logs), and clears it from a restore's target", async () => {
    const witness = () => Readable.from([Buffer.from('{"takenAt":"2026-12-06T09:00:00.000Z","logs":[]}')]);
    await store.put(WITNESS_KEY, witness());
    const dir = await mkdtemp(join(scratch, 'backups-'));
    const manifest = await new Backups(dir, h.config.DATABASE_URL, store).take('2026-12-06', h.clock.now());
    expect(manifest.objects.map((o) => o.key)).not.toContain(WITNESS_KEY);
    // (q's recording: a test of this file erases p, maybe before this one)
    expect(manifest.objects.map((o) => o.key)).toContain(rec.q.key);
    // a worker of the fresh installation wrote one already: no obstacle, and gone after the restore
    const db = await createEmptyDatabase();
    fresh.push(db);
    const target = new LocalDiskStore(await mkdtemp(join(scratch, 'store-')));
    await target.put(WITNESS_KEY, witness());
    const report = await restoreBackup(dir, '2026-12-06', db.ownerUrl, target, { runtimeRole: testRuntimeRole() });
    expect(report.mismatches).toEqual([]);
    expect(await target.stat(WITNESS_KEY)).toBeNull();
    expect(await target.stat(rec.q.key)).not.toBeNull();
  });

  it('refuses a target that is not empty and a backup that is damaged', async () => {
    await dayBackup();
    const used = await createEmptyDatabase();
    fresh.push(used);
    const dir = await mkdtemp(join(scratch, 'store-'));
    const target = new LocalDiskStore(dir);
    await restoreBackup(h.config.BACKUP_DIR, h.clock.today(), used.ownerUrl, target);
    await expect(
      restoreBackup(h.config.BACKUP_DIR, h.clock.today(), used.ownerUrl, new LocalDiskStore(join(dir, 'x'))),
    ).rejects.toThrow(/not empty/);
    const copy = join(h.config.BACKUP_DIR, h.clock.today(), 'objects', rec.p.key);
    const bytes = await readFile(copy);
    bytes[100] ^= 1;
    await writeFile(copy, bytes);
    try {
      const other = await createEmptyDatabase();
      fresh.push(other);
      await expect(
        restoreBackup(
          h.config.BACKUP_DIR,
          h.clock.today(),
          other.ownerUrl,
          new LocalDiskStore(await mkdtemp(join(scratch, 'store-'))),
        ),
      ).rejects.toThrow(/damaged/);
    } finally {
      bytes[100] ^= 1;
      await writeFile(copy, bytes);
    }
    await expect(restoreBackup(h.config.BACKUP_DIR, '2020-01-01', used.ownerUrl, target)).rejects.toThrow(
      /no finished backup/,
    );
  });

  it('keeps 30 days: older backups and unfinished leftovers are pruned', async () => {
    await dayBackup();
    const backups = new Backups(h.config.BACKUP_DIR, h.config.DATABASE_URL, store);
    const old = new Date(Date.parse(`${h.clock.today()}T00:00:00Z`) - 31 * 86_400_000).toISOString().slice(0, 10);
    const recent = new Date(Date.parse(`${h.clock.today()}T00:00:00Z`) - 29 * 86_400_000).toISOString().slice(0, 10);
    for (const d of [old, recent]) {
      await mkdir(join(h.config.BACKUP_DIR, d), { recursive: true });
      await writeFile(
        join(h.config.BACKUP_DIR, d, 'manifest.json'),
        JSON.stringify({ format: 1, day: d, verified: true }),
      );
    }
    await mkdir(join(h.config.BACKUP_DIR, `.${old}.partial`), { recursive: true });
    expect(await backups.prune(h.clock.today(), 30)).toEqual([old]);
    expect(await backups.days()).toEqual([recent, h.clock.today()]);
  });

  it('a user erased after the backup stays unreadable in it (their key went with them), and a worker on the restored database erases them again', async () => {
    await dayBackup();
    await h.app.get(ErasureService).eraseUser(world.a.ids.participant, world.a.tenantId);
    const { db, dir, target, report } = await restoreInto(h.clock.today());
    expect(report.mismatches).toEqual([]);
    await expect(
      sealedOver(target).get({ tenantId: world.a.tenantId, key: rec.p.key }, rec.p.envelope),
    ).rejects.toThrow(KeyDestroyedError);
    expect(
      (await buffer(await sealedOver(target).get({ tenantId: world.a.tenantId, key: rec.q.key }, rec.q.envelope)))
        .length,
    ).toBe(rec.q.envelope.size);

    // the restored database has P back: their profile, answers and transcript (what the key
    // cannot shred). The installation started on it (the same key vault, which is never in the
    // backups and remembers the erasure) erases P again in its retention round, with a receipt
    const restored = new PgClient({ connectionString: db.url });
    await restored.connect();
    let restoredWorker: INestApplicationContext | undefined;
    try {
      restoredWorker = await installationOn(db.url, dir);
      const people = async () =>
        (
          await restored.query(`SELECT id FROM users WHERE id = ANY($1::uuid[]) ORDER BY id`, [
            [world.a.ids.participant, world.a.ids.participant2],
          ])
        ).rows.map((r: { id: string }) => r.id);
      const transcriptsOfP = async () =>
        (
          await restored.query(
            `SELECT count(*)::int AS n FROM transcripts t JOIN recordings r ON r.id = t.recording_id WHERE r.owner_id = $1`,
            [world.a.ids.participant],
          )
        ).rows[0].n;
      expect((await people()).length).toBe(2);
      expect(await transcriptsOfP()).toBe(1);
      // (two workers' rounds at once: one erases, the other finds the person gone)
      const rounds = await Promise.all([
        restoredWorker.get(ErasureService).eraseAgain(),
        restoredWorker.get(ErasureService).eraseAgain(),
      ]);
      expect(rounds[0] + rounds[1]).toBe(1);
      expect(await people()).toEqual([world.a.ids.participant2]);
      expect(await transcriptsOfP()).toBe(0);
      expect(await target.stat(rec.p.key)).toBeNull();
      const { rows: receipts } = await restored.query(
        `SELECT kind, reason, verified FROM deletion_receipts WHERE subject_id = $1`,
        [world.a.ids.participant],
      );
      expect(receipts).toEqual([
        {
          kind: 'erasure',
          reason: expect.stringMatching(/came back with a database restored from an earlier backup/),
          verified: true,
        },
      ]);
      // once is enough; Q, never erased, stays
      expect(await restoredWorker.get(ErasureService).eraseAgain()).toBe(0);
      expect(await target.stat(rec.q.key)).not.toBeNull();
    } finally {
      await restoredWorker?.close();
      await restored.end();
    }
  });

  it('an organisation destroyed after the backup, whose end the backup does not know, is destroyed again by a worker on the restored database', async () => {
    await dayBackup();
    // its end set after the backup's day (so the restored database says nothing of it), then destroyed
    await h.db.query(`UPDATE tenants SET agreement_ends_on = current_date - 45 WHERE id = $1`, [world.b.tenantId]);
    const first = await h.app.get(TenantDestructionService).destroy(world.b.tenantId);
    expect(first).not.toBeNull();
    const { db, dir } = await restoreInto(h.clock.today());
    const restored = new PgClient({ connectionString: db.url });
    await restored.connect();
    let restoredWorker: INestApplicationContext | undefined;
    try {
      const tenants = async () =>
        (
          await restored.query(`SELECT id FROM tenants WHERE id = ANY($1::uuid[]) ORDER BY id`, [
            [world.a.tenantId, world.b.tenantId],
          ])
        ).rows.map((r: { id: string }) => r.id);
      const peopleOfB = async () =>
        (await restored.query(`SELECT count(*)::int AS n FROM users WHERE tenant_id = $1`, [world.b.tenantId])).rows[0]
          .n;
      // back with its people, and no end: its dates would never destroy it again
      expect(await tenants()).toEqual([world.a.tenantId, world.b.tenantId].sort());
      expect(await peopleOfB()).toBeGreaterThan(0);
      expect(
        (await restored.query(`SELECT agreement_ends_on FROM tenants WHERE id = $1`, [world.b.tenantId])).rows[0]
          .agreement_ends_on,
      ).toBeNull();
      restoredWorker = await installationOn(db.url, dir);
      const destruction = restoredWorker.get(TenantDestructionService);
      // (two workers' rounds at once: one destroys it, the other leaves it to the first)
      const rounds = await Promise.all([destruction.destroyAgain(), destruction.destroyAgain()]);
      expect(rounds[0] + rounds[1]).toBe(1);
      expect(await tenants()).toEqual([world.a.tenantId]);
      expect(await peopleOfB()).toBe(0);
      const { rows: reports } = await restored.query(
        `SELECT kind, reason, subject_name FROM deletion_receipts WHERE subject_id = $1`,
        [world.b.tenantId],
      );
      expect(reports).toEqual([
        {
          kind: 'tenant_destruction',
          reason: expect.stringMatching(/came back with a database restored from an earlier backup/),
          subject_name: expect.any(String),
        },
      ]);
      // the superusers' list of reports says why (the first report is not in this database: it was written after the backup)
      const listed = await destruction.reports(undefined, 1, 10);
      expect(listed.items.filter((r) => r.organisationId === world.b.tenantId)).toEqual([
        expect.objectContaining({ reason: expect.stringMatching(/^Destroyed again: /) }),
      ]);
      // once is enough; the organisation never destroyed stays
      expect(await destruction.destroyAgain()).toBe(0);
      expect(await tenants()).toEqual([world.a.tenantId]);
    } finally {
      await restoredWorker?.close();
      await restored.end();
    }
  });
});
