import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { PeerReviewsToDo, ReviewState } from '@rehearse/shared/contracts';
import type { Queryable } from '@rehearse/server/database';
import { PeopleDirectoryRepository } from '@rehearse/server/accounts';
import { GroupsRepository, LearningRepository } from '@rehearse/server/courses';
import type { AnswerRow } from './answers';

/** An answer shared for peer review, as the sweep sees it: whether its group's course is still open. */
export interface SharedAnswerRow {
  tenant_id: string;
  group_id: string;
  user_id: string;
  content: AnswerRow['content'];
  exercise_id: string;
  open: boolean;
}

/** A peer review handed to someone, with the answer it is about. */
export interface PeerAssignmentRow {
  answer_id: string;
  user_id: string;
  content: AnswerRow['content'];
  exercise_id: string;
  name: string;
  state: ReviewState;
  assigned_at: Date;
  due_at: Date | null;
}

/**
 * Peer review's read model: a group's active participants, a shared answer as the sweep sees it,
 * and the reviews handed to someone (the groups a trainee may share with are courses'
 * `GroupsRepository.shareableGroups`). Its own SQL reads feedback's tables; groups and answers are
 * courses' to answer, who is active accounts'. Each method takes the tenant first, but the
 * sweep's, which finds it with the shared answer.
 */
@Injectable()
export class PeerReviewsRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly people: PeopleDirectoryRepository,
    private readonly groups: GroupsRepository,
    private readonly learning: LearningRepository,
  ) {}

  /** The group's active participants, in the order they joined (the rotation's order; who is active is accounts' to say). */
  async activeParticipants(tenantId: string, groupId: string, m: Queryable = this.db): Promise<string[]> {
    const members = await this.groups.participantsByJoining(tenantId, groupId, m);
    const active = await this.people.active(tenantId, members, m);
    return members.filter((id) => active.has(id));
  }

  /** A shared answer with its organisation, and whether peer review of it is still open `today`. */
  async sharedAnswer(
    tenantId: string,
    answerId: string,
    today: string,
    m: Queryable = this.db,
  ): Promise<SharedAnswerRow | undefined> {
    const [share] = (await m.query(
      `SELECT tenant_id, group_id FROM answer_shares WHERE answer_id = $1 AND tenant_id = $2`,
      [answerId, tenantId],
    )) as { tenant_id: string; group_id: string }[];
    if (!share) return undefined;
    const answer = await this.learning.sharedInGroup(share.tenant_id, answerId, share.group_id, today, m);
    return answer && { tenant_id: share.tenant_id, group_id: share.group_id, ...answer };
  }

  /**
   * The peer reviews handed to `reviewerId` and not done (not published, not lapsed) whose answers
   * are not hidden: how many, and when the first is due.
   */
  async toDoOf(tenantId: string, reviewerId: string, today: string, m: Queryable = this.db): Promise<PeerReviewsToDo> {
    const open = (await m.query(
      `SELECT r.answer_id, r.due_at
         FROM reviews r
        WHERE r.tenant_id = $1 AND r.reviewer_id = $2 AND r.source = 'peer' AND r.state IN ('assigned', 'draft')`,
      [tenantId, reviewerId],
    )) as { answer_id: string; due_at: Date | null }[];
    const visible = await this.learning.answersToReview(
      tenantId,
      open.map((r) => r.answer_id),
      today,
      m,
    );
    const shown = open.filter((r) => visible.has(r.answer_id));
    const due = shown.map((r) => r.due_at?.getTime()).filter((t): t is number => t !== undefined);
    return { toDo: shown.length, nextDueAt: due.length ? new Date(Math.min(...due)).toISOString() : null };
  }

  /** The peer reviews handed to `reviewerId` (not lapsed, answers not hidden): to do first, soonest due. */
  async assignmentsOf(
    tenantId: string,
    reviewerId: string,
    today: string,
    m: Queryable = this.db,
  ): Promise<PeerAssignmentRow[]> {
    const handed = (await m.query(
      `SELECT r.answer_id, r.state, r.assigned_at, r.due_at
         FROM reviews r
        WHERE r.tenant_id = $1 AND r.reviewer_id = $2 AND r.source = 'peer' AND r.state <> 'lapsed'
        ORDER BY (r.state = 'published'), r.due_at NULLS LAST, r.assigned_at`,
      [tenantId, reviewerId],
    )) as Pick<PeerAssignmentRow, 'answer_id' | 'state' | 'assigned_at' | 'due_at'>[];
    // the answers from courses (those hidden by an expired licence left out), in the reviews' order
    const answers = await this.learning.answersToReview(
      tenantId,
      handed.map((r) => r.answer_id),
      today,
      m,
    );
    const found = handed.flatMap((r) => {
      const a = answers.get(r.answer_id);
      return a ? [{ ...r, ...a }] : [];
    });
    // whose answers: names from accounts' directory
    const names = await this.people.names(
      tenantId,
      found.map((r) => r.user_id),
      m,
    );
    return found.map((r) => ({ ...r, name: names.get(r.user_id) ?? '' }));
  }
}
