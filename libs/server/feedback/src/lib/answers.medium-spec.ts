/**
 * Checks 3 and 4 for an answer (loadAnswer: who may open someone's answer, and the licence that
 * hides it), on real PostgreSQL with rows made for each case — the medium tier: no HTTP, no API.
 */
import type { TenantRole } from '@rehearse/shared/contracts';
import { testActor } from '@rehearse/server/access';
import { openMediumDatabase, type CourseRow, type MediumDatabase, type Rows } from '@rehearse/server/database';
import { loadAnswer } from './answers';

const TODAY = '2026-11-30';

describe('who may open an answer (medium tier: loadAnswer on real PostgreSQL)', () => {
  let m: MediumDatabase;
  let rows: Rows;

  beforeAll(async () => {
    m = await openMediumDatabase();
    rows = m.rows;
  });
  afterAll(() => m?.close());

  /** An organisation with a participant's answer to a course their group takes. */
  async function situation() {
    const tenant = await rows.tenant();
    const owner = await rows.user(tenant, { roles: ['participant'] });
    const group = await rows.group(tenant);
    await rows.member(tenant, group, owner);
    const course = await rows.course(tenant);
    await rows.enrolment(tenant, course.id, { groupId: group, dueOn: '2026-12-31' });
    const answer = await rows.answer(tenant, owner, course);
    return { tenant, owner, group, course, answer };
  }

  const opens = async (tenant: string, who: string, roles: TenantRole[], answer: string, today = TODAY) =>
    loadAnswer(m.db.manager, testActor(who, tenant, roles), tenant, answer, today).then(
      (a) => ({ owner: a.is_owner, coach: a.is_coach, admin: a.is_admin, peer: a.is_peer }),
      (e: { status?: number }) => e.status ?? e,
    );

  it('the owner opens their own answer; another participant of the organisation gets 404', async () => {
    const s = await situation();
    expect(await opens(s.tenant, s.owner, ['participant'], s.answer)).toEqual({
      owner: true,
      coach: false,
      admin: false,
      peer: false,
    });
    const stranger = await rows.user(s.tenant);
    expect(await opens(s.tenant, stranger, ['participant'], s.answer)).toBe(404);
  });

  it('a coach of the group enrolled in the course opens it; a coach of the same person in another course does not', async () => {
    const s = await situation();
    const coach = await rows.user(s.tenant, { roles: ['coach'] });
    await rows.member(s.tenant, s.group, coach, 'coach');
    expect(await opens(s.tenant, coach, ['coach'], s.answer)).toMatchObject({ coach: true });

    // the same participant in a second group, coached by someone else, for another course only
    const other = await rows.group(s.tenant);
    const otherCoach = await rows.user(s.tenant, { roles: ['coach'] });
    await rows.member(s.tenant, other, s.owner);
    await rows.member(s.tenant, other, otherCoach, 'coach');
    const otherCourse: CourseRow = await rows.course(s.tenant);
    await rows.enrolment(s.tenant, otherCourse.id, { groupId: other });
    expect(await opens(s.tenant, otherCoach, ['coach'], s.answer)).toBe(404);
  });

  it("a coach named on the person's own enrolment opens it; without the coach role the relation gives nothing", async () => {
    const tenant = await rows.tenant();
    const owner = await rows.user(tenant);
    const coach = await rows.user(tenant, { roles: ['coach', 'participant'] });
    const course = await rows.course(tenant);
    await rows.enrolment(tenant, course.id, { userId: owner, coachId: coach });
    const answer = await rows.answer(tenant, owner, course);
    expect(await opens(tenant, coach, ['coach'], answer)).toMatchObject({ coach: true });
    expect(await opens(tenant, coach, ['participant'], answer)).toBe(404);
  });

  it('a peer opens an answer shared with their group while the enrolment is open and the course not archived', async () => {
    const s = await situation();
    const peer = await rows.user(s.tenant);
    await rows.member(s.tenant, s.group, peer);
    expect(await opens(s.tenant, peer, ['participant'], s.answer)).toBe(404);
    await rows.share(s.tenant, s.answer, s.group);
    expect(await opens(s.tenant, peer, ['participant'], s.answer)).toMatchObject({ peer: true, owner: false });
    // after the group's due date the sharing no longer opens it
    expect(await opens(s.tenant, peer, ['participant'], s.answer, '2027-01-01')).toBe(404);

    const archived = await rows.course(s.tenant, { archived: true });
    await rows.enrolment(s.tenant, archived.id, { groupId: s.group });
    const old = await rows.answer(s.tenant, s.owner, archived);
    await rows.share(s.tenant, old, s.group);
    expect(await opens(s.tenant, peer, ['participant'], old)).toBe(404);
  });

  it('an administrator opens any answer of their organisation and none of another', async () => {
    const s = await situation();
    const admin = await rows.user(s.tenant, { roles: ['administrator'] });
    expect(await opens(s.tenant, admin, ['administrator'], s.answer)).toMatchObject({ admin: true });
    const elsewhere = await rows.tenant();
    const otherAdmin = await rows.user(elsewhere, { roles: ['administrator'] });
    expect(await opens(elsewhere, otherAdmin, ['administrator'], s.answer)).toBe(404);
  });

  it('an expired licence hides the answer from everyone, its owner included, from the day it ends', async () => {
    const s = await situation();
    const admin = await rows.user(s.tenant, { roles: ['administrator'] });
    await rows.licence(s.tenant, s.owner, '2026-12-01');
    expect(await opens(s.tenant, s.owner, ['participant'], s.answer)).toMatchObject({ owner: true });
    expect(await opens(s.tenant, s.owner, ['participant'], s.answer, '2026-12-01')).toBe(404);
    expect(await opens(s.tenant, admin, ['administrator'], s.answer, '2026-12-01')).toBe(404);
  });
});
