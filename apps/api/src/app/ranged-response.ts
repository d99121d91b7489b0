import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import type { RangedResponse } from '@rehearse/server/storage';

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
    ApiResponse({ status: 412, description: 'If-Match named none of its ETag: nothing sent' }),
    ApiResponse({
      status: 416,
      description: 'The range starts past the end (Content-Range: bytes */<size>): nothing sent',
    }),
  );
}

/** Sends a read of stored bytes (a recording, prompt media, an export) as its service decided it. */
export function sendRanged(res: Response, read: RangedResponse): void {
  res.status(read.status);
  for (const [k, v] of Object.entries(read.headers)) res.setHeader(k, v);
  if (!read.body) {
    res.end();
    return;
  }
  read.body.on('error', () => res.destroy()); // an authentication failure mid-stream ends the response, never sends wrong bytes
  read.body.pipe(res);
}
