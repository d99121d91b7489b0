import { computed, inject, signal, type Signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { firstValueFrom, type Observable } from 'rxjs';
import { addressesNothing, ApiProblem, toProblem } from '@rehearse/web/data-access';
import { SessionStore } from './session.store';
import { loadedValue } from './load-state';

/** A link whose token is not one at all: cut short (a mail program broke the line) or mistyped. */
const INCOMPLETE = $localize`This link is not complete. Open it again from the e-mail; if you copy it, copy all of it.`;

/**
 * The pages behind a one-time link (an invitation, a password reset): what the link's token is
 * for, loaded whenever the token changes, and the choice the page sends once (the password). A link
 * that does not work is said in the page's own words, with the server's reason, rather than
 * rh-load-state's "Try again". Call it in a field initialiser (an injection context).
 */
export function oneTimeLink<T>(token: () => string, load: (token: string) => Observable<T>) {
  const session = inject(SessionStore);
  const resource = rxResource({ params: token, stream: ({ params }) => load(params) });
  const busy = signal(false);
  const done = signal(false);
  const problem = signal<ApiProblem | null>(null);
  return {
    /** what the link is for, once loaded */
    info: loadedValue(resource) as Signal<T | null>,
    loading: computed(() => resource.isLoading()),
    /** why the link does not work (one cut short, its token malformed, says how to open it whole) */
    linkProblem: computed<ApiProblem | null>(() => {
      const e = resource.status() === 'error' ? resource.error() : undefined;
      const p = e ? toProblem(e) : null;
      return p && p.status === 400 && addressesNothing(p) ? { ...p, message: INCOMPLETE } : p;
    }),
    busy: busy.asReadonly(),
    done: done.asReadonly(),
    /** what the server answered to the last choice sent */
    problem: problem.asReadonly(),
    /** Sends the choice (with the session's CSRF token first); done once it is accepted. */
    async send(request: () => Observable<unknown>): Promise<void> {
      busy.set(true);
      problem.set(null);
      try {
        await session.ensureCsrf();
        await firstValueFrom(request());
        done.set(true);
      } catch (e) {
        problem.set(toProblem(e));
      } finally {
        busy.set(false);
      }
    },
  };
}
