import { HttpErrorResponse, HttpInterceptorFn, HttpResponse } from '@angular/common/http';
import { inject } from '@angular/core';
import { Router } from '@angular/router';
import { catchError, tap, throwError } from 'rxjs';
import { SessionStore } from './session.store';
import { SessionTimeout } from './session-timeout';

/**
 * When the server says the session is gone (401), forget the user and go to the sign-in page. Every
 * other answer of the server moved the session's idle end on: the session timeout hears of it.
 */
export const sessionInterceptor: HttpInterceptorFn = (req, next) => {
  const session = inject(SessionStore);
  const router = inject(Router);
  const timeout = inject(SessionTimeout);
  return next(req).pipe(
    tap((event) => {
      if (event instanceof HttpResponse && req.url.startsWith('/api/')) timeout.heard();
    }),
    catchError((error: unknown) => {
      // a refusal is an answer too (the request reached the session), a 401 or no answer is not
      if (error instanceof HttpErrorResponse && error.status > 0 && error.status !== 401 && req.url.startsWith('/api/'))
        timeout.heard();
      const authCall = req.url.startsWith('/api/auth/') || req.url.startsWith('/api/invitations');
      if (error instanceof HttpErrorResponse && error.status === 401 && !authCall && session.signedIn()) {
        session.set(null);
        void router.navigate(['/login'], { queryParams: { expired: 1, returnUrl: router.url } });
      }
      return throwError(() => error);
    }),
  );
};
