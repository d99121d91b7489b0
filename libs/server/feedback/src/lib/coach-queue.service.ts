import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Page, ReviewQueueCourse, ReviewQueueItem, CoachHome } from '@rehearse/shared/contracts';
import { REVIEW_OVERDUE_DAYS } from '@rehearse/shared/contracts';
import { AccessService, Actor, type ListScope, PrivacyLogService } from '@rehearse/server/access';
import { Clock } from '@rehearse/server/core';
import { CoachQueueRepository } from './coach-queue.repository';

/** The coach's queue of answers waiting for their review, and the coach's home page summary. */
@Injectable()
export class CoachQueueService {
  constructor(
    private readonly access: AccessService,
    private readonly privacy: PrivacyLogService,
    private readonly clock: Clock,
    private readonly queueRows: CoachQueueRepository,
  ) {}

  /**
   * Answers awaiting a coach's feedback from the coach's participants, oldest first: the
   * exercise takes coach feedback and no coach has published a review yet. Each listed answer
   * writes a privacy-log row (`answer`/`list`). With `courseId`, one course's answers only.
   */
  async queue(actor: Actor, page: number, pageSize: number, courseId?: string): Promise<Page<ReviewQueueItem>> {
    const scope = this.access.listScope(actor, 'answers.awaiting-review');
    const { tenantId } = scope;
    return this.privacy.readWithLog(actor, async (m) => {
      const { overdue: _, ...result } = await this.queuePage(m, scope, page, pageSize, { courseId });
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
   * The courses whose answers wait for this coach, each with how many: the queue's choice of one
   * course. Counts and course titles name nobody, so nothing is privacy-logged.
   */
  async queueCourses(actor: Actor): Promise<ReviewQueueCourse[]> {
    const scope = this.access.listScope(actor, 'answers.awaiting-review');
    // the access core's scope: the courses of the people this actor coaches (none without the relation)
    if (!scope.relations.has('coach')) return [];
    const rows = await this.queueRows.waitingByCourse(scope.tenantId, scope.userId, scope.today);
    return rows.map((r) => ({ courseId: r.course_id, courseTitle: r.course_title, waiting: r.waiting }));
  }

  /**
   * The coach's home page: how many answers wait and how many longer than REVIEW_OVERDUE_DAYS, the
   * five oldest, and the feedback this coach published last (on answers of people they still
   * coach and that are not hidden). Every participant named is privacy-logged, like the queue.
   */
  async coachHome(actor: Actor): Promise<CoachHome> {
    const scope = this.access.listScope(actor, 'answers.awaiting-review');
    const { tenantId } = scope;
    const overdueBefore = new Date(this.clock.now().getTime() - REVIEW_OVERDUE_DAYS * 86_400_000);
    return this.privacy.readWithLog(actor, async (m) => {
      const queue = await this.queuePage(m, scope, 1, 5, { overdueBefore });
      const recent = scope.relations.has('coach')
        ? await this.queueRows.recentlyPublished(tenantId, scope.userId, scope.today, 5, m)
        : [];
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
    scope: ListScope,
    page: number,
    pageSize: number,
    { overdueBefore = new Date(0), courseId }: { overdueBefore?: Date; courseId?: string } = {},
  ): Promise<Page<ReviewQueueItem> & { overdue: number }> {
    // the access core's scope: the answers of the people this actor coaches (none without the relation)
    const rows = scope.relations.has('coach')
      ? await this.queueRows.waiting(
          scope.tenantId,
          scope.userId,
          scope.today,
          overdueBefore,
          { limit: pageSize, offset: (page - 1) * pageSize },
          m,
          courseId ?? null,
        )
      : [];
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
