/**
 * The daily check of the privacy logs (PrivacyLogCheckSweeper over PrivacyLogChecks) on real
 * PostgreSQL: every organisation's log and the operator's checked once a day after the hour, and an
 * entry changed or the end of a chain removed behind the application's back found and counted.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import {
  PrivacyLogChecks,
  PrivacyLogChecksRepository,
  type PrivacyLogService,
  testAccessCore,
  testActor,
} from '@rehearse/server/access';
import {
  AccountActivity,
  AccountActivityRepository,
  LicenceLifecycleRepository,
  TenantsRepository,
  UsersRepository,
} from '@rehearse/server/accounts';
import { type AppConfig, Clock, createMetrics, loadConfig } from '@rehearse/server/core';
import { MailOutbox, MailOutboxRepository, type MailProducer } from '@rehearse/server/mail';
import { openMediumDatabase, type MediumDatabase } from '@rehearse/server/database';
import { LocalDiskStore } from '@rehearse/server/storage';
import { PrivacyLogWitness, WITNESS_KEY } from './privacy-log-witness';
import { PrivacyLogCheckSweeper } from './privacy-log-check.sweeper';
import { NothingToAccept, PrivacyLogFindings } from './privacy-log-findings';
import { PrivacyLogBrokenMail } from './mail/privacy-log-broken.mail';

describe('the daily check of the privacy logs (medium tier)', () => {
  // each test has a database, a witness store, metrics and a sweeper of its own: what one test's
  // checks and findings leave (logs broken, accepted, witnessed) is no other test's starting point
  let m: MediumDatabase;
  let log: PrivacyLogService;
  const clock = new Clock();
  let metrics: ReturnType<typeof createMetrics>;
  let checks: PrivacyLogChecks;
  let sweeper: PrivacyLogCheckSweeper;
  /** the object store the witness of the logs is kept in (a folder here) */
  let storeDir: string;
  let witness: PrivacyLogWitness;

  const accountActivity = () => {
    const core = testAccessCore(m.db, clock);
    return new AccountActivity(
      m.db,
      new AccountActivityRepository(m.db),
      core.access,
      core.privacy,
      new UsersRepository(m.db),
    );
  };

  /** Moves the clock to `hour`:30 UTC, `days` days from today. */
  const at = (hour: number, days = 0) => {
    const t = new Date();
    t.setUTCHours(hour, 30, 0, 0);
    clock.advance(t.getTime() + days * 86_400_000 - clock.now().getTime());
  };
  const gauge = async (g: typeof metrics.privacyLogsBroken) => (await g.get()).values[0]?.value;

  /** the e-mails queued (the mail queue's producer, as Redis would take them) */
  const queued: { adminId: string; checkedAt: string; jobId: string }[] = [];
  const producer = {
    sendMany: async (_name: string, jobs: { payload: { adminId: string; checkedAt: string }; jobId: string }[]) => {
      for (const j of jobs) queued.push({ ...j.payload, jobId: j.jobId });
    },
  } as unknown as MailProducer;
  let compose: PrivacyLogBrokenMail;
  /** The worker's sweep with the real repositories, checking after `hour` (UTC; 'off': never). */
  const sweeperAt = (hour: string, env: Record<string, string> = {}) =>
    new PrivacyLogCheckSweeper(
      loadConfig({ PRIVACY_LOG_CHECK_HOUR_UTC: hour, ...env }),
      m.db,
      checks,
      new TenantsRepository(m.db),
      new LicenceLifecycleRepository(m.db),
      new MailOutbox(new MailOutboxRepository(m.db), producer),
      clock,
      metrics,
      witness,
    );

  beforeEach(async () => {
    m = await openMediumDatabase();
    metrics = createMetrics('worker');
    queued.length = 0;
    log = testAccessCore(m.db, clock).privacy;
    checks = new PrivacyLogChecks(m.db, log, new PrivacyLogChecksRepository(m.db), clock);
    storeDir = await mkdtemp(join(tmpdir(), 'rehearse-witness-'));
    witness = new PrivacyLogWitness(new LocalDiskStore(storeDir), m.db, checks, new TenantsRepository(m.db), clock);
    sweeper = sweeperAt('3');
    compose = new PrivacyLogBrokenMail(
      new UsersRepository(m.db),
      new TenantsRepository(m.db),
      new PrivacyLogChecksRepository(m.db),
      { PUBLIC_URL: 'https://rehearse.example.test' } as AppConfig,
    );
  });
  afterEach(async () => {
    await m?.close();
    if (storeDir) await rm(storeDir, { recursive: true, force: true });
  });

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

  it('takes its witness every PRIVACY_LOG_WITNESS_MINUTES (15 unless set, 1 to 30), and none when the check is off', () => {
    const every = (hour: string, env: Record<string, string> = {}) =>
      (sweeperAt(hour, env) as unknown as { everyMs(): number }).everyMs();
    expect(every('3')).toBe(15 * 60_000);
    expect(every('3', { PRIVACY_LOG_WITNESS_MINUTES: '1' })).toBe(60_000);
    expect(every('3', { PRIVACY_LOG_WITNESS_MINUTES: '30' })).toBe(30 * 60_000);
    expect(every('off', { PRIVACY_LOG_WITNESS_MINUTES: '1' })).toBe(0);
    // beyond an hour RehearsePrivacyLogWitnessStale would fire between two witnesses
    for (const bad of ['0', '31', '2.5', 'often'])
      expect(() => loadConfig({ PRIVACY_LOG_WITNESS_MINUTES: bad })).toThrow(/PRIVACY_LOG_WITNESS_MINUTES/);
  });

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
    // switched off (a benchmark's measurements): never, whatever the hour
    const off = sweeperAt('off');
    at(3, 1);
    expect(await off.runIfDue()).toBe(0);
    at(9);
    // once a day: not again that day, again the next
    at(9);
    expect(await sweeper.runIfDue()).toBe(0);
    at(3, 1);
    expect(await sweeper.runIfDue()).toBe(organisations + 1);
  });

  it('finds an entry changed, and the last entries of a chain removed; counts both logs broken and tells their administrators once', async () => {
    const changed = await organisationWithLooks(4);
    const cut = await organisationWithLooks(4);
    const admin = await m.rows.user(changed, { roles: ['administrator'], name: 'Ada Admin' });
    await m.db.query(`UPDATE users SET locale = 'nl' WHERE id = $1`, [admin]);
    await m.rows.user(changed, { roles: ['administrator'], status: 'deactivated' });
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
    // (removed: the entries the check before read, which every check counts again)
    expect(await checks.integrity(cut)).toMatchObject({ entriesChecked: 4, broken: 'removed', brokenAtId: last });
    expect(await gauge(metrics.privacyLogsBroken)).toBe(2);
    // the active administrator of the organisation whose log changed (the other has none), told once
    const toldOf = (tenant: string) => queued.filter((q) => q.jobId.startsWith(`${tenant}:`));
    expect(toldOf(changed)).toEqual([expect.objectContaining({ adminId: admin })]);
    expect(toldOf(cut)).toEqual([]);
    const mail = await compose.compose(toldOf(changed)[0]);
    expect(mail?.mail.subject).toMatch(/^Het privacylogboek van .* is buiten Rehearse gewijzigd$/);
    expect(mail?.mail.text).toContain(`regel ${third} buiten Rehearse gewijzigd`);
    expect(mail?.mail.text).toContain('https://rehearse.example.test/admin/privacy-log');
    // the next night finds the same: nobody is told again, and the log stays broken (the removal too)
    at(3, 4);
    await sweeper.runIfDue();
    expect(toldOf(changed)).toHaveLength(1);
    expect(await checks.integrity(cut)).toMatchObject({ broken: 'removed', brokenAtId: last, entriesChecked: 4 });
    expect(await gauge(metrics.privacyLogsBroken)).toBe(2);
    // the operator's check by hand finds the same and records nothing
    const recorded = await checks.integrity(cut);
    expect(await checks.preview(cut)).toMatchObject({ broken: 'removed', brokenAtId: last });
    expect(await checks.integrity(cut)).toEqual(recorded);
    // having looked into it, the operator accepts the log as it is, with a reason, on the
    // organisation's account activity: the next night takes it so
    const findings = new PrivacyLogFindings(m.db, checks, accountActivity(), witness);
    await expect(findings.accept(cut, 'because')).rejects.toThrow(NothingToAccept);
    await expect(findings.accept(changed + '', 'x'.repeat(9))).rejects.toThrow(/at least 10/);
    await findings.accept(cut, 'Compared with the backup of the night before: a restore gone wrong');
    await expect(findings.accept(cut, 'Compared with the backup of the night before')).rejects.toThrow(
      /found nothing to accept/,
    );
    expect(
      await m.db.query(
        `SELECT action, actor_id, actor_role, subject_id, details FROM account_activity WHERE tenant_id = $1`,
        [cut],
      ),
    ).toEqual([
      {
        action: 'organisation.privacy_log_accepted',
        actor_id: null,
        actor_role: 'operator',
        subject_id: null,
        details: { reason: 'Compared with the backup of the night before: a restore gone wrong', brokenAtId: last },
      },
    ]);
    expect(await checks.integrity(cut)).toMatchObject({ checkedAt: null });
    // the entry changed, accepted as it is: the chain goes on from its stored hash, and a change
    // after it is still found
    await findings.accept(changed, 'The entry was corrected by hand after a support request');
    at(3, 5);
    await sweeper.runIfDue();
    expect(await checks.integrity(cut)).toMatchObject({ broken: null, entriesChecked: 3 });
    expect(await checks.integrity(changed)).toMatchObject({ broken: null, entriesChecked: 4 });
    expect(await gauge(metrics.privacyLogsBroken)).toBe(0);
    const [{ id: fourth }] = await m.db.query(
      `SELECT id::text AS id FROM privacy_log WHERE tenant_id = $1 AND object_id = 'a3'`,
      [changed],
    );
    await behindTheApplication(`UPDATE privacy_log SET object_id = 'other' WHERE id = $1`, [fourth]);
    at(3, 6);
    await sweeper.runIfDue();
    expect(await checks.integrity(changed)).toMatchObject({ broken: 'changed', brokenAtId: fourth });
  });

  it("finds entries written after a night's check and removed before the next: the witness of the logs, kept outside the database, saw them", async () => {
    const tenant = await organisationWithLooks(3);
    const admin = await m.rows.user(tenant, { roles: ['administrator'] });
    at(3, 8);
    await sweeper.runIfDue();
    expect(await checks.integrity(tenant)).toMatchObject({ entriesChecked: 3, broken: null });
    // two more looks during the day, seen by a witness (the worker takes one every 15 minutes)
    const coach = await m.rows.user(tenant, { roles: ['coach'] });
    const subject = await m.rows.user(tenant);
    for (const i of [3, 4])
      await log.readWithLog(testActor(coach, tenant, ['coach']), async () => ({
        value: i,
        log: { subjectId: subject, tenantId: tenant, objectType: 'answer', objectId: `a${i}`, action: 'view' },
      }));
    expect(await witness.take()).toEqual([]);
    const [{ id: last }] = await m.db.query(`SELECT max(id)::text AS id FROM privacy_log WHERE tenant_id = $1`, [
      tenant,
    ]);
    const kept = JSON.parse(await readFile(join(storeDir, ...WITNESS_KEY.split('/')), 'utf8'));
    expect(kept.logs).toContainEqual({ tenantId: tenant, throughId: last, entriesChecked: 5 });

    // the last of them removed behind the application: the chain is shorter and whole, and the
    // night's check never read it
    await behindTheApplication(`DELETE FROM privacy_log WHERE id = $1`, [last]);
    expect(await checks.preview(tenant)).toMatchObject({ broken: null, entriesChecked: 4 });
    // the next witness finds it at once (an error in the worker's log), and keeps what it saw
    const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      expect(await witness.take()).toEqual([tenant]);
      expect(errors).toHaveBeenCalledWith(
        expect.objectContaining({ tenantId: tenant }),
        expect.stringContaining('fewer than the witness of the logs saw'),
      );
      expect(await witness.take()).toEqual([tenant]);
      // every worker's metrics page says so from the witness (an alert), and when it was taken
      await sweeper.publishWitness();
      expect(await gauge(metrics.privacyLogsShort)).toBe(1);
      expect(await gauge(metrics.privacyLogWitnessAt)).toBeCloseTo(clock.now().getTime() / 1000, -1);
      // the log is checked at once, against what the witness saw: its administrators see it and
      // are told now, not at the next night's check
      expect(await sweeper.checkShort([tenant])).toBe(1);
      expect(await checks.integrity(tenant)).toMatchObject({
        broken: 'removed',
        brokenAtId: last,
        entriesChecked: 5,
      });
      expect(queued.filter((q) => q.jobId.startsWith(`${tenant}:`))).toEqual([
        expect.objectContaining({ adminId: admin }),
      ]);
      // the next witness finds it still: the finding stands, no second check, nobody told again
      expect(await sweeper.checkShort((await witness.take()) ?? [])).toBe(0);
      // and the night's check counts again what the witness saw: it stays found
      at(3, 9);
      await sweeper.runIfDue();
    } finally {
      errors.mockRestore();
    }
    expect(queued.filter((q) => q.jobId.startsWith(`${tenant}:`))).toHaveLength(1);
    expect(await checks.integrity(tenant)).toMatchObject({ broken: 'removed', brokenAtId: last, entriesChecked: 5 });
    expect(await checks.preview(tenant, (await witness.read()).get(tenant))).toMatchObject({
      broken: 'removed',
      brokenAtId: last,
    });

    // the operator, having looked into it, accepts the log as it is: the witness takes it so too
    await new PrivacyLogFindings(m.db, checks, accountActivity(), witness).accept(
      tenant,
      'A restore of the night before took the last entry; compared with the backup',
    );
    expect((await witness.read()).get(tenant)).toEqual({ throughId: expect.any(String), entriesChecked: 4 });
    expect(await witness.take()).toEqual([]);
    await sweeper.publishWitness();
    expect(await gauge(metrics.privacyLogsShort)).toBe(0);
    at(3, 10);
    await sweeper.runIfDue();
    expect(await checks.integrity(tenant)).toMatchObject({ broken: null, entriesChecked: 4 });
  });

  it('a witness that does not read as one (cut short, overwritten) is an error, and the next starts afresh', async () => {
    const tenant = await organisationWithLooks(2);
    const store = new LocalDiskStore(storeDir);
    const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      for (const garbage of [
        '{"takenAt": "2026-12-06T09:00:00.000Z", "logs": [',
        '{"takenAt":"2026-12-06T09:00:00.000Z","logs":[{"tenantId":1,"throughId":"9","entriesChecked":1}]}',
        '{"takenAt":"2026-12-06T09:00:00.000Z","logs":[{"tenantId":null,"throughId":"9; DROP","entriesChecked":1}]}',
        '[]',
      ]) {
        await store.put(WITNESS_KEY, Readable.from([Buffer.from(garbage)]));
        expect(await witness.read()).toEqual(new Map());
        expect(await witness.take()).toEqual([]);
        expect((await witness.read()).get(tenant)).toEqual({ throughId: expect.any(String), entriesChecked: 2 });
      }
      expect(errors).toHaveBeenCalledWith(expect.stringContaining('does not read as one: taken afresh'));
    } finally {
      errors.mockRestore();
    }
  });
});
