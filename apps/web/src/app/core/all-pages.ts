import { EMPTY, expand, type Observable, reduce } from 'rxjs';
import type { Page } from '@rehearse/shared/contracts';

/** The most pages allPages asks for (at 100 a page: 5,000 entries). */
export const MAX_PAGES = 50;

/**
 * Every entry of a server-paginated list, asked for page by page, as one page: for the few lists a
 * page shows whole (a coach's own groups, the rubric library of the course editor), which must not
 * stop at their first page. Larger collections (people, courses, groups of an organisation) are
 * searched on the server instead (core/search-field.ts).
 */
export function allPages<T>(
  fetch: (page: number, pageSize: number) => Observable<Page<T>>,
  pageSize = 100,
): Observable<Page<T>> {
  let asked = 1;
  return fetch(asked, pageSize).pipe(
    expand((p) => (asked * pageSize < p.total && asked < MAX_PAGES ? fetch(++asked, pageSize) : EMPTY)),
    reduce((all, p) => ({ ...all, items: [...all.items, ...p.items] })),
  );
}
