import type { ActivatedRoute, Router } from '@angular/router';

/**
 * Takes the named query parameters out of the address without a new history entry, so that a
 * message that came with them (`?sso=linked`, `?sso_error=expired`) is said once: a reload, a
 * bookmark or the Back button does not say it again. Call it after reading them. Resolves when the
 * address is changed (false where the router refused).
 */
export function forgetQuery(
  router: Router,
  route: ActivatedRoute | null | undefined,
  names: string[],
): Promise<boolean> {
  return setQuery(router, route, Object.fromEntries(names.map((n) => [n, null])));
}

/**
 * Sets query parameters of the address (null takes one out), the others kept, without a new history
 * entry: a page's filters in its address, so a reload or a shared link shows the same list. The
 * page stays where it is scrolled (the router takes a new page to its top: `routerScrolling`).
 */
export function setQuery(
  router: Router,
  route: ActivatedRoute | null | undefined,
  queryParams: Record<string, string | null>,
): Promise<boolean> {
  return router.navigate([], {
    relativeTo: route ?? undefined,
    queryParams,
    queryParamsHandling: 'merge',
    replaceUrl: true,
    scroll: 'manual',
  });
}
