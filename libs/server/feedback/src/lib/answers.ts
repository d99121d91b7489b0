import type { EntityManager } from 'typeorm';
import type { AnswerSummary, CourseContent, ExerciseContent, RubricCriterion } from '@rehearse/shared/contracts';
import { PEER_DEFAULTS } from '@rehearse/shared/contracts';
import type { Actor } from '@rehearse/server/access';
import { notFound } from '@rehearse/server/core';
import {
  AnswerRowBase,
  answersShown,
  coachesOwner,
  findExercise,
  RECORDING_SUMMARY_COLUMNS,
  sharedWithPeer,
  toAnswerSummary,
} from '@rehearse/server/courses';

/** An answer with what the checks and views need. */
export interface AnswerRow extends AnswerRowBase {
  tenant_id: string;
  user_id: string;
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
 * The relations an actor has to an answer `a`. Parameters: $2 tenant, $3 actor, $4 may coach,
 * $5 administrator, $6 may learn, $7 today.
 */
const RELATIONS = `
  a.user_id = $3 AS is_owner,
  ($4::boolean AND ${coachesOwner('a.user_id', 'a.course_id', '$3')}) AS is_coach,
  $5::boolean AS is_admin,
  ($6::boolean AND ${sharedWithPeer('a.id', 'a.user_id', 'a.course_id', '$3', '$7')}) AS is_peer`;

export const ANSWER_SELECT = `SELECT a.id, a.tenant_id, a.user_id, a.course_id, a.exercise_id, a.attempt, a.answer_type, a.text_answer, a.submitted_at,
       v.version, v.content, u.name AS owner_name, ${RECORDING_SUMMARY_COLUMNS}, ${RELATIONS}
  FROM answers a
  JOIN course_versions v ON v.id = a.course_version_id
  JOIN users u ON u.id = a.user_id
  LEFT JOIN recordings r ON r.answer_id = a.id
  LEFT JOIN transcripts t ON t.recording_id = r.id`;

/**
 * Loads an answer of the actor's tenant with the actor's relations to it; 404 when the answer is
 * not in the tenant, is hidden (the owner's licence expired), or the actor has no relation to it
 * at all (existence is never disclosed).
 */
export async function loadAnswer(
  m: EntityManager,
  actor: Actor,
  tenantId: string,
  answerId: string,
  today: string,
): Promise<AnswerRow> {
  const rows: AnswerRow[] = await m.query(
    `${ANSWER_SELECT} WHERE a.id = $1 AND a.tenant_id = $2 AND ${answersShown('a.user_id', '$7')}`,
    [
      answerId,
      tenantId,
      actor.userId,
      actor.permissions.has('coaching.read'),
      actor.roles.includes('administrator'),
      actor.permissions.has('courses.learn'),
      today,
    ],
  );
  const row = rows[0];
  if (!row || !(row.is_owner || row.is_coach || row.is_admin || row.is_peer)) throw notFound('Answer');
  const exercise = findExercise(row.content, row.exercise_id);
  if (!exercise) throw new Error(`answer ${row.id} names an exercise missing from its version`);
  return { ...row, exercise };
}

export function answerSummary(a: AnswerRow, locale: string | null = null): AnswerSummary {
  return toAnswerSummary(a, a.exercise, locale);
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
  return {
    reviewers: e.peerReview?.reviewers ?? PEER_DEFAULTS.reviewers,
    dueDays: e.peerReview?.dueDays ?? PEER_DEFAULTS.dueDays,
  };
}
