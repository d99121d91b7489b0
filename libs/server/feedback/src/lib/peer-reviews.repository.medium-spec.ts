/**
 * PeerReviewsRepository on real PostgreSQL (the medium tier): the peer rotation's candidates are
 * the group's active participants in the order they joined, never a deactivated or invited one,
 * a coach of the group or another organisation's group.
 */
import { PeopleDirectoryRepository } from '@rehearse/server/accounts';
import { GroupsRepository, LearningRepository } from '@rehearse/server/courses';
import { openMediumDatabase, type MediumDatabase, type Rows } from '@rehearse/server/database';
import { PeerReviewsRepository } from './peer-reviews.repository';

describe('PeerReviewsRepository (medium tier)', () => {
  let m: MediumDatabase;
  let rows: Rows;
  let peers: PeerReviewsRepository;

  beforeAll(async () => {
    m = await openMediumDatabase();
    rows = m.rows;
    peers = new PeerReviewsRepository(
      m.db,
      new PeopleDirectoryRepository(m.db),
      new GroupsRepository(m.db),
      new LearningRepository(m.db),
    );
  });
  afterAll(() => m?.close());

  it("the rotation's candidates: the group's active participants, in the order they joined", async () => {
    const tenant = await rows.tenant();
    const group = await rows.group(tenant);
    const [first, gone, invited, second] = [
      await rows.user(tenant, { name: 'Zed First' }),
      await rows.user(tenant, { status: 'deactivated' }),
      await rows.user(tenant, { status: 'invited' }),
      await rows.user(tenant, { name: 'Amy Second' }),
    ];
    const coach = await rows.user(tenant, { roles: ['coach'] });
    for (const who of [first, gone, invited, second]) await rows.member(tenant, group, who);
    await rows.member(tenant, group, coach, 'coach');
    expect(await peers.activeParticipants(tenant, group)).toEqual([first, second]);
    expect(await peers.activeParticipants(await rows.tenant(), group)).toEqual([]);
  });

  it('a reviewer’s assignments: to do first, soonest due, each with its answer and owner; a hidden answer left out; how many to do', async () => {
    const tenant = await rows.tenant();
    const reviewer = await rows.user(tenant);
    const [ann, bob, cas] = [
      await rows.user(tenant, { name: 'Ann' }),
      await rows.user(tenant, { name: 'Bob' }),
      await rows.user(tenant, { name: 'Cas' }),
    ];
    const course = await rows.course(tenant);
    const [a, b, c] = [
      await rows.answer(tenant, ann, course),
      await rows.answer(tenant, bob, course, { exercise: 1 }),
      await rows.answer(tenant, cas, course),
    ];
    const review = (answer: string, state: 'draft' | 'published' | 'lapsed', dueInDays: number) =>
      m.db.query(
        `INSERT INTO reviews (tenant_id, answer_id, reviewer_id, source, state, assigned_at, due_at, published_at, updated_at)
         VALUES ($1, $2, $3, 'peer', $4::varchar, now(), now() + make_interval(days => $5), CASE WHEN $4::varchar = 'published' THEN now() END, now())`,
        [tenant, answer, reviewer, state, dueInDays],
      );
    await review(a, 'published', 1);
    await review(b, 'draft', 5);
    await review(c, 'draft', 2);
    // Cas's licence ended: his answer is hidden from everyone but the privacy tools
    await rows.licence(tenant, cas, '2020-01-01');
    const today = new Date().toISOString().slice(0, 10);

    const handed = await peers.assignmentsOf(tenant, reviewer, today);
    expect(handed.map((r) => [r.answer_id, r.name, r.state, r.exercise_id])).toEqual([
      [b, 'Bob', 'draft', course.exerciseIds[1]],
      [a, 'Ann', 'published', course.exerciseIds[0]],
    ]);
    expect(handed[0].content.modules[0].exercises.map((e) => e.id)).toEqual(course.exerciseIds);
    expect(await peers.assignmentsOf(await rows.tenant(), reviewer, today)).toEqual([]);

    // the home page's count: the open ones whose answers are shown (Bob's; not Ann's, done, nor
    // Cas's, hidden), and when the first is due
    const [bobs] = (await m.db.query(`SELECT due_at FROM reviews WHERE answer_id = $1`, [b])) as { due_at: Date }[];
    expect(await peers.toDoOf(tenant, reviewer, today)).toEqual({ toDo: 1, nextDueAt: bobs.due_at.toISOString() });
    const [dan] = [await rows.user(tenant, { name: 'Dan' })];
    await review(await rows.answer(tenant, dan, course), 'lapsed', -1);
    const soon = await rows.answer(tenant, dan, course, { exercise: 1 });
    await m.db.query(
      `INSERT INTO reviews (tenant_id, answer_id, reviewer_id, source, state, assigned_at, due_at, updated_at)
       VALUES ($1, $2, $3, 'peer', 'assigned', now(), now() + interval '1 hour', now())`,
      [tenant, soon, reviewer],
    );
    const [soonest] = (await m.db.query(`SELECT due_at FROM reviews WHERE answer_id = $1`, [soon])) as {
      due_at: Date;
    }[];
    expect(await peers.toDoOf(tenant, reviewer, today)).toEqual({ toDo: 2, nextDueAt: soonest.due_at.toISOString() });
    expect(await peers.toDoOf(await rows.tenant(), reviewer, today)).toEqual({ toDo: 0, nextDueAt: null });
  });

  it('a shared answer as the sweep sees it: its organisation and group, open while the group’s enrolment is', async () => {
    const tenant = await rows.tenant();
    const owner = await rows.user(tenant);
    const group = await rows.group(tenant);
    await rows.member(tenant, group, owner);
    const course = await rows.course(tenant);
    const answer = await rows.answer(tenant, owner, course);
    expect(await peers.sharedAnswer(tenant, answer, '2026-06-01')).toBeUndefined();
    await rows.share(tenant, answer, group);
    // shared, but the group is not enrolled in the course
    expect(await peers.sharedAnswer(tenant, answer, '2026-06-01')).toMatchObject({
      tenant_id: tenant,
      group_id: group,
      user_id: owner,
      exercise_id: course.exerciseIds[0],
      open: false,
    });
    await rows.enrolment(tenant, course.id, { groupId: group });
    expect(await peers.sharedAnswer(tenant, answer, '2026-06-01')).toMatchObject({ open: true });
    await m.db.query(`UPDATE courses SET archived_at = now() WHERE id = $1`, [course.id]);
    expect(await peers.sharedAnswer(tenant, answer, '2026-06-01')).toMatchObject({ open: false });
    // asked in another organisation, the same answer is not there
    expect(await peers.sharedAnswer(await rows.tenant(), answer, '2026-06-01')).toBeUndefined();
  });
});
