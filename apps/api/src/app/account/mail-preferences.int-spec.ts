import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { QUEUES } from '@rehearse/shared/contracts';
import { Client, Harness, seedTwoTenants, startHarness } from '../../test/harness';
import { publishedCourse } from '../../test/courses';

/**
 * The e-mails a person may stop, through the API (their own choice, nobody else's; what a wrong
 * body gets) and through the worker's real mail queue and SMTP (feedback published on an answer
 * whose owner turned that e-mail off: none arrives; on a colleague's who did not: it does, with
 * List-Unsubscribe).
 */
describe('the e-mails a person may stop', () => {
  let h: Harness;
  let world: Awaited<ReturnType<typeof seedTwoTenants>>;
  const c = {} as Record<'participantA' | 'participant2A' | 'participantB' | 'coachA' | 'adminA', Client>;
  let course: Awaited<ReturnType<typeof publishedCourse>>;
  const EMPATHY = '0b6c1f38-8d3c-4c8e-9a52-2f1d2b3c4d5e';

  beforeAll(async () => {
    h = await startHarness({ COURSE_DUE_REMINDER_DAYS: '4' });
    world = await seedTwoTenants(h);
    const dev = await h.signIn(world.a.emails.developer);
    c.adminA = await h.signIn(world.a.emails.admin);
    course = await publishedCourse(dev);
    const group = await c.adminA.post('/api/admin/groups', { name: 'Team A' });
    await c.adminA.put(`/api/admin/groups/${group.body.id}/members`, {
      participants: [world.a.ids.participant, world.a.ids.participant2],
      coaches: [world.a.ids.coach],
    });
    await c.adminA.post('/api/admin/enrolments', { courseId: course.id, groupId: group.body.id });
    c.participantA = await h.signIn(world.a.emails.participant);
    c.participant2A = await h.signIn(world.a.emails.participant2);
    c.participantB = await h.signIn(world.b.emails.participant);
    c.coachA = await h.signIn(world.a.emails.coach);
  });
  afterAll(() => h?.close());

  const ALL_ON = { feedbackPublished: true, peerReviews: true, courseDue: true, courseDueDays: 4 };

  it('a person reads and changes their own choice, one e-mail at a time; nobody else’s changes', async () => {
    expect((await c.participantA.get('/api/account/mail-preferences')).body).toEqual(ALL_ON);
    const off = await c.participantA.patch('/api/account/mail-preferences', { courseDue: false });
    expect(off.status).toBe(200);
    expect(off.body).toEqual({ ...ALL_ON, courseDue: false });
    const both = await c.participantA.patch('/api/account/mail-preferences', { peerReviews: false });
    expect(both.body).toEqual({ ...ALL_ON, courseDue: false, peerReviews: false });
    // an empty change changes nothing and says how things are
    expect((await c.participantA.patch('/api/account/mail-preferences', {})).body).toEqual(both.body);
    // the others of the organisation and of another one keep theirs
    expect((await c.participant2A.get('/api/account/mail-preferences')).body).toEqual(ALL_ON);
    expect((await c.participantB.get('/api/account/mail-preferences')).body).toEqual(ALL_ON);
    // every role of an organisation has an account page; a coach's or an administrator's choice is theirs
    for (const other of [c.coachA, c.adminA]) {
      expect((await other.get('/api/account/mail-preferences')).body).toEqual(ALL_ON);
    }
    expect(
      (await c.participantA.patch('/api/account/mail-preferences', { courseDue: true, peerReviews: true })).body,
    ).toEqual(ALL_ON);
  });

  it('a wrong value or a field it does not know is refused by name and changes nothing; without a session 401', async () => {
    await c.participantA.patch('/api/account/mail-preferences', { courseDue: false });
    for (const [body, field] of [
      [{ feedbackPublished: 'no' }, 'feedbackPublished'],
      [{ courseDue: null }, 'courseDue'],
      [{ peerReviews: 1 }, 'peerReviews'],
      [{ courseDue: true, newsletter: false }, 'newsletter'],
      [{ courseDue: true, courseDueDays: 1 }, 'courseDueDays'],
    ] as const) {
      const bad = await c.participantA.patch('/api/account/mail-preferences', body);
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body)).toContain(field);
    }
    expect((await c.participantA.get('/api/account/mail-preferences')).body).toEqual({ ...ALL_ON, courseDue: false });
    const anonymous = await h.client();
    expect((await anonymous.get('/api/account/mail-preferences')).status).toBe(401);
    expect((await c.participantA.patch('/api/account/mail-preferences', { courseDue: true })).body).toEqual(ALL_ON);
  });

  it('the operator’s staff, in no organisation, have none (404)', async () => {
    const su = await h.createSuperuser('support@operator.test');
    const staff = await h.signInTotp('support@operator.test', su.secret);
    expect((await staff.get('/api/account/mail-preferences')).status).toBe(404);
    expect((await staff.patch('/api/account/mail-preferences', { courseDue: false })).status).toBe(404);
  });

  it('feedback published on the answer of someone who turned that e-mail off: none arrives; to a colleague who did not, it does', async () => {
    const answerOf = async (who: Client) => {
      const answer = await who.post(`/api/my/courses/${course.id}/exercises/${course.exercise}/text-answers`, {
        text: 'I understand. Let me check your order.',
      });
      expect(answer.status).toBe(201);
      return answer.body.id as string;
    };
    const publish = async (answerId: string) => {
      const draft = await c.coachA.put(`/api/answers/${answerId}/review`, {
        scores: { [EMPATHY]: 5 }, // the rubric's levels: 1 and 5
        summary: 'Warm and clear',
        comments: [],
      });
      expect(draft.status).toBe(200);
      const published = await c.coachA.post(`/api/answers/${answerId}/review/publish`, {
        revision: draft.body.revision,
      });
      expect(published.status).toBe(200);
      return published.body.id as string;
    };
    const queue = h.worker.get<Queue>(getQueueToken(QUEUES.mail));
    const before = h.mailbox.messages.length;

    expect((await c.participantA.patch('/api/account/mail-preferences', { feedbackPublished: false })).status).toBe(
      200,
    );
    const silent = await publish(await answerOf(c.participantA));
    // the mail job ran and sent nothing
    const job = await queue.getJob(`feedback-published:${silent}`);
    if (!job) throw new Error('the feedback-published job was not queued');
    expect(await job.finished()).toBe('skipped');
    expect(h.mailbox.messages.filter((m) => m.id > before && m.to.includes(world.a.emails.participant))).toEqual([]);

    await publish(await answerOf(c.participant2A));
    const mail = await h.mailbox.waitFor(world.a.emails.participant2, /New feedback on/, 15_000, before);
    expect(mail.text).toContain('You can turn these e-mails off on your account page:\nhttp://localhost:3000/account');
    expect(mail.raw).toMatch(/^List-Unsubscribe: <http:\/\/localhost:3000\/account>\r?$/m);
    await c.participantA.patch('/api/account/mail-preferences', { feedbackPublished: true });
  });
});
