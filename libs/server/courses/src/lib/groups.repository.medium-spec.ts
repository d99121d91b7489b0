/**
 * GroupsRepository on real PostgreSQL (the medium tier): members replaced exactly, counts, and no
 * statement reaching another organisation's group or enrolment.
 */
import { PeopleDirectoryRepository, UserAdministrationRepository } from '@rehearse/server/accounts';
import { openMediumDatabase, type MediumDatabase, type Rows } from '@rehearse/server/database';
import { CoursesRepository } from './courses.repository';
import { GroupsRepository } from './groups.repository';

describe('GroupsRepository (medium tier)', () => {
  let m: MediumDatabase;
  let rows: Rows;
  let groups: GroupsRepository;
  let users: UserAdministrationRepository;

  beforeAll(async () => {
    m = await openMediumDatabase();
    rows = m.rows;
    groups = new GroupsRepository(m.db);
    users = new UserAdministrationRepository(m.db);
  });
  afterAll(() => m?.close());

  it('replaces members exactly, counts them, and leaves another organisation’s group alone', async () => {
    const a = await rows.tenant();
    const b = await rows.tenant();
    const id = await groups.insert(a, 'Team North', '');
    const [p1, p2, coach] = [await rows.user(a), await rows.user(a), await rows.user(a, { roles: ['coach'] })];
    const replace = (tenant: string, members: { userId: string; role: string }[]) =>
      m.db.transaction((t) => groups.replaceMembers(tenant, id, members, t));
    await replace(a, [
      { userId: p1, role: 'participant' },
      { userId: p2, role: 'participant' },
      { userId: coach, role: 'coach' },
    ]);
    expect(await groups.group(a, id)).toMatchObject({ name: 'Team North', participant_count: 2, coach_count: 1 });
    expect((await groups.members(a, id)).find((x) => x.user_id === coach)?.role).toBe('coach');
    await replace(a, [{ userId: p2, role: 'participant' }]);
    expect((await groups.members(a, id)).map((x) => x.user_id)).toEqual([p2]);
    // another organisation's statements change and see nothing here
    await replace(b, []);
    expect(await groups.members(a, id)).toHaveLength(1);
    expect(await groups.members(b, id)).toEqual([]);
    expect(await groups.group(b, id)).toBeUndefined();
    expect(await groups.delete(b, id)).toBe(false);
    expect((await groups.page(a, { pattern: '%north%' }, { limit: 10, offset: 0 })).total).toBe(1);
    expect((await groups.page(a, { coachId: coach }, { limit: 10, offset: 0 })).total).toBe(0);
    expect(await groups.delete(a, id)).toBe(true);
  });

  it('lists groups and courses in the order their readers expect (numbers as numbers, accents beside their letter), whatever the database locale', async () => {
    const a = await rows.tenant();
    for (const name of ['Team 10', 'Zuid', 'team 1', 'Équipe Est', 'Team 2']) await groups.insert(a, name, '');
    const page = await groups.page(a, {}, { limit: 10, offset: 0 });
    expect(page.groups.map((g) => g.name)).toEqual(['Équipe Est', 'team 1', 'Team 2', 'Team 10', 'Zuid']);
    const courses = new CoursesRepository(m.db);
    for (const title of ['Module 10: closing', 'Module 2: listening', 'Öffnung', 'module 1: opening', 'Archived 1'])
      await rows.course(a, { title, archived: title.startsWith('Archived') });
    expect((await courses.page(a, {}, { limit: 10, offset: 0 })).courses.map((c) => c.title)).toEqual([
      'module 1: opening',
      'Module 2: listening',
      'Module 10: closing',
      'Öffnung',
      'Archived 1',
    ]);
  });

  it('adds and removes members by delta (an addition already there changes nothing), and pages them by rank and name through the directory', async () => {
    const a = await rows.tenant();
    const b = await rows.tenant();
    const id = await groups.insert(a, 'Team Delta', '');
    const [zed, ann, bob] = [
      await rows.user(a, { name: 'Zed Last', email: 'zed@a.test' }),
      await rows.user(a, { name: 'ann First', email: 'ann@a.test' }),
      await rows.user(a, { name: 'Bob Both', email: 'bob_50%@a.test', roles: ['participant', 'coach'] }),
    ];
    const change = (tenant: string, add: [string, string][], remove: [string, string][]) =>
      m.db.transaction((t) =>
        groups.changeMembers(
          tenant,
          id,
          {
            add: add.map(([userId, role]) => ({ userId, role })),
            remove: remove.map(([userId, role]) => ({ userId, role })),
          },
          t,
        ),
      );
    await change(
      a,
      [
        [zed, 'participant'],
        [ann, 'participant'],
        [bob, 'participant'],
        [bob, 'coach'],
      ],
      [],
    );
    await change(a, [[ann, 'participant']], []);
    expect(await groups.group(a, id)).toMatchObject({ participant_count: 3, coach_count: 1 });
    // another organisation's change touches nothing here
    await change(b, [], [[zed, 'participant']]);
    expect(await groups.members(a, id, undefined, 'participant')).toHaveLength(3);

    const people = new PeopleDirectoryRepository(m.db);
    const members = await groups.members(a, id);
    const page = (pattern: string | undefined, limit: number, offset = 0, tenant = a) =>
      people.page(
        tenant,
        { ids: members.map((x) => x.user_id), ranks: members.map((x) => (x.role === 'coach' ? 0 : 1)) },
        pattern,
        { limit, offset },
      );
    // coaches first, then by name whatever its case; the same person once per rank
    const all = await page(undefined, 10);
    expect(all.total).toBe(4);
    expect(all.rows.map((r) => [r.rank, r.name])).toEqual([
      [0, 'Bob Both'],
      [1, 'ann First'],
      [1, 'Bob Both'],
      [1, 'Zed Last'],
    ]);
    expect((await page(undefined, 2, 2)).rows.map((r) => r.name)).toEqual(['Bob Both', 'Zed Last']);
    // past the last page: nothing, and still the total
    expect(await page(undefined, 2, 10)).toEqual({ total: 4, rows: [] });
    // a name or an address; LIKE's wildcards escaped by the caller are plain text
    expect((await page('%zed%', 10)).rows.map((r) => r.name)).toEqual(['Zed Last']);
    expect((await page('%\\_50\\%%', 10)).rows.map((r) => r.rank)).toEqual([0, 1]);
    expect((await page('%\\_5x%', 10)).total).toBe(0);
    // another organisation's directory names none of them
    expect(await page(undefined, 10, 0, b)).toEqual({ total: 0, rows: [] });

    await change(
      a,
      [],
      [
        [bob, 'coach'],
        [zed, 'participant'],
      ],
    );
    expect(await groups.group(a, id)).toMatchObject({ participant_count: 2, coach_count: 0 });
    expect((await groups.members(a, id)).map((x) => x.user_id).sort()).toEqual([ann, bob].sort());
  });

  it('enrols a group in a course, lists it with its course and group, and ends it only within the organisation', async () => {
    const a = await rows.tenant();
    const b = await rows.tenant();
    const course = await rows.course(a, { title: 'Calm calls' });
    const group = await groups.insert(a, 'Team South', '');
    const id = await groups.enrol(a, {
      courseId: course.id,
      groupId: group,
      userId: null,
      coachId: null,
      startsOn: '2026-12-01',
      dueOn: '2026-12-31',
    });
    const listed = [
      expect.objectContaining({ id, course_title: 'Calm calls', group_name: 'Team South', due_on: '2026-12-31' }),
    ];
    expect(await groups.enrolments(a, { courseId: course.id })).toEqual(listed);
    // a person enrolled alone in the same course, and another group's enrolment in another course
    const person = await rows.user(a);
    const own = await groups.enrol(a, {
      courseId: course.id,
      groupId: null,
      userId: person,
      coachId: null,
      startsOn: null,
      dueOn: null,
    });
    const other = await rows.course(a);
    await groups.enrol(a, {
      courseId: other.id,
      groupId: await groups.insert(a, 'Team North', ''),
      userId: null,
      coachId: null,
      startsOn: null,
      dueOn: null,
    });
    expect(await groups.enrolments(a, { groupId: group })).toEqual(listed);
    expect((await groups.enrolments(a, { userId: person })).map((e) => e.id)).toEqual([own]);
    expect((await groups.enrolments(a, { courseId: course.id })).map((e) => e.id).sort()).toEqual([id, own].sort());
    expect(await groups.enrolments(a, { id })).toEqual(listed);
    expect(await groups.enrolments(a, { courseId: other.id, groupId: group })).toEqual([]);
    expect(await groups.enrolments(a)).toHaveLength(3);
    expect(await groups.enrolments(b)).toEqual([]);
    expect(await groups.enrolments(b, { groupId: group })).toEqual([]);
    expect(await groups.unenrol(b, id)).toBe(false);
    expect(await groups.unenrol(a, id)).toBe(true);
  });

  it("answers accounts' group participation: the administrator's home lists participants in no group (not the grouped, the deactivated, coaches or another organisation's)", async () => {
    const a = await rows.tenant();
    const b = await rows.tenant();
    const alone = await rows.user(a, { name: 'Alone' });
    const grouped = await rows.user(a);
    const coached = await rows.user(a, { name: 'Also alone' });
    await rows.user(a, { status: 'deactivated' });
    await rows.user(a, { roles: ['coach'] });
    const group = await rows.group(a);
    await rows.member(a, group, grouped);
    // a coach of a group is not a participant in it; another organisation's groups do not count here
    const coach = await rows.user(a, { roles: ['coach', 'participant'], name: 'Coach too' });
    await rows.member(a, group, coach, 'coach');
    await rows.member(b, await rows.group(b), coached);
    const page = (limit: number) => users.participantsWithoutGroup(a, limit, m.db);
    expect(await page(5)).toEqual([
      { id: alone, name: 'Alone', total: 3 },
      { id: coached, name: 'Also alone', total: 3 },
      { id: coach, name: 'Coach too', total: 3 },
    ]);
    expect(await page(1)).toEqual([{ id: alone, name: 'Alone', total: 3 }]);
  });

  it('keeps each participant’s in_group flag with the groups: joining, leaving, a changed role, a deleted group, a membership made late', async () => {
    const a = await rows.tenant();
    const ids = async () => (await users.participantsWithoutGroup(a, 100, m.db)).map((r) => r.id).sort();
    // every flag agrees with the groups (the page reads the flag alone)
    const agrees = async () => {
      const wrong = await m.db.query(
        `SELECT m.user_id FROM memberships m WHERE m.tenant_id = $1 AND m.role = 'participant'
            AND m.in_group IS DISTINCT FROM EXISTS (SELECT 1 FROM group_members g
                  WHERE g.user_id = m.user_id AND g.tenant_id = m.tenant_id AND g.role = 'participant')`,
        [a],
      );
      expect(wrong).toEqual([]);
    };
    const [p1, p2] = [await rows.user(a), await rows.user(a)];
    const [north, south] = [await rows.group(a, 'North'), await rows.group(a, 'South')];
    expect(await ids()).toEqual([p1, p2].sort());
    // in two groups, then out of one: still in a group
    await rows.member(a, north, p1);
    await rows.member(a, south, p1);
    await m.db.query(`DELETE FROM group_members WHERE group_id = $1 AND user_id = $2`, [north, p1]);
    expect(await ids()).toEqual([p2]);
    // one statement for several people (the group page's replacement of members)
    await m.db.transaction((t) =>
      groups.replaceMembers(
        a,
        north,
        [
          { userId: p1, role: 'participant' },
          { userId: p2, role: 'participant' },
        ],
        t,
      ),
    );
    expect(await ids()).toEqual([]);
    // a participant made the group's coach instead is in no group as a participant
    await m.db.query(`UPDATE group_members SET role = 'coach' WHERE group_id = $1 AND user_id = $2`, [north, p2]);
    expect(await ids()).toEqual([p2]);
    // a deleted group takes its members with it
    await m.db.query(`DELETE FROM groups WHERE id = $1`, [south]);
    expect(await ids()).toEqual([p2]);
    await m.db.query(`DELETE FROM groups WHERE id = $1`, [north]);
    expect(await ids()).toEqual([p1, p2].sort());
    // someone in a group before they were a participant: counted in a group from the start
    const late = await rows.user(a, { roles: ['coach'] });
    const east = await rows.group(a, 'East');
    await rows.member(a, east, late);
    await m.db.query(`INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1, $2, 'participant')`, [a, late]);
    expect(await ids()).toEqual([p1, p2].sort());
    await agrees();
  });

  it("a report's groups: all or one for an administrator, a coach's own, those enrolled in a course; counted participants", async () => {
    const a = await rows.tenant();
    const b = await rows.tenant();
    const [north, south] = [await rows.group(a, 'North'), await rows.group(a, 'South')];
    const elsewhere = await rows.group(b, 'Elsewhere');
    const coach = await rows.user(a, { roles: ['coach'] });
    await rows.member(a, south, coach, 'coach');
    const [p1, p2] = [await rows.user(a), await rows.user(a)];
    await rows.member(a, north, p1);
    await rows.member(a, south, p1);
    await rows.member(a, south, p2);
    const course = await rows.course(a);
    await rows.enrolment(a, course.id, { groupId: north });
    const q = { groupId: null, courseId: null, admin: true, personId: coach };
    expect(await groups.inView(a, q)).toEqual([
      { id: north, name: 'North' },
      { id: south, name: 'South' },
    ]);
    expect(await groups.inView(a, { ...q, admin: false })).toEqual([{ id: south, name: 'South' }]);
    expect(await groups.inView(a, { ...q, courseId: course.id })).toEqual([{ id: north, name: 'North' }]);
    expect(await groups.inView(a, { ...q, groupId: south })).toEqual([{ id: south, name: 'South' }]);
    expect(await groups.inView(a, { ...q, groupId: elsewhere })).toEqual([]);
    expect(await groups.reportable(a, south, false, coach)).toBe(true);
    expect(await groups.reportable(a, north, false, coach)).toBe(false);
    expect(await groups.reportable(a, north, true, coach)).toBe(true);
    expect(await groups.reportable(a, elsewhere, true, coach)).toBe(false);
    // p1 is in both groups: one person
    expect(await groups.participantCount(a, [north, south])).toBe(2);
    expect(await groups.participantCount(a, [north])).toBe(1);
    expect(await groups.participantCount(b, [north, south])).toBe(0);
  });
});
