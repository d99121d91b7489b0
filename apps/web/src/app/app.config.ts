import { ApplicationConfig, provideBrowserGlobalErrorListeners, provideZonelessChangeDetection } from '@angular/core';
import { provideHttpClient, withInterceptors, withXsrfConfiguration } from '@angular/common/http';
import {
  provideRouter,
  withComponentInputBinding,
  withInMemoryScrolling,
  withNavigationErrorHandler,
} from '@angular/router';
import { routes } from './app.routes';
import { sessionInterceptor } from './core/session.interceptor';
import { languageInterceptor } from './core/language.interceptor';
import { retryUnavailableInterceptor } from './core/retry-unavailable.interceptor';
import { MatPaginatorIntl } from '@angular/material/paginator';
import { LocalizedPaginatorIntl } from './core/paginator-intl';
import { provideDates } from './core/dates';
import { reloadForStaleFiles } from './core/stale-files';
import { provideFocusOnNavigation } from './core/focus-on-navigation';

/**
 * A link followed opens its page at the top, not where the page before was scrolled to; Back and
 * Forward return to where a page was left (the tour follows links from the end of each page and
 * checks it). A page's own filters in its address stay where they are (`setQuery`: scroll 'manual').
 */
export const routerScrolling = withInMemoryScrolling({ scrollPositionRestoration: 'enabled' });

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideZonelessChangeDetection(),
    provideRouter(
      routes,
      withComponentInputBinding(), // route params and data become component inputs
      // a tab opened before an upgrade asks for the old version's files: the page loads anew instead
      withNavigationErrorHandler(reloadForStaleFiles),
      routerScrolling,
    ),
    // a link followed moves keyboard focus to the new page's main content
    provideFocusOnNavigation(),
    // the API sets XSRF-TOKEN; Angular echoes it as X-XSRF-TOKEN on every state-changing request
    provideHttpClient(
      withXsrfConfiguration({ cookieName: 'XSRF-TOKEN', headerName: 'X-XSRF-TOKEN' }),
      // a read answered 503 is asked once more after its Retry-After (a restart of a few seconds)
      withInterceptors([retryUnavailableInterceptor, languageInterceptor, sessionInterceptor]),
    ),
    // the paginator's words in the reader's language
    { provide: MatPaginatorIntl, useClass: LocalizedPaginatorIntl },
    // date fields written and read the app's way in its language, not the browser's (./core/dates.ts)
    provideDates(),
  ],
};
