/**
 * Reminders of courses due soon on real PostgreSQL (the medium tier): whom the worker's sweep
 * reminds (unfinished, due within the window by the earliest of their enrolments, able to sign in,
 * a licence that runs), once per due date however many workers sweep, and what the e-mail says.
 * A fake mail queue; the clock at today's date.
 */
import { Logger } from '@nestjs/common';
import { MailPreferencesRepository, PeopleDirectoryRepository, UsersRepository } from '@rehearse/server/accounts';
import { type AppConfig, Clock, createMetrics, SecretBox } from '@rehearse/server/core';
import { openMediumDatabase, type MediumDatabase, type Rows } from '@rehearse/server/database';
import {
  MailOutbox,
  MailOutboxRepository,
  MailOutboxSweeper,
  type MailProducer,
  UnsubscribeLinks,
} from '@rehearse/server/mail';
import { CourseDueSweeper } from './course-due.sweeper';
import { CourseProgress } from './course-progress';
import { CourseRemindersRepository } from './course-reminders.repository';
import { LearningRepository } from './learning.repository';
import { CourseDueSoonMail } from './mail/course-due-soon.mail';

const DAY = 86_400_000;

describe('reminders of courses due soon (medium tier: the sweep, the claim and the e-mail)', () => {
  let m: MediumDatabase;
  let rows: Rows;
  let reminders: CourseRemindersRepository;
  let progress: CourseProgress;
  let compose: CourseDueSoonMail;
  const clock = new Clock();
  const config = { PUBLIC_URL: 'https://rehearse.example.test', COURSE_DUE_REMINDER_DAYS: 3 } as AppConfig;
  const links = new UnsubscribeLinks(config, new SecretBox('medium-tier-secret-of-at-least-32-chars'));
  let sent: { userId: string; courseId: string; dueOn: string; jobId: string }[] = [];
  const mail = {
    sendMany: async (
      _name: string,
      jobs: { payload: { userId: string; courseId: string; dueOn: string }; jobId: string }[],
    ) => {
      for (const j of jobs) sent.push({ ...j.payload, jobId: j.jobId });
    },
    sendAgain: async (_name: string, p: { userId: string; courseId: string; dueOn: string }, jobId: string) => {
      sent.push({ ...p, jobId });
      return true;
    },
  } as unknown as MailProducer;
  const sweeper = (days = 3, producer = mail, outbox = new MailOutboxRepository(m.db)) =>
    new CourseDueSweeper(
      reminders,
      new PeopleDirectoryRepository(m.db),
      new MailPreferencesRepository(m.db),
      new MailOutbox(outbox, producer),
      clock,
      {
        ...config,
        COURSE_DUE_REMINDER_DAYS: days,
      },
    );
  /** today plus `days`, YYYY-MM-DD */
  const day = (days: number) =>
    new Date(Date.parse(`${clock.today()}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

  beforeAll(async () => {
    m = await openMediumDatabase();
    rows = m.rows;
    reminders = new CourseRemindersRepository(m.db);
    progress = new CourseProgress(new LearningRepository(m.db));
    compose = new CourseDueSoonMail(
      new UsersRepository(m.db),
      new PeopleDirectoryRepository(m.db),
      new MailPreferencesRepository(m.db),
      progress,
      clock,
      links,
      config,
    );
  });
  afterAll(() => m?.close());
  beforeEach(() => {
    sent = [];
  });

  /**
   * A course of two exercises, its group enrolment due in two days. `started` answered one
   * exercise, `done` both; `gone` is deactivated, `expired`'s licence ended; `own` has a personal
   * enrolment due later (the group's earlier date wins), `late` one due yesterday (the course is
   * overdue for them: no reminder); `elsewhere` is in a group whose enrolment is due in ten days.
   */
  async function world() {
    const tenant = await rows.tenant();
    const course = await rows.course(tenant, { title: 'Handling <complaints>' });
    const group = await rows.group(tenant);
    await rows.enrolment(tenant, course.id, { groupId: group, dueOn: day(2) });
    const people: Record<string, string> = {};
    for (const name of ['started', 'done', 'gone', 'expired', 'own', 'late']) {
      people[name] = await rows.user(tenant, {
        name: `Pim ${name}`,
        status: name === 'gone' ? 'deactivated' : undefined,
      });
      await rows.member(tenant, group, people[name]);
    }
    await rows.answer(tenant, people['started'], course, { exercise: 0 });
    await rows.answer(tenant, people['done'], course, { exercise: 0 });
    await rows.answer(tenant, people['done'], course, { exercise: 1 });
    await rows.licence(tenant, people['expired'], day(-1));
    await rows.enrolment(tenant, course.id, { userId: people['own'], dueOn: day(20) });
    await rows.enrolment(tenant, course.id, { userId: people['late'], dueOn: day(-1) });
    const later = await rows.group(tenant);
    people['elsewhere'] = await rows.user(tenant);
    await rows.member(tenant, later, people['elsewhere']);
    const other = await rows.course(tenant);
    await rows.enrolment(tenant, other.id, { groupId: later, dueOn: day(10) });
    return { tenant, course, group, people };
  }

  it('reminds each trainee whose unfinished course is due within the days, once per due date', async () => {
    const w = await world();
    await sweeper().sweep();
    const mine = sent.filter((s) => s.courseId === w.course.id);
    expect(mine.map((s) => s.userId).sort()).toEqual([w.people['started'], w.people['own']].sort());
    expect(mine[0]).toMatchObject({ dueOn: day(2), jobId: `${mine[0].userId}:${w.course.id}:${day(2)}` });
    expect(sent.filter((s) => s.userId === w.people['elsewhere'])).toEqual([]);
    // each person's course and date looked at once, reminded or finished (not again every quarter
    // of an hour); those who cannot receive it now (deactivated, licence ended) are looked at again
    const looked: { user_id: string }[] = await m.db.query(
      `SELECT user_id FROM course_reminders WHERE course_id = $1`,
      [w.course.id],
    );
    expect(looked.map((r) => r.user_id).sort()).toEqual(['started', 'done', 'own'].map((p) => w.people[p]).sort());

    // the next sweeps: nothing again
    sent = [];
    await sweeper().sweep();
    expect(sent.filter((s) => s.courseId === w.course.id)).toEqual([]);

    // the due date moved a day later: reminded again, for that date
    await m.db.query(`UPDATE enrolments SET due_on = $2 WHERE group_id = $1`, [w.group, day(3)]);
    await sweeper().sweep();
    expect(sent.filter((s) => s.courseId === w.course.id).map((s) => [s.userId, s.dueOn])).toEqual(
      expect.arrayContaining([[w.people['started'], day(3)]]),
    );
    // the ten-day course comes in with a window of ten days; none with 0 (turned off)
    sent = [];
    expect(await sweeper(0).sweep()).toBe(0);
    await sweeper(10).sweep();
    expect(sent.filter((s) => s.userId === w.people['elsewhere'])).toHaveLength(1);
  });

  it('reminds once when several workers sweep at the same moment, and once, later, after a failed queueing', async () => {
    const w = await world();
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const failing = {
      sendMany: async () => {
        throw new Error('Redis is away');
      },
    } as unknown as MailProducer;
    await sweeper(3, failing).sweep();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('Redis is away'));
    warn.mockRestore();
    // claimed, and its e-mail kept in PostgreSQL: the sweeps queue it no more
    await Promise.all([sweeper().sweep(), sweeper().sweep(), sweeper().sweep()]);
    expect(sent.filter((s) => s.userId === w.people['started'])).toHaveLength(0);
    // the kept e-mails' sweep sends it, once its job has had time to be sent
    const later = { now: () => new Date(Date.now() + 10 * 60_000) } as Clock;
    const outbox = new MailOutboxSweeper(
      new MailOutboxRepository(m.db),
      mail,
      later,
      { ...config, MAIL_SWEEP_AFTER_SECONDS: 120 } as AppConfig,
      createMetrics('test'),
    );
    await outbox.sweep();
    expect(sent.filter((s) => s.userId === w.people['started'])).toEqual([
      expect.objectContaining({
        courseId: w.course.id,
        dueOn: day(2),
        jobId: `${w.people['started']}:${w.course.id}:${day(2)}`,
      }),
    ]);
  });

  it('releases a reminder whose e-mail could not be kept (PostgreSQL away a moment): the next sweep sends it', async () => {
    const w = await world();
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const failing = {
      keep: async () => {
        throw new Error('PostgreSQL is away');
      },
    } as unknown as MailOutboxRepository;
    await sweeper(3, mail, failing).sweep();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('PostgreSQL is away'));
    warn.mockRestore();
    expect(sent.filter((s) => s.userId === w.people['started'])).toHaveLength(0);
    await sweeper().sweep();
    expect(sent.filter((s) => s.userId === w.people['started'])).toHaveLength(1);
  });

  it('says how far the trainee is, when the course is due, and links to it, in their language', async () => {
    const w = await world();
    const job = { userId: w.people['started'], courseId: w.course.id, dueOn: day(2) };
    const composed = await compose.compose(job);
    const date = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(
      new Date(`${day(2)}T00:00:00Z`),
    );
    expect(composed?.mail.subject).toBe(`“Handling <complaints>” is due on ${date}`);
    expect(composed?.mail.text).toBe(
      `Hello Pim started,\n\nYou have answered 1 of the 2 exercises of “Handling <complaints>”. The course is due on ${date}.\nContinue the course: https://rehearse.example.test/learn/${w.course.id}\n` +
        `\nStop e-mails like this one:\nhttps://rehearse.example.test/unsubscribe?u=${job.userId}&t=course_due&s=${links.signature(job.userId, 'course_due')}\n` +
        'Choose which e-mails you receive on your account page:\nhttps://rehearse.example.test/account\n',
    );
    expect(composed?.mail.list).toEqual({
      unsubscribe: `https://rehearse.example.test/api/mail/unsubscribe?u=${job.userId}&t=course_due&s=${links.signature(job.userId, 'course_due')}`,
    });
    expect(composed?.mail.html).toContain('“Handling &lt;complaints&gt;”');
    await m.db.query(`UPDATE users SET locale = 'nl' WHERE id = $1`, [w.people['started']]);
    const nl = await compose.compose(job);
    expect(nl?.mail.text).toContain('Je hebt 1 van de 2 oefeningen van “Handling <complaints>” beantwoord.');
    expect(nl?.mail.text).toContain('Ga verder met de cursus');
  });

  it('sends nothing once the course is finished, its due date moved, the licence ended or the person left', async () => {
    const w = await world();
    const job = (who: string) => ({ userId: w.people[who], courseId: w.course.id, dueOn: day(2) });
    expect(await compose.compose(job('done'))).toBeNull();
    expect(await compose.compose(job('gone'))).toBeNull();
    expect(await compose.compose(job('expired'))).toBeNull();
    expect(await compose.compose({ ...job('started'), dueOn: day(1) })).toBeNull();
    expect(await compose.compose(job('started'))).not.toBeNull();
    await rows.answer(w.tenant, w.people['started'], w.course, { exercise: 1 });
    expect(await compose.compose(job('started'))).toBeNull();
    // no longer in the group: not enrolled
    expect(await compose.compose(job('own'))).not.toBeNull();
    await m.db.query(`DELETE FROM group_members WHERE user_id = $1`, [w.people['own']]);
    await m.db.query(`DELETE FROM enrolments WHERE user_id = $1`, [w.people['own']]);
    expect(await compose.compose(job('own'))).toBeNull();
  });

  it('queues no reminder for a trainee who turned them off, and reminds them once they turn them on again before the due date', async () => {
    const w = await world();
    const preferences = new MailPreferencesRepository(m.db);
    await preferences.set(w.tenant, w.people['started'], { course_due: false });
    await sweeper().sweep();
    await sweeper().sweep();
    expect(sent.filter((s) => s.courseId === w.course.id).map((s) => s.userId)).toEqual([w.people['own']]);
    // on again the day after: the next sweep reminds them, once
    await preferences.set(w.tenant, w.people['started'], { course_due: true });
    await sweeper().sweep();
    await sweeper().sweep();
    expect(sent.filter((s) => s.courseId === w.course.id).map((s) => s.userId)).toEqual([
      w.people['own'],
      w.people['started'],
    ]);
  });

  it('reminds a trainee whose licence is renewed or whose account comes back before the due date, once', async () => {
    const w = await world();
    await sweeper().sweep();
    const reminded = () => sent.filter((s) => s.courseId === w.course.id).map((s) => s.userId);
    expect(reminded()).not.toContain(w.people['expired']);
    expect(reminded()).not.toContain(w.people['gone']);
    await m.db.query(`UPDATE licences SET expires_on = $2 WHERE user_id = $1`, [w.people['expired'], day(90)]);
    await m.db.query(`UPDATE users SET status = 'active' WHERE id = $1`, [w.people['gone']]);
    sent = [];
    await sweeper().sweep();
    await sweeper().sweep();
    expect(reminded().sort()).toEqual([w.people['expired'], w.people['gone']].sort());
  });

  it('sends nothing to a trainee who turned reminders of courses due off, and again once they turn them on', async () => {
    const w = await world();
    const job = { userId: w.people['started'], courseId: w.course.id, dueOn: day(2) };
    const preferences = new MailPreferencesRepository(m.db);
    await preferences.set(w.tenant, w.people['started'], { course_due: false, feedback_published: true });
    expect(await compose.compose(job)).toBeNull();
    await preferences.set(w.tenant, w.people['started'], { course_due: true });
    expect(await compose.compose(job)).not.toBeNull();
  });
});
