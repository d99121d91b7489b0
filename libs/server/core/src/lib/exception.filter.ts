import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import {
  type ErrorBody,
  type ErrorCode,
  type FieldError,
  type Locale,
  negotiateLocale,
} from '@rehearse/shared/contracts';
import { AppError } from './errors';
import { translateApiMessage } from './api-messages';
import { correlationIdOf } from './logging';

const CODE_BY_STATUS: Partial<Record<number, ErrorCode>> = {
  400: 'malformed_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  503: 'unavailable',
  507: 'unavailable',
};

export interface GlobalExceptionFilterOptions {
  /**
   * The methods the routes at a path answer (HEAD with GET): a request no route took whose path a
   * route has, under another method, is answered 405 with `Allow` instead of 404 (an OPTIONS
   * request 204 with `Allow`).
   */
  methodsAt?: (path: string) => string[];
}

/** One global filter: every error leaves as an ErrorBody with the request's correlation id. */
@Catch()
export class GlobalExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(private readonly options: GlobalExceptionFilterOptions = {}) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request>();
    const res = ctx.getResponse<Response>();
    const correlationId = correlationIdOf(req);
    let status = HttpStatus.INTERNAL_SERVER_ERROR;
    let code: ErrorCode = 'internal_error';
    let message = 'Something went wrong on our side. Quote the correlation id when you report it.';
    let errors: FieldError[] | undefined;
    let reason: string | undefined;

    if (exception instanceof AppError) {
      status = exception.getStatus();
      code = exception.code;
      message = (exception.getResponse() as { message: string }).message;
      errors = exception.fieldErrors;
      reason = exception.reason;
      for (const [k, v] of Object.entries(exception.headers ?? {})) res.setHeader(k, v);
    } else if (exception instanceof NotFoundException && this.unrouted(exception, req)) {
      // no route took the request: the path may have routes under other methods
      const allowed = this.options.methodsAt?.(req.path) ?? [];
      if (allowed.length && req.method === 'OPTIONS') {
        res.setHeader('Allow', allowHeader(allowed));
        res.status(HttpStatus.NO_CONTENT).end();
        return;
      }
      status = allowed.length ? HttpStatus.METHOD_NOT_ALLOWED : HttpStatus.NOT_FOUND;
      code = allowed.length ? 'method_not_allowed' : 'not_found';
      message = allowed.length
        ? `This address does not answer ${req.method}; it answers ${allowed.join(', ')}`
        : exception.message;
      if (allowed.length) res.setHeader('Allow', allowHeader(allowed));
    } else if (exception instanceof HttpException) {
      status = exception.getStatus();
      code = CODE_BY_STATUS[status] ?? (status >= 500 ? 'internal_error' : 'malformed_request');
      const body = exception.getResponse();
      message = typeof body === 'string' ? body : String((body as { message?: unknown }).message ?? exception.message);
      if (Array.isArray((body as { message?: unknown }).message)) message = 'The request is not valid';
    } else if (exception instanceof GoneError) {
      status = HttpStatus.NOT_FOUND;
      code = 'not_found';
      message = GONE_MESSAGE;
    } else if (isOutOfSpace(exception)) {
      // the server's own disk is full (the storage folder, the work folder): not the request's
      // fault, and not a bug; the operator is told by the error logged below
      status = HttpStatus.INSUFFICIENT_STORAGE;
      code = 'unavailable';
      message = OUT_OF_SPACE_MESSAGE;
      res.setHeader('Retry-After', '60');
    } else if (isServiceUnavailable(exception)) {
      // PostgreSQL restarting or out of reach: a clear answer to try again, not an internal error
      status = HttpStatus.SERVICE_UNAVAILABLE;
      code = 'unavailable';
      message = UNAVAILABLE_MESSAGE;
      res.setHeader('Retry-After', '5');
    } else if (isConcurrentChange(exception)) {
      // two requests changed the same thing at once and the database kept one (a unique key, a
      // deadlock, a serialization failure): the other is told to look again, not that we failed
      status = HttpStatus.CONFLICT;
      code = 'conflict';
      message = CONCURRENT_CHANGE_MESSAGE;
      this.logger.warn({ correlationId, constraint: constraintOf(exception) }, 'Concurrent change refused');
    } else if (isBodyParserError(exception)) {
      ({ status, code, message } = bodyRefusal(exception));
    }

    // a route of another resource took the request and refused its parameter (GET
    // /api/admin/users/import reached GET /api/admin/users/:id): the path's own routes answer other
    // methods only, so it is a 405 as for a request no route took, not the id's 400
    if (status === HttpStatus.BAD_REQUEST && code === 'validation_failed' && req.method !== 'OPTIONS') {
      const allowed = this.options.methodsAt?.(req.path) ?? [];
      if (allowed.length && !allowed.includes(req.method)) {
        status = HttpStatus.METHOD_NOT_ALLOWED;
        code = 'method_not_allowed';
        message = `This address does not answer ${req.method}; it answers ${allowed.join(', ')}`;
        errors = undefined;
        res.setHeader('Allow', allowHeader(allowed));
      }
    }
    // what the operator is to look at, by what it is: a service not answering for now (it may
    // come back by itself), a full disk (someone must make room), a bug
    if (status === HttpStatus.SERVICE_UNAVAILABLE)
      this.logger.warn({ err: exception, correlationId }, 'A service the request depends on is not answering');
    else if (status === HttpStatus.INSUFFICIENT_STORAGE)
      this.logger.error({ err: exception, correlationId }, 'Out of disk space');
    else if (status >= 500) this.logger.error({ err: exception, correlationId }, 'Unhandled error');
    // in the language the request asks for (the web app sends its own); English otherwise
    const locale = requestLocale(req);
    message = translateApiMessage(locale, message);
    errors = errors?.map((e) => ({ field: e.field, messages: e.messages.map((m) => translateApiMessage(locale, m)) }));
    const body: ErrorBody = {
      statusCode: status,
      code,
      message,
      correlationId,
      ...(errors ? { errors } : {}),
      ...(reason ? { reason } : {}),
    };
    res.status(status).json(body);
  }

  /**
   * Nest answers a request no route took with a NotFoundException of its own ("Cannot GET /path",
   * the URL as sent), told apart from a handler's 404 by that message.
   */
  private unrouted(e: NotFoundException, req: Request): boolean {
    return e.message === `Cannot ${req.method} ${req.originalUrl}`;
  }
}

/**
 * The error body of a refusal answered outside the filter (the tus server's), as the filter writes
 * one: the code its status stands for, the message in the request's language, the correlation id.
 */
export function errorBodyOf(req: Request, status: number, message: string): ErrorBody {
  return {
    statusCode: status,
    code: CODE_BY_STATUS[status] ?? (status >= 500 ? 'internal_error' : 'malformed_request'),
    message: translateApiMessage(requestLocale(req), message),
    correlationId: correlationIdOf(req),
  };
}

/** The language a request asks its answers in (Accept-Language), when Rehearse speaks it. */
export function requestLocale(req: Request): Locale | null {
  return negotiateLocale(req.headers['accept-language']);
}

export const UNAVAILABLE_MESSAGE =
  'The service is briefly unavailable (a service it depends on is not answering). Try again in a moment.';

/**
 * The errors of a service the API stands on that is restarting or out of reach: PostgreSQL as the
 * pg driver and TypeORM report it (no connection: refused, reset, timed out; the connection ended
 * under a query; the server shutting down or starting, SQLSTATE class 57P: admin shutdown, crash
 * shutdown, cannot connect now; 08: connection exceptions), and Redis as ioredis does.
 */
/** Every method the resource answers (RFC 9110 §10.2.1): its routes' and OPTIONS, which every path with a route answers. */
function allowHeader(routed: string[]): string {
  return [...routed, 'OPTIONS'].join(', ');
}

/** An error and what caused it, a few levels down (TypeORM's driverError, an Error's cause). */
function* causes(e: unknown): Generator<object> {
  for (
    let x: unknown = e, depth = 0;
    x && typeof x === 'object' && depth < 4;
    x = (x as { driverError?: unknown; cause?: unknown }).driverError ?? (x as { cause?: unknown }).cause, depth++
  )
    yield x;
}

/**
 * A failure of the server's for now (a service out of reach or refusing for now, a full disk), not
 * of what was asked: the same work may succeed later, so nothing of it is thrown away.
 */
export function isTemporaryFailure(e: unknown): boolean {
  return isServiceUnavailable(e) || isOutOfSpace(e);
}

export const OUT_OF_SPACE_MESSAGE = 'The server is short of disk space just now; try again later';

/**
 * Whether `e` (or what caused it) is a disk that is full, or a quota reached: this host's
 * (ENOSPC, EDQUOT) or PostgreSQL's (53100 disk_full, as pg and TypeORM report it).
 */
export function isOutOfSpace(e: unknown): boolean {
  for (const x of causes(e)) {
    const { code } = x as { code?: unknown };
    if (code === 'ENOSPC' || code === 'EDQUOT' || code === '53100') return true;
  }
  return false;
}

/**
 * A service a request depends on (object storage, a key service) answered that it cannot serve it
 * now (a 5xx, or a throttling 4xx, after its client's own retries): the request may succeed in a
 * moment, so it is answered 503 like PostgreSQL or Redis out of reach, not as a bug.
 */
export class DependencyUnavailableError extends Error {
  override readonly name = 'DependencyUnavailableError';
}

/**
 * What a request needed was deleted for good while it was being answered (a person's key destroyed
 * with their erasure, under an upload of theirs still on its way): answered 404, as the person or
 * object asked for is gone, not as a bug.
 */
export class GoneError extends Error {
  override readonly name: string = 'GoneError';
}

export const GONE_MESSAGE = 'This no longer exists: it was deleted for good';

/**
 * How long a command of Rehearse's own Redis connections (sign-in throttling, the upload ledger)
 * may wait for its answer: a Redis that took the connection and then said nothing (paused, or a
 * half-open connection after a network fault) held every sign-in for ever; now it fails, 503.
 * The queues' connections (Bull's) keep no limit: their blocking reads wait on purpose.
 */
export const REDIS_COMMAND_TIMEOUT_MS = 5_000;

/** Throttling and timeouts the AWS SDK reports as the client's fault, though nothing is wrong with the request. */
const AWS_TRY_AGAIN = new Set(['SlowDown', 'ThrottlingException', 'TooManyRequestsException', 'RequestTimeout']);

export function isServiceUnavailable(e: unknown): boolean {
  for (const x of causes(e)) {
    const { code, message } = x as { code?: unknown; message?: unknown };
    if (x instanceof DependencyUnavailableError) return true;
    // the AWS SDK (S3 staging, the KMS key vault): the service's own failure, after the SDK's retries
    const aws = x as { $fault?: unknown; $metadata?: unknown; name?: unknown };
    if (aws.$metadata && (aws.$fault === 'server' || AWS_TRY_AGAIN.has(String(aws.name)))) return true;
    // the AWS SDK's own limits (connecting, or a connection silent for STORAGE_TIMEOUT_SECONDS), after its retries
    if (aws.name === 'TimeoutError') return true;
    // PostgreSQL shutting down or out of reach (57P01–3, 08xxx), or a statement it ended at the
    // API's limit (57014, API_STATEMENT_TIMEOUT_SECONDS: the database too busy to answer in time)
    if (
      typeof code === 'string' &&
      (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN'].includes(code) ||
        /^(57P0[1-3]|57014|08\d\d\d)$/.test(code))
    )
      return true;
    if (
      typeof message === 'string' &&
      /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|^Command timed out$/i.test(
        message,
      )
    )
      return true;
    // a transaction whose connection PostgreSQL ended between two of its statements or before its
    // commit (a restart, or the transaction left waiting past DATABASE_IDLE_IN_TRANSACTION_SECONDS):
    // TypeORM gives the connection up on its error, and the transaction's next statement, or its
    // COMMIT, is refused with one of these (by their text: a bundler may rename the classes); the
    // transaction was rolled back with the connection
    if (
      typeof message === 'string' &&
      /^(Database connection provided by a query runner was already released|Query runner already released)/.test(
        message,
      )
    )
      return true;
    // Redis (ioredis) out of reach: a command given up after its retries, or no connection to send it on
    if (
      (x as { name?: unknown }).name === 'MaxRetriesPerRequestError' ||
      (typeof message === 'string' && /^(Connection is closed\.|Stream isn't writeable)/.test(message))
    )
      return true;
  }
  return false;
}

export const CONCURRENT_CHANGE_MESSAGE =
  'This was changed by another request at the same moment. Reload and try again.';

/** SQLSTATE of a change the database refused for another one: unique_violation, deadlock_detected, serialization_failure */
const CONCURRENT_CHANGE_CODES = ['23505', '40P01', '40001'];

function driverErrorOf(e: unknown): { code?: unknown; constraint?: unknown } | null {
  if (!e || typeof e !== 'object') return null;
  const inner = (e as { driverError?: unknown }).driverError;
  return (inner && typeof inner === 'object' ? inner : e) as { code?: unknown; constraint?: unknown };
}

/**
 * PostgreSQL refused a change because another request made a conflicting one first. The
 * services check what they can before they write (and lock what they change), so this is the
 * race that slipped past a check: a conflict, never an internal error.
 */
export function isConcurrentChange(e: unknown): boolean {
  const code = driverErrorOf(e)?.code;
  return typeof code === 'string' && CONCURRENT_CHANGE_CODES.includes(code);
}

function constraintOf(e: unknown): string | undefined {
  const c = driverErrorOf(e)?.constraint;
  return typeof c === 'string' ? c : undefined;
}

/**
 * What a JSON body the parser (body-parser) refused is answered: too large (413), compressed in a
 * way it cannot read or in another charset than UTF-8 (415), bytes that are not UTF-8, a JSON
 * value that is not an object or array (every body the API reads is one), or not JSON at all (400).
 */
export function bodyRefusal(err: { status?: number; type?: string; body?: unknown }): {
  status: number;
  code: 'payload_too_large' | 'unsupported_media_type' | 'malformed_request';
  message: string;
} {
  if (err.status === 413) return { status: 413, code: 'payload_too_large', message: 'The request body is too large' };
  if (err.type === 'encoding.unsupported')
    return {
      status: 415,
      code: 'unsupported_media_type',
      message: 'Send the request body uncompressed or compressed as gzip, deflate or br',
    };
  if (err.status === 415)
    return { status: 415, code: 'unsupported_media_type', message: 'Send the request body as JSON in UTF-8' };
  if (err.type === 'encoding.invalid')
    return { status: 400, code: 'malformed_request', message: 'The request body is not valid UTF-8' };
  if (err.type === 'entity.parse.failed' && typeof err.body === 'string' && isJsonScalar(err.body))
    return { status: 400, code: 'malformed_request', message: 'The request body must be a JSON object' };
  return { status: 400, code: 'malformed_request', message: 'The request body is not valid JSON' };
}

/** Whether `text` is JSON, but a string, number, boolean or null (the parser's strict mode refuses those). */
function isJsonScalar(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
    return value === null || typeof value !== 'object';
  } catch {
    return false;
  }
}

function isBodyParserError(e: unknown): e is { status: number; type: string } {
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as { status?: unknown }).status === 'number' &&
    typeof (e as { type?: unknown }).type === 'string' &&
    (e as { status: number }).status >= 400 &&
    (e as { status: number }).status < 500
  );
}
