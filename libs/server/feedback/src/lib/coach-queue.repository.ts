import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { ReviewQueueItem } from '@rehearse/shared/contracts';
import { answersShown, coachedPairs, coachesOwner } from '@rehearse/server/access';
import { answerOfSql, coachAnswersCtes, dueOnSql, versionTitlesSql } from '@rehearse/server/courses';
import { preparedIn, type Queryable } from '@rehearse/server/database';
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

/** A course with answers waiting for the coach, and how many. */
export interface WaitingCourseRow {
  course_id: string;
  course_title: string;
  waiting: number;
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
 * `pairs` (the (participant, course) pairs the coach `$2` coaches in the organisation `$1`, whose
 * answers are shown on `today`; one course's with `courseId`) and `waiting` (their answers waiting
 * for a coach's review): what the queue pages and what its choice of a course counts.
 */
function waitingCtes(p: { today: string; courseId?: string }): string {
  const course = p.courseId ? ` AND (${p.courseId}::uuid IS NULL OR c.course_id = ${p.courseId}::uuid)` : '';
  return `WITH pairs AS MATERIALIZED (
              SELECT c.user_id, c.course_id, min(c.group_name) AS group_name FROM (${coachedPairs('$2', '$1')}) c
               WHERE ${answersShown('c.user_id', p.today)}${course}
               GROUP BY c.user_id, c.course_id),
            ${coachAnswersCtes({ name: 'waiting', pairs: 'pairs', tenant: '$1' })}`;
}

/**
 * The coach's queue and home page as read models: answers of the people a coach coaches that wait
 * for a coach's review, and the coach's latest published reviews (one statement each, planned for a
 * large organisation: see the query-plan test; the access core's relation fragments and courses'
 * fragments over answers and versions, read-models.ts there, composed with feedback's reviews).
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
   * One page of the answers waiting for `coachId` (no published coach review yet), oldest first,
   * with how many wait and how many were submitted before `overdueBefore`. It starts from the
   * (participant, course) pairs the coach coaches, reads those participants' waiting answers from
   * their index (courses' coachAnswersCtes), and keeps the exercises that ask for a coach from the
   * few published versions involved, so the work grows with the coach's own groups and never with
   * the organisation. `today` decides whose answers an expired licence hides; `courseId` keeps one
   * course's (the pairs narrowed before any answer is read).
   */
  async waiting(
    tenantId: string,
    coachId: string,
    today: string,
    overdueBefore: Date,
    page: { limit: number; offset: number },
    m: Queryable = this.db,
    courseId: string | null = null,
  ): Promise<WaitingAnswerRow[]> {
    // prepared with its generic plan, planned once per connection: the plan does not depend on the
    // coach (checked by the query-plan test); planning was 2–2.5 ms of a 7–9 ms statement
    const found = await preparedIn<Omit<WaitingAnswerRow, 'name'>>(
      m,
      this.db,
      'coach_queue_waiting',
      `${waitingCtes({ today: '$5', courseId: '$7' })}
       SELECT w.id, w.user_id, w.course_id, w.course_title, w.exercise_title, w.attempt, w.answer_type, w.submitted_at, w.group_name,
              ${dueOnSql('w.user_id', 'w.course_id')} AS due_on,
              EXISTS (SELECT 1 FROM reviews r WHERE r.answer_id = w.id AND r.reviewer_id = $2 AND r.state = 'draft') AS drafted,
              w.total, w.overdue
         FROM (SELECT waiting.*, count(*) OVER ()::int AS total, (count(*) FILTER (WHERE submitted_at < $6) OVER ())::int AS overdue
                 FROM waiting ORDER BY submitted_at, id LIMIT $3 OFFSET $4) w
        ORDER BY w.submitted_at, w.id`,
      [tenantId, coachId, page.limit, page.offset, today, overdueBefore, courseId],
      { generic: true },
    );
    return this.named(tenantId, found, m);
  }

  /**
   * How many answers wait for `coachId` in each course (the courses with none left out), by title:
   * what the queue's choice of one course offers. The same pairs and waiting answers as `waiting`,
   * counted instead of paged (so the same plan, over the coach's own groups).
   */
  async waitingByCourse(
    tenantId: string,
    coachId: string,
    today: string,
    m: Queryable = this.db,
  ): Promise<WaitingCourseRow[]> {
    return preparedIn<WaitingCourseRow>(
      m,
      this.db,
      'coach_queue_courses',
      `${waitingCtes({ today: '$3' })}
       -- a course's title as its newest waiting answer's version has it (a later version may rename it)
       SELECT course_id, (array_agg(course_title ORDER BY submitted_at DESC, id DESC))[1] AS course_title, count(*)::int AS waiting
         FROM waiting
        GROUP BY course_id
        ORDER BY 2, 1`,
      [tenantId, coachId, today],
      { generic: true },
    );
  }

  /** The coach's latest published reviews (at most `limit`) on answers of people they still coach and that are not hidden. */
  async recentlyPublished(
    tenantId: string,
    coachId: string,
    today: string,
    limit: number,
    m: Queryable = this.db,
  ): Promise<PublishedReviewRow[]> {
    // prepared with its generic plan, as above (planning was 1.2 ms, execution 0.1)
    const found = await preparedIn<Omit<PublishedReviewRow, 'name'>>(
      m,
      this.db,
      'coach_recently_published',
      `SELECT r.answer_id, a.user_id, r.published_at, v.exercise_title
           FROM reviews r
           CROSS JOIN LATERAL (${answerOfSql('r.answer_id')}) a
           CROSS JOIN LATERAL (${versionTitlesSql('a.course_version_id', 'a.exercise_id')}) v
          WHERE r.reviewer_id = $2 AND r.tenant_id = $1 AND r.source = 'coach' AND r.state = 'published'
            AND ${answersShown('a.user_id', '$3')} AND ${coachesOwner('a.user_id', 'a.course_id', '$2')}
          ORDER BY r.published_at DESC, r.id LIMIT $4`,
      [tenantId, coachId, today, limit],
      { generic: true },
    );
    return this.named(tenantId, found, m);
  }
}
