import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { ReviewState } from '@rehearse/shared/contracts';
import { answersShown, openEnrolment } from '@rehearse/server/access';
import type { Queryable } from '@rehearse/server/database';
import { PeopleDirectoryRepository } from '@rehearse/server/accounts';
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
 * Peer review's read model across libraries: the groups a trainee may share with, a group's
 * active participants, a shared answer as the sweep sees it, and the reviews handed to someone.
 * Each method takes the tenant first, but the sweep's, which finds it with the shared answer.
 */
@Injectable()
export class PeerReviewsRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly people: PeopleDirectoryRepository,
  ) {}

  /** The groups the person takes part in whose enrolment in the course is open `today`, by name. */
  async shareableGroups(
    tenantId: string,
    userId: string,
    courseId: string,
    today: string,
    m: Queryable = this.db,
  ): Promise<{ id: string; name: string }[]> {
    return (await m.query(
      `SELECT g.id, g.name FROM groups g
         JOIN group_members gm ON gm.group_id = g.id AND gm.user_id = $1 AND gm.role = 'participant'
         JOIN enrolments e ON e.group_id = g.id AND e.course_id = $2 AND ${openEnrolment('e', '$3')}
        WHERE g.tenant_id = $4 ORDER BY g.name`,
      [userId, courseId, today, tenantId],
    )) as { id: string; name: string }[];
  }

  /** The group's active participants, in the order they joined (the rotation's order; who is active is accounts' to say). */
  async activeParticipants(tenantId: string, groupId: string, m: Queryable = this.db): Promise<string[]> {
    const rows = (await m.query(
      `SELECT gm.user_id FROM group_members gm
        WHERE gm.group_id = $1 AND gm.tenant_id = $2 AND gm.role = 'participant' ORDER BY gm.created_at, gm.user_id`,
      [groupId, tenantId],
    )) as { user_id: string }[];
    const members = rows.map((r) => r.user_id);
    const active = await this.people.active(tenantId, members, m);
    return members.filter((id) => active.has(id));
  }

  /** A shared answer with its organisation, and whether peer review of it is still open `today`. */
  async sharedAnswer(answerId: string, today: string, m: Queryable = this.db): Promise<SharedAnswerRow | undefined> {
    const [row] = (await m.query(
      `SELECT s.tenant_id, s.group_id, a.user_id, v.content, a.exercise_id,
              (c.archived_at IS NULL AND ${answersShown('a.user_id', '$2')} AND EXISTS (SELECT 1 FROM enrolments e WHERE e.group_id = s.group_id AND e.course_id = a.course_id AND ${openEnrolment('e', '$2')})) AS open
         FROM answer_shares s JOIN answers a ON a.id = s.answer_id JOIN course_versions v ON v.id = a.course_version_id JOIN courses c ON c.id = a.course_id
        WHERE s.answer_id = $1`,
      [answerId, today],
    )) as SharedAnswerRow[];
    return row;
  }

  /** The peer reviews handed to `reviewerId` (not lapsed, answers not hidden): to do first, soonest due. */
  async assignmentsOf(
    tenantId: string,
    reviewerId: string,
    today: string,
    m: Queryable = this.db,
  ): Promise<PeerAssignmentRow[]> {
    const found = (await m.query(
      `SELECT r.answer_id, a.user_id, v.content, a.exercise_id, r.state, r.assigned_at, r.due_at
         FROM reviews r JOIN answers a ON a.id = r.answer_id JOIN course_versions v ON v.id = a.course_version_id
        WHERE r.tenant_id = $1 AND r.reviewer_id = $2 AND r.source = 'peer' AND r.state <> 'lapsed' AND ${answersShown('a.user_id', '$3')}
        ORDER BY (r.state = 'published'), r.due_at NULLS LAST, r.assigned_at`,
      [tenantId, reviewerId, today],
    )) as Omit<PeerAssignmentRow, 'name'>[];
    // whose answers: names from accounts' directory
    const names = await this.people.names(
      tenantId,
      found.map((r) => r.user_id),
      m,
    );
    return found.map((r) => ({ ...r, name: names.get(r.user_id) ?? '' }));
  }
}
