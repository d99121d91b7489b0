import type { AccountActivityEntry } from '@rehearse/shared/contracts';
import { publishedCourse } from '../../test/courses';
import { Client, Harness, seedTwoTenants, startHarness } from '../../test/harness';

const DIRECTORY = '9188040d-6c67-4c5b-b112-36a304b66dad';

/**
 * The organisation's account activity: every change administrators (or the operator's support
 * acting as one) make to people's accounts and to the organisation's settings, recorded with the
 * change, read by administrators a page at a time, each person shown logged in the privacy log.
 */
describe('account activity', () => {
  let h: Harness;
  let world: Awaited<ReturnType<typeof seedTwoTenants>>;
  const c = {} as Record<'admin' | 'adminB' | 'participant' | 'participant2' | 'coach', Client>;

  const activity = async (client: Client, query = '') => {
    const res = await client.get(`/api/admin/activity${query}`);
    expect(res.status).toBe(200);
    return res.body as { items: AccountActivityEntry[]; total: number };
  };
  const brief = (e: AccountActivityEntry) => ({ action: e.action, subject: e.subjectName, details: e.details });

  beforeAll(async () => {
    h = await startHarness();
    world = await seedTwoTenants(h);
    c.admin = await h.signIn(world.a.emails.admin);
    c.adminB = await h.signIn(world.b.emails.admin);
    c.participant = await h.signIn(world.a.emails.participant);
    c.coach = await h.signIn(world.a.emails.coach);
    c.participant2 = await h.signIn(world.a.emails.participant2);
  });

  afterAll(async () => {
    await h?.close();
  });

  it("records each change to a person's account once, with who made it and what it was; a change that changes nothing is not recorded", async () => {
    const invited = await c.admin.post('/api/admin/users', {
      email: 'ivy@a.test',
      name: 'Ivy Invited',
      roles: ['participant'],
      licence: { startsOn: '2026-01-01', expiresOn: '2026-12-31' },
    });
    expect(invited.status).toBe(201);
    const ivy = invited.body.id as string;
    for (const roles of [
      ['coach', 'participant'],
      ['participant', 'coach'],
    ])
      expect((await c.admin.put(`/api/admin/users/${ivy}/roles`, { roles })).status).toBe(200);
    for (let i = 0; i < 2; i++)
      expect(
        (await c.admin.put(`/api/admin/users/${ivy}/licence`, { startsOn: '2026-01-01', expiresOn: '2027-06-30' }))
          .status,
      ).toBe(200);
    expect((await c.admin.post(`/api/admin/users/${ivy}/invitation`)).status).toBe(204);
    for (const step of ['deactivate', 'deactivate', 'reactivate', 'reactivate'])
      expect((await c.admin.post(`/api/admin/users/${ivy}/${step}`)).status).toBe(200);

    const { items, total } = await activity(c.admin, `?subjectId=${ivy}`);
    expect(total).toBe(6);
    // newest first
    expect(items.map(brief).reverse()).toEqual([
      {
        action: 'user.invited',
        subject: 'Ivy Invited',
        details: { roles: ['participant'], licence: { startsOn: '2026-01-01', expiresOn: '2026-12-31' } },
      },
      {
        action: 'user.roles_changed',
        subject: 'Ivy Invited',
        details: { previousRoles: ['participant'], roles: ['participant', 'coach'] },
      },
      {
        action: 'user.licence_changed',
        subject: 'Ivy Invited',
        details: {
          previousLicence: { startsOn: '2026-01-01', expiresOn: '2026-12-31' },
          licence: { startsOn: '2026-01-01', expiresOn: '2027-06-30' },
        },
      },
      { action: 'user.invitation_sent', subject: 'Ivy Invited', details: {} },
      { action: 'user.deactivated', subject: 'Ivy Invited', details: {} },
      { action: 'user.reactivated', subject: 'Ivy Invited', details: {} },
    ]);
    expect(items[0]).toMatchObject({
      actorId: world.a.ids.admin,
      actorName: 'Admin a',
      actorRole: 'administrator',
      impersonatorId: null,
      impersonatorName: null,
      subjectId: ivy,
    });
    expect(Date.parse(items[0].at)).toBeGreaterThan(Date.parse(items[items.length - 1].at) - 1);

    // one kind of one person's
    const roles = await activity(c.admin, `?subjectId=${ivy}&action=user.roles_changed`);
    expect(roles.items.map((e) => e.action)).toEqual(['user.roles_changed']);
    // a page at a time
    const second = await activity(c.admin, `?subjectId=${ivy}&page=2&pageSize=4`);
    expect(second).toMatchObject({ total: 6, page: 2, pageSize: 4 });
    expect(second.items.map((e) => e.action)).toEqual(['user.roles_changed', 'user.invited']);

    // an import: one row per person
    const imported = await c.admin.post('/api/admin/users/import', {
      csv: 'email,name,role\njo@a.test,Jo Imported,participant\nkim@a.test,Kim Imported,coach;participant\n',
    });
    expect(imported.body).toMatchObject({ created: 2 });
    expect(
      (await activity(c.admin, '?action=user.imported')).items
        .filter((e) => /^(Jo|Kim) Imported$/.test(e.subjectName ?? ''))
        .map(brief),
    ).toEqual([
      { action: 'user.imported', subject: 'Kim Imported', details: { roles: ['participant', 'coach'] } },
      { action: 'user.imported', subject: 'Jo Imported', details: { roles: ['participant'] } },
    ]);
  });

  it('gives several people one licence at once: each change on the account activity, nobody of another organisation, nothing half done', async () => {
    const invite = async (name: string, email: string, licence?: { startsOn: string; expiresOn: string }) => {
      const res = await c.admin.post('/api/admin/users', {
        name,
        email,
        roles: ['participant'],
        ...(licence ? { licence } : {}),
      });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    const una = await invite('Una Renewal', 'una.renewal@a.test', { startsOn: '2026-01-01', expiresOn: '2026-12-31' });
    const ben = await invite('Ben Renewal', 'ben.renewal@a.test');
    const year = { startsOn: '2027-01-01', expiresOn: '2027-12-31' };
    const cas = await invite('Cas Renewal', 'cas.renewal@a.test', year);
    const licenceOf = async (id: string) => (await c.admin.get(`/api/admin/users/${id}`)).body.licence;
    const renew = (client: Client, body: unknown) => client.put('/api/admin/users/licences', body);

    // another organisation's person among them, or one that ends before it starts: nothing changes
    expect((await renew(c.admin, { userIds: [una, world.b.ids.participant], licence: year })).status).toBe(404);
    expect((await renew(c.adminB, { userIds: [una], licence: year })).status).toBe(404);
    expect((await renew(c.participant, { userIds: [una], licence: year })).status).toBe(403);
    const backwards = await renew(c.admin, {
      userIds: [una, ben],
      licence: { startsOn: '2027-12-31', expiresOn: '2027-01-01' },
    });
    expect([backwards.status, backwards.body.errors?.map((e: { field: string }) => e.field)]).toEqual([
      400,
      ['licence.expiresOn'],
    ]);
    for (const body of [
      { userIds: [], licence: year },
      { userIds: [una, una], licence: year },
      { userIds: ['not-an-id'], licence: year },
      { userIds: [una] },
      { userIds: Array.from({ length: 1001 }, () => una), licence: year },
    ])
      expect((await renew(c.admin, body)).status).toBe(400);
    expect(await licenceOf(una)).toEqual({ startsOn: '2026-01-01', expiresOn: '2026-12-31' });
    expect(await licenceOf(ben)).toBeNull();

    // Cas has this licence already: two changed, two changes recorded
    const done = await renew(c.admin, { userIds: [una, ben, cas], licence: year });
    expect([done.status, done.body]).toEqual([200, { changed: 2 }]);
    for (const id of [una, ben, cas]) expect(await licenceOf(id)).toEqual(year);
    const changes = (await activity(c.admin, '?action=user.licence_changed')).items.filter((e) =>
      /Renewal$/.test(e.subjectName ?? ''),
    );
    expect(changes.map(brief).sort((x, y) => (x.subject ?? '').localeCompare(y.subject ?? ''))).toEqual([
      { action: 'user.licence_changed', subject: 'Ben Renewal', details: { previousLicence: null, licence: year } },
      {
        action: 'user.licence_changed',
        subject: 'Una Renewal',
        details: { previousLicence: { startsOn: '2026-01-01', expiresOn: '2026-12-31' }, licence: year },
      },
    ]);
  });

  it("records who joined and left a group, and the organisation's settings changed", async () => {
    const group = await c.admin.post('/api/admin/groups', { name: 'Sales North' });
    expect(group.status).toBe(201);
    const members = `/api/admin/groups/${group.body.id}/members`;
    expect(
      (await c.admin.put(members, { participants: [world.a.ids.participant], coaches: [world.a.ids.coach] })).status,
    ).toBe(200);
    // the same members again: nobody joined or left
    expect(
      (await c.admin.put(members, { participants: [world.a.ids.participant], coaches: [world.a.ids.coach] })).status,
    ).toBe(200);
    expect(
      (
        await c.admin.patch(members, {
          removeParticipants: [world.a.ids.participant],
          addParticipants: [world.a.ids.participant2],
        })
      ).status,
    ).toBe(200);
    const groupWise = (await activity(c.admin)).items.filter((e) => e.details.group?.id === group.body.id).map(brief);
    const about = { id: group.body.id, name: 'Sales North' };
    // while the group is there, the page may link to it
    expect(
      (await activity(c.admin)).items.filter((e) => e.details.group?.id === group.body.id).map((e) => e.groupExists),
    ).toEqual([true, true, true, true]);
    expect(groupWise).toEqual([
      {
        action: 'group.member_added',
        subject: 'Second Participant a',
        details: { group: about, membership: 'participant' },
      },
      {
        action: 'group.member_removed',
        subject: 'Participant a',
        details: { group: about, membership: 'participant' },
      },
      { action: 'group.member_added', subject: 'Coach a', details: { group: about, membership: 'coach' } },
      { action: 'group.member_added', subject: 'Participant a', details: { group: about, membership: 'participant' } },
    ]);

    // the group deleted: its members leave it, each on the record (Participant a left before, by the patch)
    expect((await c.admin.delete(`/api/admin/groups/${group.body.id}`)).status).toBe(204);
    const left = (await activity(c.admin)).items
      .filter((e) => e.details.group?.id === group.body.id && e.action === 'group.member_removed')
      .map((e) => `${e.subjectName} as ${e.details.membership}`)
      .sort();
    expect(left).toEqual(['Coach a as coach', 'Participant a as participant', 'Second Participant a as participant']);
    // named as it was, and no longer there to link to
    const named = (await activity(c.admin)).items.filter((e) => e.details.group?.id === group.body.id);
    expect(named.map((e) => [e.details.group?.name, e.groupExists])).toEqual(
      Array.from({ length: 6 }, () => ['Sales North', false]),
    );
    // (changes that name no group say nothing about one)
    expect((await activity(c.admin, '?action=user.invited')).items.every((e) => !('groupExists' in e))).toBe(true);
    expect((await c.admin.delete(`/api/admin/groups/${group.body.id}`)).status).toBe(404);

    const sso = {
      enabled: false,
      issuer: `https://login.microsoftonline.com/${DIRECTORY}/v2.0`,
      clientId: 'rehearse-client',
      directoryId: DIRECTORY,
      jitParticipants: false,
      trustIdpMfa: false,
    };
    expect((await c.admin.put('/api/admin/sso', sso)).status).toBe(200);
    expect((await c.admin.put('/api/admin/sso', sso)).status).toBe(200);
    expect((await c.admin.put('/api/admin/sso', { ...sso, jitParticipants: true })).status).toBe(200);
    expect((await activity(c.admin, '?action=organisation.sso_changed')).items.map(brief)).toEqual([
      { action: 'organisation.sso_changed', subject: null, details: { settings: ['jitParticipants'] } },
      {
        action: 'organisation.sso_changed',
        subject: null,
        details: { settings: ['issuer', 'clientId', 'directoryId'] },
      },
    ]);
    const retention = (await c.admin.get('/api/admin/retention-settings')).body;
    expect(
      (await c.admin.put('/api/admin/retention-settings', { ...retention, noticeDays: retention.noticeDays + 1 }))
        .status,
    ).toBe(200);
    expect((await activity(c.admin, '?action=organisation.retention_changed')).items.map(brief)).toEqual([
      { action: 'organisation.retention_changed', subject: null, details: { settings: ['noticeDays'] } },
    ]);
  });

  it("records enrolments in courses, a person's and a group's, begun and ended, once each", async () => {
    const developer = await h.signIn(world.a.emails.developer);
    const course = await publishedCourse(developer);
    const group = await c.admin.post('/api/admin/groups', { name: 'Sales West' });
    const person = await c.admin.post('/api/admin/enrolments', {
      courseId: course.id,
      userId: world.a.ids.participant,
    });
    expect(person.status).toBe(201);
    const theirs = await c.admin.post('/api/admin/enrolments', { courseId: course.id, groupId: group.body.id });
    expect(theirs.status).toBe(201);
    // enrolled already: refused, and nothing recorded
    expect(
      (await c.admin.post('/api/admin/enrolments', { courseId: course.id, userId: world.a.ids.participant })).status,
    ).toBe(409);
    for (const id of [person.body.id, theirs.body.id]) {
      expect((await c.admin.delete(`/api/admin/enrolments/${id}`)).status).toBe(204);
      expect((await c.admin.delete(`/api/admin/enrolments/${id}`)).status).toBe(404);
    }
    const about = { id: course.id, title: 'Service basics' };
    const sales = { id: group.body.id, name: 'Sales West' };
    const enrolments = (await activity(c.admin)).items.filter((e) => e.details.course?.id === course.id);
    expect(enrolments.map((e) => ({ ...brief(e), groupExists: e.groupExists })).reverse()).toEqual([
      { action: 'enrolment.added', subject: 'Participant a', details: { course: about }, groupExists: undefined },
      { action: 'enrolment.added', subject: null, details: { course: about, group: sales }, groupExists: true },
      { action: 'enrolment.ended', subject: 'Participant a', details: { course: about }, groupExists: undefined },
      { action: 'enrolment.ended', subject: null, details: { course: about, group: sales }, groupExists: true },
    ]);
    expect(enrolments.every((e) => e.actorName === 'Admin a' && e.actorRole === 'administrator')).toBe(true);
    // the person sees their own enrolment's changes; the group's are nobody's account
    const own = (await c.participant.get('/api/account/activity')).body.items as AccountActivityEntry[];
    expect(own.filter((e) => e.details.course?.id === course.id).map((e) => e.action)).toEqual([
      'enrolment.ended',
      'enrolment.added',
    ]);

    // a group deleted takes its enrolments with it: each recorded as ended, named as it was
    const team = await c.admin.post('/api/admin/groups', { name: 'Sales East' });
    expect((await c.admin.post('/api/admin/enrolments', { courseId: course.id, groupId: team.body.id })).status).toBe(
      201,
    );
    expect((await c.admin.delete(`/api/admin/groups/${team.body.id}`)).status).toBe(204);
    const east = (await activity(c.admin)).items.filter((e) => e.details.group?.id === team.body.id);
    expect(east.map((e) => ({ ...brief(e), groupExists: e.groupExists }))).toEqual([
      {
        action: 'enrolment.ended',
        subject: null,
        details: { course: about, group: { id: team.body.id, name: 'Sales East' } },
        groupExists: false,
      },
      {
        action: 'enrolment.added',
        subject: null,
        details: { course: about, group: { id: team.body.id, name: 'Sales East' } },
        groupExists: false,
      },
    ]);
    expect((await c.admin.get(`/api/admin/enrolments?courseId=${course.id}`)).body.items?.length ?? 0).toBe(0);
  });

  it('downloads as CSV, oldest first, all of it or one person’s; a cell that would be a formula is quoted; each person in it is logged', async () => {
    const invited = await c.admin.post('/api/admin/users', {
      email: 'formula@a.test',
      name: '=HYPERLINK("http://evil.example")',
      roles: ['participant'],
    });
    expect(invited.status).toBe(201);
    const id = invited.body.id as string;
    expect((await c.admin.put(`/api/admin/users/${id}/roles`, { roles: ['coach'] })).status).toBe(200);
    const res = await c.admin.get(`/api/admin/activity/export?subjectId=${id}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toContain(`account-activity-${id}.csv`);
    const lines = res.text.split('\n');
    expect(lines[0]).toBe('\ufeffat,action,by,by_id,by_role,support,support_id,person,person_id,details');
    expect(lines.slice(1, -1).map((l) => l.split(',')[1])).toEqual(['user.invited', 'user.roles_changed']);
    // the name that would be a formula in a spreadsheet is written as text
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
    expect(lines[2]).toContain('""previousRoles"":[""participant""]');
    const [{ n }] = await h.db.query(
      `SELECT count(*)::int AS n FROM privacy_log WHERE subject_id = $1 AND object_type = 'account_history'`,
      [id],
    );
    expect(n).toBe(1);
    // one kind, the whole organisation's; another organisation's person, a participant
    const kind = await c.admin.get('/api/admin/activity/export?action=user.roles_changed');
    expect(
      kind.text
        .trim()
        .split('\n')
        .slice(1)
        .every((l) => l.split(',')[1] === 'user.roles_changed'),
    ).toBe(true);
    expect((await c.adminB.get(`/api/admin/activity/export?subjectId=${id}`)).status).toBe(404);
    expect((await c.participant.get('/api/admin/activity/export')).status).toBe(403);
    expect((await c.admin.get('/api/admin/activity/export?page=2')).status).toBe(400);
  });

  it("is the organisation's administrators' only; another organisation's person is not found; each person shown is in the privacy log", async () => {
    expect((await c.participant.get('/api/admin/activity')).status).toBe(403);
    expect((await c.coach.get('/api/admin/activity')).status).toBe(403);
    // organisation B sees none of A's changes, and cannot ask for A's people
    expect((await activity(c.adminB)).items.filter((e) => e.action !== 'organisation.sso_changed')).toEqual([]);
    expect((await c.adminB.get(`/api/admin/activity?subjectId=${world.a.ids.participant}`)).status).toBe(404);
    for (const bad of ['?action=user.hacked', '?subjectId=1%27%20OR%201=1', '?pageSize=1000', '?page=0'])
      expect((await c.admin.get(`/api/admin/activity${bad}`)).status).toBe(400);

    // a change to the participant's account, then the administrator reads it
    expect(
      (
        await c.admin.put(`/api/admin/users/${world.a.ids.participant}/licence`, {
          startsOn: '2026-01-01',
          expiresOn: '2030-12-31',
        })
      ).status,
    ).toBe(200);
    const shown = await activity(c.admin, `?subjectId=${world.a.ids.participant}`);
    expect(shown.total).toBeGreaterThan(0);
    const [{ n }] = await h.db.query(
      `SELECT count(*)::int AS n FROM privacy_log
        WHERE subject_id = $1 AND actor_id = $2 AND object_type = 'account_history' AND action = 'list'`,
      [world.a.ids.participant, world.a.ids.admin],
    );
    expect(n).toBeGreaterThan(0);
    // the person reads it on their own privacy page
    const own = await c.participant.get('/api/account/privacy-log');
    expect(own.body.items.some((e: { objectType: string }) => e.objectType === 'account_history')).toBe(true);
  });

  it('each person reads what was changed in their own account, and only that; the support reading it as them is logged', async () => {
    expect(
      (
        await c.admin.put(`/api/admin/users/${world.a.ids.participant2}/licence`, {
          startsOn: '2026-02-01',
          expiresOn: '2031-01-31',
        })
      ).status,
    ).toBe(200);
    const own = await c.participant2.get('/api/account/activity');
    expect(own.status).toBe(200);
    expect(own.body.items.length).toBeGreaterThan(0);
    expect(own.body.items.every((e: AccountActivityEntry) => e.subjectId === world.a.ids.participant2)).toBe(true);
    expect(own.body.items[0]).toMatchObject({
      action: 'user.licence_changed',
      actorName: 'Admin a',
      details: { licence: { startsOn: '2026-02-01', expiresOn: '2031-01-31' } },
    });
    // nobody else's, whatever the query says; hostile pages refused
    expect((await c.participant2.get(`/api/account/activity?subjectId=${world.a.ids.participant}`)).status).toBe(400);
    expect((await c.participant2.get('/api/account/activity?pageSize=101')).status).toBe(400);
    // a superuser as themselves, in no organisation, has none
    const su = await h.createSuperuser('helpdesk@rehearse.test');
    const desk = await h.signInTotp('helpdesk@rehearse.test', su.secret);
    expect((await desk.get('/api/account/activity')).body).toMatchObject({ items: [], total: 0 });
    // reading it as the person is a look at their data
    expect(
      (
        await desk.post('/api/superuser/impersonations', {
          userId: world.a.ids.participant2,
          reason: 'Ticket 5200: the participant asks who changed her licence',
        })
      ).status,
    ).toBe(200);
    expect((await desk.get('/api/account/activity')).body.items[0]).toMatchObject({ action: 'user.licence_changed' });
    expect((await desk.post('/api/auth/impersonation/end')).status).toBe(200);
    const [{ n }] = await h.db.query(
      `SELECT count(*)::int AS n FROM privacy_log
        WHERE subject_id = $1 AND impersonator_id = $2 AND object_type = 'account_history'`,
      [world.a.ids.participant2, su.id],
    );
    expect(n).toBe(1);
  });

  it("names the operator's support beside the administrator it acted as, and the operator changing the organisation's agreement", async () => {
    const su = await h.createSuperuser('support@rehearse.test');
    const desk = await h.signInTotp('support@rehearse.test', su.secret);
    expect(
      (
        await desk.post('/api/superuser/impersonations', {
          userId: world.a.ids.admin,
          reason: 'Ticket 5120: the administrator asked us to give Coach a the participant role',
        })
      ).status,
    ).toBe(200);
    expect(
      (await desk.put(`/api/admin/users/${world.a.ids.coach}/roles`, { roles: ['coach', 'participant'] })).status,
    ).toBe(200);
    expect((await desk.post('/api/auth/impersonation/end')).status).toBe(200);
    // the operator setting, moving and clearing the end of the organisation's agreement, as itself
    const agreement = `/api/superuser/tenants/${world.a.tenantId}/agreement`;
    for (const endsOn of ['2030-03-31', '2030-03-31', '2030-06-30', null])
      expect((await desk.put(agreement, { endsOn })).status).toBe(200);
    expect((await activity(c.admin, '?action=organisation.agreement_changed')).items).toEqual(
      [
        { previousEndsOn: null, endsOn: '2030-03-31' },
        { previousEndsOn: '2030-03-31', endsOn: '2030-06-30' },
        { previousEndsOn: '2030-06-30', endsOn: null },
      ]
        .reverse()
        .map((details) =>
          expect.objectContaining({
            actorId: su.id,
            actorRole: 'superuser',
            impersonatorId: null,
            subjectId: null,
            details,
          }),
        ),
    );
    // another organisation's record says nothing of it
    expect((await activity(c.adminB, '?action=organisation.agreement_changed')).items).toEqual([]);
    const [latest] = (await activity(c.admin, '?action=user.roles_changed')).items;
    expect(latest).toMatchObject({
      subjectId: world.a.ids.coach,
      actorId: world.a.ids.admin,
      actorRole: 'superuser-as-administrator',
      impersonatorId: su.id,
      impersonatorName: expect.any(String),
      details: { previousRoles: ['coach'], roles: ['participant', 'coach'] },
    });
  });

  it('cannot be changed or deleted by the application; erasure takes the person’s rows and the name of who made a change', async () => {
    for (const sql of [
      `UPDATE account_activity SET action = 'user.reactivated'`,
      `DELETE FROM account_activity`,
      `TRUNCATE account_activity`,
    ])
      await expect(h.db.query(sql)).rejects.toThrow(/permission denied/);

    // a second administrator changes Jo's roles; then Kim and the second administrator are erased
    const second = await h.createUser(world.a.tenantId, 'Second Admin', 'admin2@a.test', ['administrator']);
    const admin2 = await h.signIn('admin2@a.test');
    const invite = async (name: string, email: string) =>
      (await c.admin.post('/api/admin/users', { email, name, roles: ['participant'] })).body.id as string;
    const [kim, jo] = [await invite('Kim Erased', 'kim.erased@a.test'), await invite('Jo Kept', 'jo.kept@a.test')];
    expect((await admin2.put(`/api/admin/users/${jo}/roles`, { roles: ['coach'] })).status).toBe(200);
    for (const [id, email] of [
      [kim, 'kim.erased@a.test'],
      [second, 'admin2@a.test'],
    ]) {
      const erased = await c.admin.post(`/api/admin/users/${id}/erase`, {
        reason: 'On the person’s request',
        confirmEmail: email,
      });
      expect(erased.status).toBe(200);
    }
    const [{ n }] = await h.db.query(`SELECT count(*)::int AS n FROM account_activity WHERE subject_id = $1`, [kim]);
    expect(n).toBe(0);
    const [{ left }] = await h.db.query(
      `SELECT count(*)::int AS left FROM account_activity WHERE actor_id = $1 OR subject_id = $1`,
      [second],
    );
    expect(left).toBe(0);
    // the change to Jo stays on the record, without the name of who made it
    expect((await activity(c.admin, `?subjectId=${jo}&action=user.roles_changed`)).items).toEqual([
      expect.objectContaining({
        actorId: null,
        actorName: null,
        actorRole: 'administrator',
        subjectName: 'Jo Kept',
      }),
    ]);
    const erasures = (await activity(c.admin, '?action=user.erased')).items;
    expect(erasures).toHaveLength(2);
    for (const e of erasures)
      expect(e).toMatchObject({
        subjectId: null,
        subjectName: null,
        actorId: world.a.ids.admin,
        details: { receiptId: expect.any(String) },
      });
    const receipts = (await c.admin.get('/api/admin/deletion-receipts')).body.items.map((r: { id: string }) => r.id);
    expect(receipts).toEqual(expect.arrayContaining(erasures.map((e) => e.details.receiptId)));
  });
});
