import { MailPreferencesRepository, PeopleDirectoryRepository } from '@rehearse/server/accounts';
import { CourseDueSweeper, CourseRemindersRepository } from '@rehearse/server/courses';
import { MailOutbox } from '@rehearse/server/mail';
import { Harness, seedTwoTenants, startHarness } from '../../test/harness';
import { publishedCourse } from '../../test/courses';

/**
 * The reminder of a course due soon through the API's enrolment and answer routes and the
 * worker's real mail queue and SMTP: the trainee who has not finished is told, in their words,
 * with a link to the course; a trainee of another organisation is not.
 */
describe('the reminder of a course due soon', () => {
  let h: Harness;
  let world: Awaited<ReturnType<typeof seedTwoTenants>>;

  beforeAll(async () => {
    h = await startHarness({ COURSE_DUE_REMINDER_DAYS: '3' });
    world = await seedTwoTenants(h);
  });
  afterAll(() => h?.close());

  it('mails the trainee how far they are and when it is due, once, with a link to the course', async () => {
    const dev = await h.signIn(world.a.emails.developer);
    const admin = await h.signIn(world.a.emails.admin);
    const course = await publishedCourse(dev, { media: true });
    const group = await admin.post('/api/admin/groups', { name: 'Team A' });
    expect(
      (
        await admin.put(`/api/admin/groups/${group.body.id}/members`, {
          participants: [world.a.ids.participant],
          coaches: [],
        })
      ).status,
    ).toBe(200);
    const dueOn = new Date(Date.parse(`${h.clock.today()}T00:00:00Z`) + 2 * 86_400_000).toISOString().slice(0, 10);
    expect(
      (await admin.post('/api/admin/enrolments', { courseId: course.id, groupId: group.body.id, dueOn })).status,
    ).toBe(201);
    const p = await h.signIn(world.a.emails.participant);
    expect(
      (
        await p.post(`/api/my/courses/${course.id}/exercises/${course.exercise}/text-answers`, {
          text: 'I understand. Let me check your order.',
        })
      ).status,
    ).toBe(201);

    const sweeper = new CourseDueSweeper(
      new CourseRemindersRepository(h.db),
      h.app.get(PeopleDirectoryRepository),
      h.app.get(MailPreferencesRepository),
      h.app.get(MailOutbox),
      h.clock,
      h.config,
    );
    const before = h.mailbox.messages.length;
    expect(await sweeper.sweep()).toBe(1);
    const mail = await h.mailbox.waitFor(world.a.emails.participant, /is due on/, 15_000, before);
    expect(mail.subject).toMatch(/^“Service basics” is due on \d{1,2} \w+ \d{4}$/);
    expect(mail.text).toContain('You have answered 1 of the 3 exercises of “Service basics”.');
    expect(mail.text).toContain(`http://localhost:3000/learn/${course.id}`);
    expect(await sweeper.sweep()).toBe(0);
    expect(h.mailbox.messages.filter((m) => m.id > before && m.subject.includes('is due on'))).toHaveLength(1);
  });
});
