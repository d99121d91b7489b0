import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import request from 'supertest';
import { UnsubscribeLinks } from '@rehearse/server/mail';
import { QUEUES } from '@rehearse/shared/contracts';
import { Client, Harness, seedTwoTenants, startHarness } from '../../test/harness';
import { publishedCourse } from '../../test/courses';

/**
 * The e-mails a person may stop, through the API (their own choice, nobody else's; what a wrong
 * body gets), through the worker's real mail queue and SMTP (feedback published on an answer
 * whose owner turned that e-mail off: none arrives; on a colleague's who did not: it does, with
 * List-Unsubscribe), and through the signed link in such an e-mail (one-click, RFC 8058: a POST
 * with no session, token or JSON; nobody else's link, no other kind, no other route).
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
    const page = /Stop e-mails like this one:\n(http:\/\/localhost:3000\/unsubscribe\?\S+)/.exec(mail.text)?.[1];
    expect(page).toBeDefined();
    expect(mail.text).toContain(
      'Choose which e-mails you receive on your account page:\nhttp://localhost:3000/account',
    );
    // the message's headers, unfolded (a long one is folded onto further lines, RFC 5322)
    const headers = mail.raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
    const header = /^List-Unsubscribe: <(http:\/\/localhost:3000\/api\/mail\/unsubscribe\?[^>]+)>\r?$/m.exec(
      headers,
    )?.[1];
    expect(header).toBeDefined();
    expect(headers).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
    await c.participantA.patch('/api/account/mail-preferences', { feedbackPublished: true });

    // the mail program's button: one POST to the header's address, as a mail provider sends it
    const address = new URL(header as string);
    const pressed = await request(h.server)
      .post(`${address.pathname}${address.search}`)
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send('List-Unsubscribe=One-Click');
    expect(pressed.status).toBe(204);
    expect((await c.participant2A.get('/api/account/mail-preferences')).body).toEqual({
      ...ALL_ON,
      feedbackPublished: false,
    });
    // the page in the text carries the same signed query
    expect(new URL(page as string).search).toBe(address.search);
    await c.participant2A.patch('/api/account/mail-preferences', { feedbackPublished: true });
  });

  it('a stop link works without a session from anywhere, once or twice; a GET only leads to the page', async () => {
    const links = h.app.get(UnsubscribeLinks);
    const pim = world.a.ids.participant;
    const opened = await request(h.server).get(`/api/mail/unsubscribe?${links.searchOf(pim, 'course_due')}`);
    expect(opened.status).toBe(303);
    expect(opened.headers['location']).toBe(`/unsubscribe?${links.searchOf(pim, 'course_due')}`);
    expect((await c.participantA.get('/api/account/mail-preferences')).body.courseDue).toBe(true);

    // a cross-site form, with the browser's headers and a session of someone else: the link decides
    for (const path of [
      `/api/mail/unsubscribe?${links.searchOf(pim, 'course_due')}`,
      `/API/Mail/Unsubscribe/?${links.searchOf(pim, 'course_due')}`,
    ]) {
      const stopped = await c.participantB.agent
        .post(path)
        .set('Origin', 'https://evil.example')
        .set('Sec-Fetch-Site', 'cross-site')
        .set('Content-Type', 'application/x-www-form-urlencoded')
        .send('List-Unsubscribe=One-Click');
      expect(stopped.status).toBe(204);
    }
    expect((await c.participantA.get('/api/account/mail-preferences')).body).toEqual({ ...ALL_ON, courseDue: false });
    expect((await c.participantB.get('/api/account/mail-preferences')).body).toEqual(ALL_ON);

    // the coach's morning e-mail, which the coach's own table keeps
    const cora = world.a.ids.coach;
    expect((await request(h.server).post(`/api/mail/unsubscribe?${links.searchOf(cora, 'coach_digest')}`)).status).toBe(
      204,
    );
    expect((await c.coachA.get('/api/coaching/digest')).body.enabled).toBe(false);
    await c.coachA.put('/api/coaching/digest', { enabled: true });
    await c.participantA.patch('/api/account/mail-preferences', { courseDue: true });
  });

  it('a stop link for someone else, another kind, a forged or cut signature, or a person gone: 404 and nothing changed', async () => {
    const links = h.app.get(UnsubscribeLinks);
    const pim = world.a.ids.participant;
    const other = world.b.ids.participant;
    const sig = links.signature(pim, 'peer_reviews');
    const refused = [
      `u=${other}&t=peer_reviews&s=${sig}`, // Pim's signature on someone else's id
      `u=${pim}&t=course_due&s=${sig}`, // on another kind
      `u=${pim}&t=peer_reviews&s=${sig.replace(/^./, (c) => (c === '0' ? '1' : '0'))}`,
      `u=${pim}&t=peer_reviews&s=${'0'.repeat(64)}`,
    ];
    for (const q of refused) {
      const res = await request(h.server).post(`/api/mail/unsubscribe?${q}`);
      expect([q, res.status, res.body.message]).toEqual([q, 404, 'This link is not valid (any more)']);
    }
    for (const q of [
      `u=${pim}&t=peer_reviews&s=${sig.slice(0, 40)}`,
      `u=${pim}&t=newsletter&s=${sig}`,
      `u=not-a-uuid&t=peer_reviews&s=${sig}`,
      `u=${pim}&t=peer_reviews`,
      `u=${pim}&u=${other}&t=peer_reviews&s=${sig}`,
    ]) {
      const res = await request(h.server).post(`/api/mail/unsubscribe?${q}`);
      expect([q, res.status]).toEqual([q, 400]);
    }
    // a valid link of someone who is gone
    const goneId = await h.createUser(world.a.tenantId, 'Gone', 'gone@a.test', ['participant']);
    const goneLink = links.searchOf(goneId, 'peer_reviews');
    await h.db.query(`DELETE FROM users WHERE id = $1`, [goneId]);
    expect((await request(h.server).post(`/api/mail/unsubscribe?${goneLink}`)).status).toBe(404);
    expect(
      (await h.db.query(`SELECT count(*)::int AS n FROM mail_preferences WHERE user_id = $1`, [goneId]))[0].n,
    ).toBe(0);
    expect((await c.participantA.get('/api/account/mail-preferences')).body).toEqual(ALL_ON);
    expect((await c.participantB.get('/api/account/mail-preferences')).body).toEqual(ALL_ON);
  });

  it('the exception is that one route: every other state-changing request still needs the token, and a form body', async () => {
    const anonymous = request(h.server);
    for (const path of ['/api/mail/unsubscribe-all', '/api/mail', '/api/account/mail-preferences/unsubscribe']) {
      // a form: refused as not JSON; JSON without the token: refused by the CSRF check
      const form = await anonymous.post(path).set('Content-Type', 'application/x-www-form-urlencoded').send('a=1');
      expect([path, form.status]).toEqual([path, 415]);
      const json = await anonymous.post(path).send({ a: 1 });
      expect([path, json.status, json.body.code]).toEqual([path, 403, 'csrf_failed']);
    }
    // PATCH of one's own choice without the token: refused, as before
    const patched = await c.participantA.agent
      .patch('/api/account/mail-preferences')
      .send({ feedbackPublished: false });
    expect(patched.status).toBe(403);
    // another method on the link's path is not exempt either
    const links = h.app.get(UnsubscribeLinks);
    const put = await anonymous.put(`/api/mail/unsubscribe?${links.searchOf(world.a.ids.participant, 'course_due')}`);
    expect(put.status).toBe(403);
    expect((await c.participantA.get('/api/account/mail-preferences')).body).toEqual(ALL_ON);
  });
});
