import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AnswerFeedback } from '@rehearse/shared/contracts';
import { AccessService, Actor } from '@rehearse/server/access';
import { Clock, notFound } from '@rehearse/server/core';
import { GroupsRepository } from '@rehearse/server/courses';
import { loadAnswer } from './answers';
import { conflict, invalid } from './reviews.common';
import { AnswerFeedbackService } from './answer-feedback.service';
import { AnswerSharesRepository } from './answer-shares.repository';
import { AnswerViewsRepository } from './answer-views.repository';
import { PeerRotation } from './peer-rotation';

/**
 * A trainee shares an answer with a group for peer review: reviewers are then assigned by
 * PeerRotation and told by e-mail. The reviews handed to each trainee: PeerReviewsService.
 */
@Injectable()
export class AnswerSharing {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly access: AccessService,
    private readonly clock: Clock,
    private readonly view: AnswerFeedbackService,
    private readonly rotation: PeerRotation,
    private readonly shares: AnswerSharesRepository,
    private readonly views: AnswerViewsRepository,
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
}
