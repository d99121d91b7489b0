/**
 * A trainee's courses (LearningService with its real queries) on real PostgreSQL — the medium tier:
 * which enrolments open a course to whom, and a coach's view of one participant.
 */
import { testAccessCore, testActor } from '@rehearse/server/access';
import { PeopleDirectoryRepository } from '@rehearse/server/accounts';
import { Clock } from '@rehearse/server/core';
import { openMediumDatabase, type MediumDatabase, type Rows } from '@rehearse/server/database';
import { GroupsRepository } from './groups.repository';
import { LearningRepository } from './learning.repository';
import { CoachedLearningService } from './coached-learning.service';
import { LearningService } from './learning.service';
import type { AnswerFeedback, AnswerRecordings } from './ports';

/**
 * What recordings and feedback answer courses (an answer's recording, the feedback on answers),
 * which these tests do not ask: their medium tests are recordings' and feedback's, the HTTP tier
 * composes them. Any call fails the test.
 */
const notAsked = <T extends object>(port: string): T =>
  new Proxy({} as T, {
    get: (_target, method) => () => {
      throw new Error(`${port}.${String(method)} was not expected in these tests`);
    },
  });

describe('a trainee’s courses (medium tier: LearningService on real PostgreSQL)', () => {
  let m: MediumDatabase;
  let rows: Rows;
  let learning: LearningService;
  let coached: CoachedLearningService;

  beforeAll(async () => {
    m = await openMediumDatabase();
    rows = m.rows;
    const clock = new Clock();
    const { access, privacy } = testAccessCore(m.db, clock);
    const people = new PeopleDirectoryRepository(m.db);
    learning = new LearningService(
      m.db,
      access,
      privacy,
      clock,
      new LearningRepository(m.db),
      people,
      notAsked<AnswerRecordings>('AnswerRecordings'),
      notAsked<AnswerFeedback>('AnswerFeedback'),
    );
    coached = new CoachedLearningService(
      access,
      privacy,
      new LearningRepository(m.db),
      new GroupsRepository(m.db),
      people,
    );
  });
  afterAll(() => m?.close());

  const status = (p: Promise<unknown>) =>
    p.then(
      () => 200,
      (e: { status?: number }) => e.status ?? e,
    );

  it('lists the courses enrolled directly or through a group, due soonest first, and not the archived or unrelated ones', async () => {
    const tenant = await rows.tenant();
    const me = await rows.user(tenant);
    const group = await rows.group(tenant);
    await rows.member(tenant, group, me);
    const viaGroup = await rows.course(tenant, { title: 'B via the group' });
    const direct = await rows.course(tenant, { title: 'A of my own' });
    const archived = await rows.course(tenant, { title: 'C archived', archived: true });
    const unrelated = await rows.course(tenant, { title: 'D for others' });
    await rows.enrolment(tenant, viaGroup.id, { groupId: group, dueOn: '2026-12-10' });
    await rows.enrolment(tenant, direct.id, { userId: me, dueOn: '2027-01-10' });
    await rows.enrolment(tenant, archived.id, { groupId: group });
    await rows.enrolment(tenant, unrelated.id, { groupId: await rows.group(tenant) });

    const mine = await learning.myCourses(testActor(me, tenant, ['participant']));
    expect(mine.map((c) => [c.id, c.dueOn])).toEqual([
      [viaGroup.id, '2026-12-10'],
      [direct.id, '2027-01-10'],
    ]);
    const actor = testActor(me, tenant, ['participant']);
    expect(await status(learning.myCourse(actor, direct.id))).toBe(200);
    expect(await status(learning.myCourse(actor, unrelated.id))).toBe(404);
    expect(await status(learning.myCourse(actor, archived.id))).toBe(404);
  });

  it('counts the exercises answered per module', async () => {
    const tenant = await rows.tenant();
    const me = await rows.user(tenant);
    const course = await rows.course(tenant, { exercises: 3 });
    await rows.enrolment(tenant, course.id, { userId: me });
    await rows.answer(tenant, me, course, { exercise: 1 });
    await rows.answer(tenant, me, course, { exercise: 1, attempt: 2 });
    const detail = await learning.myCourse(testActor(me, tenant, ['participant']), course.id);
    expect(detail.modules.map((mo) => [mo.answered, mo.total])).toEqual([[1, 3]]);
    expect(detail.modules[0].exercises.map((e) => e.answered)).toEqual([false, true, false]);
  });

  it('a coach sees the progress of a participant of their group, and of nobody outside it', async () => {
    const tenant = await rows.tenant();
    const coach = await rows.user(tenant, { roles: ['coach'] });
    const group = await rows.group(tenant);
    const other = await rows.group(tenant);
    const mine = await rows.user(tenant);
    const notMine = await rows.user(tenant);
    await rows.member(tenant, group, coach, 'coach');
    await rows.member(tenant, group, mine);
    await rows.member(tenant, other, notMine);
    const actor = testActor(coach, tenant, ['coach']);
    expect(await status(coached.participantProgress(actor, group, mine))).toBe(200);
    expect(await status(coached.participantProgress(actor, group, notMine))).toBe(404);
    expect(await status(coached.participantProgress(actor, other, notMine))).toBe(404);
  });
});
