/**
 * The access core's checks 3 and 4 for answers and their recordings (AccessService.require and
 * filter over AccessRepository): who may do what to someone's answer, and the licence that hides
 * it — on real PostgreSQL with rows made for each case (the medium tier: no HTTP, no API).
 */
import type { ObjectPermission, TenantRole } from '@rehearse/shared/contracts';
import { Clock } from '@rehearse/server/core';
import { openMediumDatabase, type CourseRow, type MediumDatabase, type Rows } from '@rehearse/server/database';
import { testAccessCore, testActor } from '../testing/test-actor';
import { AccessService } from './access.service';

const TODAY = '2026-11-30';

describe('who may do what to an answer (medium tier: the access core on real PostgreSQL)', () => {
  let m: MediumDatabase;
  let rows: Rows;
  let access: AccessService;
  const clock = new Clock();

  beforeAll(async () => {
    m = await openMediumDatabase();
    rows = m.rows;
    access = testAccessCore(m.db, clock).access;
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

  /** The clock on a given day (the licence check compares with today). */
  const on = (day: string) => {
    clock.reset();
    clock.advance(Date.parse(`${day}T12:00:00Z`) - clock.now().getTime());
  };

  /** The relations by which the actor may read the answer's feedback (404 when none). */
  const opens = async (
    tenant: string,
    who: string,
    roles: TenantRole[],
    answer: string,
    day = TODAY,
    permission: ObjectPermission = 'answer.review',
  ) => {
    on(day);
    try {
      const granted = await access.require(testActor(who, tenant, roles), permission, answer);
      return {
        owner: granted.includes('owner'),
        coach: granted.includes('coach'),
        admin: granted.includes('administrator'),
        peer: granted.includes('peer'),
      };
    } catch (e) {
      return (e as { status?: number }).status ?? e;
    } finally {
      clock.reset();
    }
  };

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
    expect(await opens(s.tenant, admin, ['administrator'], s.answer, TODAY, 'answer.feedback')).toMatchObject({
      admin: true,
    });
    // an administrator reads feedback; reviewing is for the owner, coaches and peers
    expect(await opens(s.tenant, admin, ['administrator'], s.answer, TODAY, 'answer.review')).toBe(404);
    const elsewhere = await rows.tenant();
    const otherAdmin = await rows.user(elsewhere, { roles: ['administrator'] });
    expect(await opens(elsewhere, otherAdmin, ['administrator'], s.answer, TODAY, 'answer.feedback')).toBe(404);
  });

  it('an expired licence hides the answer from everyone, its owner included, from the day it ends', async () => {
    const s = await situation();
    const admin = await rows.user(s.tenant, { roles: ['administrator'] });
    await rows.licence(s.tenant, s.owner, '2026-12-01');
    expect(await opens(s.tenant, s.owner, ['participant'], s.answer)).toMatchObject({ owner: true });
    expect(await opens(s.tenant, s.owner, ['participant'], s.answer, '2026-12-01')).toBe(404);
    expect(await opens(s.tenant, admin, ['administrator'], s.answer, '2026-12-01', 'answer.feedback')).toBe(404);
  });

  it('each object permission allows only its relations: a peer may review and play, not read the feedback or share', async () => {
    const s = await situation();
    const peer = await rows.user(s.tenant);
    await rows.member(s.tenant, s.group, peer);
    await rows.share(s.tenant, s.answer, s.group);
    const recording = await rows.recording(s.tenant, s.answer);
    const peerActor = testActor(peer, s.tenant, ['participant']);
    expect(await access.require(peerActor, 'answer.review', s.answer)).toEqual(['peer']);
    expect(await access.require(peerActor, 'recording.read', recording)).toEqual(['peer']);
    await expect(access.require(peerActor, 'answer.feedback', s.answer)).rejects.toMatchObject({ status: 404 });
    await expect(access.require(peerActor, 'answer.share', s.answer)).rejects.toMatchObject({ status: 404 });
    const owner = testActor(s.owner, s.tenant, ['participant']);
    expect(await access.require(owner, 'answer.share', s.answer)).toEqual(['owner']);
    // a recording's id is not an answer's: the permission's object decides which id it takes
    await expect(access.require(owner, 'answer.share', recording)).rejects.toMatchObject({ status: 404 });
  });

  it('an export is read by its subject and the organisation’s administrators; the organisation’s by administrators only', async () => {
    const tenant = await rows.tenant();
    const subject = await rows.user(tenant);
    const other = await rows.user(tenant);
    const admin = await rows.user(tenant, { roles: ['administrator'] });
    const own = await rows.dataExport(tenant, subject);
    const whole = await rows.dataExport(tenant, null);
    const as = (who: string, roles: TenantRole[]) => testActor(who, tenant, roles);
    expect(await access.require(as(subject, ['participant']), 'export.read', own)).toEqual(['subject']);
    expect(await access.require(as(admin, ['administrator']), 'export.read', own)).toEqual(['administrator']);
    expect(await access.require(as(admin, ['administrator']), 'export.read', whole)).toEqual(['administrator']);
    await expect(access.require(as(other, ['participant']), 'export.read', own)).rejects.toMatchObject({ status: 404 });
    await expect(access.require(as(subject, ['participant']), 'export.read', whole)).rejects.toMatchObject({
      status: 404,
    });
    // another organisation's administrator: not found
    const elsewhere = await rows.tenant();
    const otherAdmin = await rows.user(elsewhere, { roles: ['administrator'] });
    await expect(
      access.require(testActor(otherAdmin, elsewhere, ['administrator']), 'export.read', own),
    ).rejects.toMatchObject({ status: 404 });
  });

  it('a person’s data is exported by themself and by their organisation’s administrators, no one else', async () => {
    const tenant = await rows.tenant();
    const person = await rows.user(tenant);
    const other = await rows.user(tenant);
    const coach = await rows.user(tenant, { roles: ['coach'] });
    const admin = await rows.user(tenant, { roles: ['administrator'] });
    const gone = await rows.user(tenant, { status: 'deactivated' });
    const as = (who: string, roles: TenantRole[]) => testActor(who, tenant, roles);
    expect(await access.require(as(person, ['participant']), 'person.export', person)).toEqual(['self']);
    expect(await access.require(as(admin, ['administrator']), 'person.export', person)).toEqual(['administrator']);
    expect(await access.require(as(admin, ['administrator']), 'person.export', admin)).toEqual([
      'self',
      'administrator',
    ]);
    // a deactivated person's data is still theirs, and their administrators' to export
    expect(await access.require(as(admin, ['administrator']), 'person.export', gone)).toEqual(['administrator']);
    for (const [who, roles] of [
      [other, ['participant']],
      [coach, ['coach']],
    ] as const)
      await expect(access.require(as(who, [...roles]), 'person.export', person)).rejects.toMatchObject({
        status: 404,
        message: 'User not found',
      });
    // no one by that id in the organisation, another organisation's person, or its administrator
    await expect(
      access.require(as(admin, ['administrator']), 'person.export', '00000000-0000-4000-8000-000000000000'),
    ).rejects.toMatchObject({ status: 404 });
    const elsewhere = await rows.tenant();
    const stranger = await rows.user(elsewhere);
    const otherAdmin = await rows.user(elsewhere, { roles: ['administrator'] });
    await expect(access.require(as(admin, ['administrator']), 'person.export', stranger)).rejects.toMatchObject({
      status: 404,
    });
    await expect(
      access.require(testActor(otherAdmin, elsewhere, ['administrator']), 'person.export', person),
    ).rejects.toMatchObject({ status: 404 });
  });

  it('filter keeps the objects the actor may use among many, and ignores what is not an id', async () => {
    const s = await situation();
    const other = await situation();
    const coach = await rows.user(s.tenant, { roles: ['coach'] });
    await rows.member(s.tenant, s.group, coach, 'coach');
    const second = await rows.answer(s.tenant, s.owner, s.course, { exercise: 1 });
    const allowed = await access.filter(testActor(coach, s.tenant, ['coach']), 'answer.feedback', [
      s.answer,
      second,
      other.answer,
      'not-an-id',
      "'; DROP TABLE answers; --",
    ]);
    expect([...allowed.keys()].sort()).toEqual([s.answer, second].sort());
    expect(allowed.get(s.answer)).toEqual(['coach']);
  });

  it("a list's scope: the list permission's relations that the actor's roles grant, and 404 outside any organisation", async () => {
    on(TODAY);
    const tenant = await rows.tenant();
    const person = await rows.user(tenant);
    const scope = (roles: TenantRole[], list: Parameters<AccessService['listScope']>[1]) =>
      [...access.listScope(testActor(person, tenant, roles), list).relations].sort();
    // transcript search: one's own always; the coached with the coach's role; all with the administrator's
    expect(scope(['participant'], 'recordings.search')).toEqual(['owner']);
    expect(scope(['coach'], 'recordings.search')).toEqual(['coach', 'owner']);
    expect(scope(['administrator'], 'recordings.search')).toEqual(['administrator', 'owner']);
    // the review queue is a coach's only; reports are a coach's or an administrator's
    expect(scope(['participant', 'content_developer'], 'answers.awaiting-review')).toEqual([]);
    expect(scope(['coach', 'administrator'], 'answers.awaiting-review')).toEqual(['coach']);
    expect(scope(['coach', 'administrator'], 'answers.report')).toEqual(['administrator', 'coach']);
    expect(access.listScope(testActor(person, tenant, ['coach']), 'answers.report')).toMatchObject({
      tenantId: tenant,
      userId: person,
      today: TODAY,
    });
    expect(() => access.listScope(testActor(person, null, [], true), 'recordings.search')).toThrow(
      'Transcript not found',
    );
  });

  it("a group's coaches, and nobody else, may look at it as its coach (group.coach)", async () => {
    on(TODAY);
    const s = await situation();
    const coach = await rows.user(s.tenant, { roles: ['coach'] });
    await rows.member(s.tenant, s.group, coach, 'coach');
    const otherCoach = await rows.user(s.tenant, { roles: ['coach'] });
    const admin = await rows.user(s.tenant, { roles: ['administrator'] });
    const elsewhere = await rows.tenant();
    const asks = async (who: string, roles: TenantRole[], tenant = s.tenant) => [
      ...(await access.filter(testActor(who, tenant, roles), 'group.coach', [s.group])).values(),
    ];
    expect(await asks(coach, ['coach'])).toEqual([['coach']]);
    // coaching another group, administering the organisation, taking part, or another organisation: nothing
    expect(await asks(otherCoach, ['coach'])).toEqual([]);
    expect(await asks(admin, ['administrator'])).toEqual([]);
    expect(await asks(s.owner, ['participant'])).toEqual([]);
    expect(await asks(coach, ['coach'], elsewhere)).toEqual([]);
    // the coach's membership without the coach's role grants nothing either
    expect(await asks(coach, ['participant'])).toEqual([]);
    await expect(access.require(testActor(otherCoach, s.tenant, ['coach']), 'group.coach', s.group)).rejects.toThrow(
      'Group not found',
    );
  });
});
