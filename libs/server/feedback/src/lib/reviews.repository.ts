import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sql } from 'kysely';
import { DataSource } from 'typeorm';
import type { AiProposedScore, Review, ReviewComment, ReviewSource, ReviewState } from '@rehearse/shared/contracts';
import { lockUntilCommit, type Queryable, rows, run, typed } from '@rehearse/server/database';
import { PeopleDirectoryRepository } from '@rehearse/server/accounts';
import type { LoadedReview } from './reviews.common';

/**
 * Which reviews to load: one by id, an answer's published ones, a reviewer's live one on an answer,
 * or both of the last two at once (`orPublishedExcept`: also the answer's published reviews but
 * those of that source).
 */
export type ReviewsOf =
  | { id: string }
  | { answerId: string; published: true; exceptSource?: ReviewSource }
  | { answerId: string; reviewerId: string; notLapsed: true; orPublishedExcept?: ReviewSource };

/** What a reviewer writes into a draft. */
export interface DraftContent {
  scores: Record<string, number>;
  total: number | null;
  summary: string;
  aiDecisions: Record<string, 'accepted' | 'dismissed'>;
}

/** What the mails about a review need of it. */
export interface ReviewForMail {
  tenant_id: string;
  answer_id: string;
  reviewer_id: string | null;
  source: ReviewSource;
  state: ReviewState;
  due_at: Date | null;
}

/**
 * The statements of feedback on `reviews` and `review_comments`. Every method takes the tenant
 * first and reads only within it.
 */
@Injectable()
export class ReviewsRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly people: PeopleDirectoryRepository,
  ) {}

  /** Reviews with their comments, and the reviewer's decisions on AI findings (which the API's Review leaves out). */
  async load(tenantId: string, which: ReviewsOf, m: Queryable = this.db): Promise<LoadedReview[]> {
    let statement = typed
      .selectFrom('reviews as r')
      .select([
        'r.id',
        'r.answer_id',
        'r.reviewer_id',
        'r.source',
        'r.state',
        'r.scores',
        'r.total',
        'r.summary',
        'r.ai_decisions',
        'r.revision',
        'r.due_at',
        'r.published_at',
        'r.updated_at',
      ])
      .where('r.tenant_id', '=', tenantId);
    if ('id' in which) statement = statement.where('r.id', '=', which.id);
    else if ('published' in which) {
      statement = statement.where('r.answer_id', '=', which.answerId).where('r.state', '=', 'published');
      if (which.exceptSource) statement = statement.where('r.source', '<>', which.exceptSource);
    } else {
      const { reviewerId, orPublishedExcept } = which;
      statement = statement.where('r.answer_id', '=', which.answerId).where((r) => {
        const live = r.and([r('r.reviewer_id', '=', reviewerId), r('r.state', '<>', 'lapsed')]);
        return orPublishedExcept
          ? r.or([live, r.and([r('r.state', '=', 'published'), r('r.source', '<>', orPublishedExcept)])])
          : live;
      });
    }
    const found = await rows(
      m,
      statement
        .orderBy(sql`r.published_at NULLS LAST`)
        .orderBy('r.assigned_at')
        .orderBy('r.id'),
    );
    if (!found.length) return [];
    // who wrote them: accounts' to say
    const reviewers = await this.people.names(
      tenantId,
      found.flatMap((r) => r.reviewer_id ?? []),
      m,
    );
    const comments = await rows(
      m,
      typed
        .selectFrom('review_comments')
        .select(['review_id', 'at_s', 'text', 'tag', 'ai_finding'])
        .where('tenant_id', '=', tenantId)
        .where(
          'review_id',
          'in',
          found.map((r) => r.id),
        )
        .orderBy('review_id')
        .orderBy('at_s')
        .orderBy('idx'),
    );
    return found.map((r) => ({
      aiDecisions: r.ai_decisions as LoadedReview['aiDecisions'],
      review: {
        id: r.id,
        answerId: r.answer_id,
        source: r.source as ReviewSource,
        state: r.state as ReviewState,
        reviewerId: r.reviewer_id,
        reviewerName: r.reviewer_id ? (reviewers.get(r.reviewer_id) ?? null) : null,
        scores: r.scores as Record<string, number>,
        total: r.total,
        summary: r.summary,
        comments: comments
          .filter((c) => c.review_id === r.id)
          .map((c) => ({ at: c.at_s, text: c.text, tag: c.tag, aiFinding: c.ai_finding })),
        revision: r.revision,
        dueAt: r.due_at?.toISOString() ?? null,
        publishedAt: r.published_at?.toISOString() ?? null,
        updatedAt: r.updated_at.toISOString(),
      } satisfies Review,
    }));
  }

  /**
   * A reviewer's live review of an answer and the answer's published reviews but those of
   * `exceptSource` (the coach's review screen: their draft, and the self-assessment and peers'
   * reviews beside it), read together: one statement each for the reviews, their reviewers' names
   * and their comments, where two loads took two of each.
   */
  async liveAndPublished(
    tenantId: string,
    answerId: string,
    reviewerId: string,
    exceptSource: ReviewSource,
    m: Queryable = this.db,
  ): Promise<{ live: LoadedReview | null; published: Review[] }> {
    const found = await this.load(
      tenantId,
      { answerId, reviewerId, notLapsed: true, orPublishedExcept: exceptSource },
      m,
    );
    return {
      live: found.find((x) => x.review.reviewerId === reviewerId && x.review.state !== 'lapsed') ?? null,
      published: found
        .filter((x) => x.review.state === 'published' && x.review.source !== exceptSource)
        .map((x) => x.review),
    };
  }

  /** The reviews alone (without the AI decisions). */
  async reviews(tenantId: string, which: ReviewsOf, m: Queryable = this.db): Promise<Review[]> {
    return (await this.load(tenantId, which, m)).map((x) => x.review);
  }

  /**
   * Holds, until the caller's transaction ends, the lock on one reviewer's review of one answer,
   * so two saves or publishes of it run one after the other.
   */
  async lockReviewerOf(tenantId: string, answerId: string, reviewerId: string, m: Queryable): Promise<void> {
    await lockUntilCommit(m, `review:${tenantId}:${answerId}:${reviewerId}`);
  }

  /** A new draft by `reviewerId` in the role `source`; its id. */
  async insertDraft(
    tenantId: string,
    draft: DraftContent & { answerId: string; reviewerId: string; source: ReviewSource },
    now: Date,
    m: Queryable,
  ): Promise<string> {
    const [row] = await rows(
      m,
      typed
        .insertInto('reviews')
        .values({
          tenant_id: tenantId,
          answer_id: draft.answerId,
          reviewer_id: draft.reviewerId,
          source: draft.source,
          state: 'draft',
          scores: JSON.stringify(draft.scores),
          total: draft.total,
          summary: draft.summary,
          ai_decisions: JSON.stringify(draft.aiDecisions),
          assigned_at: now,
          updated_at: now,
        })
        .returning('id'),
    );
    return row.id;
  }

  /** Writes a draft's content again (an assigned review becomes a draft); its revision goes up. */
  async saveDraft(tenantId: string, reviewId: string, draft: DraftContent, now: Date, m: Queryable): Promise<void> {
    await run(
      m,
      typed
        .updateTable('reviews')
        .set({
          state: 'draft',
          scores: JSON.stringify(draft.scores),
          total: draft.total,
          summary: draft.summary,
          ai_decisions: JSON.stringify(draft.aiDecisions),
          revision: sql<number>`revision + 1`,
          updated_at: now,
        })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', reviewId),
    );
  }

  /** Replaces a review's comments with `comments`, kept in the order given. */
  async replaceComments(tenantId: string, reviewId: string, comments: ReviewComment[], m: Queryable): Promise<void> {
    await run(
      m,
      typed.deleteFrom('review_comments').where('tenant_id', '=', tenantId).where('review_id', '=', reviewId),
    );
    if (!comments.length) return;
    // one statement for any number of comments: their fields as arrays, unnested in order
    await m.query(
      `INSERT INTO review_comments (review_id, tenant_id, idx, at_s, text, tag, ai_finding)
       SELECT $1, $2, i - 1, s, x, g, f FROM unnest($3::real[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS u(s, x, g, f, i)`,
      [
        reviewId,
        tenantId,
        comments.map((c) => c.at),
        comments.map((c) => c.text),
        comments.map((c) => c.tag),
        comments.map((c) => c.aiFinding),
      ],
    );
  }

  /** Publishes a review now, with the AI's proposed scores kept beside the reviewer's (a coach's). */
  async publish(
    tenantId: string,
    reviewId: string,
    now: Date,
    aiProposed: AiProposedScore[] | null,
    m: Queryable,
  ): Promise<void> {
    await run(
      m,
      typed
        .updateTable('reviews')
        .set({
          state: 'published',
          published_at: now,
          updated_at: now,
          revision: sql<number>`revision + 1`,
          ai_proposed: aiProposed ? JSON.stringify(aiProposed) : null,
        })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', reviewId),
    );
  }

  /** Holds, until the caller's transaction ends, the lock on a group's peer rotation. */
  async lockPeerRotation(tenantId: string, groupId: string, m: Queryable): Promise<void> {
    await lockUntilCommit(m, `peer-rotation:${tenantId}:${groupId}`);
  }

  /** Everyone who has (or had) a review of the answer, with its role and state. */
  async reviewersOf(
    tenantId: string,
    answerId: string,
    m: Queryable,
  ): Promise<{ reviewer_id: string; state: ReviewState; source: ReviewSource }[]> {
    const found = await rows(
      m,
      typed
        .selectFrom('reviews')
        .select(['reviewer_id', 'state', 'source'])
        .where('tenant_id', '=', tenantId)
        .where('answer_id', '=', answerId)
        .where('reviewer_id', 'is not', null),
    );
    return found.map((r) => ({
      reviewer_id: r.reviewer_id as string,
      state: r.state as ReviewState,
      source: r.source as ReviewSource,
    }));
  }

  /** How many open peer reviews (assigned or drafted) each of `reviewerIds` has; those with none are left out. */
  async openPeerLoads(tenantId: string, reviewerIds: string[], m: Queryable): Promise<Map<string, number>> {
    if (!reviewerIds.length) return new Map();
    const found = await rows(
      m,
      typed
        .selectFrom('reviews')
        .select(['reviewer_id', sql<number>`count(*)::int`.as('n')])
        .where('tenant_id', '=', tenantId)
        .where('source', '=', 'peer')
        .where('state', 'in', ['assigned', 'draft'])
        .where('reviewer_id', 'in', reviewerIds)
        .groupBy('reviewer_id'),
    );
    return new Map(found.map((l) => [l.reviewer_id as string, l.n]));
  }

  /** Assigns a peer review of the answer to `reviewerId`, due at `dueAt`; its id. */
  async assignPeer(
    tenantId: string,
    answerId: string,
    reviewerId: string,
    now: Date,
    dueAt: Date,
    m: Queryable,
  ): Promise<string> {
    const [row] = await rows(
      m,
      typed
        .insertInto('reviews')
        .values({
          tenant_id: tenantId,
          answer_id: answerId,
          reviewer_id: reviewerId,
          source: 'peer',
          state: 'assigned',
          assigned_at: now,
          due_at: dueAt,
          updated_at: now,
        })
        .returning('id'),
    );
    return row.id;
  }

  /**
   * Lapses every open peer review past its due date, in every organisation (the worker's sweep
   * serves them all); the answers whose reviews lapsed, with their organisations.
   * @withoutTenant the worker's sweep serves every organisation
   */
  async lapseOverdue(now: Date): Promise<{ tenant_id: string; answer_id: string }[]> {
    const { rows: lapsed } = await run(
      this.db,
      typed
        .updateTable('reviews')
        .set({ state: 'lapsed', updated_at: now })
        .where('source', '=', 'peer')
        .where('state', 'in', ['assigned', 'draft'])
        .where('due_at', '<', now)
        .returning(['tenant_id', 'answer_id']),
    );
    return lapsed;
  }

  /**
   * Marks the open peer reviews due within `withinMs` of `now` whose reviewer was not reminded yet,
   * in every organisation, as reminded now: each with its organisation and reviewer. Only reviews
   * assigned at least that long ago: one given with less time than that has just been asked for.
   * Each review is marked by one statement, so two workers sweeping at once remind nobody twice.
   * @withoutTenant the worker's sweep serves every organisation
   */
  async remindDueSoon(
    now: Date,
    withinMs: number,
    m: Queryable = this.db,
  ): Promise<{ id: string; tenant_id: string; reviewer_id: string | null }[]> {
    const { rows: due } = await run(
      m,
      typed
        .updateTable('reviews')
        .set({ reminded_at: now })
        .where('source', '=', 'peer')
        .where('state', 'in', ['assigned', 'draft'])
        .where('due_at', '>=', now)
        .where('due_at', '<=', new Date(now.getTime() + withinMs))
        .where('assigned_at', '<=', new Date(now.getTime() - withinMs))
        .where('reminded_at', 'is', null)
        .returning(['id', 'tenant_id', 'reviewer_id']),
    );
    return due;
  }

  /**
   * A review as its mail job names it.
   * @withoutTenant a mail job names its root row by id alone; its tenant comes with it
   */
  async forMail(reviewId: string): Promise<ReviewForMail | undefined> {
    const [row] = await rows(
      this.db,
      typed
        .selectFrom('reviews')
        .select(['tenant_id', 'answer_id', 'reviewer_id', 'source', 'state', 'due_at'])
        .where('id', '=', reviewId),
    );
    return row as ReviewForMail | undefined;
  }
}
