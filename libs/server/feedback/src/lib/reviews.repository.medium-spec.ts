/**
 * ReviewsRepository on real PostgreSQL (the medium tier): which reviews each question answers,
 * their comments in order, and nothing of another organisation.
 */
import { openMediumDatabase, type MediumDatabase, type Rows } from '@rehearse/server/database';
import { ReviewsRepository } from './reviews.repository';

describe('ReviewsRepository (medium tier)', () => {
  let m: MediumDatabase;
  let rows: Rows;
  let reviews: ReviewsRepository;

  beforeAll(async () => {
    m = await openMediumDatabase();
    rows = m.rows;
    reviews = new ReviewsRepository(m.db);
  });
  afterAll(() => m?.close());

  const comment = (tenantId: string, reviewId: string, idx: number, atS: number, text: string) =>
    m.db.query(`INSERT INTO review_comments (tenant_id, review_id, idx, at_s, text) VALUES ($1, $2, $3, $4, $5)`, [
      tenantId,
      reviewId,
      idx,
      atS,
      text,
    ]);

  /** An answer with a coach's published review (two comments), a peer's published one, and a peer's lapsed one. */
  async function answerWithReviews() {
    const tenant = await rows.tenant();
    const owner = await rows.user(tenant);
    const coach = await rows.user(tenant, { roles: ['coach'] });
    const peer = await rows.user(tenant);
    const late = await rows.user(tenant);
    const course = await rows.course(tenant);
    const answer = await rows.answer(tenant, owner, course);
    const byCoach = await rows.review(tenant, answer, coach, { summary: 'Clear opening' });
    await comment(tenant, byCoach, 0, 12.5, 'later');
    await comment(tenant, byCoach, 1, 3, 'earlier');
    const byPeer = await rows.review(tenant, answer, peer, { source: 'peer' });
    const lapsed = await rows.review(tenant, answer, late, { source: 'peer', state: 'lapsed' });
    return { tenant, answer, coach, peer, late, byCoach, byPeer, lapsed };
  }

  it('loads one review by id with its comments in time order, and none of another organisation', async () => {
    const a = await answerWithReviews();
    const b = await answerWithReviews();
    const [loaded] = await reviews.load(a.tenant, { id: a.byCoach });
    expect(loaded.review).toMatchObject({ id: a.byCoach, answerId: a.answer, source: 'coach', state: 'published' });
    expect(loaded.review.summary).toBe('Clear opening');
    expect(loaded.review.comments.map((c) => [c.at, c.text])).toEqual([
      [3, 'earlier'],
      [12.5, 'later'],
    ]);
    expect(await reviews.load(a.tenant, { id: b.byCoach })).toEqual([]);
    expect(await reviews.reviews(b.tenant, { answerId: a.answer, published: true })).toEqual([]);
  });

  it("an answer's published reviews, all or but one source's; never a lapsed one", async () => {
    const a = await answerWithReviews();
    const all = await reviews.reviews(a.tenant, { answerId: a.answer, published: true });
    expect(all.map((r) => r.id).sort()).toEqual([a.byCoach, a.byPeer].sort());
    const others = await reviews.reviews(a.tenant, { answerId: a.answer, published: true, exceptSource: 'coach' });
    expect(others.map((r) => r.id)).toEqual([a.byPeer]);
    expect(others[0].comments).toEqual([]);
  });

  it("a reviewer's live review of an answer: theirs only, a lapsed one is not live", async () => {
    const a = await answerWithReviews();
    expect(
      (await reviews.load(a.tenant, { answerId: a.answer, reviewerId: a.peer, notLapsed: true })).map(
        (x) => x.review.id,
      ),
    ).toEqual([a.byPeer]);
    expect(await reviews.load(a.tenant, { answerId: a.answer, reviewerId: a.late, notLapsed: true })).toEqual([]);
  });
});
