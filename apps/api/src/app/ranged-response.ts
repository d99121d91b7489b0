import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { ErrorCode } from '@rehearse/shared/contracts';
import { Refuses } from '@rehearse/server/core';
import type { RangedResponse } from '@rehearse/server/storage';
import { sendError } from './http-errors';

/** The refusals of a read of stored bytes, with the error body every refusal of the API has. */
const REFUSALS: Partial<Record<RangedResponse['status'], [ErrorCode, string]>> = {
  412: ['precondition_failed', 'If-Match names another version of this file'],
  416: ['range_not_satisfiable', 'The range asked for starts past the end of the file'],
};

/**
 * The answers of a read of stored bytes besides its 200 (RFC 9110 §13–15, decided by `decideRead`),
 * in the OpenAPI document: the operation's 200 says what `types` of body it sends.
 */
export function RangedAnswers(...types: string[]): MethodDecorator {
  const binary = { schema: { type: 'string', format: 'binary' } };
  return applyDecorators(
    ApiResponse({
      status: 206,
      description: 'The byte range the Range header asked for (Content-Range names it)',
      content: Object.fromEntries(types.map((t) => [t, binary])),
    }),
    ApiResponse({ status: 304, description: 'If-None-Match named its ETag (or `*`): nothing sent' }),
    Refuses(412, 'If-Match named none of its ETag'),
    Refuses(416, 'The range starts past the end (Content-Range: bytes */<size> says the size)'),
  );
}

/** Sends a read of stored bytes (a recording, prompt media, an export) as its service decided it. */
export function sendRanged(req: Request, res: Response, read: RangedResponse): void {
  res.status(read.status);
  for (const [k, v] of Object.entries(read.headers)) res.setHeader(k, v);
  const refused = REFUSALS[read.status];
  if (refused) {
    // the error body, not the file's type or name (a 416 keeps its Content-Range)
    res.removeHeader('Content-Type');
    res.removeHeader('Content-Disposition');
    return sendError(req, res, read.status, ...refused);
  }
  if (!read.body) {
    res.end();
    return;
  }
  read.body.on('error', () => res.destroy()); // an authentication failure mid-stream ends the response, never sends wrong bytes
  read.body.pipe(res);
}
