/** Machine-readable error codes returned in every 4xx/5xx body as `code`. */
export type ErrorCode =
  | 'validation_failed'
  | 'malformed_request'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'invalid_credentials'
  | 'mfa_required'
  | 'invalid_code'
  | 'code_expired'
  | 'too_many_attempts'
  | 'rate_limited'
  | 'csrf_failed'
  | 'weak_password'
  | 'invalid_token'
  | 'impersonation_forbidden'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'precondition_failed'
  | 'range_not_satisfiable'
  | 'invalid_media'
  | 'unavailable'
  | 'internal_error';

export interface FieldError {
  field: string;
  messages: string[];
}

export interface ErrorBody {
  statusCode: number;
  code: ErrorCode;
  message: string;
  correlationId: string;
  errors?: FieldError[];
  /** a finer machine-readable reason where a code covers several (e.g. why a media file was refused) */
  reason?: string;
}
