import { ArgumentsHost, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DependencyUnavailableError, GlobalExceptionFilter } from './exception.filter';

/** The filter's answer to `exception`, and what it logged for the operator (level and message). */
function answer(exception: unknown): { status: number; headers: Record<string, string>; logged: string[][] } {
  const logged: string[][] = [];
  const spies = (['warn', 'error'] as const).map((level) =>
    jest.spyOn(Logger.prototype, level).mockImplementation((...args: unknown[]) => {
      logged.push([level, String(args[1])]);
    }),
  );
  const headers: Record<string, string> = {};
  let status = 0;
  const res = {
    setHeader: (k: string, v: string) => (headers[k.toLowerCase()] = v),
    status: (s: number) => {
      status = s;
      return res;
    },
    json: () => res,
  };
  const req = { headers: {}, method: 'POST', path: '/api/x', originalUrl: '/api/x' } as unknown as Request;
  const host = {
    switchToHttp: () => ({ getRequest: () => req, getResponse: () => res as unknown as Response }),
  } as unknown as ArgumentsHost;
  try {
    new GlobalExceptionFilter().catch(exception, host);
  } finally {
    for (const s of spies) s.mockRestore();
  }
  return { status, headers, logged };
}

describe('GlobalExceptionFilter: what a failure of the server is answered and logged as', () => {
  it('a full disk: 507 with Retry-After, an error for the operator (someone must make room)', () => {
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    expect(answer(full)).toEqual({
      status: 507,
      headers: { 'retry-after': '60' },
      logged: [['error', 'Out of disk space']],
    });
  });

  it('a service away: 503 with Retry-After, a warning (it may come back by itself)', () => {
    expect(answer(new DependencyUnavailableError('object storage answered 503'))).toEqual({
      status: 503,
      headers: { 'retry-after': '5' },
      logged: [['warn', 'A service the request depends on is not answering']],
    });
  });

  it('a bug: 500, an error', () => {
    expect(answer(new TypeError("Cannot read properties of undefined (reading 'id')"))).toEqual({
      status: 500,
      headers: {},
      logged: [['error', 'Unhandled error']],
    });
  });
});
