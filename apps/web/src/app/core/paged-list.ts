import { signal } from '@angular/core';
import type { PageEvent } from '@angular/material/paginator';
import { Observable, Subscription } from 'rxjs';
import type { Page } from '@rehearse/shared/contracts';
import { toProblem } from '@rehearse/web/data-access';

/**
 * A server-paginated list: the page, loading and error states, search from page one, paging.
 * The page on screen stays while the next one loads (no blank list between pages); only the
 * latest request counts: paging or searching again cancels the request before it, so a slow
 * answer for a page left behind never replaces the one asked for last.
 */
export class PagedList<T> {
  readonly page = signal<Page<T> | null>(null);
  readonly loading = signal(false);
  readonly error = signal<string | null>(null);
  private pageIndex = 0;
  private inFlight: Subscription | null = null;

  constructor(
    private readonly fetch: (page: number, pageSize: number) => Observable<Page<T>>,
    public pageSize = 25,
  ) {}

  /** Loads the current page; resolves when it is shown, or when a later request replaced it. */
  load(): Promise<void> {
    this.inFlight?.unsubscribe();
    this.loading.set(true);
    this.error.set(null);
    return new Promise<void>((resolve) => {
      let settled = false;
      const done = () => {
        settled = true;
        this.loading.set(false);
        resolve();
      };
      const sub = this.fetch(this.pageIndex + 1, this.pageSize).subscribe({
        next: (p) => this.page.set(p),
        error: (e) => {
          this.error.set(toProblem(e).message);
          done();
        },
        complete: done,
      });
      if (!settled) {
        this.inFlight = sub;
        // replaced by a later request: this one is dropped and its caller goes on
        sub.add(() => {
          if (!settled) resolve();
        });
      }
    });
  }

  /** New filters: back to the first page. */
  search(): Promise<void> {
    this.pageIndex = 0;
    return this.load();
  }

  paged(e: PageEvent): Promise<void> {
    this.pageIndex = e.pageIndex;
    this.pageSize = e.pageSize;
    return this.load();
  }
}
