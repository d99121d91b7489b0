import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AnswerFeedback, PeerAssignment } from '@rehearse/shared/contracts';
import { AccessService, Actor, PrivacyLogService } from '@rehearse/server/access';
import { Clock, notFound } from '@rehearse/server/core';
import { findExercise } from '@rehearse/server/courses';
import { MailProducer } from '@rehearse/server/mail';
import { AnswerRow, loadAnswer, peerSettings } from './answers';
import { pickReviewers } from './rotation';
import { conflict, DAY_MS, invalid } from './reviews.common';
import { AnswerFeedbackService } from './answer-feedback.service';
import { AnswerSharesRepository } from './answer-shares.repository';
import { AnswerViewsRepository } from './answer-views.repository';
import { PeerReviewsRepository } from './peer-reviews.repository';
import { ReviewsRepository } from './reviews.repository';

/**
 * Peer review: a trainee shares an answer with a group, reviewers are assigned by rotation and
 * told by e-mail, lapsed assignments pass to the next reviewer, and each trainee sees theirs.
 */
@Injectable()
export class PeerReviewsService {
  private readonly logger = new Logger(PeerReviewsService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly access: AccessService,
    private readonly privacy: PrivacyLogService,
    private readonly mail: MailProducer,
    private readonly clock: Clock,
    private readonly view: AnswerFeedbackService,
    private readonly reviewRows: ReviewsRepository,
    private readonly shares: AnswerSharesRepository,
    private readonly views: AnswerViewsRepository,
    private readonly peers: PeerReviewsRepository,
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
      const groups = await this.peers.shareableGroups(tenantId, actor.userId, a.course_id, this.clock.today(), m);
      if (!groups.length)
        throw conflict('You are not in a group that takes this course now, so there is nobody to share with');
      const group = groupId ? groups.find((g) => g.id === groupId) : groups.length === 1 ? groups[0] : undefined;
      if (!group)
        throw invalid('Choose the group to share with', [
          { field: 'groupId', messages: [`one of: ${groups.map((g) => `${g.name} (${g.id})`).join(', ')}`] },
        ]);
      await this.shares.insert(tenantId, a.id, group.id, now, m);
      return this.assignPeers(m, tenantId, a.id, a.user_id, group.id, a.exercise, now);
    });
    await this.notifyAssigned(assigned);
    return this.view.feedback(actor, answerId);
  }

  /** Tops the answer's live peer reviews up to N, by rotation over the group's active participants. */
  private async assignPeers(
    m: EntityManager,
    tenantId: string,
    answerId: string,
    ownerId: string,
    groupId: string,
    exercise: AnswerRow['exercise'],
    now: Date,
  ): Promise<string[]> {
    // one rotation at a time per group, so loads are counted right
    await this.reviewRows.lockPeerRotation(groupId, m);
    const { reviewers, dueDays } = peerSettings(exercise);
    const members = await this.peers.activeParticipants(tenantId, groupId, m);
    const history = await this.reviewRows.reviewersOf(tenantId, answerId, m);
    const live = history.filter((h) => h.source === 'peer' && h.state !== 'lapsed').length;
    const loads = await this.reviewRows.openPeerLoads(tenantId, members, m);
    const picked = pickReviewers({
      owner: ownerId,
      members: members,
      load: loads,
      exclude: new Set(history.map((h) => h.reviewer_id)),
      count: reviewers - live,
    });
    const ids: string[] = [];
    for (const reviewer of picked) {
      ids.push(
        await this.reviewRows.assignPeer(
          tenantId,
          answerId,
          reviewer,
          now,
          new Date(now.getTime() + dueDays * DAY_MS),
          m,
        ),
      );
    }
    if (picked.length < reviewers - live)
      this.logger.warn(
        `answer ${answerId}: only ${picked.length} of ${reviewers - live} peer reviewers available in group ${groupId}`,
      );
    return ids;
  }

  private async notifyAssigned(reviewIds: string[]): Promise<void> {
    for (const id of reviewIds) {
      await this.mail
        .send('peer-review-assigned', { reviewId: id }, id)
        .catch((e: Error) => this.logger.warn(`could not queue the review request ${id}: ${e.message}`));
    }
  }

  /**
   * Peer reviews past their due date lapse and go to the next reviewer by rotation (never one who
   * had the answer before). Run by the worker's scheduler; returns what it did.
   */
  async sweepLapsed(): Promise<{ lapsed: number; reassigned: number }> {
    const now = this.clock.now();
    const lapsed = await this.reviewRows.lapseOverdue(now);
    let reassigned = 0;
    for (const answerId of new Set(lapsed)) {
      const ids = await this.db.transaction(async (m) => {
        const s = await this.peers.sharedAnswer(answerId, this.clock.today(), m);
        const exercise = s ? findExercise(s.content, s.exercise_id) : undefined;
        if (!s || !s.open || !exercise) return [];
        return this.assignPeers(m, s.tenant_id, answerId, s.user_id, s.group_id, exercise, now);
      });
      reassigned += ids.length;
      await this.notifyAssigned(ids);
    }
    return { lapsed: lapsed.length, reassigned };
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
