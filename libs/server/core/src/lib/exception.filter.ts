import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { ErrorBody, ErrorCode, FieldError } from '@rehearse/shared/contracts';
import { AppError } from './errors';
import { correlationIdOf } from './logging';

const CODE_BY_STATUS: Partial<Record<number, ErrorCode>> = {
  400: 'malformed_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  429: 'rate_limited',
};

/** One global filter: every error leaves as an ErrorBody with the request's correlation id. */
@Catch()
export class GlobalExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

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
    } else if (exception instanceof HttpException) {
      status = exception.getStatus();
      code = CODE_BY_STATUS[status] ?? (status >= 500 ? 'internal_error' : 'malformed_request');
      const body = exception.getResponse();
      message = typeof body === 'string' ? body : String((body as { message?: unknown }).message ?? exception.message);
      if (Array.isArray((body as { message?: unknown }).message)) message = 'The request is not valid';
    } else if (isBodyParserError(exception)) {
      status = exception.status;
      code = status === 413 ? 'payload_too_large' : 'malformed_request';
      message = status === 413 ? 'The request body is too large' : 'The request body is not valid JSON';
    }

    if (status >= 500) {
      this.logger.error({ err: exception, correlationId }, 'Unhandled error');
    }
    const body: ErrorBody = { statusCode: status, code, message, correlationId, ...(errors ? { errors } : {}), ...(reason ? { reason } : {}) };
    res.status(status).json(body);
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
