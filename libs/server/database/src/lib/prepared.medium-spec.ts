/**
 * preparedIn on real PostgreSQL: a named statement with its generic plan inside a transaction
 * leaves the transaction's planner setting as it found it, answers the same rows as a plain query,
 * and a failing statement reports its own error (not "current transaction is aborted").
 */
import { openMediumDatabase, type MediumDatabase } from '../testing/medium-database';
import { preparedIn } from './prepared';

describe('preparedIn (medium tier)', () => {
  let m: MediumDatabase;

  beforeAll(async () => {
    m = await openMediumDatabase();
  });
  afterAll(() => m?.close());

  const setting = async (q: { query(sql: string): Promise<unknown> }) =>
    ((await q.query(`SELECT current_setting('plan_cache_mode') AS mode`)) as { mode: string }[])[0].mode;

  it('runs with the generic plan inside a transaction, then resets the setting; outside one, as prepared on the pool', async () => {
    const tenant = await m.rows.tenant('Prepared Ltd');
    const sql = `SELECT name FROM tenants WHERE id = $1`;
    await m.db.transaction(async (t) => {
      for (let i = 0; i < 7; i++)
        expect(await preparedIn(t, m.db, 'medium_tenant_name', sql, [tenant], { generic: true })).toEqual([
          { name: 'Prepared Ltd' },
        ]);
      expect(await setting(t)).toBe('auto');
    });
    expect(await preparedIn(null, m.db, 'medium_tenant_name', sql, [tenant])).toEqual([{ name: 'Prepared Ltd' }]);
    expect(await preparedIn(m.db.manager, m.db, 'medium_tenant_name', sql, [tenant], { generic: true })).toEqual([
      { name: 'Prepared Ltd' },
    ]);
  });

  it("a failing statement reports its own error, and the transaction's setting goes with it", async () => {
    await expect(
      m.db.transaction((t) => preparedIn(t, m.db, 'medium_divide', `SELECT 1 / $1::int AS x`, [0], { generic: true })),
    ).rejects.toMatchObject({ code: '22012' });
    await m.db.transaction(async (t) => expect(await setting(t)).toBe('auto'));
  });
});
