import { HttpErrorResponse, HttpHeaders } from '@angular/common/http';
import { fieldMessages, toProblem } from '@rehearse/web/data-access';

describe('toProblem', () => {
  it('keeps the server message, code, field errors and correlation id', () => {
    const p = toProblem(
      new HttpErrorResponse({
        status: 400,
        error: {
          code: 'validation_failed',
          message: 'The request is not valid',
          correlationId: 'c-1',
          errors: [{ field: 'email', messages: ['is taken'] }],
        },
      }),
    );
    expect(p).toEqual({
      status: 400,
      code: 'validation_failed',
      message: 'The request is not valid',
      fieldErrors: [{ field: 'email', messages: ['is taken'] }],
      correlationId: 'c-1',
    });
    expect(fieldMessages(p, 'email')).toEqual(['is taken']);
    expect(fieldMessages(p, 'name')).toEqual([]);
  });

  it('explains an unreachable server', () => {
    expect(toProblem(new HttpErrorResponse({ status: 0 })).message).toContain('Cannot reach the server');
  });

  it('adds the wait time of a 429', () => {
    const p = toProblem(
      new HttpErrorResponse({
        status: 429,
        error: { message: 'Too many attempts' },
        headers: new HttpHeaders({ 'Retry-After': '30' }),
      }),
    );
    expect(p.message).toBe('Too many attempts (try again in 30 seconds)');
  });
});

describe('toProblem for checks made in the browser', () => {
  it('keeps the message of a plain Error', () => {
    expect(toProblem(new Error('The image must be at most 512 KB.'))).toEqual({
      status: -1,
      code: 'client_error',
      message: 'The image must be at most 512 KB.',
      fieldErrors: [],
      correlationId: null,
    });
  });
});
