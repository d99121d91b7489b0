// What the review services share: a loaded review and their errors (the statements: ReviewsRepository).
import { HttpStatus } from '@nestjs/common';
import type { FieldError, Review } from '@rehearse/shared/contracts';
import { AppError } from '@rehearse/server/core';

/** A review, and the reviewer's decisions on AI findings (which the API's Review leaves out). */
export interface LoadedReview {
  review: Review;
  aiDecisions: Record<string, 'accepted' | 'dismissed'>;
}

export const DAY_MS = 86_400_000;

export const conflict = (message: string) => new AppError(HttpStatus.CONFLICT, 'conflict', message);
export const invalid = (message: string, errors: FieldError[]) =>
  new AppError(HttpStatus.BAD_REQUEST, 'validation_failed', message, errors);
