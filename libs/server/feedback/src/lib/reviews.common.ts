// The review rows and the errors the review services share.
import { HttpStatus } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { FieldError, Review, ReviewSource, ReviewState } from '@rehearse/shared/contracts';
import { AppError } from '@rehearse/server/core';

export interface ReviewRow {
  id: string;
  answer_id: string;
  reviewer_id: string | null;
  reviewer_name: string | null;
  source: ReviewSource;
  state: ReviewState;
  scores: Record<string, number>;
  total: number | null;
  summary: string;
  ai_decisions: Record<string, 'accepted' | 'dismissed'>;
  revision: number;
  due_at: Date | null;
  published_at: Date | null;
  updated_at: Date;
}

export interface LoadedReview {
  review: Review;
  aiDecisions: ReviewRow['ai_decisions'];
}

export const DAY_MS = 86_400_000;

export const conflict = (message: string) => new AppError(HttpStatus.CONFLICT, 'conflict', message);
export const invalid = (message: string, errors: FieldError[]) =>
  new AppError(HttpStatus.BAD_REQUEST, 'validation_failed', message, errors);

/** The published and draft reviews matching `where`, with their comments. */
export async function reviewRows(m: EntityManager, where: string, params: unknown[]): Promise<Review[]> {
  return (await loadReviews(m, where, params)).map((x) => x.review);
}

/** Reviews with their comments, and the reviewer's decisions on AI findings (which the API's Review leaves out). */
export async function loadReviews(m: EntityManager, where: string, params: unknown[]): Promise<LoadedReview[]> {
  const rows: ReviewRow[] = await m.query(
    `SELECT r.id, r.answer_id, r.reviewer_id, u.name AS reviewer_name, r.source, r.state, r.scores, r.total, r.summary, r.ai_decisions, r.revision, r.due_at, r.published_at, r.updated_at
       FROM reviews r LEFT JOIN users u ON u.id = r.reviewer_id WHERE ${where}
      ORDER BY r.published_at NULLS LAST, r.assigned_at, r.id`,
    params,
  );
  if (!rows.length) return [];
  const comments: { review_id: string; at_s: number; text: string; tag: string | null; ai_finding: string | null }[] =
    await m.query(
      `SELECT review_id, at_s, text, tag, ai_finding FROM review_comments WHERE review_id = ANY($1::uuid[]) ORDER BY review_id, at_s, idx`,
      [rows.map((r) => r.id)],
    );
  return rows.map((r) => ({
    aiDecisions: r.ai_decisions,
    review: {
      id: r.id,
      answerId: r.answer_id,
      source: r.source,
      state: r.state,
      reviewerId: r.reviewer_id,
      reviewerName: r.reviewer_name,
      scores: r.scores,
      total: r.total,
      summary: r.summary,
      comments: comments
        .filter((c) => c.review_id === r.id)
        .map((c) => ({ at: c.at_s, text: c.text, tag: c.tag, aiFinding: c.ai_finding })),
      revision: r.revision,
      dueAt: r.due_at?.toISOString() ?? null,
      publishedAt: r.published_at?.toISOString() ?? null,
      updatedAt: r.updated_at.toISOString(),
    },
  }));
}
