import type { Request, Response } from 'express';
import type { ErrorBody, ErrorCode } from '@rehearse/shared/contracts';
import { correlationIdOf, requestLocale, translateApiMessage } from '@rehearse/server/core';

/** Error answers from plain Express middleware, shaped like the global filter's. */
export function sendError(req: Request, res: Response, status: number, code: ErrorCode, message: string): void {
  const body: ErrorBody = {
    statusCode: status,
    code,
    message: translateApiMessage(requestLocale(req), message),
    correlationId: correlationIdOf(req),
  };
  res.status(status).json(body);
}
