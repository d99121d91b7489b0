import { HttpInterceptorFn } from '@angular/common/http';
import { activeLocale } from './locale';

/** The API answers (its error messages) in the page's language, whatever the browser's list says. */
export const languageInterceptor: HttpInterceptorFn = (req, next) =>
  next(
    req.url.startsWith('/api/') && !req.headers.has('Accept-Language')
      ? req.clone({ setHeaders: { 'Accept-Language': activeLocale() } })
      : req,
  );
