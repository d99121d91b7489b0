import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AnswerFeedback, PeerAssignment, PeerReviewsToDo } from '@rehearse/shared/contracts';
import { AccessService, Actor, PrivacyLogService } from '@rehearse/server/access';
import { Clock, notFound } from '@rehearse/server/core';
import { findExercise, GroupsRepository } from '@rehearse/server/courses';
import { loadAnswer } from './answers';
import { conflict, invalid } from './reviews.common';
import { AnswerFeedbackService } from './answer-feedback.service';
import { AnswerSharesRepository } from './answer-shares.repository';
import { AnswerViewsRepository } from './answer-views.repository';
import { PeerReviewsRepository } from './peer-reviews.repository';
import { PeerRotation } from './peer-rotation';

/**
 * Peer review as trainees meet it: a trainee shares an answer with a group (reviewers are then
 * assigned by PeerRotation and told by e-mail), and each trainee sees the reviews handed to them.
 */
@Injectable()
export class PeerReviewsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly access: AccessService,
    private readonly privacy: PrivacyLogService,
    private readonly clock: Clock,
    private readonly view: AnswerFeedbackService,
    private readonly rotation: PeerRotation,
    private readonly shares: AnswerSharesRepository,
    private readonly views: AnswerViewsRepository,
    private readonly peers: PeerReviewsRepository,
    private readonly groups: GroupsRepository,
  ) {}

  /**
   * The trainee shares their answer with a group that takes the course (the exercise must allow
   * peers); N reviewers are assigned by rotation at once. Sharing twice changes nothing.
   */
  async share(actor: Actor, answerId: string, groupId: string | undefined): Promise<AnswerFeedback> {
    const tenantId = this.access.tenantOf(actor, 'Answer');
    const assigned = await this.db.transaction(async (m) => {
      const now = this.clock.now();
      const a = await loadAnswer(m, this.access, this.views, actor, 'answer.share', answerId);
      if (!a.is_owner) throw notFound('Answer');
      if (!a.exercise.feedback.includes('peer')) throw conflict('This exercise is not open to peer feedback');
      if (await this.shares.shareOf(tenantId, a.id, m)) return [];
      const groups = await this.groups.shareableGroups(tenantId, actor.userId, a.course_id, this.clock.today(), m);
      if (!groups.length)
        throw conflict('You are not in a group that takes this course now, so there is nobody to share with');
      const group = groupId ? groups.find((g) => g.id === groupId) : groups.length === 1 ? groups[0] : undefined;
      if (!group)
        throw invalid('Choose the group to share with', [
          { field: 'groupId', messages: [`one of: ${groups.map((g) => `${g.name} (${g.id})`).join(', ')}`] },
        ]);
      await this.shares.insert(tenantId, a.id, group.id, now, m);
      return this.rotation.assign(m, tenantId, a.id, a.user_id, group.id, a.exercise, now);
    });
    await this.rotation.notify(assigned);
    return this.view.feedback(actor, answerId);
  }

  /**
   * How many peer reviews the actor has to do and when the first is due (their home page): counts
   * of their own assignments, no one else's data, so nothing to log.
   */
  async toDo(actor: Actor): Promise<PeerReviewsToDo> {
    const tenantId = this.access.tenantOf(actor);
    return this.peers.toDoOf(tenantId, actor.userId, this.clock.today());
  }

  /** The peer reviews handed to the actor: to do first (soonest due), then done. */
  async myPeerReviews(actor: Actor): Promise<PeerAssignment[]> {
    const tenantId = this.access.tenantOf(actor);
    // the list names other participants and what they answered: each listed answer is logged
    return this.privacy.readWithLog(actor, async (m) => {
      const value = await this.peerAssignments(m, actor, tenantId);
      return {
        value: value.items,
        log: value.owners.map((o) => ({
          subjectId: o.userId,
          tenantId,
          objectType: 'answer',
          objectId: o.answerId,
          action: 'list',
        })),
      };
    });
  }

  private async peerAssignments(
    m: EntityManager,
    actor: Actor,
    tenantId: string,
  ): Promise<{ items: PeerAssignment[]; owners: { userId: string; answerId: string }[] }> {
    const rows = await this.peers.assignmentsOf(tenantId, actor.userId, this.clock.today(), m);
    return {
      items: rows.map((r) => ({
        answerId: r.answer_id,
        courseTitle: r.content.title,
        exerciseTitle: findExercise(r.content, r.exercise_id)?.title ?? '',
        participantName: r.name,
        state: r.state,
        assignedAt: r.assigned_at.toISOString(),
        dueAt: r.due_at?.toISOString() ?? null,
      })),
      owners: rows.map((r) => ({ userId: r.user_id, answerId: r.answer_id })),
    };
  }
}
