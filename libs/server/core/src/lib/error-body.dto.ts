/* The body of every error answer (GlobalExceptionFilter), as OpenAPI shows it (npm run openapi:metadata). */
import type { ErrorBody, ErrorCode, FieldError } from '@rehearse/shared/contracts';
import { ApiResponse, getSchemaPath } from '@nestjs/swagger';

export class FieldErrorDto implements FieldError {
  /**
   * the field, as a path into the body or query, an array's elements by their index (`comments.2.text`)
   * @example 'code'
   */
  field!: string;
  /**
   * what is wrong with it, in the request's language
   * @example ['code must be 6 digits']
   */
  messages!: string[];
}

export class ErrorBodyDto implements ErrorBody {
  /**
   * the HTTP status again
   * @example 400
   */
  statusCode!: number;
  /** what went wrong, for programs */
  code!: ErrorCode;
  /**
   * what went wrong, for people, in the request's language (Accept-Language)
   * @example 'The request is not valid'
   */
  message!: string;
  /**
   * quote it when you report a problem: the server's log of this request carries it
   * @example '7c0f1d2e-3b4a-4c5d-8e6f-0a1b2c3d4e5f'
   */
  correlationId!: string;
  /** each field that broke its rule (400) */
  errors?: FieldErrorDto[];
  /**
   * a finer reason where a code covers several (why a media file was refused)
   * @example 'no_audio_track'
   */
  reason?: string;
}

/**
 * An error answer an operation gives beyond those its access rules and parameters imply (those the
 * OpenAPI document adds by itself: 400, 401, 403, 404 for an id, 413, 503), and why: a conflict
 * with the object's state, an attempt limit, a sign-in step missing.
 */
export function Refuses(
  status: 401 | 404 | 409 | 412 | 413 | 415 | 416 | 429 | 502 | 507,
  why: string,
): MethodDecorator {
  // as JSON whatever the operation's answer is (a download's is a ZIP)
  return ApiResponse({
    status,
    description: why,
    content: { 'application/json': { schema: { $ref: getSchemaPath(ErrorBodyDto) } } },
  });
}
