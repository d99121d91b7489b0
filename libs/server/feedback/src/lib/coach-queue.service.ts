import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Page, ReviewQueueItem, CoachHome } from '@rehearse/shared/contracts';
import { REVIEW_OVERDUE_DAYS } from '@rehearse/shared/contracts';
import {
  AccessService,
  Actor,
  answersShown,
  coachedPairs,
  coachesOwner,
  PrivacyLogService,
} from '@rehearse/server/access';
import { Clock } from '@rehearse/server/core';
import { exerciseTitleSql } from '@rehearse/server/courses';

/** The coach's queue of answers waiting for their review, and the coach's home page summary. */
@Injectable()
export class CoachQueueService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly access: AccessService,
    private readonly privacy: PrivacyLogService,
    private readonly clock: Clock,
  ) {}

  /**
   * Answers awaiting a coach's feedback from the coach's participants, oldest first: the
   * exercise takes coach feedback and no coach has published a review yet. Each listed answer
   * writes a privacy-log row (`answer`/`list`).
   */
  async queue(actor: Actor, page: number, pageSize: number): Promise<Page<ReviewQueueItem>> {
    const tenantId = this.access.tenantOf(actor);
    return this.privacy.readWithLog(actor, async (m) => {
      const { overdue: _, ...result } = await this.queuePage(m, actor, tenantId, page, pageSize);
      // the listing names participants and what they answered: each listed answer is logged
      return {
        value: result,
        log: result.items.map((i) => ({
          subjectId: i.participantId,
          tenantId,
          objectType: 'answer',
          objectId: i.answerId,
          action: 'list',
        })),
      };
    });
  }

  /**
   * The coach's home page: how many answers wait and how many longer than REVIEW_OVERDUE_DAYS, the
   * five oldest, and the feedback this coach published last (on answers of people they still
   * coach and that are not hidden). Every participant named is privacy-logged, like the queue.
   */
  async coachHome(actor: Actor): Promise<CoachHome> {
    const tenantId = this.access.tenantOf(actor);
    const overdueBefore = new Date(this.clock.now().getTime() - REVIEW_OVERDUE_DAYS * 86_400_000);
    return this.privacy.readWithLog(actor, async (m) => {
      const queue = await this.queuePage(m, actor, tenantId, 1, 5, overdueBefore);
      const recent: {
        answer_id: string;
        user_id: string;
        name: string;
        exercise_title: string | null;
        published_at: Date;
      }[] = await m.query(
        `SELECT r.answer_id, a.user_id, u.name, r.published_at, ${exerciseTitleSql('v.content', 'a.exercise_id')} AS exercise_title
           FROM reviews r
           JOIN answers a ON a.id = r.answer_id
           JOIN users u ON u.id = a.user_id
           JOIN course_versions v ON v.id = a.course_version_id
          WHERE r.reviewer_id = $2 AND r.tenant_id = $1 AND r.source = 'coach' AND r.state = 'published'
            AND ${answersShown('a.user_id', '$3')} AND ${coachesOwner('a.user_id', 'a.course_id', '$2')}
          ORDER BY r.published_at DESC, r.id LIMIT 5`,
        [tenantId, actor.userId, this.clock.today()],
      );
      const value: CoachHome = {
        waiting: queue.total,
        overdue: queue.overdue,
        oldest: queue.items,
        recent: recent.map((r) => ({
          answerId: r.answer_id,
          participantName: r.name,
          exerciseTitle: r.exercise_title ?? '',
          publishedAt: r.published_at.toISOString(),
        })),
      };
      const log = [
        ...queue.items.map((i) => ({
          subjectId: i.participantId,
          tenantId,
          objectType: 'answer',
          objectId: i.answerId,
          action: 'list' as const,
        })),
        ...recent.map((r) => ({
          subjectId: r.user_id,
          tenantId,
          objectType: 'answer',
          objectId: r.answer_id,
          action: 'list' as const,
        })),
      ];
      return { value, log };
    });
  }

  /**
   * One page of the coach's queue. Shaped for a large organisation: it starts from the
   * (participant, course) pairs the coach coaches (their groups' enrolments and the enrolments that
   * name them), reaches those participants' answers through answers(user_id, course_id), and keeps
   * the exercises that ask for a coach from the few published versions involved, so the work grows
   * with the coach's own groups and never with the organisation (see the query-plan test).
   */
  private async queuePage(
    m: EntityManager,
    actor: Actor,
    tenantId: string,
    page: number,
    pageSize: number,
    overdueBefore = new Date(0),
  ): Promise<Page<ReviewQueueItem> & { overdue: number }> {
    const rows: {
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
    }[] = await m.query(
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
       SELECT w.id, w.user_id, (SELECT u.name FROM users u WHERE u.id = w.user_id) AS name, w.course_id, w.course_title, w.exercise_title, w.attempt, w.answer_type, w.submitted_at, w.group_name,
              (SELECT to_char(min(e.due_on), 'YYYY-MM-DD') FROM enrolments e WHERE e.course_id = w.course_id
                  AND (e.user_id = w.user_id OR e.group_id IN (SELECT gp.group_id FROM group_members gp WHERE gp.user_id = w.user_id AND gp.role = 'participant'))) AS due_on,
              EXISTS (SELECT 1 FROM reviews r WHERE r.answer_id = w.id AND r.reviewer_id = $2 AND r.state = 'draft') AS drafted,
              w.total, w.overdue
         FROM (SELECT waiting.*, count(*) OVER ()::int AS total, (count(*) FILTER (WHERE submitted_at < $6) OVER ())::int AS overdue
                 FROM waiting ORDER BY submitted_at, id LIMIT $3 OFFSET $4) w
        ORDER BY w.submitted_at, w.id`,
      [tenantId, actor.userId, pageSize, (page - 1) * pageSize, this.clock.today(), overdueBefore],
    );
    return {
      items: rows.map((r) => ({
        answerId: r.id,
        participantId: r.user_id,
        participantName: r.name,
        groupName: r.group_name,
        courseId: r.course_id,
        courseTitle: r.course_title,
        exerciseTitle: r.exercise_title ?? '',
        attempt: r.attempt,
        answerType: r.answer_type,
        submittedAt: r.submitted_at.toISOString(),
        dueOn: r.due_on,
        drafted: r.drafted,
      })),
      total: rows[0]?.total ?? 0,
      overdue: rows[0]?.overdue ?? 0,
      page,
      pageSize,
    };
  }
}
