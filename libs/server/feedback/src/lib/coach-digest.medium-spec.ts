/**
 * The coach's morning e-mail on real PostgreSQL (the medium tier): the worker's sweep (who is
 * mailed, from which hour, once a day however many workers sweep) and the composer (what the
 * e-mail says, counted with the queue's own statements). A fake mail queue; a clock set per case.
 */
import { Logger } from '@nestjs/common';
import { PeopleDirectoryRepository, UsersRepository } from '@rehearse/server/accounts';
import { type AppConfig, Clock, SecretBox } from '@rehearse/server/core';
import { openMediumDatabase, type MediumDatabase, type Rows } from '@rehearse/server/database';
import { type MailProducer, UnsubscribeLinks } from '@rehearse/server/mail';
import type { MailJobName } from '@rehearse/shared/contracts';
import { CoachDigestSweeper } from './coach-digest.sweeper';
import { CoachDigestsRepository } from './coach-digests.repository';
import { CoachQueueRepository } from './coach-queue.repository';
import { FeedbackFootprintRepository } from './feedback-footprint.repository';
import { CoachDigestMail } from './mail/coach-digest.mail';

const DAY = 86_400_000;

describe("the coach's morning e-mail (medium tier: the sweep, the claim and the composer)", () => {
  let m: MediumDatabase;
  let rows: Rows;
  let digests: CoachDigestsRepository;
  let compose: CoachDigestMail;
  const clock = new Clock();
  const config = { PUBLIC_URL: 'https://rehearse.example.test', COACH_DIGEST_HOUR: 6 } as AppConfig;
  const links = new UnsubscribeLinks(config, new SecretBox('medium-tier-secret-of-at-least-32-chars'));
  /** what the sweeps queued: the job's name, payload and id */
  let sent: { name: MailJobName; coachId: string; jobId: string }[] = [];
  const mail = {
    send: async (name: MailJobName, payload: { coachId: string }, jobId: string) => {
      sent.push({ name, coachId: payload.coachId, jobId });
    },
  } as unknown as MailProducer;
  const sweeper = (hour: AppConfig['COACH_DIGEST_HOUR'] = 6) =>
    new CoachDigestSweeper(new PeopleDirectoryRepository(m.db), digests, mail, clock, {
      ...config,
      COACH_DIGEST_HOUR: hour,
    });

  /** The clock at hh:30 UTC on today's date (plus `days`). */
  function at(hourUtc: number, days = 0): string {
    const d = new Date();
    d.setUTCHours(hourUtc, 30, 0, 0);
    clock.reset();
    clock.advance(d.getTime() + days * DAY - Date.now());
    return clock.today();
  }

  beforeAll(async () => {
    m = await openMediumDatabase();
    rows = m.rows;
    digests = new CoachDigestsRepository(m.db);
    compose = new CoachDigestMail(
      new UsersRepository(m.db),
      digests,
      new CoachQueueRepository(m.db, new PeopleDirectoryRepository(m.db)),
      clock,
      links,
      config,
    );
  });
  afterAll(() => m?.close());
  beforeEach(() => {
    sent = [];
    clock.reset();
  });

  /**
   * A coach of one group: two answers waiting in "Sales <basics>" (one submitted ten days ago, so
   * overdue) and one in "Service"; a participant of another group answered too.
   */
  async function coachWithAnswers(opts: { coachStatus?: string; locale?: string } = {}) {
    const tenant = await rows.tenant();
    const coach = await rows.user(tenant, { roles: ['coach'], name: 'Cora', status: opts.coachStatus });
    if (opts.locale) await m.db.query(`UPDATE users SET locale = $2 WHERE id = $1`, [coach, opts.locale]);
    const group = await rows.group(tenant);
    await rows.member(tenant, group, coach, 'coach');
    const sales = await rows.course(tenant, { title: 'Sales <basics>' });
    const service = await rows.course(tenant, { title: 'Service' });
    for (const course of [sales, service]) await rows.enrolment(tenant, course.id, { groupId: group });
    const people = [await rows.user(tenant), await rows.user(tenant), await rows.user(tenant)];
    for (const p of people) await rows.member(tenant, group, p);
    await rows.answer(tenant, people[0], sales, { submittedAt: new Date(Date.now() - 10 * DAY) });
    await rows.answer(tenant, people[1], sales);
    await rows.answer(tenant, people[2], service);
    const elsewhere = await rows.group(tenant);
    const outsider = await rows.user(tenant);
    await rows.member(tenant, elsewhere, outsider);
    await rows.enrolment(tenant, sales.id, { groupId: elsewhere });
    await rows.answer(tenant, outsider, sales);
    return { tenant, coach, people, sales, service };
  }

  const mailedTo = (coach: string) => sent.filter((s) => s.coachId === coach);

  it('queues one e-mail a day for each coach, from the configured hour on, never twice a day', async () => {
    const w = await coachWithAnswers();
    at(5);
    expect(await sweeper().sweep()).toBe(0);
    expect(mailedTo(w.coach)).toEqual([]);

    const today = at(6);
    await sweeper().sweep();
    expect(mailedTo(w.coach)).toEqual([{ name: 'coach-digest', coachId: w.coach, jobId: `${w.coach}:${today}` }]);
    at(9);
    await sweeper().sweep();
    at(23);
    await sweeper().sweep();
    expect(mailedTo(w.coach)).toHaveLength(1);

    const tomorrow = at(6, 1);
    await sweeper().sweep();
    expect(mailedTo(w.coach).map((s) => s.jobId)).toEqual([`${w.coach}:${today}`, `${w.coach}:${tomorrow}`]);
  });

  it("counts the hour and the day on the installation's calendar (TIME_ZONE)", async () => {
    const w = await coachWithAnswers();
    clock.useTimeZone('Asia/Tokyo'); // UTC+9, no summer time
    try {
      // 20:30 UTC is 05:30 the next morning in Tokyo: not yet; 21:30 UTC is 06:30 there
      at(20);
      expect(await sweeper().sweep()).toBe(0);
      const tokyoDay = at(21);
      expect(tokyoDay).toBe(new Date(Date.parse(`${clock.utcToday()}T00:00:00Z`) + DAY).toISOString().slice(0, 10));
      await sweeper().sweep();
      expect(mailedTo(w.coach)).toEqual([{ name: 'coach-digest', coachId: w.coach, jobId: `${w.coach}:${tokyoDay}` }]);
      // 02:30 UTC the next day is still that day in Tokyo (11:30): not twice
      at(2, 1);
      await sweeper().sweep();
      expect(mailedTo(w.coach)).toHaveLength(1);
    } finally {
      clock.useTimeZone('UTC');
    }
  });

  it('mails a coach once when two workers sweep at the same moment', async () => {
    const w = await coachWithAnswers();
    at(7, 2);
    await Promise.all([sweeper().sweep(), sweeper().sweep(), sweeper().sweep()]);
    expect(mailedTo(w.coach)).toHaveLength(1);
  });

  it('leaves out a coach who turned it off (until they turn it on), a deactivated coach, and everyone when it is off', async () => {
    const off = await coachWithAnswers();
    const gone = await coachWithAnswers({ coachStatus: 'deactivated' });
    const on = await coachWithAnswers();
    await digests.setEnabled(off.tenant, off.coach, false);
    const day = at(7, 3);
    await sweeper('off').sweep();
    expect(sent).toEqual([]);
    await sweeper().sweep();
    expect(mailedTo(off.coach)).toEqual([]);
    expect(mailedTo(gone.coach)).toEqual([]);
    expect(mailedTo(on.coach)).toHaveLength(1);
    expect(await digests.enabled(off.tenant, off.coach)).toBe(false);
    // what a coach's data export says of it
    const footprint = new FeedbackFootprintRepository(m.db);
    expect(await footprint.coachDigestOf(off.tenant, off.coach, m.db)).toEqual({
      enabled: false,
      lastLookedAtOn: null,
    });
    expect(await footprint.coachDigestOf(on.tenant, on.coach, m.db)).toEqual({ enabled: true, lastLookedAtOn: day });
    expect(await footprint.coachDigestOf(on.tenant, on.people[0], m.db)).toBeNull();

    // another organisation's id does not reach the coach's row
    await digests.setEnabled(on.tenant, off.coach, true);
    expect(await digests.enabled(off.tenant, off.coach)).toBe(false);

    await digests.setEnabled(off.tenant, off.coach, true);
    at(7, 4);
    await sweeper().sweep();
    expect(mailedTo(off.coach)).toHaveLength(1);
  });

  it('a coach whose e-mail could not be queued is looked at again by the next sweep', async () => {
    const w = await coachWithAnswers();
    const failing = {
      send: async () => {
        throw new Error('Redis is away');
      },
    } as unknown as MailProducer;
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    at(7, 5);
    const broken = new CoachDigestSweeper(new PeopleDirectoryRepository(m.db), digests, failing, clock, config);
    expect(await broken.sweep()).toBe(0);
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining(`could not queue the digest of coach ${w.coach}: Redis is away`),
    );
    warn.mockRestore();
    await sweeper().sweep();
    expect(mailedTo(w.coach)).toHaveLength(1);
  });

  it('says how many answers wait, how many longer than a week and how many in each course, with links to the queue and the account page', async () => {
    const w = await coachWithAnswers();
    const composed = await compose.compose({ coachId: w.coach });
    expect(composed?.mail.subject).toBe('3 answers wait for your feedback');
    expect(composed?.mail.to).toMatch(/@medium\.test$/);
    expect(composed?.mail.text).toBe(
      [
        'Hello Cora,',
        '',
        '3 answers of your participants wait for your feedback. 1 of them has waited more than 7 days.',
        '',
        'By course:',
        '- Sales <basics>: 2',
        '- Service: 1',
        '',
        'Open your queue: https://rehearse.example.test/coaching/reviews',
        '',
        'You receive this e-mail each morning while answers wait for you.',
        '',
        'Stop e-mails like this one:',
        `https://rehearse.example.test/unsubscribe?u=${w.coach}&t=coach_digest&s=${links.signature(w.coach, 'coach_digest')}`,
        'Choose which e-mails you receive on your account page:',
        'https://rehearse.example.test/account',
        '',
      ].join('\n'),
    );
    // mail programs' "unsubscribe" button: one POST to the signed address stops it (RFC 8058)
    expect(composed?.mail.list).toEqual({
      unsubscribe: `https://rehearse.example.test/api/mail/unsubscribe?u=${w.coach}&t=coach_digest&s=${links.signature(w.coach, 'coach_digest')}`,
    });
    expect(composed?.mail.headers).toEqual({ 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' });
    expect(composed?.mail.html).toContain('<li>Sales &lt;basics&gt;: 2</li>');
    expect(composed?.mail.html).not.toContain('<basics>');
    // no participant is named
    for (const p of w.people) expect(composed?.mail.text).not.toContain(p);
    expect(composed?.mail.text).not.toMatch(/Person \d/);
  });

  it('writes in Dutch to a Dutch coach, with the plural forms of one answer', async () => {
    const w = await coachWithAnswers({ locale: 'nl' });
    const composed = await compose.compose({ coachId: w.coach });
    expect(composed?.mail.subject).toBe('3 antwoorden wachten op je feedback');
    expect(composed?.mail.text).toContain(
      '3 antwoorden van je deelnemers wachten op je feedback. 1 daarvan wacht al langer dan 7 dagen.',
    );
    expect(composed?.mail.text).toContain('Per cursus:\n- Sales <basics>: 2\n- Service: 1');

    // one answer left, and overdue: "it has waited"
    await m.db.query(`DELETE FROM answers WHERE tenant_id = $1 AND user_id = ANY($2)`, [w.tenant, w.people.slice(1)]);
    const one = await compose.compose({ coachId: w.coach });
    expect(one?.mail.subject).toBe('1 antwoord wacht op je feedback');
    expect(one?.mail.text).toContain(
      'Eén antwoord van je deelnemers wacht op je feedback. Het wacht al langer dan 7 dagen.',
    );
  });

  it('sends nothing when no answer waits any more, after the coach turned it off, or to a deactivated coach', async () => {
    const w = await coachWithAnswers();
    await digests.setEnabled(w.tenant, w.coach, false);
    expect(await compose.compose({ coachId: w.coach })).toBeNull();
    await digests.setEnabled(w.tenant, w.coach, true);
    expect(await compose.compose({ coachId: w.coach })).not.toBeNull();
    await m.db.query(`UPDATE users SET status = 'deactivated' WHERE id = $1`, [w.coach]);
    expect(await compose.compose({ coachId: w.coach })).toBeNull();

    const done = await coachWithAnswers();
    // a coach's published review takes an answer off the queue: none left
    for (const answer of (await m.db.query(`SELECT id FROM answers WHERE tenant_id = $1`, [done.tenant])) as {
      id: string;
    }[])
      await rows.review(done.tenant, answer.id, done.coach);
    expect(await compose.compose({ coachId: done.coach })).toBeNull();
  });
});
