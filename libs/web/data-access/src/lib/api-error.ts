import { HttpErrorResponse } from '@angular/common/http';
import type { ErrorBody, FieldError } from '@rehearse/shared/contracts';

export interface ApiProblem {
  status: number;
  code: string;
  message: string;
  fieldErrors: FieldError[];
  correlationId: string | null;
}

/** Turns any HTTP failure into something a form can show. */
export function toProblem(error: unknown): ApiProblem {
  if (error instanceof HttpErrorResponse) {
    const body = (error.error ?? {}) as Partial<ErrorBody>;
    if (error.status === 0) {
      return {
        status: 0,
        code: 'offline',
        message: $localize`Cannot reach the server. Check your connection and try again.`,
        fieldErrors: [],
        correlationId: null,
      };
    }
    let message = typeof body.message === 'string' ? body.message : $localize`The server answered ${error.status}.`;
    if (error.status === 429) {
      const retry = Number(error.headers.get('Retry-After'));
      if (retry > 0)
        message =
          retry > 90
            ? $localize`${message}:message: (try again in ${Math.ceil(retry / 60)}:minutes: minutes)`
            : $localize`${message}:message: (try again in ${retry}:seconds: seconds)`;
    }
    // a server error's message asks to quote the correlation id: it is shown with it
    if (error.status >= 500 && typeof body.correlationId === 'string' && body.correlationId)
      message = $localize`${message}:message: (correlation id ${body.correlationId}:correlationId:)`;
    return {
      status: error.status,
      code: typeof body.code === 'string' ? body.code : 'unknown',
      message,
      fieldErrors: Array.isArray(body.errors) ? body.errors : [],
      correlationId: body.correlationId ?? null,
    };
  }
  // a check in the browser (file too large, not JSON ...) throws a plain Error with a message for people
  if (error instanceof Error && error.message)
    return { status: -1, code: 'client_error', message: error.message, fieldErrors: [], correlationId: null };
  return {
    status: -1,
    code: 'client_error',
    message: $localize`Something went wrong in the browser. Reload the page and try again.`,
    fieldErrors: [],
    correlationId: null,
  };
}

/** The messages for one field of a problem, for mat-error. */
export function fieldMessages(problem: ApiProblem | null, field: string): string[] {
  return problem?.fieldErrors.filter((f) => f.field === field).flatMap((f) => f.messages) ?? [];
}

/** A problem in one line: the message, then what each field needs (for actions without a form). */
export function problemText(problem: ApiProblem): string {
  return problem.fieldErrors.length
    ? `${problem.message}: ${problem.fieldErrors.flatMap((f) => f.messages).join('; ')}`
    : problem.message;
}

/**
 * Whether a page's address names nothing that is there: a 404, or the id or token in the address
 * refused as malformed (400 naming only such fields: a link cut short by a mail program, an id
 * mistyped). The page says "no such …" in its own words for both, not "The request is not valid".
 */
export function addressesNothing(problem: Pick<ApiProblem, 'status' | 'code' | 'fieldErrors'>): boolean {
  if (problem.status === 404) return true;
  return (
    problem.status === 400 &&
    problem.code === 'validation_failed' &&
    problem.fieldErrors.length > 0 &&
    problem.fieldErrors.every((f) => f.field === 'id' || f.field === 'token' || /^[a-z]+Id$/.test(f.field))
  );
}
