import { HttpErrorResponse, HttpInterceptorFn } from '@angular/common/http';
import { catchError, switchMap, throwError, timer } from 'rxjs';

/** The longest wait a read is given for a service to come back before it is asked once more. */
export const RETRY_AFTER_MAX_SECONDS = 10;

/**
 * A read of the API (GET, HEAD) answered 503 with `Retry-After` (PostgreSQL restarting, object
 * storage away: the API names 5 seconds) is asked once more after that time, when it is at most
 * RETRY_AFTER_MAX_SECONDS: a restart of a few seconds then shows no error on the page, only a
 * longer wait. A change is never sent again (the person sees the message and decides), nor a read
 * answered anything else, nor one asked a second time.
 */
export const retryUnavailableInterceptor: HttpInterceptorFn = (req, next) => {
  if (!req.url.startsWith('/api/') || (req.method !== 'GET' && req.method !== 'HEAD')) return next(req);
  return next(req).pipe(
    catchError((error: unknown) => {
      if (!(error instanceof HttpErrorResponse) || error.status !== 503) return throwError(() => error);
      const after = Number(error.headers.get('Retry-After') ?? NaN);
      if (!Number.isFinite(after) || after < 0 || after > RETRY_AFTER_MAX_SECONDS) return throwError(() => error);
      return timer(after * 1000).pipe(switchMap(() => next(req)));
    }),
  );
};
