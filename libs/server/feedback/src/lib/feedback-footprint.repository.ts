import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Queryable } from '@rehearse/server/database';

/** A review as a data export lists it, with who wrote it (for the coach's name) and its comments. */
export interface ExportedReview extends Record<string, unknown> {
  id: string;
  answerId: string;
  source: string;
  reviewerId: string | null;
}

const REVIEW = `
  SELECT r.id, r.answer_id AS "answerId", r.source, r.state, r.scores, r.total, r.summary, r.published_at AS "publishedAt", r.reviewer_id AS "reviewerId",
         (SELECT coalesce(json_agg(json_build_object('at', c.at_s, 'text', c.text, 'tag', c.tag) ORDER BY c.at_s), '[]') FROM review_comments c WHERE c.review_id = r.id) AS comments
    FROM reviews r`;

/**
 * A person's and an organisation's footprint in feedback's tables (reviews with their comments,
 * answers shared with a group), for privacy's export, erasure and destruction. A person's answers
 * are named by their ids (courses own answers). Methods that take part in privacy's transaction
 * take it last.
 */
@Injectable()
export class FeedbackFootprintRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The ids of the reviews of these answers and of those the person writes (a queued job could name one). */
  async jobIdsOf(tenantId: string, userId: string, answerIds: string[]): Promise<string[]> {
    const rows = (await this.db.query(
      `SELECT id::text FROM reviews WHERE answer_id = ANY($2::uuid[]) AND tenant_id = $3 UNION ALL SELECT id::text FROM reviews WHERE reviewer_id = $1 AND tenant_id = $3`,
      [userId, answerIds, tenantId],
    )) as { id: string }[];
    return rows.map((r) => r.id);
  }

  /**
   * A coach's choice about the morning e-mail and the day the worker last looked at them (null for
   * someone who never had one).
   */
  async coachDigestOf(
    tenantId: string,
    userId: string,
    m: Queryable,
  ): Promise<{ enabled: boolean; lastLookedAtOn: string | null } | null> {
    const [row] = (await m.query(
      `SELECT enabled, to_char(checked_on, 'YYYY-MM-DD') AS "lastLookedAtOn" FROM coach_digests WHERE user_id = $1 AND tenant_id = $2`,
      [userId, tenantId],
    )) as { enabled: boolean; lastLookedAtOn: string | null }[];
    return row ?? null;
  }

  /** Which group each of these answers is shared with, and since when (by answer id). */
  async sharesOf(
    tenantId: string,
    answerIds: string[],
    m: Queryable,
  ): Promise<Map<string, { groupId: string; sharedAt: unknown }>> {
    if (!answerIds.length) return new Map();
    // the time as PostgreSQL writes it in JSON, as the rest of the export's nested times
    const rows = (await m.query(
      `SELECT answer_id, group_id, to_json(shared_at) AS shared_at FROM answer_shares WHERE answer_id = ANY($1::uuid[]) AND tenant_id = $2`,
      [answerIds, tenantId],
    )) as { answer_id: string; group_id: string; shared_at: unknown }[];
    return new Map(rows.map((r) => [r.answer_id, { groupId: r.group_id, sharedAt: r.shared_at }]));
  }

  /** The published feedback on these answers (the person's), by time of publishing. */
  async publishedOn(tenantId: string, answerIds: string[], m: Queryable): Promise<ExportedReview[]> {
    return (await m.query(
      `${REVIEW} WHERE r.answer_id = ANY($1::uuid[]) AND r.tenant_id = $2 AND r.state = 'published' ORDER BY r.published_at NULLS LAST`,
      [answerIds, tenantId],
    )) as ExportedReview[];
  }

  /** The reviews the person wrote of others' answers (`ownAnswerIds`: theirs), by time of publishing. */
  async writtenBy(tenantId: string, userId: string, ownAnswerIds: string[], m: Queryable): Promise<ExportedReview[]> {
    return (await m.query(
      `${REVIEW} WHERE r.reviewer_id = $1 AND r.tenant_id = $3 AND r.answer_id <> ALL($2::uuid[]) ORDER BY r.published_at NULLS LAST`,
      [userId, ownAnswerIds, tenantId],
    )) as ExportedReview[];
  }

  /**
   * In the erasure's transaction: how many reviews the person received on their answers, and how
   * many they published on others' (which stay, without their name).
   */
  async countsOf(
    tenantId: string,
    userId: string,
    ownAnswerIds: string[],
    m: Queryable,
  ): Promise<{ received: number; givenAnonymised: number }> {
    const [c] = (await m.query(
      `SELECT (SELECT count(*)::int FROM reviews WHERE answer_id = ANY($2::uuid[]) AND tenant_id = $3) AS received,
              (SELECT count(*)::int FROM reviews WHERE reviewer_id = $1 AND tenant_id = $3 AND state = 'published' AND answer_id <> ALL($2::uuid[])) AS "givenAnonymised"`,
      [userId, ownAnswerIds, tenantId],
    )) as { received: number; givenAnonymised: number }[];
    return c;
  }

  /** The person's unfinished reviews of others go (published ones lose the name by ON DELETE SET NULL); how many. */
  async deleteUnpublishedBy(tenantId: string, userId: string, m: Queryable): Promise<number> {
    const [, n] = (await m.query(
      `DELETE FROM reviews WHERE reviewer_id = $1 AND tenant_id = $2 AND state <> 'published' RETURNING id`,
      [userId, tenantId],
    )) as [unknown, number];
    return n;
  }

  /** The ids of the organisation's reviews (a queued job could name one). */
  async organisationJobIds(tenantId: string): Promise<string[]> {
    const rows = (await this.db.query(`SELECT id::text AS id FROM reviews WHERE tenant_id = $1`, [tenantId])) as {
      id: string;
    }[];
    return rows.map((r) => r.id);
  }
}
