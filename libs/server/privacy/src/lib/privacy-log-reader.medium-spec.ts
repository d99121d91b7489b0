/**
 * The privacy log as its readers see it (PrivacyLogReader over the access core's rows and accounts'
 * directory) on real PostgreSQL: who looked, at whom, under whose impersonation — by name — page by
 * page and as the CSV's stream, limited to the organisation or person asked for.
 */
import { Clock } from '@rehearse/server/core';
import { openMediumDatabase, type MediumDatabase, type Rows } from '@rehearse/server/database';
import {
  type Actor,
  PrivacyLogRepository,
  type PrivacyLogService,
  testAccessCore,
  testActor,
} from '@rehearse/server/access';
import { ImpersonationsRepository, PeopleDirectoryRepository } from '@rehearse/server/accounts';
import { AnswerRecordingsRepository } from '@rehearse/server/recordings';
import { COUNT_CAP, PrivacyLogReader } from './privacy-log-reader';

describe('the privacy log as its readers see it (medium tier)', () => {
  let m: MediumDatabase;
  let rows: Rows;
  let log: PrivacyLogService;
  let reader: PrivacyLogReader;
  const clock = new Clock();

  beforeAll(async () => {
    m = await openMediumDatabase();
    rows = m.rows;
    log = testAccessCore(m.db, clock).privacy;
    reader = new PrivacyLogReader(
      new PrivacyLogRepository(m.db),
      new PeopleDirectoryRepository(m.db),
      new AnswerRecordingsRepository(m.db),
      new ImpersonationsRepository(m.db),
    );
  });
  afterAll(() => m?.close());

  const look = (actor: Actor, tenantId: string, subjectId: string, objectId: string) =>
    log.readWithLog(actor, async () => ({
      value: objectId,
      log: { subjectId, tenantId, objectType: 'answer', objectId, action: 'view' },
    }));

  it("says why the operator's support acted as the person: the reason of the impersonation a start names", async () => {
    const tenant = await rows.tenant();
    const pim = await rows.user(tenant, { name: 'Pim Participant' });
    const [{ id: sam }] = await m.db.query(
      `INSERT INTO users (tenant_id, email, name, status, is_superuser) VALUES (NULL, $1, 'Sam Support', 'active', true) RETURNING id`,
      [`sam-reason-${tenant}@platform.test`],
    );
    const impersonations = new ImpersonationsRepository(m.db);
    const startedAt = new Date();
    const start = async (reason: string) =>
      impersonations.start(
        { superuserId: sam, targetUserId: pim, tenantId: tenant, reason, startedAt, expiresAt: startedAt },
        m.db,
      );
    const first = await start('Ticket 4711: Pim cannot see his feedback');
    const second = await start('Ticket 4712: the recording will not play');
    const support = { ...testActor(sam, tenant, []), isSuperuser: true };
    await m.db.transaction(async (tm) => {
      for (const id of [first, second])
        await log.record(tm, support, {
          subjectId: pim,
          tenantId: tenant,
          objectType: 'impersonation',
          objectId: id,
          action: 'impersonation_start',
        });
      // a start logged before the rows named the impersonation (they named the account): no reason to give
      await log.record(tm, support, {
        subjectId: pim,
        tenantId: tenant,
        objectType: 'account',
        objectId: pim,
        action: 'impersonation_start',
      });
    });
    // the second's reason erased with the person it named (an erasure keeps the impersonation)
    await m.db.query(`UPDATE impersonations SET reason = NULL WHERE id = $1`, [second]);
    const own = await reader.own({ userId: pim, tenantId: tenant }, 1, 10);
    expect(own.items.map((e) => [e.objectType, e.supportReason]).sort()).toEqual(
      [
        ['account', null],
        ['impersonation', 'Ticket 4711: Pim cannot see his feedback'],
        ['impersonation', null],
      ].sort(),
    );
    const organisation = await reader.list({ tenantId: tenant }, 1, 10);
    expect(organisation.items.find((e) => e.objectId === first)?.supportReason).toBe(
      'Ticket 4711: Pim cannot see his feedback',
    );
  });

  it('names the reader, the person read and the superuser acting as the reader; lists only the organisation asked for', async () => {
    const tenant = await rows.tenant();
    const coach = await rows.user(tenant, { roles: ['coach'], name: 'Cora Coach' });
    const pim = await rows.user(tenant, { name: 'Pim Participant' });
    const [{ id: sam }] = await m.db.query(
      `INSERT INTO users (tenant_id, email, name, status, is_superuser) VALUES (NULL, $1, 'Sam Support', 'active', true) RETURNING id`,
      [`sam-${tenant}@platform.test`],
    );
    const other = await rows.tenant();
    const stranger = await rows.user(other, { roles: ['coach'], name: 'Otto Other' });
    await look(testActor(stranger, other, ['coach']), other, await rows.user(other), 'elsewhere');

    await look(testActor(coach, tenant, ['coach']), tenant, pim, 'first');
    await look({ ...testActor(coach, tenant, ['coach']), impersonatorId: sam }, tenant, pim, 'second');

    const page = await reader.list({ tenantId: tenant }, 1, 10);
    expect(page).toMatchObject({ total: 2, page: 1, pageSize: 10 });
    expect(page.totalIsLowerBound).toBeUndefined();
    // newest first
    expect(page.items).toEqual([
      expect.objectContaining({
        objectId: 'second',
        actorName: 'Cora Coach',
        subjectName: 'Pim Participant',
        impersonatorId: sam,
        impersonatorName: 'Sam Support',
        tenantId: tenant,
      }),
      expect.objectContaining({
        objectId: 'first',
        actorId: coach,
        actorName: 'Cora Coach',
        actorRole: 'coach',
        subjectId: pim,
        subjectName: 'Pim Participant',
        impersonatorId: null,
        impersonatorName: null,
      }),
    ]);
    expect(page.items[0].at).toMatch(/^\d{4}-\d\d-\d\dT/);
    // the second page of one row each
    expect((await reader.list({ tenantId: tenant }, 2, 1)).items.map((e) => e.objectId)).toEqual(['first']);
    // a person's own log: their entries only
    expect((await reader.list({ subjectId: pim }, 1, 10)).items.map((e) => e.objectId)).toEqual(['second', 'first']);
    expect((await reader.list({ subjectId: coach }, 1, 10)).total).toBe(0);
  });

  it('streams every entry oldest first in batches, each batch named', async () => {
    const tenant = await rows.tenant();
    const coach = await rows.user(tenant, { roles: ['coach'], name: 'Cas Coach' });
    const people = [];
    for (let i = 0; i < 5; i++) people.push(await rows.user(tenant, { name: `Trainee ${i}` }));
    for (const [i, p] of people.entries()) await look(testActor(coach, tenant, ['coach']), tenant, p, `o${i}`);

    const seen = [];
    for await (const batch of reader.batches({ tenantId: tenant }, 2)) seen.push(...batch);
    expect(seen.map((e) => [e.objectId, e.actorName, e.subjectName])).toEqual(
      people.map((_, i) => [`o${i}`, 'Cas Coach', `Trainee ${i}`]),
    );
    // a batch that ends exactly at the last row
    const four = [];
    for await (const batch of reader.batches({ tenantId: tenant, subjectId: people[4] }, 1))
      four.push(...batch.map((e) => e.objectId));
    expect(four).toEqual(['o4']);
    // the same a batch at a time (the CSV export writes each at once), no empty batch at the end
    const sizes = [];
    for await (const batch of reader.batches({ tenantId: tenant }, 2)) sizes.push(batch.map((e) => e.objectId));
    expect(sizes).toEqual([['o0', 'o1'], ['o2', 'o3'], ['o4']]);
    const last = [];
    for await (const batch of reader.batches({ tenantId: tenant, subjectId: people[4] }, 1)) last.push(batch.length);
    expect(last).toEqual([1]);
  });

  it("a person's own log of one answer: the rows about it and its recording, nobody else's, no other answer's", async () => {
    const tenant = await rows.tenant();
    const coach = await rows.user(tenant, { roles: ['coach'], name: 'Cora Coach' });
    const pim = await rows.user(tenant, { name: 'Pim Participant' });
    const quinn = await rows.user(tenant, { name: 'Quinn Participant' });
    const course = await rows.course(tenant);
    const answer = await rows.answer(tenant, pim, course);
    const recording = await rows.recording(tenant, answer);
    const another = await rows.answer(tenant, pim, course, { exercise: 1 });
    const quinns = await rows.answer(tenant, quinn, course);
    const read = (subjectId: string, objectType: string, objectId: string, action: string) =>
      log.readWithLog(testActor(coach, tenant, ['coach']), async () => ({
        value: null,
        log: { subjectId, tenantId: tenant, objectType, objectId, action },
      }));
    await read(pim, 'answer', answer, 'list');
    await read(pim, 'recording', recording, 'play');
    await read(pim, 'transcript', recording, 'view');
    await read(pim, 'answer', another, 'list');
    await read(quinn, 'answer', quinns, 'list');
    await read(pim, 'user_profile', pim, 'view');

    const own = (userId: string, answerId?: string) => reader.own({ userId, tenantId: tenant }, 1, 10, answerId);
    const seen = await own(pim, answer);
    expect(seen.total).toBe(3);
    expect(seen.items.map((e) => [e.objectType, e.action, e.actorName])).toEqual([
      ['transcript', 'view', 'Cora Coach'],
      ['recording', 'play', 'Cora Coach'],
      ['answer', 'list', 'Cora Coach'],
    ]);
    // an answer without a recording: its own rows
    expect((await own(pim, another)).items.map((e) => e.objectId)).toEqual([another]);
    // another person's answer named: the rows are still the reader's own, and none are about it
    expect((await own(pim, quinns)).total).toBe(0);
    expect((await own(quinn, answer)).total).toBe(0);
    // without an answer: the whole of the person's own log
    expect((await own(pim)).total).toBe(5);
  });

  it('a period: its rows only (from inclusive, before exclusive), by their time (not the order they were appended in), paged and streamed', async () => {
    const tenant = await rows.tenant();
    const coach = await rows.user(tenant, { roles: ['coach'], name: 'Tim Timely' });
    const pim = await rows.user(tenant, { name: 'Pim Participant' });
    const actor = testActor(coach, tenant, ['coach']);
    const DAY = 86_400_000;
    try {
      // 40, 30, 20 and 10 days ago; then a row appended last but stamped 25 days ago (a replica
      // whose clock was behind): by id it is the newest, by time the third
      clock.advance(-40 * DAY);
      await look(actor, tenant, pim, 'd40');
      for (const name of ['d30', 'd20', 'd10']) {
        clock.advance(10 * DAY);
        await look(actor, tenant, pim, name);
      }
      clock.advance(-15 * DAY);
      // two rows of one read share their moment: the stream's keyset is (at, id), not at alone
      await log.readWithLog(actor, async () => ({
        value: null,
        log: ['d25a', 'd25b'].map((objectId) => ({
          subjectId: pim,
          tenantId: tenant,
          objectType: 'answer',
          objectId,
          action: 'view',
        })),
      }));
    } finally {
      clock.reset();
    }
    const all = (await reader.list({ tenantId: tenant }, 1, 10)).items;
    expect(all.map((e) => e.objectId)).toEqual(['d25b', 'd25a', 'd10', 'd20', 'd30', 'd40']);
    const at = (objectId: string) => new Date(all.find((e) => e.objectId === objectId)?.at ?? NaN);

    // from d30's moment (in) to d10's (out)
    const period = { tenantId: tenant, from: at('d30'), before: at('d10') };
    const page = await reader.list(period, 1, 10);
    expect(page.total).toBe(4);
    expect(page.items.map((e) => e.objectId)).toEqual(['d20', 'd25b', 'd25a', 'd30']);
    expect((await reader.list(period, 2, 3)).items.map((e) => e.objectId)).toEqual(['d30']);
    // one end only
    expect((await reader.list({ tenantId: tenant, from: at('d20') }, 1, 10)).items.map((e) => e.objectId)).toEqual([
      'd10',
      'd20',
    ]);
    expect((await reader.list({ tenantId: tenant, before: at('d30') }, 1, 10)).items.map((e) => e.objectId)).toEqual([
      'd40',
    ]);
    // with a person, and with whoever looked
    expect((await reader.list({ ...period, subjectId: pim }, 1, 10)).total).toBe(4);
    expect((await reader.list({ ...period, actorId: coach }, 1, 10)).total).toBe(4);
    expect((await reader.list({ ...period, subjectId: coach }, 1, 10)).total).toBe(0);

    // the CSV's stream: oldest first by time, one row per batch, none lost at a shared moment
    for (const filter of [period, { ...period, subjectId: pim }, { ...period, actorId: coach }]) {
      const streamed = [];
      for await (const batch of reader.batches(filter, 1)) streamed.push(...batch.map((e) => e.objectId));
      expect(streamed).toEqual(['d30', 'd25a', 'd25b', 'd20']);
    }
    const two = [];
    for await (const batch of reader.batches(period, 2)) two.push(batch.map((e) => e.objectId));
    expect(two).toEqual([
      ['d30', 'd25a'],
      ['d25b', 'd20'],
    ]);
    // a period with nothing in it
    const empty = { tenantId: tenant, from: new Date(at('d40').getTime() - 5 * DAY), before: at('d40') };
    expect((await reader.list(empty, 1, 10)).total).toBe(0);
    const none = [];
    for await (const batch of reader.batches(empty, 2)) none.push(batch);
    expect(none).toEqual([]);
  });

  it("the operator's support staff: a superuser's looks as someone of the organisation and as themselves, nobody else's", async () => {
    const tenant = await rows.tenant();
    const coach = await rows.user(tenant, { roles: ['coach'], name: 'Cora Coach' });
    const pim = await rows.user(tenant, { name: 'Pim Participant' });
    const [{ id: sam }] = await m.db.query(
      `INSERT INTO users (tenant_id, email, name, status, is_superuser) VALUES (NULL, $1, 'Sam Support', 'active', true) RETURNING id`,
      [`sam-support-${tenant}@platform.test`],
    );
    await look(testActor(coach, tenant, ['coach']), tenant, pim, 'coach-alone');
    await look({ ...testActor(coach, tenant, ['coach']), impersonatorId: sam }, tenant, pim, 'sam-as-coach');
    await look(testActor(sam, null, [], true), tenant, pim, 'sam-himself');
    await look(testActor(coach, tenant, ['coach']), tenant, pim, 'coach-again');

    const support = await reader.list({ tenantId: tenant, support: true }, 1, 10);
    expect(support.total).toBe(2);
    expect(support.items.map((e) => [e.objectId, e.actorRole, e.impersonatorName])).toEqual([
      ['sam-himself', 'superuser', null],
      ['sam-as-coach', 'superuser-as-coach', 'Sam Support'],
    ]);
    // with the other filters: a person's data, a period, the CSV's stream
    expect((await reader.list({ tenantId: tenant, support: true, subjectId: pim }, 1, 10)).total).toBe(2);
    expect((await reader.list({ tenantId: tenant, support: true, subjectId: coach }, 1, 10)).total).toBe(0);
    const since = new Date(support.items[1].at);
    expect((await reader.list({ tenantId: tenant, support: true, from: since }, 1, 10)).total).toBe(2);
    const streamed = [];
    for await (const batch of reader.batches({ tenantId: tenant, support: true }, 1))
      streamed.push(...batch.map((e) => e.objectId));
    expect(streamed).toEqual(['sam-as-coach', 'sam-himself']);
    // without it, everyone's
    expect((await reader.list({ tenantId: tenant }, 1, 10)).total).toBe(4);
  });

  it('pages reach as far as the newest COUNT_CAP entries: a page past them is refused, not walked to', async () => {
    const tenant = await rows.tenant();
    const last = COUNT_CAP / 25;
    expect(await reader.list({ tenantId: tenant }, last, 25)).toMatchObject({ items: [], page: last });
    await expect(reader.list({ tenantId: tenant }, last + 1, 25)).rejects.toMatchObject({
      status: 400,
      code: 'validation_failed',
      fieldErrors: [{ field: 'page', messages: [expect.stringMatching(/choose a period, export the log as CSV/)] }],
    });
    await expect(reader.list({ tenantId: tenant }, 2, 10_000)).rejects.toMatchObject({ status: 400 });
  });
});
