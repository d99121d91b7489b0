/**
 * GroupsRepository on real PostgreSQL (the medium tier): members replaced exactly, counts, and no
 * statement reaching another organisation's group or enrolment.
 */
import { openMediumDatabase, type MediumDatabase, type Rows } from '@rehearse/server/database';
import { GroupsRepository } from './groups.repository';

describe('GroupsRepository (medium tier)', () => {
  let m: MediumDatabase;
  let rows: Rows;
  let groups: GroupsRepository;

  beforeAll(async () => {
    m = await openMediumDatabase();
    rows = m.rows;
    groups = new GroupsRepository(m.db);
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
    expect(await groups.enrolments(a, course.id)).toEqual([
      expect.objectContaining({ id, course_title: 'Calm calls', group_name: 'Team South', due_on: '2026-12-31' }),
    ]);
    expect(await groups.enrolments(b)).toEqual([]);
    expect(await groups.unenrol(b, id)).toBe(false);
    expect(await groups.unenrol(a, id)).toBe(true);
  });
});
