/**
 * Privacy's repositories on real PostgreSQL (the medium tier): one export at a time per person
 * (a person's footprint: person-footprint.medium-spec.ts; licences' lifecycles: accounts'
 * licence-lifecycle statements in accounts.repositories.medium-spec.ts).
 */
import { openMediumDatabase, type MediumDatabase, type Rows } from '@rehearse/server/database';
import { containsPattern } from '@rehearse/server/core';
import { DataExportsRepository } from './data-exports.repository';
import { DeletionReceiptsRepository } from './deletion-receipts.repository';

describe('privacy repositories (medium tier)', () => {
  let m: MediumDatabase;
  let rows: Rows;
  let exports: DataExportsRepository;
  let receipts: DeletionReceiptsRepository;

  beforeAll(async () => {
    m = await openMediumDatabase();
    rows = m.rows;
    exports = new DataExportsRepository(m.db);
    receipts = new DeletionReceiptsRepository(m.db);
  });
  afterAll(() => m?.close());

  it('starts one export of a person at a time, and one of the organisation beside it', async () => {
    const tenant = await rows.tenant();
    const person = await rows.user(tenant);
    const admin = await rows.user(tenant, { roles: ['administrator'] });
    const now = new Date();
    const [first, second] = await Promise.all([
      exports.start(tenant, person, admin, now),
      exports.start(tenant, person, admin, now),
    ]);
    // the lock lets exactly one of two simultaneous requests through
    expect([first, second].filter(Boolean)).toHaveLength(1);
    const id = (first ?? second) as string;
    expect(await exports.row(tenant, id)).toMatchObject({ scope: 'user', subject_id: person, state: 'queued' });
    const whole = await exports.start(tenant, null, admin, now);
    expect(whole).toBeDefined();
    expect(await exports.start(tenant, null, admin, now)).toBeUndefined();
    expect((await exports.newest(tenant, null)).map((e) => e.id)).toEqual([whole]);
    expect((await exports.newest(tenant, person)).map((e) => e.id)).toEqual([id]);
    // once it failed, a new one may start
    await exports.failed(tenant, id, 'disk full', now);
    expect(await exports.start(tenant, person, admin, now)).toBeDefined();
    expect(await exports.row(await rows.tenant(), id)).toBeUndefined();
  });

  it('withdraws the organisation’s exports queued, being built or ready, and keeps them withdrawn: a build that ends after it neither readies nor fails them', async () => {
    const tenant = await rows.tenant();
    const person = await rows.user(tenant);
    const ready = await rows.dataExport(tenant, null, 'ready');
    await m.db.query(`UPDATE data_exports SET object_key = 'tenants/x/exports/ready' WHERE id = $1`, [ready]);
    const building = await rows.dataExport(tenant, null, 'building');
    const failing = await rows.dataExport(tenant, null, 'building');
    const old = await rows.dataExport(tenant, null, 'expired');
    const own = await rows.dataExport(tenant, person, 'ready');
    const other = await rows.dataExport(await rows.tenant(), null, 'ready');
    const withdrawn = await m.db.transaction((t) => exports.withdrawOrganisationExports(tenant, 'Withdrawn: why', t));
    expect(withdrawn).toEqual(['tenants/x/exports/ready']);
    const stored = {
      key: 'k',
      envelope: { format: 1 as const, segmentSize: 65536, noncePrefix: '00', wrappedKey: 'w', size: 1 },
      at: new Date(),
      expiresAt: new Date(),
    };
    expect(await exports.ready(tenant, building, stored)).toBe(false);
    await exports.failed(tenant, failing, 'the store failed', new Date());
    const states = async (...ids: string[]) => Promise.all(ids.map(async (id) => (await exports.row(null, id))?.state));
    expect(await states(ready, building, failing, old, own, other)).toEqual([
      'expired',
      'expired',
      'expired',
      'expired',
      'ready',
      'ready',
    ]);
    expect(await exports.row(tenant, ready)).toMatchObject({ error: 'Withdrawn: why', object_key: null });
  });

  it('lists destruction reports newest first, a page at a time, by the organisation they name, without their objects', async () => {
    const report = (at: string, organisation?: { name: string; slug: string }) =>
      receipts.insert(null, {
        kind: 'tenant_destruction',
        subjectId: crypto.randomUUID(),
        requestedBy: null,
        reason: null,
        at: new Date(at),
        verified: true,
        counts: { users: 3, objects: 1 },
        objects: [{ key: 'tenants/x/recordings/a.webm', verified: true }],
        organisation,
      });
    // written before reports named the organisation: no name
    const old = await report('2026-01-05T10:00:00Z');
    const northwind = await report('2026-03-01T10:00:00Z', { name: 'Northwind 100% Sales', slug: 'northwind' });
    const contoso = await report('2026-03-01T10:00:00Z', { name: 'Contoso', slug: 'contoso_nl' });
    // a person's receipt is no destruction report, and never holds a name
    const tenant = await rows.tenant();
    const person = await rows.user(tenant);
    const erasure = {
      kind: 'erasure',
      subjectId: person,
      requestedBy: null,
      reason: null,
      at: new Date('2026-04-01T10:00:00Z'),
      verified: true,
      counts: {},
      objects: [],
    };
    await receipts.insert(tenant, erasure);
    await expect(receipts.insert(tenant, { ...erasure, organisation: { name: 'Ada', slug: 'ada' } })).rejects.toThrow(
      /deletion_receipts_subject_name_check/,
    );

    const all = await receipts.destructionReports({ pattern: null }, { limit: 2, offset: 0 });
    expect(all.total).toBe(3);
    // the two of one moment in a fixed order (by id), then the older one on the next page
    expect(all.rows.map((r) => r.id)).toEqual([northwind, contoso].sort().reverse());
    expect(all.rows[0]).not.toHaveProperty('objects');
    const next = await receipts.destructionReports({ pattern: null }, { limit: 2, offset: 2 });
    expect(next.rows).toEqual([expect.objectContaining({ id: old, subject_name: null, subject_slug: null })]);
    // by name or slug, whatever the case; % and _ are letters, not wildcards
    const found = async (q: string) =>
      (await receipts.destructionReports({ pattern: containsPattern(q) }, { limit: 25, offset: 0 })).rows.map(
        (r) => r.id,
      );
    expect(await found('NORTHWIND')).toEqual([northwind]);
    expect(await found('100%')).toEqual([northwind]);
    expect(await found('o_n')).toEqual([contoso]);
    expect(await found('%')).toEqual([northwind]);
    expect(await found('person')).toEqual([]);

    expect(await receipts.destructionReport(contoso)).toMatchObject({
      subject_name: 'Contoso',
      subject_slug: 'contoso_nl',
      objects: [{ key: 'tenants/x/recordings/a.webm', verified: true }],
    });
    expect(await receipts.destructionReport(old)).toMatchObject({ subject_name: null });
    const [personal] = (await m.db.query(`SELECT id FROM deletion_receipts WHERE subject_id = $1`, [person])) as {
      id: string;
    }[];
    expect(await receipts.destructionReport(personal.id)).toBeUndefined();
  });
});
