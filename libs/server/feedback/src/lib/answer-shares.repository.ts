import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sql } from 'kysely';
import { DataSource } from 'typeorm';
import type { AnswerShare } from '@rehearse/shared/contracts';
import { type Queryable, rows, run, typed } from '@rehearse/server/database';

/**
 * The statements of feedback on `answer_shares`: an answer shared with a group for peer review.
 * Every method takes the tenant first and reaches only its rows.
 */
@Injectable()
export class AnswerSharesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * The group an answer is shared with, and how many of its peer reviews are assigned and in (the
   * group's name is courses' to give).
   */
  async shareOf(
    tenantId: string,
    answerId: string,
    m: Queryable = this.db,
  ): Promise<Omit<AnswerShare, 'groupName'> | null> {
    const [s] = await rows(
      m,
      typed
        .selectFrom('answer_shares as s')
        .select((eb) => {
          // the answer's peer reviews not lapsed (assigned), and those published
          const peerReviews = (state: 'published' | 'live') =>
            eb
              .selectFrom('reviews as r')
              .select(sql<number>`count(*)::int`.as('n'))
              .whereRef('r.answer_id', '=', 's.answer_id')
              .where('r.tenant_id', '=', tenantId)
              .where('r.source', '=', 'peer')
              .where('r.state', state === 'published' ? '=' : '<>', state === 'published' ? 'published' : 'lapsed');
          return [
            's.group_id',
            's.shared_at',
            peerReviews('live').as('assigned'),
            peerReviews('published').as('published'),
          ];
        })
        .where('s.tenant_id', '=', tenantId)
        .where('s.answer_id', '=', answerId),
    );
    return s
      ? {
          groupId: s.group_id,
          sharedAt: s.shared_at.toISOString(),
          reviewersAssigned: s.assigned ?? 0,
          reviewsPublished: s.published ?? 0,
        }
      : null;
  }

  /** Shares the answer with the group at `at`. */
  async insert(tenantId: string, answerId: string, groupId: string, at: Date, m: Queryable): Promise<void> {
    await run(
      m,
      typed
        .insertInto('answer_shares')
        .values({ tenant_id: tenantId, answer_id: answerId, group_id: groupId, shared_at: at }),
    );
  }
}
