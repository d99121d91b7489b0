/**
 * GET /api/home: the home page's sections per role, from live data, through the four checks
 * (only one's own organisation, only the sections of one's roles, only the people one coaches,
 * nothing hidden by an expired licence), with the people it names privacy-logged.
 */
import { TenantDestructionService } from '@rehearse/server/privacy';
import { Client, Harness, seedTwoTenants, startHarness } from '../../test/harness';
import { publishedCourse } from '../../test/courses';

const DAY = 86_400_000;
const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

describe('GET /api/home', () => {
  let h: Harness;
  let world: Awaited<ReturnType<typeof seedTwoTenants>>;
  const c: Record<string, Client> = {};
  let course: { id: string; exercise: string };
  let groupId: string;
  let today: string;

  beforeAll(async () => {
    h = await startHarness();
    world = await seedTwoTenants(h);
    for (const role of ['admin', 'coach', 'developer', 'participant', 'participant2'] as const)
      c[role] = await h.signIn(world.a.emails[role]);
    c['adminB'] = await h.signIn(world.b.emails.admin);
    today = h.clock.today();
    course = await publishedCourse(c['developer']);
    const group = await c['admin'].post('/api/admin/groups', { name: 'Front desk' });
    groupId = group.body.id;
    await c['admin'].put(`/api/admin/groups/${groupId}/members`, {
      participants: [world.a.ids.participant],
      coaches: [world.a.ids.coach],
    });
    expect(
      (await c['admin'].post('/api/admin/enrolments', { courseId: course.id, groupId, dueOn: addDays(today, 10) }))
        .status,
    ).toBe(201);
  }, 120_000);

  afterAll(() => h?.close());

  it('answers 401 without a session', async () => {
    expect((await (await h.client()).get('/api/home')).status).toBe(401);
  });

  // one story, step by step: the stories and checks of this file share the world but not their steps
  it('a participant from first visit to feedback, as their coach sees it: the next exercise, an answer waiting and overdue, feedback published, a coach who no longer coaches them, and an expired licence hiding the feedback', async () => {
    {
      // a new participant: the next exercise and its due date, no feedback yet; no other role’s section
      const home = await c['participant'].get('/api/home');
      expect(home.status).toBe(200);
      expect(home.body).toEqual({
        participant: {
          next: {
            courseId: course.id,
            courseTitle: 'Service basics',
            exerciseId: course.exercise,
            exerciseTitle: 'The angry customer',
            dueOn: addDays(today, 10),
          },
          due: [
            {
              courseId: course.id,
              title: 'Service basics',
              dueOn: addDays(today, 10),
              exercisesAnswered: 0,
              exercisesTotal: 1,
            },
          ],
          licenceEndedOn: null,
          feedback: [],
          peerReviews: { toDo: 0, nextDueAt: null },
        },
        coach: null,
        admin: null,
        developer: null,
      });
      // a participant in no course has nothing to do next
      expect((await c['participant2'].get('/api/home')).body.participant).toEqual({
        next: null,
        due: [],
        licenceEndedOn: null,
        feedback: [],
        peerReviews: { toDo: 0, nextDueAt: null },
      });
    }
    {
      // after an answer: the coach sees it waiting (overdue a week later), publishes, and the participant sees the feedback
      const answer = await c['participant'].post(
        `/api/my/courses/${course.id}/exercises/${course.exercise}/text-answers`,
        { text: 'I understand, and I am sorry your order is late.' },
      );
      expect(answer.status).toBe(201);
      const mine = (await c['participant'].get('/api/home')).body.participant;
      expect(mine.next).toBeNull();
      expect(mine.due).toEqual([]);

      const logBefore = (
        await h.db.query(`SELECT count(*)::int AS n FROM privacy_log WHERE actor_id = $1 AND subject_id = $2`, [
          world.a.ids.coach,
          world.a.ids.participant,
        ])
      )[0].n;
      const waiting = (await c['coach'].get('/api/home')).body;
      expect(waiting.participant).toBeNull();
      expect(waiting.coach).toMatchObject({ waiting: 1, overdue: 0, recent: [] });
      expect(waiting.coach.oldest).toEqual([
        expect.objectContaining({
          answerId: answer.body.id,
          participantName: 'Participant a',
          exerciseTitle: 'The angry customer',
          groupName: 'Front desk',
        }),
      ]);
      const logAfter = (
        await h.db.query(`SELECT count(*)::int AS n FROM privacy_log WHERE actor_id = $1 AND subject_id = $2`, [
          world.a.ids.coach,
          world.a.ids.participant,
        ])
      )[0].n;
      expect(logAfter).toBe(logBefore + 1);

      // sent eight days ago (moving the clock instead would end the coach's idle session)
      await h.db.query(`UPDATE answers SET submitted_at = submitted_at - interval '8 days' WHERE id = $1`, [
        answer.body.id,
      ]);
      expect((await c['coach'].get('/api/home')).body.coach).toMatchObject({ waiting: 1, overdue: 1 });

      const draft = await c['coach'].put(`/api/answers/${answer.body.id}/review`, {
        scores: { '0b6c1f38-8d3c-4c8e-9a52-2f1d2b3c4d5e': 5 },
        summary: 'Warm and clear',
        comments: [],
      });
      expect(draft.status).toBe(200);
      expect(
        (await c['coach'].post(`/api/answers/${answer.body.id}/review/publish`, { revision: draft.body.revision }))
          .status,
      ).toBe(200);
      const after = (await c['coach'].get('/api/home')).body.coach;
      expect(after).toMatchObject({ waiting: 0, overdue: 0, oldest: [] });
      expect(after.recent).toEqual([
        expect.objectContaining({
          answerId: answer.body.id,
          participantName: 'Participant a',
          exerciseTitle: 'The angry customer',
        }),
      ]);

      const feedback = (await c['participant'].get('/api/home')).body.participant.feedback;
      expect(feedback).toEqual([
        expect.objectContaining({
          answerId: answer.body.id,
          courseTitle: 'Service basics',
          exerciseTitle: 'The angry customer',
          source: 'coach',
        }),
      ]);
    }
    {
      // a coach who no longer coaches the participant stops seeing their name
      await c['admin'].put(`/api/admin/groups/${groupId}/members`, {
        participants: [world.a.ids.participant],
        coaches: [],
      });
      try {
        expect((await c['coach'].get('/api/home')).body.coach).toMatchObject({ waiting: 0, recent: [] });
      } finally {
        await c['admin'].put(`/api/admin/groups/${groupId}/members`, {
          participants: [world.a.ids.participant],
          coaches: [world.a.ids.coach],
        });
      }
    }
    {
      // an expired licence hides the participant’s feedback from their home page, as everywhere else
      expect(
        (
          await c['admin'].put(`/api/admin/users/${world.a.ids.participant}/licence`, {
            startsOn: addDays(today, -300),
            expiresOn: today,
          })
        ).status,
      ).toBe(200);
      try {
        // nothing to do next while the licence has ended: answering is refused until it is extended
        expect((await c['participant'].get('/api/home')).body.participant).toEqual({
          next: null,
          due: [],
          licenceEndedOn: today,
          feedback: [],
          peerReviews: { toDo: 0, nextDueAt: null },
        });
        expect((await c['coach'].get('/api/home')).body.coach.recent).toEqual([]);
      } finally {
        await c['admin'].put(`/api/admin/users/${world.a.ids.participant}/licence`, {
          startsOn: addDays(today, -300),
          expiresOn: addDays(today, 60),
        });
      }
      expect((await c['participant'].get('/api/home')).body.participant.feedback).toHaveLength(1);
    }
  });

  it('the administrator: licences ending soon, keep requests, participants in no group; nothing of another organisation', async () => {
    expect(
      (
        await c['admin'].put(`/api/admin/users/${world.a.ids.participant2}/licence`, {
          startsOn: addDays(today, -300),
          expiresOn: addDays(today, 12),
        })
      ).status,
    ).toBe(200);
    // a licence ending in 60 days is not yet a warning
    expect(
      (
        await c['admin'].put(`/api/admin/users/${world.a.ids.participant}/licence`, {
          startsOn: addDays(today, -300),
          expiresOn: addDays(today, 60),
        })
      ).status,
    ).toBe(200);
    await h.db.query(`UPDATE licences SET keep_status = 'requested', keep_requested_at = now() WHERE user_id = $1`, [
      world.a.ids.participant2,
    ]);
    const admin = (await c['admin'].get('/api/home')).body;
    expect(admin.admin).toEqual({
      expiring: [{ userId: world.a.ids.participant2, name: 'Second Participant a', expiresOn: addDays(today, 12) }],
      expiringTotal: 1,
      pendingKeepRequests: 1,
      withoutGroup: [{ userId: world.a.ids.participant2, name: 'Second Participant a' }],
      withoutGroupTotal: 1,
      agreement: null,
    });
    expect(admin.participant).toBeNull();
    const logged = await h.db.query(
      `SELECT count(*)::int AS n FROM privacy_log WHERE actor_id = $1 AND subject_id = $2 AND action = 'list'`,
      [world.a.ids.admin, world.a.ids.participant2],
    );
    expect(logged[0].n).toBeGreaterThan(0);
    // tenant B's administrator sees B's people only (both of B's participants are in no group)
    const b = (await c['adminB'].get('/api/home')).body.admin;
    expect(b).toMatchObject({ expiring: [], expiringTotal: 0, pendingKeepRequests: 0, withoutGroupTotal: 2 });
    expect(b.withoutGroup.map((u: { userId: string }) => u.userId).sort()).toEqual(
      [world.b.ids.participant, world.b.ids.participant2].sort(),
    );
  });

  it('the content developer: drafts and recently published versions', async () => {
    const dev = c['developer'];
    const fresh = await dev.post('/api/authoring/courses', { title: 'Draft only', language: 'en' });
    expect(fresh.status).toBe(201);
    const home = (await dev.get('/api/home')).body;
    expect(home.developer.drafts[0]).toMatchObject({ courseId: fresh.body.id, title: 'Draft only', published: false });
    expect(home.developer.published).toEqual([
      expect.objectContaining({ courseId: course.id, title: 'Service basics', version: 1 }),
    ]);
    expect(home.participant).toBeNull();
    expect(home.coach).toBeNull();
  });

  it("the administrators are told when the operator ends their organisation's agreement: on the home page and by e-mail, once per change", async () => {
    const su = await h.createSuperuser('agreements@rehearse.test');
    const operator = await h.signInTotp('agreements@rehearse.test', su.secret);
    const endsOn = addDays(today, 30);
    const before = h.mailbox.messages.length;
    const set = (day: string | null) =>
      operator.put(`/api/superuser/tenants/${world.a.tenantId}/agreement`, { endsOn: day });
    expect((await set(endsOn)).status).toBe(200);
    expect((await c['admin'].get('/api/home')).body.admin.agreement).toEqual({
      endsOn,
      destroyOn: addDays(today, 75),
    });
    // the other organisation's administrator: nothing
    expect((await c['adminB'].get('/api/home')).body.admin.agreement).toBeNull();
    const mail = await h.mailbox.waitFor(world.a.emails.admin, /^The agreement of .* ends on /, 15_000, before);
    expect(mail.text).toContain('everything of the organisation is destroyed for good');
    expect(mail.text).toContain('/admin/retention');
    // the same day again is no change: no second e-mail
    expect((await set(endsOn)).status).toBe(200);
    // cleared: said once, and the home page says nothing any more
    expect((await set(null)).status).toBe(200);
    await h.mailbox.waitFor(world.a.emails.admin, /no longer ends$/, 15_000, before);
    expect((await c['admin'].get('/api/home')).body.admin.agreement).toBeNull();
    const sent = h.mailbox.messages.slice(before);
    // to the organisation's administrator only (not its coach, not the other organisation), once per change
    expect(sent.filter((m) => /^The agreement of /.test(m.subject)).map((m) => [m.to, m.subject])).toEqual([
      [world.a.emails.admin.toLowerCase(), expect.stringMatching(/ ends on /)],
      [world.a.emails.admin.toLowerCase(), expect.stringMatching(/no longer ends$/)],
    ]);

    // 14 days before everything goes, the administrators are reminded, once per destruction date
    const agreements = h.app.get(TenantDestructionService);
    const reminded = h.mailbox.messages.length;
    expect((await set(addDays(today, -31))).status).toBe(200);
    expect(await agreements.remind()).toBe(1);
    expect(await agreements.remind()).toBe(0);
    const reminder = await h.mailbox.waitFor(
      world.a.emails.admin,
      /^Everything of .* is destroyed on /,
      15_000,
      reminded,
    );
    expect(reminder.text).toContain('In 14 days');
    // a destruction date moved (a later end) is told again when its own 14 days begin, not before
    expect((await set(addDays(today, -30))).status).toBe(200);
    expect(await agreements.remind()).toBe(0);
    h.clock.advance(86_400_000);
    try {
      expect(await agreements.remind()).toBe(1);
    } finally {
      h.clock.advance(-86_400_000);
    }
    // (sent before the end is cleared: composed later, it would have nothing to say)
    await h.mailbox.waitFor(world.a.emails.admin, /^Everything of .* is destroyed on /, 15_000, reminder.id);
    expect((await set(null)).status).toBe(200);
    await h.mailbox.waitFor(world.a.emails.admin, /no longer ends$/, 15_000, reminded);
    const reminders = h.mailbox.messages.slice(reminded).filter((m) => /^Everything of /.test(m.subject));
    expect(reminders.map((m) => m.to)).toEqual([
      world.a.emails.admin.toLowerCase(),
      world.a.emails.admin.toLowerCase(),
    ]);
  });

  it('a superuser outside any organisation gets no sections', async () => {
    const su = await h.createSuperuser('support@rehearse.test');
    const client = await h.signInTotp('support@rehearse.test', su.secret);
    expect((await client.get('/api/home')).body).toEqual({
      participant: null,
      coach: null,
      admin: null,
      developer: null,
    });
  });
});
