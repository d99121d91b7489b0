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
  // expand's index counts the pages answered so far: the (i + 1)-th page's answer asks for page i + 2
  return fetch(1, pageSize).pipe(
    expand((p, i) => ((i + 1) * pageSize < p.total && i + 1 < MAX_PAGES ? fetch(i + 2, pageSize) : EMPTY)),
    reduce((all, p) => ({ ...all, items: [...all.items, ...p.items] })),
  );
}
