import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { QUEUES } from '@rehearse/shared/contracts';
import { PeopleDirectoryRepository } from '@rehearse/server/accounts';
import { MailProducer } from '@rehearse/server/mail';
import { CoachDigestsRepository, CoachDigestSweeper } from '@rehearse/server/feedback';
import { Client, Harness, seedTwoTenants, startHarness } from '../../test/harness';
import { publishedCourse } from '../../test/courses';

/**
 * The coach's morning e-mail through the API (a coach's own choice, nobody else's route) and
 * through the worker's real mail queue and SMTP (what arrives, and what does not).
 */
describe("the coach's morning e-mail", () => {
  let h: Harness;
  let world: Awaited<ReturnType<typeof seedTwoTenants>>;
  const c = {} as Record<'coachA' | 'coachB' | 'participantA' | 'adminA', Client>;

  beforeAll(async () => {
    // an installation in India (UTC+5:30): the hour is on its clocks
    h = await startHarness({ COACH_DIGEST_HOUR: '0', TIME_ZONE: 'Asia/Kolkata' });
    world = await seedTwoTenants(h);
    const dev = await h.signIn(world.a.emails.developer);
    c.adminA = await h.signIn(world.a.emails.admin);
    const course = await publishedCourse(dev);
    const group = await c.adminA.post('/api/admin/groups', { name: 'Team A' });
    await c.adminA.put(`/api/admin/groups/${group.body.id}/members`, {
      participants: [world.a.ids.participant],
      coaches: [world.a.ids.coach],
    });
    await c.adminA.post('/api/admin/enrolments', { courseId: course.id, groupId: group.body.id });
    c.participantA = await h.signIn(world.a.emails.participant);
    const answer = await c.participantA.post(`/api/my/courses/${course.id}/exercises/${course.exercise}/text-answers`, {
      text: 'I understand. Let me check your order.',
    });
    expect(answer.status).toBe(201);
    c.coachA = await h.signIn(world.a.emails.coach);
    c.coachB = await h.signIn(world.b.emails.coach);
  });
  afterAll(() => h?.close());

  it('a coach reads and changes their own choice; other roles have no such route; a wrong value is refused', async () => {
    // midnight today in Kolkata, 18:30 UTC the day before
    const kolkataToday = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Kolkata' }).format(h.clock.now());
    expect(h.clock.today()).toBe(kolkataToday);
    const from = new Date(`${kolkataToday}T00:00:00+05:30`).toISOString();
    expect(from).toMatch(/T18:30:00\.000Z$/);
    const setting = { hour: 0, timeZone: 'Asia/Kolkata', from };
    expect((await c.coachA.get('/api/coaching/digest')).body).toEqual({ enabled: true, ...setting });
    const off = await c.coachA.put('/api/coaching/digest', { enabled: false });
    expect(off.status).toBe(200);
    expect(off.body).toEqual({ enabled: false, ...setting });
    expect((await c.coachA.get('/api/coaching/digest')).body.enabled).toBe(false);
    // another coach's choice is their own
    expect((await c.coachB.get('/api/coaching/digest')).body.enabled).toBe(true);

    for (const body of [{ enabled: 'no' }, {}, { enabled: null }]) {
      const bad = await c.coachA.put('/api/coaching/digest', body);
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body)).toContain('enabled');
    }
    expect((await c.coachA.get('/api/coaching/digest')).body.enabled).toBe(false);
    for (const other of [c.participantA, c.adminA]) {
      expect((await other.get('/api/coaching/digest')).status).toBe(403);
      expect((await other.put('/api/coaching/digest', { enabled: false })).status).toBe(403);
    }
    expect((await (await h.client()).get('/api/coaching/digest')).status).toBe(401);
    expect((await c.coachA.put('/api/coaching/digest', { enabled: true })).body.enabled).toBe(true);
  });

  it('the sweep mails a coach how many answers wait (naming nobody); a coach with none gets nothing; once a day', async () => {
    const sweeper = new CoachDigestSweeper(
      h.app.get(PeopleDirectoryRepository),
      h.app.get(CoachDigestsRepository),
      h.app.get(MailProducer),
      h.clock,
      h.config,
    );
    const before = h.mailbox.messages.length;
    expect(await sweeper.sweep()).toBe(2);
    const mail = await h.mailbox.waitFor(world.a.emails.coach, /1 answer waits for your feedback/, 15_000, before);
    expect(mail.text).toContain('One answer of your participants waits for your feedback.');
    expect(mail.text).toContain('- Service basics: 1');
    expect(mail.text).toContain('http://localhost:3000/coaching/reviews');
    expect(mail.text).not.toContain('Participant a');
    // mail programs' "unsubscribe" button: one POST to the signed address (RFC 8058); the header
    // is folded onto a second line (RFC 5322), unfolded here
    const headers = mail.raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
    expect(headers).toMatch(
      /^List-Unsubscribe: <http:\/\/localhost:3000\/api\/mail\/unsubscribe\?u=[0-9a-f-]{36}&t=coach_digest&s=[0-9a-f]{64}>\r?$/m,
    );
    expect(headers).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);

    // coach B's job ran and sent nothing: no answer waits for them
    const queue = h.worker.get<Queue>(getQueueToken(QUEUES.mail));
    const jobB = await queue.getJob(`coach-digest:${world.b.ids.coach}:${h.clock.today()}`);
    if (!jobB) throw new Error("coach B's digest job was not queued");
    await jobB.finished();
    expect(h.mailbox.messages.filter((m) => m.id > before && m.to.includes(world.b.emails.coach))).toEqual([]);

    expect(await sweeper.sweep()).toBe(0);
  });
});
