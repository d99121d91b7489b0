import type { EntityManager } from 'typeorm';
import type { AnswerSummary, CourseContent, ExerciseContent, RubricCriterion } from '@rehearse/shared/contracts';
import { PEER_DEFAULTS } from '@rehearse/shared/contracts';
import type { AccessService, Actor } from '@rehearse/server/access';
import { notFound } from '@rehearse/server/core';
import { AnswerRowBase, findExercise, RECORDING_SUMMARY_COLUMNS, toAnswerSummary } from '@rehearse/server/courses';

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

export const ANSWER_SELECT = `SELECT a.id, a.tenant_id, a.user_id, a.course_id, a.exercise_id, a.attempt, a.answer_type, a.text_answer, a.submitted_at,
       v.version, v.content, u.name AS owner_name, ${RECORDING_SUMMARY_COLUMNS}
  FROM answers a
  JOIN course_versions v ON v.id = a.course_version_id
  JOIN users u ON u.id = a.user_id
  LEFT JOIN recordings r ON r.answer_id = a.id
  LEFT JOIN transcripts t ON t.recording_id = r.id`;

/**
 * Loads an answer the actor may do `permission` to, with the relations that allow it (the access
 * core's checks 3 and 4); 404 when the answer is not in the tenant, is hidden (the owner's licence
 * expired), or no relation of the actor's allows it (existence is never disclosed).
 */
export async function loadAnswer(
  m: EntityManager,
  access: AccessService,
  actor: Actor,
  permission: 'answer.feedback' | 'answer.review' | 'answer.share',
  answerId: string,
): Promise<AnswerRow> {
  const relations = await access.require(actor, permission, answerId, m);
  const rows: Omit<AnswerRow, 'exercise' | 'is_owner' | 'is_coach' | 'is_admin' | 'is_peer'>[] = await m.query(
    `${ANSWER_SELECT} WHERE a.id = $1 AND a.tenant_id = $2`,
    [answerId, actor.tenantId],
  );
  const row = rows[0];
  if (!row) throw notFound('Answer');
  const exercise = findExercise(row.content, row.exercise_id);
  if (!exercise) throw new Error(`answer ${row.id} names an exercise missing from its version`);
  return {
    ...row,
    exercise,
    is_owner: relations.includes('owner'),
    is_coach: relations.includes('coach'),
    is_admin: relations.includes('administrator'),
    is_peer: relations.includes('peer'),
  };
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
