/**
 * Privacy's repositories on real PostgreSQL (the medium tier): one export at a time per person
 * (a person's footprint: person-footprint.medium-spec.ts; licences' lifecycles: accounts'
 * licence-lifecycle statements in accounts.repositories.medium-spec.ts).
 */
import { openMediumDatabase, type MediumDatabase, type Rows } from '@rehearse/server/database';
import { DataExportsRepository } from './data-exports.repository';

describe('privacy repositories (medium tier)', () => {
  let m: MediumDatabase;
  let rows: Rows;
  let exports: DataExportsRepository;

  beforeAll(async () => {
    m = await openMediumDatabase();
    rows = m.rows;
    exports = new DataExportsRepository(m.db);
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
});
