import { Client, Harness, PASSWORD, seedTwoTenants, startHarness } from '../../test/harness';
import { publishedCourse } from '../../test/courses';

/**
 * Inside one tenant: group X (participant px, coach cx) takes course X; group Y (participant py,
 * coach cy) takes course Y. Nobody sees the other group's courses, progress or members.
 */
describe('groups and enrolments inside a tenant', () => {
  let h: Harness;
  let world: Awaited<ReturnType<typeof seedTwoTenants>>;
  const c = {} as Record<'px' | 'py' | 'cx' | 'cy' | 'admin' | 'dev', Client>;
  const ids = {} as Record<
    'px' | 'py' | 'cx' | 'cy' | 'groupX' | 'groupY' | 'courseX' | 'courseY' | 'exerciseX' | 'exerciseY',
    string
  >;

  beforeAll(async () => {
    h = await startHarness();
    world = await seedTwoTenants(h);
    const t = world.a.tenantId;
    ids.px = world.a.ids.participant;
    ids.py = world.a.ids.participant2;
    ids.cx = world.a.ids.coach;
    ids.cy = await h.createUser(t, 'Coach Y', 'coach-y@a.test', ['coach']);
    c.admin = await h.signIn(world.a.emails.admin);
    c.dev = await h.signIn(world.a.emails.developer);
    c.px = await h.signIn(world.a.emails.participant);
    c.py = await h.signIn(world.a.emails.participant2);
    c.cx = await h.signIn(world.a.emails.coach);
    c.cy = await h.signIn('coach-y@a.test', PASSWORD);
    const x = await publishedCourse(c.dev);
    const y = await publishedCourse(c.dev);
    ids.courseX = x.id;
    ids.courseY = y.id;
    ids.exerciseX = x.exercise;
    ids.exerciseY = y.exercise;
    for (const [name, participant, coach, course] of [
      ['X', ids.px, ids.cx, ids.courseX],
      ['Y', ids.py, ids.cy, ids.courseY],
    ] as const) {
      const g = await c.admin.post('/api/admin/groups', { name: `Group ${name}`, description: `Team ${name}` });
      expect(g.status).toBe(201);
      const members = await c.admin.put(`/api/admin/groups/${g.body.id}/members`, {
        participants: [participant],
        coaches: [coach],
      });
      expect(members.status).toBe(200);
      expect(
        (
          await c.admin.post('/api/admin/enrolments', {
            courseId: course,
            groupId: g.body.id,
            coachId: coach,
            startsOn: '2026-11-01',
            dueOn: '2026-12-15',
          })
        ).status,
      ).toBe(201);
      ids[`group${name}` as 'groupX'] = g.body.id;
    }
  });
  afterAll(() => h.close());

  type Actor = 'px' | 'py' | 'cx' | 'cy';
  const table: [string, (i: typeof ids) => string, Partial<Record<Actor, number>>][] = [
    ['course X', (i) => `/api/my/courses/${i.courseX}`, { px: 200, py: 404 }],
    ['course Y', (i) => `/api/my/courses/${i.courseY}`, { px: 404, py: 200 }],
    ['answers of course X', (i) => `/api/my/courses/${i.courseX}/answers`, { px: 200, py: 404 }],
    ['group X', (i) => `/api/coaching/groups/${i.groupX}`, { cx: 200, cy: 404, px: 403, py: 403 }],
    ['group Y', (i) => `/api/coaching/groups/${i.groupY}`, { cx: 404, cy: 200, px: 403, py: 403 }],
    [
      'progress of px in group X',
      (i) => `/api/coaching/groups/${i.groupX}/participants/${i.px}/progress`,
      { cx: 200, cy: 404, px: 403 },
    ],
    [
      'progress of py in group Y',
      (i) => `/api/coaching/groups/${i.groupY}/participants/${i.py}/progress`,
      { cx: 404, cy: 200, py: 403 },
    ],
    [
      'progress of py through group X',
      (i) => `/api/coaching/groups/${i.groupX}/participants/${i.py}/progress`,
      { cx: 404, cy: 404 },
    ],
    ['group X in the administration', (i) => `/api/admin/groups/${i.groupX}`, { cx: 403, px: 403 }],
    ['members of group X', (i) => `/api/coaching/groups/${i.groupX}/members`, { cx: 200, cy: 404, px: 403 }],
    ['members of group Y', (i) => `/api/coaching/groups/${i.groupY}/members`, { cx: 404, cy: 200, py: 403 }],
    ['members of group X in the administration', (i) => `/api/admin/groups/${i.groupX}/members`, { cx: 403 }],
    ['courses of group X', (i) => `/api/coaching/groups/${i.groupX}/courses`, { cx: 200, cy: 404, px: 403 }],
    ['course Y through group X', (i) => `/api/coaching/groups/${i.groupX}/courses/${i.courseY}`, { cx: 404, cy: 404 }],
    ['course Y through group Y', (i) => `/api/coaching/groups/${i.groupY}/courses/${i.courseY}`, { cx: 404, cy: 200 }],
  ];

  describe.each(table)('%s', (_label, path, expected) => {
    it.each(Object.entries(expected) as [Actor, number][])('as %s → %i', async (actor, status) => {
      expect((await c[actor].get(path(ids))).status).toBe(status);
    });
  });

  it('lists only what belongs to you', async () => {
    expect((await c.px.get('/api/my/courses')).body.map((x: { id: string }) => x.id)).toEqual([ids.courseX]);
    expect((await c.py.get('/api/my/courses')).body.map((x: { id: string }) => x.id)).toEqual([ids.courseY]);
    expect((await c.cx.get('/api/coaching/groups')).body.items.map((g: { name: string }) => g.name)).toEqual([
      'Group X',
    ]);
    expect((await c.cy.get('/api/coaching/groups')).body.items.map((g: { name: string }) => g.name)).toEqual([
      'Group Y',
    ]);
    const mine = (await c.px.get('/api/my/courses')).body[0];
    // what px has answered so far (another test of this file answers an exercise)
    const [{ answered }] = await h.db.query(
      `SELECT count(DISTINCT exercise_id)::int AS answered FROM answers WHERE user_id = $1 AND course_id = $2`,
      [ids.px, ids.courseX],
    );
    expect(mine).toMatchObject({
      title: 'Service basics',
      exercisesTotal: 1,
      exercisesAnswered: answered,
      startsOn: '2026-11-01',
      dueOn: '2026-12-15',
    });
  });

  it("a coach opening a participant's progress writes one privacy-log row", async () => {
    await c.px.post(`/api/my/courses/${ids.courseX}/exercises/${ids.exerciseX}/text-answers`, { text: 'Hello' });
    const before = await h.db.query(
      `SELECT count(*)::int AS n FROM privacy_log WHERE subject_id = $1 AND object_type = 'course_progress'`,
      [ids.px],
    );
    const progress = await c.cx.get(`/api/coaching/groups/${ids.groupX}/participants/${ids.px}/progress`);
    expect(progress.body).toMatchObject({
      userId: ids.px,
      courses: [expect.objectContaining({ id: ids.courseX, exercisesAnswered: 1 })],
    });
    const after = await h.db.query(
      `SELECT count(*)::int AS n, max(actor_id::text) AS actor FROM privacy_log WHERE subject_id = $1 AND object_type = 'course_progress'`,
      [ids.px],
    );
    expect(after[0].n).toBe(before[0].n + 1);
    expect(after[0].actor).toBe(ids.cx);
  });

  it('a removed coach loses the group on the next request', async () => {
    expect((await c.cx.get(`/api/coaching/groups/${ids.groupX}`)).status).toBe(200);
    await c.admin.put(`/api/admin/groups/${ids.groupX}/members`, { participants: [ids.px], coaches: [] });
    expect((await c.cx.get(`/api/coaching/groups/${ids.groupX}`)).status).toBe(404);
    await c.admin.put(`/api/admin/groups/${ids.groupX}/members`, { participants: [ids.px], coaches: [ids.cx] });
  });

  it('refuses members who are not of the tenant or lack the role', async () => {
    const res = await c.admin.put(`/api/admin/groups/${ids.groupX}/members`, {
      participants: [ids.cx, world.b.ids.participant],
      coaches: [ids.px],
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toHaveLength(3);
    const members = await c.admin.get(`/api/admin/groups/${ids.groupX}/members`);
    expect(members.body.items.map((m: { userId: string }) => m.userId).sort()).toEqual([ids.px, ids.cx].sort());
  });

  it('shows people by name: a group’s members coaches first, then by name; enrolments by course, then group or person; a participant’s progress and who published a course', async () => {
    const t = world.a.tenantId;
    const [ann, bob] = [
      await h.createUser(t, 'ann Early', 'ann@a.test', ['participant']),
      await h.createUser(t, 'Bob Later', 'bob@a.test', ['participant']),
    ];
    const g = await c.admin.post('/api/admin/groups', { name: 'Group Names', description: '' });
    const put = await c.admin.put(`/api/admin/groups/${g.body.id}/members`, {
      participants: [bob, ann],
      coaches: [ids.cy],
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ participantCount: 2, coachCount: 1 });
    const members = await c.admin.get(`/api/admin/groups/${g.body.id}/members`);
    expect(
      members.body.items.map((m: { name: string; email: string; role: string }) => [m.role, m.name, m.email]),
    ).toEqual([
      ['coach', 'Coach Y', 'coach-y@a.test'],
      ['participant', 'ann Early', 'ann@a.test'],
      ['participant', 'Bob Later', 'bob@a.test'],
    ]);
    // a person enrolled on their own, with their own coach, beside the groups
    const personal = await c.admin.post('/api/admin/enrolments', {
      courseId: ids.courseX,
      userId: bob,
      coachId: ids.cx,
    });
    expect(personal.status).toBe(201);
    expect(personal.body).toMatchObject({ userName: 'Bob Later', coachName: 'Coach a', groupName: null });
    const listed = (await c.admin.get(`/api/admin/enrolments?courseId=${ids.courseX}`)).body as {
      groupName: string | null;
      userName: string | null;
      coachName: string | null;
    }[];
    expect(listed.map((e) => [e.groupName ?? e.userName, e.coachName])).toEqual([
      ['Bob Later', 'Coach a'],
      ['Group X', 'Coach a'],
    ]);
    // a group's page and a person's page ask for theirs only; filters combine
    const names = async (query: string) =>
      (
        (await c.admin.get(`/api/admin/enrolments?${query}`)).body as {
          groupName: string | null;
          userName: string | null;
        }[]
      ).map((e) => e.groupName ?? e.userName);
    expect(await names(`userId=${bob}`)).toEqual(['Bob Later']);
    expect(await names(`groupId=${ids.groupX}`)).toEqual(['Group X']);
    expect(await names(`groupId=${ids.groupX}&courseId=${ids.courseY}`)).toEqual([]);
    expect(await names(`userId=${ann}`)).toEqual([]);
    expect((await c.admin.get('/api/admin/enrolments?groupId=not-a-group')).status).toBe(400);
    const progress = await c.cy.get(`/api/coaching/groups/${g.body.id}/participants/${ann}/progress`);
    expect(progress.body).toMatchObject({ userId: ann, name: 'ann Early' });
    const course = await c.dev.get(`/api/authoring/courses/${ids.courseX}`);
    expect(course.body.versions.find((v: { state: string }) => v.state === 'published')).toMatchObject({
      publishedByName: 'Developer a',
    });
    await c.admin.delete(`/api/admin/enrolments/${personal.body.id}`);
    await c.admin.delete(`/api/admin/groups/${g.body.id}`);
  });

  it('pages a large group’s members by name, finds them by name or address, and logs only the people shown', async () => {
    const t = world.a.tenantId;
    const g = await c.admin.post('/api/admin/groups', { name: 'Group Large', description: '' });
    const people: string[] = [];
    for (let i = 0; i < 30; i++)
      people.push(await h.createUser(t, `Member ${String(i).padStart(2, '0')}`, `member${i}@a.test`, ['participant']));
    // added in two changes, a few at a time; an addition already there changes nothing
    const first = await c.admin.patch(`/api/admin/groups/${g.body.id}/members`, {
      addParticipants: people.slice(0, 20),
      addCoaches: [ids.cy],
    });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ id: g.body.id, participantCount: 20, coachCount: 1 });
    const second = await c.admin.patch(`/api/admin/groups/${g.body.id}/members`, {
      addParticipants: people.slice(15),
    });
    expect(second.body).toMatchObject({ participantCount: 30, coachCount: 1 });
    expect((await c.admin.get(`/api/admin/groups/${g.body.id}`)).body).toEqual({
      id: g.body.id,
      name: 'Group Large',
      description: '',
      participantCount: 30,
      coachCount: 1,
    });

    const logged = async () =>
      (
        await h.db.query(
          `SELECT count(*)::int AS n FROM privacy_log WHERE object_type = 'group_member' AND object_id = $1`,
          [g.body.id],
        )
      )[0].n as number;
    const before = await logged();
    const page = async (query: string, who: Client = c.admin, base = '/api/admin/groups') => {
      const res = await who.get(`${base}/${g.body.id}/members?${query}`);
      expect(res.status).toBe(200);
      return res.body as { items: { name: string; role: string }[]; total: number; page: number; pageSize: number };
    };
    // coaches first, then by name; 25 to a page
    const p1 = await page('');
    expect(p1.total).toBe(31);
    expect(p1.items).toHaveLength(25);
    expect(p1.items[0]).toMatchObject({ name: 'Coach Y', role: 'coach' });
    expect(p1.items.slice(1, 3).map((m) => m.name)).toEqual(['Member 00', 'Member 01']);
    expect(await logged()).toBe(before + 25);
    const p2 = await page('page=2');
    expect(p2.items.map((m) => m.name)).toEqual([
      'Member 24',
      'Member 25',
      'Member 26',
      'Member 27',
      'Member 28',
      'Member 29',
    ]);
    expect(await logged()).toBe(before + 31);
    // past the end: nothing on the page, the total still right
    expect(await page('page=9')).toMatchObject({ items: [], total: 31 });
    // one role; a name or an address (LIKE's wildcards are plain text)
    expect((await page('role=coach')).items.map((m) => m.name)).toEqual(['Coach Y']);
    expect((await page('role=participant&pageSize=2')).total).toBe(30);
    expect((await page('q=member 1')).items.map((m) => m.name)).toEqual(
      Array.from({ length: 10 }, (_, i) => `Member 1${i}`),
    );
    expect((await page('q=MEMBER7@')).items.map((m) => m.name)).toEqual(['Member 07']);
    expect(await page('q=%25')).toMatchObject({ items: [], total: 0 });
    // the coach of the group sees the same list; a coach of another group does not
    expect((await page('role=participant&pageSize=1', c.cy, '/api/coaching/groups')).total).toBe(30);
    expect((await c.cx.get(`/api/coaching/groups/${g.body.id}/members`)).status).toBe(404);
    // bad queries are a 400
    for (const bad of ['role=admin', 'page=0', 'pageSize=101', `q=${'x'.repeat(201)}`])
      expect((await c.admin.get(`/api/admin/groups/${g.body.id}/members?${bad}`)).status).toBe(400);
    // another organisation's group is not found
    const otherAdmin = await h.signIn(world.b.emails.admin);
    const other = await otherAdmin.post('/api/admin/groups', { name: 'Group of B', description: '' });
    expect(other.status).toBe(201);
    expect((await c.admin.get(`/api/admin/groups/${other.body.id}/members`)).status).toBe(404);
    expect(
      (await c.admin.patch(`/api/admin/groups/${other.body.id}/members`, { addParticipants: [ids.px] })).status,
    ).toBe(404);
    expect((await c.admin.get(`/api/admin/groups/${crypto.randomUUID()}/members`)).status).toBe(404);

    // removing: only those named; adding someone who cannot join changes nothing at all
    const removed = await c.admin.patch(`/api/admin/groups/${g.body.id}/members`, {
      removeParticipants: people.slice(0, 10),
      removeCoaches: [ids.cy],
    });
    expect(removed.body).toMatchObject({ participantCount: 20, coachCount: 0 });
    const refused = await c.admin.patch(`/api/admin/groups/${g.body.id}/members`, {
      addParticipants: [people[0], world.b.ids.participant],
      removeParticipants: people.slice(10, 12),
      addCoaches: [ids.px],
    });
    expect(refused.status).toBe(400);
    expect(refused.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'addCoaches',
      'addParticipants',
    ]);
    expect((await page('role=participant')).total).toBe(20);
    const both = await c.admin.patch(`/api/admin/groups/${g.body.id}/members`, {
      addParticipants: [people[0]],
      removeParticipants: [people[0]],
    });
    expect(both.status).toBe(400);
    for (const bad of [{ addParticipants: ['not-an-id'] }, { removeCoaches: 'x' }, { addCoaches: [ids.cy, ids.cy] }])
      expect((await c.admin.patch(`/api/admin/groups/${g.body.id}/members`, bad)).status).toBe(400);
    expect((await c.cx.patch(`/api/admin/groups/${g.body.id}/members`, { addCoaches: [ids.cx] })).status).toBe(403);
    expect((await page('role=participant')).total).toBe(20);
    await c.admin.delete(`/api/admin/groups/${g.body.id}`);
  });

  it('an archived course disappears from the trainee, and comes back when unarchived', async () => {
    await c.dev.put(`/api/authoring/courses/${ids.courseY}/archived`, { archived: true });
    expect((await c.py.get(`/api/my/courses/${ids.courseY}`)).status).toBe(404);
    await c.dev.put(`/api/authoring/courses/${ids.courseY}/archived`, { archived: false });
    expect((await c.py.get(`/api/my/courses/${ids.courseY}`)).status).toBe(200);
  });
});
