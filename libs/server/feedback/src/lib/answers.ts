import type { EntityManager } from 'typeorm';
import type { AnswerSummary, CourseContent, ExerciseContent, RubricCriterion } from '@rehearse/shared/contracts';
import { PEER_DEFAULTS } from '@rehearse/shared/contracts';
import type { Actor } from '@rehearse/server/access';
import { notFound } from '@rehearse/server/core';
import { findExercise, learnerExercise, RECORDING_SUMMARY_COLUMNS, RecordingSummaryRow, toRecordingSummary } from '@rehearse/server/courses';

/** An answer with what the checks and views need. */
export interface AnswerRow extends RecordingSummaryRow {
  id: string;
  tenant_id: string;
  user_id: string;
  course_id: string;
  exercise_id: string;
  attempt: number;
  answer_type: AnswerSummary['answerType'];
  text_answer: string | null;
  submitted_at: Date;
  version: number;
  content: CourseContent;
  owner_name: string;
  is_owner: boolean;
  is_coach: boolean;
  is_admin: boolean;
  /** shared with a group the actor takes part in, while that group's course is open */
  is_peer: boolean;
  exercise: ExerciseContent;
}

/**
 * The relations an actor has to an answer, as SQL over `a` (answers) and `c` (courses).
 * Parameters: $2 tenant, $3 actor, $4 may coach, $5 administrator, $6 may learn, $7 today.
 * A coach relates through a group where they coach and the owner takes part, or as the coach
 * named on the owner's enrolment; a peer through a share with a group they take part in, while
 * the course is not archived and that group's enrolment is not past its due date.
 */
const RELATIONS = `
  a.user_id = $3 AS is_owner,
  ($4::boolean AND (
      EXISTS (SELECT 1 FROM group_members gc JOIN group_members gp ON gp.group_id = gc.group_id AND gp.role = 'participant'
               WHERE gc.user_id = $3 AND gc.role = 'coach' AND gp.user_id = a.user_id)
   OR EXISTS (SELECT 1 FROM enrolments e WHERE e.course_id = a.course_id AND e.user_id = a.user_id AND e.coach_id = $3))) AS is_coach,
  $5::boolean AS is_admin,
  ($6::boolean AND a.user_id <> $3 AND c.archived_at IS NULL AND EXISTS (
      SELECT 1 FROM answer_shares s
        JOIN group_members gm ON gm.group_id = s.group_id AND gm.user_id = $3 AND gm.role = 'participant'
        JOIN enrolments e ON e.group_id = s.group_id AND e.course_id = a.course_id AND (e.due_on IS NULL OR e.due_on >= $7::date)
       WHERE s.answer_id = a.id)) AS is_peer`;

export const ANSWER_SELECT = `SELECT a.id, a.tenant_id, a.user_id, a.course_id, a.exercise_id, a.attempt, a.answer_type, a.text_answer, a.submitted_at,
       v.version, v.content, u.name AS owner_name, ${RECORDING_SUMMARY_COLUMNS}, ${RELATIONS}
  FROM answers a
  JOIN course_versions v ON v.id = a.course_version_id
  JOIN courses c ON c.id = a.course_id
  JOIN users u ON u.id = a.user_id
  LEFT JOIN recordings r ON r.answer_id = a.id
  LEFT JOIN transcripts t ON t.recording_id = r.id`;

export function today(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/**
 * Loads an answer of the actor's tenant with the actor's relations to it; 404 when the answer is
 * not in the tenant or the actor has no relation to it at all (existence is never disclosed).
 */
export async function loadAnswer(m: EntityManager, actor: Actor, tenantId: string, answerId: string, now: Date): Promise<AnswerRow> {
  const rows: AnswerRow[] = await m.query(`${ANSWER_SELECT} WHERE a.id = $1 AND a.tenant_id = $2`, [
    answerId,
    tenantId,
    actor.userId,
    actor.permissions.has('coaching.read'),
    actor.roles.includes('administrator'),
    actor.permissions.has('courses.learn'),
    today(now),
  ]);
  const row = rows[0];
  if (!row || !(row.is_owner || row.is_coach || row.is_admin || row.is_peer)) throw notFound('Answer');
  const exercise = findExercise(row.content, row.exercise_id);
  if (!exercise) throw new Error(`answer ${row.id} names an exercise missing from its version`);
  return { ...row, exercise };
}

export function answerSummary(a: AnswerRow): AnswerSummary {
  return {
    id: a.id,
    courseId: a.course_id,
    courseVersion: a.version,
    exerciseId: a.exercise_id,
    exerciseTitle: a.exercise.title,
    attempt: a.attempt,
    answerType: a.answer_type,
    text: a.text_answer,
    submittedAt: a.submitted_at.toISOString(),
    exercise: learnerExercise(a.exercise, a.attempt, false),
    recording: toRecordingSummary(a),
  };
}

/** The rubric criteria of the exercise as answered (frozen at publish). */
export function rubricCriteria(e: ExerciseContent): RubricCriterion[] {
  return e.rubric?.criteria ?? [];
}

/** The criteria peers score: those the exercise opens to them (all when it names none). */
export function peerCriteria(e: ExerciseContent): RubricCriterion[] {
  const all = rubricCriteria(e);
  const open = e.peerReview?.criterionIds ?? [];
  return open.length ? all.filter((c) => open.includes(c.id)) : all;
}

export function peerSettings(e: ExerciseContent): { reviewers: number; dueDays: number } {
  return { reviewers: e.peerReview?.reviewers ?? PEER_DEFAULTS.reviewers, dueDays: e.peerReview?.dueDays ?? PEER_DEFAULTS.dueDays };
}
