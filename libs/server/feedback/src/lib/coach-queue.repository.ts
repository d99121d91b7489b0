import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { ReviewQueueItem } from '@rehearse/shared/contracts';
import { answersShown, coachedPairs, coachesOwner } from '@rehearse/server/access';
import { exerciseTitleSql } from '@rehearse/server/courses';
import type { Queryable } from '@rehearse/server/database';
import { PeopleDirectoryRepository } from '@rehearse/server/accounts';

/** An answer waiting for the coach, with what the queue shows and the page's counts. */
export interface WaitingAnswerRow {
  id: string;
  user_id: string;
  name: string;
  course_id: string;
  course_title: string;
  exercise_title: string | null;
  attempt: number;
  answer_type: ReviewQueueItem['answerType'];
  submitted_at: Date;
  due_on: string | null;
  group_name: string | null;
  drafted: boolean;
  total: number;
  overdue: number;
}

/** A review the coach published lately, on an answer of someone they still coach. */
export interface PublishedReviewRow {
  answer_id: string;
  user_id: string;
  name: string;
  exercise_title: string | null;
  published_at: Date;
}

/**
 * The coach's queue and home page as read models: answers of the people a coach coaches that wait
 * for a coach's review, and the coach's latest published reviews (hand-shaped SQL across the
 * courses, accounts and feedback tables, planned for a large organisation: see the query-plan test).
 */
@Injectable()
export class CoachQueueRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly people: PeopleDirectoryRepository,
  ) {}

  /** The rows with their participants' names (a page's people, from accounts' directory). */
  private async named<T extends { user_id: string }>(
    tenantId: string,
    found: T[],
    m: Queryable,
  ): Promise<(T & { name: string })[]> {
    const names = await this.people.names(
      tenantId,
      found.map((r) => r.user_id),
      m,
    );
    return found.map((r) => ({ ...r, name: names.get(r.user_id) ?? '' }));
  }

  /**
   * One page of the answers waiting for `coachId`, oldest first, with how many wait and how many
   * were submitted before `overdueBefore`. It starts from the (participant, course) pairs the
   * coach coaches, reaches those participants' answers through answers(user_id, course_id), and
   * keeps the exercises that ask for a coach from the few published versions involved, so the
   * work grows with the coach's own groups and never with the organisation. `today` decides whose
   * answers an expired licence hides.
   */
  async waiting(
    tenantId: string,
    coachId: string,
    today: string,
    overdueBefore: Date,
    page: { limit: number; offset: number },
    m: Queryable = this.db,
  ): Promise<WaitingAnswerRow[]> {
    const found = (await m.query(
      `WITH pairs AS MATERIALIZED (
              SELECT c.user_id, c.course_id, min(c.group_name) AS group_name FROM (${coachedPairs('$2', '$1')}) c
               WHERE ${answersShown('c.user_id', '$5')}
               GROUP BY c.user_id, c.course_id),
            coach_exercises AS MATERIALIZED (
              SELECT v.id AS version_id, (ex->>'id') AS exercise_id, ex->>'title' AS title, v.content->>'title' AS course_title
                FROM course_versions v
                JOIN courses c ON c.id = v.course_id AND c.archived_at IS NULL
                CROSS JOIN LATERAL jsonb_array_elements(v.content->'modules') mo
                CROSS JOIN LATERAL jsonb_array_elements(mo->'exercises') ex
               WHERE v.course_id IN (SELECT DISTINCT course_id FROM pairs) AND v.state <> 'draft' AND ex->'feedback' ? 'coach'),
            waiting AS (
              SELECT a.id, a.user_id, a.course_id, a.exercise_id, a.attempt, a.answer_type, a.submitted_at, p.group_name, x.title AS exercise_title, x.course_title
                FROM pairs p
                JOIN answers a ON a.user_id = p.user_id AND a.course_id = p.course_id
                JOIN coach_exercises x ON x.version_id = a.course_version_id AND x.exercise_id = a.exercise_id::text
               WHERE a.tenant_id = $1
                 AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.answer_id = a.id AND r.source = 'coach' AND r.state = 'published'))
       SELECT w.id, w.user_id, w.course_id, w.course_title, w.exercise_title, w.attempt, w.answer_type, w.submitted_at, w.group_name,
              (SELECT to_char(min(e.due_on), 'YYYY-MM-DD') FROM enrolments e WHERE e.course_id = w.course_id
                  AND (e.user_id = w.user_id OR e.group_id IN (SELECT gp.group_id FROM group_members gp WHERE gp.user_id = w.user_id AND gp.role = 'participant'))) AS due_on,
              EXISTS (SELECT 1 FROM reviews r WHERE r.answer_id = w.id AND r.reviewer_id = $2 AND r.state = 'draft') AS drafted,
              w.total, w.overdue
         FROM (SELECT waiting.*, count(*) OVER ()::int AS total, (count(*) FILTER (WHERE submitted_at < $6) OVER ())::int AS overdue
                 FROM waiting ORDER BY submitted_at, id LIMIT $3 OFFSET $4) w
        ORDER BY w.submitted_at, w.id`,
      [tenantId, coachId, page.limit, page.offset, today, overdueBefore],
    )) as Omit<WaitingAnswerRow, 'name'>[];
    return this.named(tenantId, found, m);
  }

  /** The coach's latest published reviews (at most `limit`) on answers of people they still coach and that are not hidden. */
  async recentlyPublished(
    tenantId: string,
    coachId: string,
    today: string,
    limit: number,
    m: Queryable = this.db,
  ): Promise<PublishedReviewRow[]> {
    const found = (await m.query(
      `SELECT r.answer_id, a.user_id, r.published_at, ${exerciseTitleSql('v.content', 'a.exercise_id')} AS exercise_title
           FROM reviews r
           JOIN answers a ON a.id = r.answer_id
           JOIN course_versions v ON v.id = a.course_version_id
          WHERE r.reviewer_id = $2 AND r.tenant_id = $1 AND r.source = 'coach' AND r.state = 'published'
            AND ${answersShown('a.user_id', '$3')} AND ${coachesOwner('a.user_id', 'a.course_id', '$2')}
          ORDER BY r.published_at DESC, r.id LIMIT $4`,
      [tenantId, coachId, today, limit],
    )) as Omit<PublishedReviewRow, 'name'>[];
    return this.named(tenantId, found, m);
  }
}
