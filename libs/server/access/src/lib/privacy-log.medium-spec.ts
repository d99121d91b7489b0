/**
 * The privacy log (PrivacyLogService over PrivacyLogRepository) on real PostgreSQL — the medium
 * tier: many writers at once, the chains they leave, a row changed behind the application's back.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { EntityManager } from 'typeorm';
import { Clock, loadConfig } from '@rehearse/server/core';
import { openMediumDatabase, type MediumDatabase, type Rows } from '@rehearse/server/database';
import { testAccessCore, testActor } from '../testing/test-actor';
import { PrivacyLogService } from './privacy-log.service';
import { PrivacyLogRepository } from './privacy-log.repository';

describe('the privacy log (medium tier: the service and its repository)', () => {
  let m: MediumDatabase;
  let rows: Rows;
  let log: PrivacyLogService;
  let logRows: PrivacyLogRepository;

  beforeAll(async () => {
    m = await openMediumDatabase();
    rows = m.rows;
    log = testAccessCore(m.db, new Clock()).privacy;
    logRows = new PrivacyLogRepository(m.db);
  });
  afterAll(() => m?.close());

  async function organisation(coaches: number) {
    const tenant = await rows.tenant();
    const subject = await rows.user(tenant);
    const readers: string[] = [];
    for (let i = 0; i < coaches; i++) readers.push(await rows.user(tenant, { roles: ['coach'] }));
    return { tenant, subject, readers };
  }

  const read = (tenant: string, reader: string, subject: string, objectId: string) =>
    log.readWithLog(testActor(reader, tenant, ['coach']), async () => ({
      value: objectId,
      log: { subjectId: subject, tenantId: tenant, objectType: 'answer', objectId, action: 'view' },
    }));

  it('logs a look at someone else’s data and not at one’s own', async () => {
    const o = await organisation(1);
    await read(o.tenant, o.readers[0], o.subject, 'a1');
    await read(o.tenant, o.subject, o.subject, 'a2');
    expect(await logRows.countUpTo({ tenantId: o.tenant }, 10)).toBe(1);
    expect(await logRows.page({ tenantId: o.tenant }, 10, 0)).toEqual([
      expect.objectContaining({ actor_id: o.readers[0], subject_id: o.subject, object_id: 'a1', action: 'view' }),
    ]);
  });

  it("reads a person's own log with the same look repeated on one day as one entry, with its count; the organisation's log keeps every row", async () => {
    const clock = new Clock();
    const core = testAccessCore(m.db, clock);
    const o = await organisation(2);
    const [cora, ken] = o.readers;
    const look = (actor: ReturnType<typeof testActor>, objectId: string, action = 'view') =>
      core.privacy.readWithLog(actor, async () => ({
        value: objectId,
        log: { subjectId: o.subject, tenantId: o.tenant, objectType: 'answer', objectId, action },
      }));
    const asCora = testActor(cora, o.tenant, ['coach']);
    // the day's first look at a1 at 09:00 UTC, the last at 09:40, a2 and other kinds of look between
    const day = new Date();
    day.setUTCHours(9, 0, 0, 0);
    clock.advance(day.getTime() - Date.now());
    await look(asCora, 'a1');
    clock.advance(10 * 60_000);
    await look(asCora, 'a1');
    await look(asCora, 'a2');
    await look(asCora, 'a1', 'review');
    await look(testActor(ken, o.tenant, ['coach']), 'a1');
    await look({ ...asCora, impersonatorId: ken }, 'a1');
    clock.advance(30 * 60_000);
    await look(asCora, 'a1');
    // the next day
    clock.advance(86_400_000);
    await look(asCora, 'a1');

    const mine = { subjectId: o.subject };
    expect(await logRows.looksCountUpTo(mine, 100)).toBe(6);
    const looks = await logRows.looksPage(mine, 100, 0);
    // minutes after the first look (the clock runs on by milliseconds while the test writes)
    const minutes = (t: unknown) => Math.round((new Date(t as string).getTime() - day.getTime()) / 60_000);
    expect(
      looks.map((l) => ({
        actor: l['actor_id'],
        object: l['object_id'],
        action: l['action'],
        by: l['impersonator_id'],
        count: l['count'],
        first: minutes(l['first_at']),
        last: minutes(l['at']),
      })),
    ).toEqual([
      { actor: cora, object: 'a1', action: 'view', by: null, count: 1, first: 1480, last: 1480 },
      { actor: cora, object: 'a1', action: 'view', by: null, count: 3, first: 0, last: 40 },
      { actor: cora, object: 'a1', action: 'view', by: ken, count: 1, first: 10, last: 10 },
      { actor: ken, object: 'a1', action: 'view', by: null, count: 1, first: 10, last: 10 },
      { actor: cora, object: 'a1', action: 'review', by: null, count: 1, first: 10, last: 10 },
      { actor: cora, object: 'a2', action: 'view', by: null, count: 1, first: 10, last: 10 },
    ]);
    // a page of them, and the looks at some objects only
    expect((await logRows.looksPage(mine, 2, 1)).map((l) => l['count'])).toEqual([3, 1]);
    expect(await logRows.looksCountUpTo({ subjectId: o.subject, objectIds: ['a2'] }, 100)).toBe(1);
    expect(await logRows.looksCountUpTo(mine, 3)).toBe(4);
    // the organisation's log: every row
    expect(await logRows.countUpTo({ tenantId: o.tenant }, 100)).toBe(8);
  });

  it("groups a person's looks by the days of the installation's calendar (TIME_ZONE), not UTC's", async () => {
    const clock = new Clock();
    const core = testAccessCore(m.db, clock);
    const o = await organisation(1);
    const asCora = testActor(o.readers[0], o.tenant, ['coach']);
    // 14:30, 15:30 and 16:00 UTC on one day: 23:30 in Tokyo, then 00:30 and 01:00 on its next day
    const day = new Date();
    day.setUTCHours(14, 30, 0, 0);
    clock.advance(day.getTime() - Date.now());
    for (const minutes of [0, 60, 30]) {
      clock.advance(minutes * 60_000);
      await core.privacy.readWithLog(asCora, async () => ({
        value: null,
        log: { subjectId: o.subject, tenantId: o.tenant, objectType: 'answer', objectId: 'a1', action: 'view' },
      }));
    }
    const counts = async (zone: string) => {
      const zoned = new Clock();
      zoned.useTimeZone(zone);
      const repository = new PrivacyLogRepository(m.db, zoned);
      const looks = await repository.looksPage({ subjectId: o.subject }, 10, 0);
      return {
        lines: await repository.looksCountUpTo({ subjectId: o.subject }, 10),
        counts: looks.map((l) => l['count']),
      };
    };
    expect(await counts('UTC')).toEqual({ lines: 1, counts: [3] });
    expect(await counts('Asia/Tokyo')).toEqual({ lines: 2, counts: [2, 1] });
  });

  it('many people reading at once leave intact chains, every read logged once', async () => {
    const o = await organisation(6);
    await Promise.all(
      o.readers.flatMap((reader, i) =>
        Array.from({ length: 5 }, (_, j) => read(o.tenant, reader, o.subject, `r${i}-${j}`)),
      ),
    );
    expect(await logRows.countUpTo({ tenantId: o.tenant }, 100)).toBe(30);
    expect(await log.verifyChain(o.tenant)).toBeNull();
  });

  describe('two processes (API replicas) writing one person’s chain, each remembering its own last row', () => {
    // the same key, as replicas of one installation have
    const config = loadConfig({ NODE_ENV: 'test', APP_SECRET: randomBytes(24).toString('hex') });
    const replica = () => new PrivacyLogService(m.db, new PrivacyLogRepository(m.db), new Clock(), config);
    const view = (p: PrivacyLogService, tenant: string, reader: string, subject: string, objectId: string) =>
      p.readWithLog(testActor(reader, tenant, ['coach']), async () => ({
        value: objectId,
        log: { subjectId: subject, tenantId: tenant, objectType: 'answer', objectId, action: 'view' },
      }));
    /** the statements one read's log rows take, read by `p` in a transaction of its own */
    async function statementsOf(p: PrivacyLogService, tenant: string, reader: string, subject: string, id: string) {
      return m.db.transaction(async (tx: EntityManager) => {
        const spy = jest.spyOn(tx, 'query');
        await p.record(tx, testActor(reader, tenant, ['coach']), {
          subjectId: subject,
          tenantId: tenant,
          objectType: 'answer',
          objectId: id,
          action: 'view',
        });
        return spy.mock.calls.length;
      });
    }

    it('leave one intact chain, taking turns and at the same time', async () => {
      const o = await organisation(1);
      const [a, b] = [replica(), replica()];
      for (let i = 0; i < 6; i++) await view(i % 3 ? a : b, o.tenant, o.readers[0], o.subject, `s${i}`);
      await Promise.all(
        Array.from({ length: 12 }, (_, i) => view(i % 2 ? a : b, o.tenant, o.readers[0], o.subject, `c${i}`)),
      );
      expect(await logRows.countUpTo({ tenantId: o.tenant }, 100)).toBe(18);
      const chain = (await logRows.chainBatch(o.tenant, '0', 100)).filter((r) => r['actor_id'] === o.readers[0]);
      // one chain: every row links to the row before it, none to the same one as another
      expect(chain.map((r) => r['prev_hash'])).toEqual(['0'.repeat(64), ...chain.slice(0, -1).map((r) => r['hash'])]);
      expect(await a.verifyChain(o.tenant)).toBeNull();
    });

    it('take one statement for a writer the process remembers, two where another process wrote last', async () => {
      const o = await organisation(1);
      const [a, b] = [replica(), replica()];
      // a process that never wrote for this person asks for the chain's end first
      expect(await statementsOf(a, o.tenant, o.readers[0], o.subject, 'x1')).toBe(2);
      expect(await statementsOf(a, o.tenant, o.readers[0], o.subject, 'x2')).toBe(1);
      expect(await statementsOf(b, o.tenant, o.readers[0], o.subject, 'x3')).toBe(2);
      // a remembered the end before b wrote: its rows are refused, linked again and written
      expect(await statementsOf(a, o.tenant, o.readers[0], o.subject, 'x4')).toBe(2);
      expect(await statementsOf(a, o.tenant, o.readers[0], o.subject, 'x5')).toBe(1);
      expect(await logRows.countUpTo({ tenantId: o.tenant }, 100)).toBe(5);
      expect(await a.verifyChain(o.tenant)).toBeNull();
    });

    it('a read that rolls back after its row leaves nothing, and the next row links to the last one kept', async () => {
      const o = await organisation(1);
      const a = replica();
      await view(a, o.tenant, o.readers[0], o.subject, 'kept');
      await expect(
        m.db.transaction(async (tx: EntityManager) => {
          await a.record(tx, testActor(o.readers[0], o.tenant, ['coach']), {
            subjectId: o.subject,
            tenantId: o.tenant,
            objectType: 'answer',
            objectId: 'rolled-back',
            action: 'view',
          });
          throw new Error('the read failed after its row');
        }),
      ).rejects.toThrow(/failed after its row/);
      await view(a, o.tenant, o.readers[0], o.subject, 'after');
      expect((await logRows.page({ tenantId: o.tenant }, 10, 0)).map((r) => r['object_id'])).toEqual(['after', 'kept']);
      expect(await a.verifyChain(o.tenant)).toBeNull();
    });
  });

  it('refuses a row written outside the read’s transaction', async () => {
    const o = await organisation(1);
    await expect(
      log.record(m.db.manager, testActor(o.readers[0], o.tenant, ['coach']), {
        subjectId: o.subject,
        tenantId: o.tenant,
        objectType: 'answer',
        objectId: 'x',
        action: 'view',
      }),
    ).rejects.toThrow(/transaction of the read/);
  });

  it('finds the row that was changed behind the application’s back', async () => {
    const o = await organisation(2);
    for (let i = 0; i < 4; i++) await read(o.tenant, o.readers[i % 2], o.subject, `t${i}`);
    const [{ id }] = await m.db.query(`SELECT id FROM privacy_log WHERE tenant_id = $1 AND object_id = 't2'`, [
      o.tenant,
    ]);
    // the application's role may not change the log: the schema's owner does it, as an intruder would
    const owner = new Client({ connectionString: m.database.ownerUrl });
    await owner.connect();
    try {
      await owner.query(`ALTER TABLE privacy_log DISABLE TRIGGER USER`);
      await owner.query(`UPDATE privacy_log SET action = 'list' WHERE id = $1`, [id]);
      await owner.query(`ALTER TABLE privacy_log ENABLE TRIGGER USER`);
    } finally {
      await owner.end();
    }
    expect(await log.verifyChain(o.tenant)).toBe(String(id));
  });
});
