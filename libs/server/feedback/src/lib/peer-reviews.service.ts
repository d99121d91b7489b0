import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { PeerAssignment, PeerReviewsToDo } from '@rehearse/shared/contracts';
import { AccessService, Actor, PrivacyLogService } from '@rehearse/server/access';
import { Clock } from '@rehearse/server/core';
import { findExercise } from '@rehearse/server/courses';
import { PeerReviewsRepository } from './peer-reviews.repository';

/**
 * Peer review as trainees meet it: the reviews handed to each trainee (to do, then done), and how
 * many wait on their home page. How an answer comes to be reviewed by peers: AnswerSharing.
 */
@Injectable()
export class PeerReviewsService {
  constructor(
    private readonly access: AccessService,
    private readonly privacy: PrivacyLogService,
    private readonly clock: Clock,
    private readonly peers: PeerReviewsRepository,
  ) {}

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
