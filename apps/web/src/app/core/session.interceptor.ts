import { HttpErrorResponse, HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { Router } from '@angular/router';
import { catchError, throwError } from 'rxjs';
import { SessionStore } from './session.store';

/** When the server says the session is gone (401), forget the user and go to the sign-in page. */
export const sessionInterceptor: HttpInterceptorFn = (req, next) => {
  const session = inject(SessionStore);
  const router = inject(Router);
  return next(req).pipe(
    catchError((error: unknown) => {
      const authCall = req.url.startsWith('/api/auth/') || req.url.startsWith('/api/invitations');
      if (error instanceof HttpErrorResponse && error.status === 401 && !authCall && session.signedIn()) {
        session.set(null);
        void router.navigate(['/login'], { queryParams: { expired: 1, returnUrl: router.url } });
      }
      return throwError(() => error);
    }),
  );
};
