/**
 * Feedback's answer to courses (AnswerFeedbackRepository) on real PostgreSQL: the coach and peer
 * reviews published on a trainee's answers, newest first — not drafts, lapsed or self reviews, not
 * another organisation's.
 */
import { openMediumDatabase, type MediumDatabase, type Rows } from '@rehearse/server/database';
import { AnswerFeedbackRepository } from './answer-feedback.repository';

describe('feedback answering courses (medium tier)', () => {
  let m: MediumDatabase;
  let rows: Rows;
  let feedback: AnswerFeedbackRepository;

  beforeAll(async () => {
    m = await openMediumDatabase();
    rows = m.rows;
    feedback = new AnswerFeedbackRepository(m.db);
  });
  afterAll(() => m?.close());

  it('lists the published coach and peer reviews of the answers, newest first, at most the limit', async () => {
    const tenant = await rows.tenant();
    const trainee = await rows.user(tenant);
    const coach = await rows.user(tenant, { roles: ['coach'] });
    const peer = await rows.user(tenant);
    const course = await rows.course(tenant);
    const first = await rows.answer(tenant, trainee, course);
    const second = await rows.answer(tenant, trainee, course, { attempt: 2 });
    const coachReview = await rows.review(tenant, first, coach);
    const peerReview = await rows.review(tenant, second, peer, { source: 'peer' });
    await rows.review(tenant, second, coach, { state: 'draft' });
    await rows.review(tenant, first, peer, { source: 'peer', state: 'lapsed' });
    await m.db.query(
      `INSERT INTO reviews (tenant_id, answer_id, reviewer_id, source, state, assigned_at, published_at, updated_at)
       VALUES ($1, $2, $3, 'self', 'published', now(), now(), now())`,
      [tenant, first, trainee],
    );
    // the coach's review an hour older than the peer's
    await m.db.query(`UPDATE reviews SET published_at = now() - interval '1 hour' WHERE id = $1`, [coachReview]);

    const published = await feedback.recentlyPublished(tenant, [first, second], 5);
    expect(published.map((p) => [p.answer_id, p.source])).toEqual([
      [second, 'peer'],
      [first, 'coach'],
    ]);
    expect(published[0].published_at).toBeInstanceOf(Date);
    expect((await feedback.recentlyPublished(tenant, [first, second], 1)).map((p) => p.answer_id)).toEqual([second]);
    expect(await feedback.recentlyPublished(tenant, [first], 5)).toHaveLength(1);
    expect(await feedback.recentlyPublished(await rows.tenant(), [first, second], 5)).toEqual([]);
    expect(await feedback.recentlyPublished(tenant, [], 5)).toEqual([]);
    expect(peerReview).toBeDefined();
  });
});
