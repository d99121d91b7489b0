import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '@rehearse/server/core';
import { findExercise } from '@rehearse/server/courses';
import { type KeptMail, MailOutbox } from '@rehearse/server/mail';
import { AnswerRow, peerSettings } from './answers';
import { pickReviewers } from './rotation';
import { DAY_MS } from './reviews.common';
import { PeerReviewsRepository } from './peer-reviews.repository';
import { ReviewsRepository } from './reviews.repository';

/** The e-mail that reminds a reviewer of a review due soon. */
function reminderOf(reviewId: string, reviewerId: string): KeptMail<'peer-review-reminder'> {
  return { name: 'peer-review-reminder', payload: { reviewId }, key: reviewId, userId: reviewerId };
}

/** A peer reviewer is reminded this long before their review is due (once). */
export const REMIND_BEFORE_MS = DAY_MS;

/**
 * Who reviews a shared answer: N reviewers picked by rotation over the group's active participants
 * (the least loaded first, never the owner or someone who had it before), each told by e-mail;
 * reviewers are reminded a day before their review is due, and reviews past their due date lapse
 * and pass to the next reviewer (the worker's sweep).
 */
@Injectable()
export class PeerRotation {
  private readonly logger = new Logger(PeerRotation.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly mail: MailOutbox,
    private readonly clock: Clock,
    private readonly reviewRows: ReviewsRepository,
    private readonly peers: PeerReviewsRepository,
  ) {}

  /** Tops the answer's live peer reviews up to N, by rotation over the group's active participants. */
  async assign(
    m: EntityManager,
    tenantId: string,
    answerId: string,
    ownerId: string,
    groupId: string,
    exercise: AnswerRow['exercise'],
    now: Date,
  ): Promise<string[]> {
    // one rotation at a time per group, so loads are counted right
    await this.reviewRows.lockPeerRotation(tenantId, groupId, m);
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
    // each reviewer is asked by e-mail, kept with the assignment until sent
    await this.mail.keep(
      tenantId,
      picked.map((reviewer, i) => ({
        name: 'peer-review-assigned' as const,
        payload: { reviewId: ids[i] },
        key: ids[i],
        userId: reviewer,
      })),
      now,
      m,
    );
    if (picked.length < reviewers - live)
      this.logger.warn(
        `answer ${answerId}: only ${picked.length} of ${reviewers - live} peer reviewers available in group ${groupId}`,
      );
    return ids;
  }

  /** Once the assignment committed: the reviewers' e-mails queued (kept until sent: see assign). */
  async notify(reviewIds: string[]): Promise<void> {
    await this.mail.queue(
      reviewIds.map((id) => ({ name: 'peer-review-assigned' as const, payload: { reviewId: id }, key: id })),
    );
  }

  /**
   * Reminds each reviewer once, by e-mail, whose open peer review is due within REMIND_BEFORE_MS
   * (and who was given it at least that long ago). Run by the worker's scheduler; how many.
   */
  async remindDueSoon(): Promise<number> {
    const now = this.clock.now();
    // marked reminded and the e-mails kept in one transaction: a reminder Redis loses is sent all the same
    const due = await this.db.transaction(async (m) => {
      const marked = await this.reviewRows.remindDueSoon(now, REMIND_BEFORE_MS, m);
      const byTenant = new Map<string, KeptMail[]>();
      for (const r of marked)
        if (r.reviewer_id)
          byTenant.set(r.tenant_id, [...(byTenant.get(r.tenant_id) ?? []), reminderOf(r.id, r.reviewer_id)]);
      for (const [tenantId, mails] of byTenant) await this.mail.keep(tenantId, mails, now, m);
      return [...byTenant.values()].flat();
    });
    await this.mail.queue(due);
    return due.length;
  }

  /**
   * Peer reviews past their due date lapse and go to the next reviewer by rotation (never one who
   * had the answer before). Run by the worker's scheduler; returns what it did.
   */
  async sweepLapsed(): Promise<{ lapsed: number; reassigned: number }> {
    const now = this.clock.now();
    const lapsed = await this.reviewRows.lapseOverdue(now);
    let reassigned = 0;
    // each answer once (several of its reviews may have lapsed), with its organisation
    const answers = new Map(lapsed.map((l) => [l.answer_id, l.tenant_id]));
    for (const [answerId, tenantId] of answers) {
      const ids = await this.db.transaction(async (m) => {
        const s = await this.peers.sharedAnswer(tenantId, answerId, this.clock.today(), m);
        const exercise = s ? findExercise(s.content, s.exercise_id) : undefined;
        if (!s || !s.open || !exercise) return [];
        return this.assign(m, s.tenant_id, answerId, s.user_id, s.group_id, exercise, now);
      });
      reassigned += ids.length;
      await this.notify(ids);
    }
    return { lapsed: lapsed.length, reassigned };
  }
}
