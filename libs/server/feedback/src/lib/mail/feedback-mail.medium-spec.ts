/**
 * Feedback's e-mails on real PostgreSQL (the medium tier): each composer reads the review, the
 * answer and the recipient through their owners' repositories, writes in the recipient's language,
 * and has nothing to send once the state the job named has moved on.
 */
import { PeopleDirectoryRepository } from '@rehearse/server/accounts';
import { type AppConfig, Clock, SecretBox } from '@rehearse/server/core';
import { MailPreferencesRepository, UsersRepository } from '@rehearse/server/accounts';
import { openMediumDatabase, type MediumDatabase, type Rows } from '@rehearse/server/database';
import { AnswerRecordingsRepository } from '@rehearse/server/recordings';
import { LearningRepository } from '@rehearse/server/courses';
import { AnswerViewsRepository } from '../answer-views.repository';
import { ReviewsRepository } from '../reviews.repository';
import { FeedbackPublishedMail } from './feedback-published.mail';
import { PeerReviewAssignedMail } from './peer-review-assigned.mail';
import { PeerReviewReminderMail } from './peer-review-reminder.mail';
import { PeerReviewMails } from './peer-review-mail';
import { UnsubscribeLinks } from '@rehearse/server/mail';

describe("feedback's e-mails (medium tier)", () => {
  let m: MediumDatabase;
  let rows: Rows;
  let published: FeedbackPublishedMail;
  let assigned: PeerReviewAssignedMail;
  let reminder: PeerReviewReminderMail;
  let reviews: ReviewsRepository;
  let preferences: MailPreferencesRepository;
  const config = { PUBLIC_URL: 'https://rehearse.example.test' } as AppConfig;
  const links = new UnsubscribeLinks(config, new SecretBox('medium-tier-secret-of-at-least-32-chars'));
  /** the end of an e-mail the person may stop, in English */
  const footer = (userId: string, topic: 'feedback_published' | 'peer_reviews') =>
    `\nStop e-mails like this one:\nhttps://rehearse.example.test/unsubscribe?u=${userId}&t=${topic}&s=${links.signature(userId, topic)}\n` +
    'Choose which e-mails you receive on your account page:\nhttps://rehearse.example.test/account\n';

  beforeAll(async () => {
    m = await openMediumDatabase();
    rows = m.rows;
    reviews = new ReviewsRepository(m.db, new PeopleDirectoryRepository(m.db));
    const users = new UsersRepository(m.db);
    preferences = new MailPreferencesRepository(m.db);
    published = new FeedbackPublishedMail(
      reviews,
      new AnswerViewsRepository(
        m.db,
        new PeopleDirectoryRepository(m.db),
        new AnswerRecordingsRepository(m.db),
        new LearningRepository(m.db),
      ),
      users,
      preferences,
      links,
      config,
    );
    const peerMails = new PeerReviewMails(
      reviews,
      users,
      preferences,
      new LearningRepository(m.db),
      new Clock(),
      links,
      config,
    );
    assigned = new PeerReviewAssignedMail(peerMails);
    reminder = new PeerReviewReminderMail(peerMails);
  });
  afterAll(() => m?.close());

  async function answered(owner: { locale?: string; status?: string } = {}) {
    const tenant = await rows.tenant();
    const trainee = await rows.user(tenant, { name: 'Pim <Participant>', status: owner.status });
    if (owner.locale) await m.db.query(`UPDATE users SET locale = $2 WHERE id = $1`, [trainee, owner.locale]);
    const coach = await rows.user(tenant, { roles: ['coach'] });
    const peer = await rows.user(tenant, { name: 'Rik' });
    const course = await rows.course(tenant);
    const answer = await rows.answer(tenant, trainee, course, { exercise: 1 });
    return { tenant, trainee, coach, peer, answer };
  }

  it("tells the trainee their coach's feedback arrived, naming the exercise (escaped in HTML), with a link to the answer", async () => {
    const a = await answered();
    const review = await rows.review(a.tenant, a.answer, a.coach);
    const composed = await published.compose({ reviewId: review });
    expect(composed?.mail).toMatchObject({
      to: expect.stringMatching(/@medium\.test$/),
      subject: 'New feedback on “Exercise 2”',
    });
    expect(composed?.mail.text).toBe(
      `Hello Pim <Participant>,\n\nYour coach has given you feedback on “Exercise 2”. Read it here:\nhttps://rehearse.example.test/answers/${a.answer}\n` +
        footer(a.trainee, 'feedback_published'),
    );
    expect(composed?.mail.html).toContain('<p>Hello Pim &lt;Participant&gt;,</p>');
    // mail programs show List-Unsubscribe as a button: one POST to the signed address (RFC 8058)
    expect(composed?.mail.list).toEqual({
      unsubscribe: `https://rehearse.example.test/api/mail/unsubscribe?u=${a.trainee}&t=feedback_published&s=${links.signature(a.trainee, 'feedback_published')}`,
    });
    expect(composed?.mail.headers).toEqual({ 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' });
  });

  it('sends the trainee no e-mail about feedback once they turned it off, and again once they turn it on', async () => {
    const a = await answered();
    const review = await rows.review(a.tenant, a.answer, a.coach);
    await preferences.set(a.tenant, a.trainee, { feedback_published: false });
    expect(await published.compose({ reviewId: review })).toBeNull();
    // another person's choice, or another kind of e-mail turned off, changes nothing for them
    await preferences.set(a.tenant, a.trainee, { feedback_published: true, peer_reviews: false });
    expect(await published.compose({ reviewId: review })).not.toBeNull();
  });

  it('asks and reminds no peer who turned peer-review e-mails off', async () => {
    const a = await answered();
    const open = await rows.review(a.tenant, a.answer, a.peer, { source: 'peer', state: 'draft' });
    await m.db.query(`UPDATE reviews SET due_at = now() + interval '12 hours' WHERE id = $1`, [open]);
    await preferences.set(a.tenant, a.trainee, { peer_reviews: false }); // the answer's owner: not the reviewer
    expect(await assigned.compose({ reviewId: open })).not.toBeNull();
    await preferences.set(a.tenant, a.peer, { peer_reviews: false, feedback_published: true });
    expect(await assigned.compose({ reviewId: open })).toBeNull();
    expect(await reminder.compose({ reviewId: open })).toBeNull();
  });

  it('writes to a Dutch trainee in Dutch, says "a colleague" for a peer, and sends nothing for a draft or to a deactivated trainee', async () => {
    const nl = await answered({ locale: 'nl' });
    const byPeer = await rows.review(nl.tenant, nl.answer, nl.peer, { source: 'peer' });
    expect((await published.compose({ reviewId: byPeer }))?.mail.text).toContain(
      'Een collega heeft je feedback gegeven op “Exercise 2”.',
    );
    const draft = await rows.review(nl.tenant, nl.answer, nl.coach, { state: 'draft' });
    expect(await published.compose({ reviewId: draft })).toBeNull();
    const gone = await answered({ status: 'deactivated' });
    expect(await published.compose({ reviewId: await rows.review(gone.tenant, gone.answer, gone.coach) })).toBeNull();
    expect(await published.compose({ reviewId: '00000000-0000-4000-8000-000000000000' })).toBeNull();
  });

  it('asks the peer for their review while it is open, with its due date, and not once it lapsed', async () => {
    const a = await answered();
    const open = await rows.review(a.tenant, a.answer, a.peer, { source: 'peer', state: 'draft' });
    await m.db.query(`UPDATE reviews SET due_at = '2026-12-14T12:00:00Z' WHERE id = $1`, [open]);
    const composed = await assigned.compose({ reviewId: open });
    expect(composed?.mail.subject).toBe('A colleague asks for your feedback');
    expect(composed?.mail.text).toBe(
      `Hello Rik,\n\nA colleague shared a practice answer with your group. Please review it by 14 December 2026.\nhttps://rehearse.example.test/review/${a.answer}\n` +
        footer(a.peer, 'peer_reviews'),
    );
    const lapsed = await rows.review(a.tenant, a.answer, a.coach, { source: 'peer', state: 'lapsed' });
    expect(await assigned.compose({ reviewId: lapsed })).toBeNull();
  });

  it('reminds the peer of a review due soon, in their language, and not once it is done or lapsed', async () => {
    const a = await answered();
    const open = await rows.review(a.tenant, a.answer, a.peer, { source: 'peer', state: 'draft' });
    await m.db.query(`UPDATE reviews SET due_at = '2026-12-14T12:00:00Z' WHERE id = $1`, [open]);
    const composed = await reminder.compose({ reviewId: open });
    expect(composed?.mail.subject).toBe('Reminder: your feedback for a colleague is due on 14 December 2026');
    expect(composed?.mail.text).toBe(
      `Hello Rik,\n\nA colleague is waiting for your feedback on a practice answer. It is due on 14 December 2026; after that it goes to someone else in your group.\nhttps://rehearse.example.test/review/${a.answer}\n` +
        footer(a.peer, 'peer_reviews'),
    );
    expect(composed?.mail.html).toContain(
      `<a href="https://rehearse.example.test/review/${a.answer}">Open the review</a>`,
    );
    await m.db.query(`UPDATE users SET locale = 'nl' WHERE id = $1`, [a.peer]);
    const dutch = await reminder.compose({ reviewId: open });
    expect(dutch?.mail.subject).toBe(
      'Herinnering: je feedback voor een collega wordt uiterlijk 14 december 2026 verwacht',
    );
    expect(dutch?.mail.html).toContain(
      `<p>Geen e-mails meer zoals deze: <a href="https://rehearse.example.test/unsubscribe?u=${a.peer}&amp;t=peer_reviews&amp;s=${links.signature(a.peer, 'peer_reviews')}">`,
    );
    expect(dutch?.mail.html).toContain(
      'Kies op je accountpagina welke e-mails je krijgt: <a href="https://rehearse.example.test/account">',
    );
    await m.db.query(`UPDATE reviews SET state = 'published', published_at = now() WHERE id = $1`, [open]);
    expect(await reminder.compose({ reviewId: open })).toBeNull();
    const lapsed = await rows.review(a.tenant, a.answer, a.coach, { source: 'peer', state: 'lapsed' });
    expect(await reminder.compose({ reviewId: lapsed })).toBeNull();
  });

  it('asks and reminds nobody about an answer hidden since (its owner’s licence ended): the link would lead nowhere', async () => {
    const a = await answered();
    const open = await rows.review(a.tenant, a.answer, a.peer, { source: 'peer', state: 'draft' });
    await m.db.query(`UPDATE reviews SET due_at = now() + interval '12 hours' WHERE id = $1`, [open]);
    expect(await assigned.compose({ reviewId: open })).not.toBeNull();
    expect(await reminder.compose({ reviewId: open })).not.toBeNull();
    await rows.licence(a.tenant, a.trainee, '2020-01-01');
    expect(await assigned.compose({ reviewId: open })).toBeNull();
    expect(await reminder.compose({ reviewId: open })).toBeNull();
  });

  it('marks for a reminder, once, the open peer reviews due within the window that were given before it, in every organisation', async () => {
    const now = new Date('2031-03-10T12:00:00Z');
    const hour = 3_600_000;
    const at = (h: number) => new Date(now.getTime() + h * hour);
    const a = await answered();
    const b = await answered();
    const peer = async (
      x: { tenant: string; answer: string; peer: string; coach: string },
      who: string,
      due: Date,
      assignedAt: Date,
      state: 'draft' | 'published' | 'lapsed' = 'draft',
    ) => {
      const id = await rows.review(x.tenant, x.answer, who, { source: 'peer', state });
      await m.db.query(`UPDATE reviews SET due_at = $2, assigned_at = $3 WHERE id = $1`, [id, due, assignedAt]);
      return id;
    };
    const dueSoon = await peer(a, a.peer, at(20), at(-100));
    const otherOrganisation = await peer(b, b.peer, at(2), at(-30));
    await peer(a, a.coach, at(30), at(-100)); // due after the window
    await peer(a, a.trainee, at(20), at(-5)); // given five hours ago, with less than a day
    await peer(b, b.coach, at(-1), at(-100)); // overdue: the lapse sweep's
    await peer(b, b.trainee, at(10), at(-100), 'published'); // done
    const marked = await reviews.remindDueSoon(now, 24 * hour);
    expect(marked.sort((x, y) => x.id.localeCompare(y.id))).toEqual(
      [
        { id: dueSoon, tenant_id: a.tenant, reviewer_id: a.peer },
        { id: otherOrganisation, tenant_id: b.tenant, reviewer_id: b.peer },
      ].sort((x, y) => x.id.localeCompare(y.id)),
    );
    expect(await reviews.remindDueSoon(at(1), 24 * hour)).toEqual([]);
  });
});
