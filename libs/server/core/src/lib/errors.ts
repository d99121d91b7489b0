import { HttpException, HttpStatus } from '@nestjs/common';
import type { ErrorCode, FieldError } from '@rehearse/shared/contracts';

/** A domain error that maps to a 4xx answer with a machine-readable code. */
export class AppError extends HttpException {
  constructor(
    status: HttpStatus,
    readonly code: ErrorCode,
    message: string,
    readonly fieldErrors?: FieldError[],
    readonly headers?: Record<string, string>,
    readonly reason?: string,
  ) {
    super({ code, message }, status);
  }
}

export const notFound = (what = 'Resource') => new AppError(HttpStatus.NOT_FOUND, 'not_found', `${what} not found`);
export const forbidden = (message = 'You are not allowed to do this') =>
  new AppError(HttpStatus.FORBIDDEN, 'forbidden', message);
export const unauthenticated = (message = 'Please sign in') =>
  new AppError(HttpStatus.UNAUTHORIZED, 'unauthenticated', message);
export const conflict = (message: string) => new AppError(HttpStatus.CONFLICT, 'conflict', message);
export const badRequest = (code: ErrorCode, message: string, fieldErrors?: FieldError[]) =>
  new AppError(HttpStatus.BAD_REQUEST, code, message, fieldErrors);
export const tooManyRequests = (retryAfterSeconds: number, message = 'Too many attempts, try again later') =>
  new AppError(HttpStatus.TOO_MANY_REQUESTS, 'rate_limited', message, undefined, {
    'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))),
  });
