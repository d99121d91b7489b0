/**
 * The storage check (`npm run storage:check`, tools/storage-check.ts) on real PostgreSQL and a
 * real store: what the database names (recordings with a data key, finished exports), page by
 * page, against what the store holds. A missing object, a truncated one and an object no row
 * names are each reported; a shredded recording (no data key) and an export not finished are not
 * expected; every other object is checked and passes.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { openMediumDatabase, type MediumDatabase } from '@rehearse/server/database';
import { auditStorage, FileKeyVault, KeyRing, LocalDiskStore, SealedObjects } from '@rehearse/server/storage';
// the check is a workspace tool (tools/ is no Nx project); this test runs its reading of the database
// eslint-disable-next-line @nx/enforce-module-boundaries
import { expectedObjects } from '../../../../../tools/lib/stored-objects';

describe('the storage check', () => {
  let m: MediumDatabase;
  let dir: string;
  let store: LocalDiskStore;
  let sealed: SealedObjects;

  beforeAll(async () => {
    m = await openMediumDatabase();
    dir = await mkdtemp(join(tmpdir(), 'rehearse-storage-check-'));
    store = new LocalDiskStore(join(dir, 'objects'));
    const master = randomBytes(32);
    sealed = new SealedObjects(store, new KeyRing(master, new FileKeyVault(join(dir, 'vault'), master)));
  });
  afterAll(async () => {
    await m?.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Seals `bytes` random bytes under the row's key and writes its envelope into the row. */
  async function sealInto(table: 'recordings' | 'data_exports', id: string, tenantId: string, bytes: number) {
    const key = `tenants/${tenantId}/${table === 'recordings' ? 'recordings' : 'exports'}/${id}`;
    const envelope = await sealed.put({ tenantId, key }, Readable.from([randomBytes(bytes)]), bytes);
    await m.db.query(`UPDATE ${table} SET object_key = $2, envelope = $3 WHERE id = $1`, [id, key, envelope]);
    return key;
  }

  it('reports the missing, the wrong size and the orphans, and passes everything else', async () => {
    const tenant = await m.rows.tenant();
    const owner = await m.rows.user(tenant);
    const course = await m.rows.course(tenant);
    let attempt = 0;
    const recording = async (bytes: number) => {
      attempt++;
      const id = await m.rows.recording(tenant, await m.rows.answer(tenant, owner, course, { attempt }));
      return { id, key: await sealInto('recordings', id, tenant, bytes) };
    };
    // five recordings stored whole (more than a page of two), one of them two segments long
    const whole = [
      await recording(1000),
      await recording(70_000),
      await recording(10),
      await recording(1),
      await recording(5),
    ];
    const lost = await recording(2000);
    await store.delete(lost.key);
    const cut = await recording(3000);
    await truncate(join(dir, 'objects', ...cut.key.split('/')), 100);
    // shredded: no data key, its object deleted with it — not expected, not an orphan
    const shredded = await recording(500);
    await store.delete(shredded.key);
    await m.db.query(`UPDATE recordings SET status = 'deleted', envelope = NULL WHERE id = $1`, [shredded.id]);
    // a finished export is checked; one still being built names no object yet
    const ready = await m.rows.dataExport(tenant, owner, 'ready');
    const readyKey = await sealInto('data_exports', ready, tenant, 4000);
    await m.rows.dataExport(tenant, owner, 'building');
    // left behind: no row names it
    const orphan = `tenants/${tenant}/recordings/left-behind`;
    await store.put(orphan, Readable.from([Buffer.from('x')]), 1);

    const report = await auditStorage(store, expectedObjects(m.db, 2));

    expect(report.checked).toBe(whole.length + 2 + 1);
    expect(report.missing.map((o) => o.key)).toEqual([lost.key]);
    expect(report.missing[0].what).toBe(`answer recording ${lost.id} of tenant ${tenant}`);
    expect(report.wrongSize.map((o) => [o.key, o.bytes])).toEqual([[cut.key, 100]]);
    expect(report.wrongSize[0].expected).toBeGreaterThan(3000);
    expect(report.orphans).toEqual([orphan]);
    // the objects stored whole, and the export's archive, were all asked about and passed
    const flagged = new Set([...report.missing, ...report.wrongSize].map((o) => o.key));
    for (const k of [...whole.map((w) => w.key), readyKey]) expect(flagged.has(k)).toBe(false);

    // without the listing, orphans are not looked for
    expect((await auditStorage(store, expectedObjects(m.db, 2), { orphans: false })).orphans).toEqual([]);
  });
});
