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

  it('shows the correlation id a server error asks to be quoted', () => {
    const p = toProblem(
      new HttpErrorResponse({
        status: 500,
        error: {
          code: 'internal_error',
          message: 'Something went wrong on our side. Quote the correlation id when you report it.',
          correlationId: '6f1c2a9e-0b7d-4c55-9d1e-3a2b1c0d9e8f',
        },
      }),
    );
    expect(p.message).toBe(
      'Something went wrong on our side. Quote the correlation id when you report it. (correlation id 6f1c2a9e-0b7d-4c55-9d1e-3a2b1c0d9e8f)',
    );
    expect(p.correlationId).toBe('6f1c2a9e-0b7d-4c55-9d1e-3a2b1c0d9e8f');
    // a refusal (4xx) is the person's to fix: no id to quote
    expect(
      toProblem(new HttpErrorResponse({ status: 404, error: { message: 'Not found', correlationId: 'c-2' } })).message,
    ).toBe('Not found');
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
