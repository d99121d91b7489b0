/**
 * The coach's queue (CoachQueueService with its real queries and the real privacy log) on real
 * PostgreSQL — the medium tier: rows made per case, a clock set by the test, no HTTP.
 */
import { PeopleDirectoryRepository } from '@rehearse/server/accounts';
import { type PrivacyLogService, testAccessCore, testActor } from '@rehearse/server/access';
import { Clock } from '@rehearse/server/core';
import { openMediumDatabase, type MediumDatabase, type Rows } from '@rehearse/server/database';
import { CoachQueueRepository } from './coach-queue.repository';
import { CoachQueueService } from './coach-queue.service';

describe('the coach’s queue (medium tier: the service, its queries and the privacy log)', () => {
  let m: MediumDatabase;
  let rows: Rows;
  let queue: CoachQueueService;
  let privacy: PrivacyLogService;
  const clock = new Clock();

  beforeAll(async () => {
    m = await openMediumDatabase();
    rows = m.rows;
    const core = testAccessCore(m.db, clock);
    privacy = core.privacy;
    queue = new CoachQueueService(
      core.access,
      privacy,
      clock,
      new CoachQueueRepository(m.db, new PeopleDirectoryRepository(m.db)),
    );
  });
  afterAll(() => m?.close());

  /** A coach of one group of three participants, each with an answer; one participant elsewhere. */
  async function coachWithGroup() {
    const tenant = await rows.tenant();
    const coach = await rows.user(tenant, { roles: ['coach'] });
    const group = await rows.group(tenant);
    await rows.member(tenant, group, coach, 'coach');
    const course = await rows.course(tenant);
    await rows.enrolment(tenant, course.id, { groupId: group });
    const people: string[] = [];
    const answers: string[] = [];
    for (let i = 0; i < 3; i++) {
      const p = await rows.user(tenant);
      await rows.member(tenant, group, p);
      people.push(p);
      // oldest first: answer 0 was submitted three days ago, answer 2 one day ago
      answers.push(await rows.answer(tenant, p, course, { submittedAt: new Date(Date.now() - (3 - i) * 86_400_000) }));
    }
    const outsider = await rows.user(tenant);
    const otherGroup = await rows.group(tenant);
    await rows.member(tenant, otherGroup, outsider);
    await rows.enrolment(tenant, course.id, { groupId: otherGroup });
    await rows.answer(tenant, outsider, course);
    return { tenant, coach, group, course, people, answers };
  }

  it("lists the coach's participants' answers oldest first, nobody else's, and logs each one listed", async () => {
    const s = await coachWithGroup();
    const page = await queue.queue(testActor(s.coach, s.tenant, ['coach']), 1, 20);
    expect(page.total).toBe(3);
    expect(page.items.map((i) => i.answerId)).toEqual(s.answers);
    const logged: { subject_id: string; object_id: string; action: string }[] = await m.db.query(
      `SELECT subject_id, object_id, action FROM privacy_log WHERE tenant_id = $1 AND actor_id = $2 ORDER BY object_id`,
      [s.tenant, s.coach],
    );
    expect(logged).toEqual(
      s.answers
        .map((a, i) => ({ subject_id: s.people[i], object_id: a, action: 'list' }))
        .sort((x, y) => x.object_id.localeCompare(y.object_id)),
    );
    expect(await privacy.verifyChain(s.tenant)).toBeNull();
  });

  it("one course's answers when asked: the others' wait, uncounted and unlogged", async () => {
    const s = await coachWithGroup();
    const other = await rows.course(s.tenant, { title: 'Second course' });
    await rows.enrolment(s.tenant, other.id, { groupId: s.group });
    const second = await rows.answer(s.tenant, s.people[1], other);
    const actor = testActor(s.coach, s.tenant, ['coach']);
    const only = await queue.queue(actor, 1, 20, other.id);
    expect(only.total).toBe(1);
    expect(only.items.map((i) => [i.answerId, i.courseTitle])).toEqual([[second, 'Second course']]);
    const first = await queue.queue(actor, 1, 20, s.course.id);
    expect(first.items.map((i) => i.answerId)).toEqual(s.answers);
    expect((await queue.queue(actor, 1, 20)).total).toBe(4);
    // a course the coach does not coach (or none at all): nothing
    expect((await queue.queue(actor, 1, 20, (await rows.course(s.tenant)).id)).total).toBe(0);
    const logged: { object_id: string }[] = await m.db.query(
      `SELECT object_id FROM privacy_log WHERE tenant_id = $1 AND actor_id = $2 AND object_id = $3`,
      [s.tenant, s.coach, second],
    );
    // listed twice (the course alone, then all of them): logged for those listings only
    expect(logged.length).toBe(2);
  });

  it('counts what waits in each course the coach coaches, by title, and logs nothing (counts name nobody)', async () => {
    const s = await coachWithGroup();
    const other = await rows.course(s.tenant, { title: 'Second course' });
    await rows.enrolment(s.tenant, other.id, { groupId: s.group });
    await rows.answer(s.tenant, s.people[1], other);
    const actor = testActor(s.coach, s.tenant, ['coach']);
    const title = (await queue.queue(actor, 1, 1)).items[0].courseTitle;
    const logRows = async () =>
      (
        (await m.db.query(`SELECT count(*)::int AS n FROM privacy_log WHERE tenant_id = $1`, [s.tenant])) as {
          n: number;
        }[]
      )[0].n;
    const before = await logRows();
    expect(await queue.queueCourses(actor)).toEqual([
      { courseId: s.course.id, courseTitle: title, waiting: 3 },
      { courseId: other.id, courseTitle: 'Second course', waiting: 1 },
    ]);
    // what the queue leaves out, the counts leave out: a published review, an expired licence
    await rows.review(s.tenant, s.answers[0], s.coach);
    await rows.licence(s.tenant, s.people[2], clock.today());
    expect(await queue.queueCourses(actor)).toEqual([
      { courseId: s.course.id, courseTitle: title, waiting: 1 },
      { courseId: other.id, courseTitle: 'Second course', waiting: 1 },
    ]);
    // someone who coaches nobody: no courses
    expect(await queue.queueCourses(testActor(s.people[0], s.tenant, ['participant', 'coach']))).toEqual([]);
    expect(await logRows()).toBe(before);
  });

  it('pages: the second page continues where the first ended', async () => {
    const s = await coachWithGroup();
    const actor = testActor(s.coach, s.tenant, ['coach']);
    const first = await queue.queue(actor, 1, 2);
    const second = await queue.queue(actor, 2, 2);
    expect(first.total).toBe(3);
    expect([...first.items, ...second.items].map((i) => i.answerId)).toEqual(s.answers);
  });

  it('an answer leaves the queue once a coach has published a review of it, and while its owner’s licence has expired', async () => {
    const s = await coachWithGroup();
    const actor = testActor(s.coach, s.tenant, ['coach']);
    await rows.review(s.tenant, s.answers[0], s.coach);
    await rows.licence(s.tenant, s.people[1], clock.today());
    const page = await queue.queue(actor, 1, 20);
    expect(page.items.map((i) => i.answerId)).toEqual([s.answers[2]]);
    // a draft does not take an answer out of the queue
    await rows.review(s.tenant, s.answers[2], s.coach, { state: 'draft' });
    expect((await queue.queue(actor, 1, 20)).total).toBe(1);
  });

  it("a licence ends on the installation's calendar (TIME_ZONE): already over in Kiritimati while UTC's day is the day before", async () => {
    const s = await coachWithGroup();
    const actor = testActor(s.coach, s.tenant, ['coach']);
    const queueAt = (zone: string) => {
      const zoned = new Clock();
      zoned.useTimeZone(zone);
      // 12:00 UTC today: 02:00 tomorrow in Kiritimati (UTC+14)
      const noon = new Date();
      noon.setUTCHours(12, 0, 0, 0);
      zoned.advance(noon.getTime() - Date.now());
      const core = testAccessCore(m.db, zoned);
      const service = new CoachQueueService(
        core.access,
        core.privacy,
        zoned,
        new CoachQueueRepository(m.db, new PeopleDirectoryRepository(m.db)),
      );
      return { service, today: zoned.today() };
    };
    const kiritimati = queueAt('Pacific/Kiritimati');
    const utc = queueAt('UTC');
    expect(kiritimati.today > utc.today).toBe(true);
    // the licence ends "tomorrow" by UTC's calendar, today by the installation's
    await rows.licence(s.tenant, s.people[1], kiritimati.today);
    expect((await utc.service.queue(actor, 1, 20)).total).toBe(3);
    expect((await kiritimati.service.queue(actor, 1, 20)).items.map((i) => i.answerId)).toEqual([
      s.answers[0],
      s.answers[2],
    ]);
  });

  it('an answer waits again when its published coach review is taken back or deleted; a peer’s review never counts', async () => {
    const s = await coachWithGroup();
    const actor = testActor(s.coach, s.tenant, ['coach']);
    const waiting = async () => (await queue.queue(actor, 1, 20)).items.map((i) => i.answerId);
    const peer = s.people[1];
    await rows.review(s.tenant, s.answers[0], peer, { source: 'peer' });
    expect(await waiting()).toEqual(s.answers);
    // a draft published, then put back to a draft: out of the queue, then in again
    const draft = await rows.review(s.tenant, s.answers[0], s.coach, { state: 'draft' });
    await m.db.query(`UPDATE reviews SET state = 'published', published_at = now() WHERE id = $1`, [draft]);
    expect(await waiting()).toEqual(s.answers.slice(1));
    await m.db.query(`UPDATE reviews SET state = 'draft', published_at = NULL WHERE id = $1`, [draft]);
    expect(await waiting()).toEqual(s.answers);
    // two published coach reviews: deleting one leaves it reviewed, deleting both brings it back
    const one = await rows.review(s.tenant, s.answers[1], s.coach);
    const two = await rows.review(s.tenant, s.answers[1], s.people[0]);
    await m.db.query(`DELETE FROM reviews WHERE id = $1`, [one]);
    expect(await waiting()).toEqual([s.answers[0], s.answers[2]]);
    await m.db.query(`DELETE FROM reviews WHERE id = $1`, [two]);
    expect(await waiting()).toEqual(s.answers);
    // what the flag says is what the reviews say, for every answer of the organisation
    const drift: unknown[] = await m.db.query(
      `SELECT a.id FROM answers a WHERE a.tenant_id = $1 AND a.coach_reviewed IS DISTINCT FROM EXISTS
         (SELECT 1 FROM reviews r WHERE r.answer_id = a.id AND r.source = 'coach' AND r.state = 'published')`,
      [s.tenant],
    );
    expect(drift).toEqual([]);
  });

  it('the coach’s home counts what waits and what is overdue, on the clock it is given', async () => {
    const s = await coachWithGroup();
    const actor = testActor(s.coach, s.tenant, ['coach']);
    const now = await queue.coachHome(actor);
    expect(now).toMatchObject({ waiting: 3, overdue: 0 });
    clock.advance(30 * 86_400_000);
    try {
      expect(await queue.coachHome(actor)).toMatchObject({ waiting: 3, overdue: 3 });
    } finally {
      clock.reset();
    }
  });
});
