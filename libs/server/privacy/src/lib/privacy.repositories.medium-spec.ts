/**
 * Privacy's repositories on real PostgreSQL (the medium tier): one export at a time per person,
 * and licences' lifecycles from the organisation's settings (a person's footprint:
 * person-footprint.medium-spec.ts).
 */
import { openMediumDatabase, type MediumDatabase, type Rows } from '@rehearse/server/database';
import { DataExportsRepository } from './data-exports.repository';
import { RetentionRepository } from './retention.repository';

describe('privacy repositories (medium tier)', () => {
  let m: MediumDatabase;
  let rows: Rows;
  let exports: DataExportsRepository;
  let retention: RetentionRepository;

  beforeAll(async () => {
    m = await openMediumDatabase();
    rows = m.rows;
    exports = new DataExportsRepository(m.db);
    retention = new RetentionRepository(m.db);
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

  it("computes a licence's lifecycle from the organisation's settings, and keeps a request to itself", async () => {
    const tenant = await rows.tenant();
    await m.db.query(
      `UPDATE tenants SET retention_delete_after_days = 45, retention_notice_days = 14, retention_keep_policy = 'approval' WHERE id = $1`,
      [tenant],
    );
    const person = await rows.user(tenant);
    await rows.licence(tenant, person, '2026-11-01');
    const row = await retention.lifecycleOf(person);
    expect(row).toMatchObject({
      expires_on: '2026-11-01',
      due_on: '2026-12-16',
      notice_from: '2026-12-02',
      recordings: 0,
    });
    expect(await retention.keepPolicy(tenant)).toBe('approval');
    await retention.requestKeep(person, new Date());
    expect((await retention.keepRequests(tenant)).map((r) => [r.user_id, r.keep_status])).toEqual([
      [person, 'requested'],
    ]);
    expect(await retention.keepRequests(await rows.tenant())).toEqual([]);
    await retention.approveKeep(person, '2026-12-16', 30, person);
    expect(await retention.lifecycleOf(person)).toMatchObject({ keep_status: 'approved', due_on: '2027-01-15' });
  });
});
