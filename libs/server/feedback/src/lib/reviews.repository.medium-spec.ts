/**
 * ReviewsRepository on real PostgreSQL (the medium tier): which reviews each question answers,
 * their comments in order, and nothing of another organisation.
 */
import { PeopleDirectoryRepository } from '@rehearse/server/accounts';
import { openMediumDatabase, type MediumDatabase, type Rows } from '@rehearse/server/database';
import { AnswerSharesRepository } from './answer-shares.repository';
import { ReviewsRepository } from './reviews.repository';

describe('ReviewsRepository (medium tier)', () => {
  let m: MediumDatabase;
  let rows: Rows;
  let reviews: ReviewsRepository;
  let shares: AnswerSharesRepository;

  beforeAll(async () => {
    m = await openMediumDatabase();
    rows = m.rows;
    reviews = new ReviewsRepository(m.db, new PeopleDirectoryRepository(m.db));
    shares = new AnswerSharesRepository(m.db);
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
    return { tenant, owner, answer, coach, peer, late, byCoach, byPeer, lapsed };
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

  it('a coach’s live review with the published reviews of other sources, read together: as the two reads give them', async () => {
    const a = await answerWithReviews();
    const draftCoach = await rows.user(a.tenant, { roles: ['coach'] });
    const draft = await rows.review(a.tenant, a.answer, draftCoach, { state: 'draft', summary: 'Half way' });
    await comment(a.tenant, draft, 0, 4, 'pace');
    const self = await rows.review(a.tenant, a.answer, a.owner, { source: 'self' });
    for (const coach of [draftCoach, a.coach, a.late, a.owner]) {
      const both = await reviews.liveAndPublished(a.tenant, a.answer, coach, 'coach');
      const live =
        (await reviews.load(a.tenant, { answerId: a.answer, reviewerId: coach, notLapsed: true }))[0] ?? null;
      const published = await reviews.reviews(a.tenant, { answerId: a.answer, published: true, exceptSource: 'coach' });
      expect(both).toEqual({ live, published });
    }
    const mine = await reviews.liveAndPublished(a.tenant, a.answer, draftCoach, 'coach');
    expect(mine.live?.review).toMatchObject({ id: draft, state: 'draft', summary: 'Half way' });
    expect(mine.live?.review.comments.map((c) => c.text)).toEqual(['pace']);
    // the peer's and the self-assessment, not the other coach's, not the lapsed one
    expect(mine.published.map((r) => r.id).sort()).toEqual([a.byPeer, self].sort());
    // a lapsed review is no one's live review; the owner's self-assessment is theirs
    expect((await reviews.liveAndPublished(a.tenant, a.answer, a.late, 'coach')).live).toBeNull();
    expect((await reviews.liveAndPublished(a.tenant, a.answer, a.owner, 'coach')).live?.review.id).toBe(self);
    // nothing of another organisation
    const b = await answerWithReviews();
    expect(await reviews.liveAndPublished(b.tenant, a.answer, draftCoach, 'coach')).toEqual({
      live: null,
      published: [],
    });
  });

  it('a draft is written, saved again (revision up), its comments replaced in order, then published; never from another organisation', async () => {
    const a = await answerWithReviews();
    const b = await answerWithReviews();
    const now = new Date('2026-11-30T10:00:00Z');
    const content = { scores: { clarity: 3 }, total: 60, summary: 'First go', aiDecisions: {} };
    const id = await m.db.transaction(async (t) => {
      await reviews.lockReviewerOf(a.tenant, a.answer, a.late, t);
      const made = await reviews.insertDraft(
        a.tenant,
        { ...content, answerId: a.answer, reviewerId: a.late, source: 'peer' },
        now,
        t,
      );
      await reviews.replaceComments(
        a.tenant,
        made,
        [
          { at: 9, text: 'second', tag: null, aiFinding: null },
          { at: 2, text: 'first', tag: 'tone', aiFinding: null },
        ],
        t,
      );
      return made;
    });
    let [draft] = await reviews.reviews(a.tenant, { id });
    expect(draft).toMatchObject({ state: 'draft', source: 'peer', summary: 'First go', total: 60, revision: 1 });
    expect(draft.scores).toEqual({ clarity: 3 });
    // read back in time order, with their tags
    expect(draft.comments.map((c) => [c.text, c.tag])).toEqual([
      ['first', 'tone'],
      ['second', null],
    ]);

    await reviews.saveDraft(
      a.tenant,
      id,
      { ...content, summary: 'Second go', aiDecisions: { k1: 'accepted' } },
      now,
      m.db,
    );
    await reviews.replaceComments(a.tenant, id, [{ at: 1, text: 'only', tag: null, aiFinding: 'k1' }], m.db);
    const [again] = await reviews.load(a.tenant, { id });
    expect(again.review).toMatchObject({ summary: 'Second go', revision: 2 });
    expect(again.aiDecisions).toEqual({ k1: 'accepted' });
    expect(again.review.comments).toEqual([{ at: 1, text: 'only', tag: null, aiFinding: 'k1' }]);

    // another organisation's id changes nothing here
    await reviews.saveDraft(b.tenant, id, { ...content, summary: 'Foreign' }, now, m.db);
    await reviews.replaceComments(b.tenant, id, [], m.db);
    await reviews.publish(b.tenant, id, now, null, m.db);
    [draft] = await reviews.reviews(a.tenant, { id });
    expect(draft).toMatchObject({ summary: 'Second go', state: 'draft', revision: 2 });
    expect(draft.comments).toHaveLength(1);

    await reviews.publish(a.tenant, id, now, [], m.db);
    [draft] = await reviews.reviews(a.tenant, { id });
    expect(draft).toMatchObject({ state: 'published', publishedAt: now.toISOString(), revision: 3 });
  });

  it('peer rotation: who reviewed an answer, open loads per reviewer, an assignment, and a share with its counts', async () => {
    const a = await answerWithReviews();
    const b = await answerWithReviews();
    const now = new Date();
    expect(
      (await reviews.reviewersOf(a.tenant, a.answer, m.db)).map((r) => [r.reviewer_id, r.source, r.state]).sort(),
    ).toEqual(
      [
        [a.coach, 'coach', 'published'],
        [a.peer, 'peer', 'published'],
        [a.late, 'peer', 'lapsed'],
      ].sort(),
    );
    expect(await reviews.reviewersOf(b.tenant, a.answer, m.db)).toEqual([]);

    const group = await rows.group(a.tenant);
    expect(await shares.shareOf(a.tenant, a.answer)).toBeNull();
    await shares.insert(a.tenant, a.answer, group, now, m.db);
    const assigned = await reviews.assignPeer(
      a.tenant,
      a.answer,
      a.late,
      now,
      new Date(now.getTime() + 86_400_000),
      m.db,
    );
    expect((await reviews.reviews(a.tenant, { id: assigned }))[0]).toMatchObject({ source: 'peer', state: 'assigned' });
    // the peer's published review and the new assignment are live; the lapsed one is not
    expect(await shares.shareOf(a.tenant, a.answer)).toMatchObject({
      groupId: group,
      sharedAt: now.toISOString(),
      reviewersAssigned: 2,
      reviewsPublished: 1,
    });
    expect(await shares.shareOf(b.tenant, a.answer)).toBeNull();
    // open loads count assigned and drafted peer reviews only
    const loads = await reviews.openPeerLoads(a.tenant, [a.peer, a.late, a.coach], m.db);
    expect([...loads]).toEqual([[a.late, 1]]);
    expect(await reviews.openPeerLoads(b.tenant, [a.late], m.db)).toEqual(new Map());
  });

  it('the sweep lapses open peer reviews past their due date, in every organisation, and no others', async () => {
    const a = await answerWithReviews();
    const b = await answerWithReviews();
    const now = new Date();
    const past = new Date(now.getTime() - 60_000);
    const future = new Date(now.getTime() + 86_400_000);
    const [peerA, peerB, patient] = [await rows.user(a.tenant), await rows.user(b.tenant), await rows.user(a.tenant)];
    const overdueA = await reviews.assignPeer(a.tenant, a.answer, peerA, past, past, m.db);
    const overdueB = await reviews.assignPeer(b.tenant, b.answer, peerB, past, past, m.db);
    const notDue = await reviews.assignPeer(a.tenant, a.answer, patient, now, future, m.db);
    const lapsed = await reviews.lapseOverdue(now);
    expect(lapsed).toEqual(
      expect.arrayContaining([
        { tenant_id: a.tenant, answer_id: a.answer },
        { tenant_id: b.tenant, answer_id: b.answer },
      ]),
    );
    for (const [tenant, id, state] of [
      [a.tenant, overdueA, 'lapsed'],
      [b.tenant, overdueB, 'lapsed'],
      [a.tenant, notDue, 'assigned'],
      [a.tenant, a.byPeer, 'published'],
    ])
      expect((await reviews.reviews(tenant, { id }))[0].state).toBe(state);
  });
});
