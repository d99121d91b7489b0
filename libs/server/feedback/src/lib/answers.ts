import type { EntityManager } from 'typeorm';
import type { AnswerSummary, CourseContent, ExerciseContent, RubricCriterion } from '@rehearse/shared/contracts';
import { PEER_DEFAULTS } from '@rehearse/shared/contracts';
import type { AccessService, Actor } from '@rehearse/server/access';
import { notFound } from '@rehearse/server/core';
import { AnswerRowBase, findExercise, toAnswerSummary } from '@rehearse/server/courses';
import type { AnswerViewsRepository } from './answer-views.repository';

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
 * Loads an answer the actor may do `permission` to, with the relations that allow it (the access
 * core's checks 3 and 4); 404 when the answer is not in the tenant, is hidden (the owner's licence
 * expired), or no relation of the actor's allows it (existence is never disclosed).
 */
export async function loadAnswer(
  m: EntityManager,
  access: AccessService,
  views: AnswerViewsRepository,
  actor: Actor,
  permission: 'answer.feedback' | 'answer.review' | 'answer.share',
  answerId: string,
): Promise<AnswerRow> {
  const relations = await access.require(actor, permission, answerId, m);
  const row = actor.tenantId ? await views.answer(actor.tenantId, answerId, m) : undefined;
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
