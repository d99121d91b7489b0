import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AiReport, AnswerFeedback, AnswerShare, AttemptResult } from '@rehearse/shared/contracts';
import { AccessService, Actor, PrivacyLogService } from '@rehearse/server/access';
import { Clock, notFound } from '@rehearse/server/core';
import { findExercise, GroupsRepository } from '@rehearse/server/courses';
import { AnswerRow, answerSummary, loadAnswer } from './answers';
import { AnswerSharesRepository } from './answer-shares.repository';
import { AnswerViewsRepository } from './answer-views.repository';
import { ReviewsRepository } from './reviews.repository';

/** Whether the trainee assesses themselves before they see anyone else's feedback. */
export function selfFirst(a: { exercise: AnswerRow['exercise'] }): boolean {
  return !!a.exercise.selfAssessmentFirst && a.exercise.feedback.includes('self');
}

/**
 * The feedback on one answer as its trainee (or a coach) reads it: every published review, the
 * share with the group, the attempts at the exercise and the course's baseline against final.
 */
@Injectable()
export class AnswerFeedbackService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly access: AccessService,
    private readonly privacy: PrivacyLogService,
    private readonly clock: Clock,
    private readonly reviewRows: ReviewsRepository,
    private readonly shares: AnswerSharesRepository,
    private readonly views: AnswerViewsRepository,
    private readonly groups: GroupsRepository,
  ) {}

  /** The group the answer is shared with, by name, and its peer reviews' progress (null: not shared). */
  private async share(tenantId: string, answerId: string, m: EntityManager): Promise<AnswerShare | null> {
    const share = await this.shares.shareOf(tenantId, answerId, m);
    if (!share) return null;
    const names = await this.groups.names(tenantId, [share.groupId], m);
    return { ...share, groupName: names.get(share.groupId) ?? '' };
  }

  /**
   * All published feedback on an answer, for its owner, their coach or an administrator. When
   * the exercise asks for a self-assessment first, the owner sees others' feedback only after
   * publishing their own.
   */
  async feedback(actor: Actor, answerId: string): Promise<AnswerFeedback> {
    const tenantId = this.access.tenantOf(actor, 'Answer');
    return this.db.transaction(async (m) => {
      const a = await loadAnswer(m, this.access, this.views, actor, 'answer.feedback', answerId);
      if (!(a.is_owner || a.is_coach || a.is_admin)) throw notFound('Answer');
      const published = await this.reviewRows.reviews(a.tenant_id, { answerId: a.id, published: true }, m);
      const pending = a.is_owner && selfFirst(a) && !published.some((r) => r.source === 'self');
      const reviews = pending ? published.filter((r) => r.source === 'self') : published;
      await this.privacy.record(m, actor, {
        subjectId: a.user_id,
        tenantId,
        objectType: 'feedback',
        objectId: a.id,
        action: 'view',
      });
      const progress = await this.courseAttempts(m, a, a.is_owner);
      return {
        answer: answerSummary(a, actor.profile?.locale ?? null),
        participantId: a.user_id,
        participantName: a.owner_name,
        selfAssessmentPending: pending,
        reviews,
        share: await this.share(a.tenant_id, a.id, m),
        peersAllowed: a.exercise.feedback.includes('peer'),
        attempts: progress.get(a.exercise_id)?.attempts ?? [],
        courseProgress: [...progress].map(([exerciseId, e]) => ({
          exerciseId,
          exerciseTitle: e.title,
          attempts: e.attempts.length,
          baseline: e.attempts[0],
          final: e.attempts[e.attempts.length - 1],
        })),
      };
    });
  }

  /**
   * Every answer of the participant in the course, with the mean published totals per source and
   * two AI figures, grouped by exercise in course order, attempts in order. A total the owner may
   * not see yet (self-assessment first, none published) is held back.
   */
  private async courseAttempts(
    m: EntityManager,
    a: AnswerRow,
    asOwner: boolean,
  ): Promise<Map<string, { title: string; attempts: AttemptResult[] }>> {
    const rows = await this.views.attempts(a.tenant_id, a.user_id, a.course_id, m);
    const figure = (r: AiReport | null, id: string) => r?.metrics.find((x) => x.id === id)?.value ?? null;
    // exercises in the order of the answered course version
    const order = a.content.modules.flatMap((mo) => mo.exercises.map((e) => e.id));
    const rank = (id: string) => (order.indexOf(id) < 0 ? order.length : order.indexOf(id));
    const byExercise = new Map<string, { title: string; attempts: AttemptResult[] }>();
    for (const r of [...rows].sort((x, y) => rank(x.exercise_id) - rank(y.exercise_id))) {
      const exercise = findExercise(r.content, r.exercise_id);
      const held = asOwner && !!exercise && selfFirst({ exercise }) && r.self === null;
      const entry = byExercise.get(r.exercise_id) ?? { title: exercise?.title ?? '', attempts: [] };
      entry.attempts.push({
        answerId: r.id,
        attempt: r.attempt,
        submittedAt: r.submitted_at.toISOString(),
        coachTotal: held ? null : r.coach,
        selfTotal: r.self,
        peerTotal: held ? null : r.peer,
        wpm: figure(r.report, 'speaking_rate'),
        fillersPerMinute: figure(r.report, 'fillers'),
      });
      byExercise.set(r.exercise_id, entry);
    }
    return byExercise;
  }
}
