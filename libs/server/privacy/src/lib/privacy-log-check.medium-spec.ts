/**
 * The daily check of the privacy logs (PrivacyLogCheckSweeper over PrivacyLogChecks) on real
 * PostgreSQL: every organisation's log and the operator's checked once a day after the hour, and an
 * entry changed or the end of a chain removed behind the application's back found and counted.
 */
import { Client } from 'pg';
import {
  PrivacyLogChecks,
  PrivacyLogChecksRepository,
  type PrivacyLogService,
  testAccessCore,
  testActor,
} from '@rehearse/server/access';
import { TenantsRepository } from '@rehearse/server/accounts';
import { Clock, createMetrics, loadConfig } from '@rehearse/server/core';
import { openMediumDatabase, type MediumDatabase } from '@rehearse/server/database';
import { PrivacyLogCheckSweeper } from './privacy-log-check.sweeper';

describe('the daily check of the privacy logs (medium tier)', () => {
  let m: MediumDatabase;
  let log: PrivacyLogService;
  const clock = new Clock();
  const metrics = createMetrics('worker');
  let checks: PrivacyLogChecks;
  let sweeper: PrivacyLogCheckSweeper;

  /** Moves the clock to `hour`:30 UTC, `days` days from today. */
  const at = (hour: number, days = 0) => {
    const t = new Date();
    t.setUTCHours(hour, 30, 0, 0);
    clock.advance(t.getTime() + days * 86_400_000 - clock.now().getTime());
  };
  const gauge = async (g: typeof metrics.privacyLogsBroken) => (await g.get()).values[0]?.value;

  beforeAll(async () => {
    m = await openMediumDatabase();
    log = testAccessCore(m.db, clock).privacy;
    checks = new PrivacyLogChecks(log, new PrivacyLogChecksRepository(m.db), clock);
    sweeper = new PrivacyLogCheckSweeper(
      loadConfig({ PRIVACY_LOG_CHECK_HOUR_UTC: '3' }),
      m.db,
      checks,
      new TenantsRepository(m.db),
      clock,
      metrics,
    );
  });
  afterAll(() => m?.close());

  async function organisationWithLooks(looks: number) {
    const tenant = await m.rows.tenant();
    const subject = await m.rows.user(tenant);
    const coach = await m.rows.user(tenant, { roles: ['coach'] });
    for (let i = 0; i < looks; i++)
      await log.readWithLog(testActor(coach, tenant, ['coach']), async () => ({
        value: i,
        log: { subjectId: subject, tenantId: tenant, objectType: 'answer', objectId: `a${i}`, action: 'view' },
      }));
    return tenant;
  }

  /** As the schema's owner, past the log's triggers: what an intruder at the database could do. */
  async function behindTheApplication(sql: string, params: unknown[]): Promise<void> {
    const owner = new Client({ connectionString: m.database.ownerUrl });
    await owner.connect();
    try {
      await owner.query(`ALTER TABLE privacy_log DISABLE TRIGGER USER`);
      await owner.query(sql, params);
      await owner.query(`ALTER TABLE privacy_log ENABLE TRIGGER USER`);
    } finally {
      await owner.end();
    }
  }

  it("checks every organisation's log and the operator's once a day, after the hour: intact, with the entries read", async () => {
    const a = await organisationWithLooks(3);
    const empty = await m.rows.tenant();
    at(2);
    expect(await sweeper.runIfDue()).toBe(0);
    expect(await checks.integrity(a)).toEqual({ checkedAt: null, entriesChecked: 0, broken: null, brokenAtId: null });
    expect(await gauge(metrics.privacyLogsCheckedAt)).toBe(0);

    at(3);
    const organisations = (await new TenantsRepository(m.db).ids()).length;
    const started = clock.now().getTime();
    expect(await sweeper.runIfDue()).toBe(organisations + 1);
    const { checkedAt, ...found } = await checks.integrity(a);
    expect(found).toEqual({ entriesChecked: 3, broken: null, brokenAtId: null });
    const checked = Date.parse(checkedAt ?? '');
    expect(checked).toBeGreaterThanOrEqual(started);
    expect(checked).toBeLessThanOrEqual(clock.now().getTime());
    expect(await checks.integrity(empty)).toMatchObject({ entriesChecked: 0, broken: null });
    expect((await checks.latest()).filter((c) => c.tenantId === null)).toEqual([
      expect.objectContaining({ entriesChecked: 0, broken: null }),
    ]);
    expect(await gauge(metrics.privacyLogsBroken)).toBe(0);
    // the least recently checked log's time (all of them now)
    expect(await gauge(metrics.privacyLogsCheckedAt)).toBeGreaterThanOrEqual(started / 1000);
    // once a day: not again that day, again the next
    at(9);
    expect(await sweeper.runIfDue()).toBe(0);
    at(3, 1);
    expect(await sweeper.runIfDue()).toBe(organisations + 1);
  });

  it('finds an entry changed, and the last entries of a chain removed, and counts both logs broken', async () => {
    const changed = await organisationWithLooks(4);
    const cut = await organisationWithLooks(4);
    at(3, 2);
    await sweeper.runIfDue();
    const before = await checks.integrity(cut);
    expect(before).toMatchObject({ entriesChecked: 4, broken: null });
    const last = (await checks.latest()).find((c) => c.tenantId === cut)?.throughId;

    const [{ id: third }] = await m.db.query(
      `SELECT id::text AS id FROM privacy_log WHERE tenant_id = $1 AND object_id = 'a2'`,
      [changed],
    );
    await behindTheApplication(`UPDATE privacy_log SET action = 'list' WHERE id = $1`, [third]);
    // the chain's last entry: no hash after it shows it went, the count of the check before does
    await behindTheApplication(`DELETE FROM privacy_log WHERE id = $1`, [last]);

    at(3, 3);
    await sweeper.runIfDue();
    expect(await checks.integrity(changed)).toMatchObject({ entriesChecked: 3, broken: 'changed', brokenAtId: third });
    expect(await checks.integrity(cut)).toMatchObject({ entriesChecked: 3, broken: 'removed', brokenAtId: last });
    expect(await gauge(metrics.privacyLogsBroken)).toBe(2);
  });
});
