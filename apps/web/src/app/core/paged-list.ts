import { signal } from '@angular/core';
import type { PageEvent } from '@angular/material/paginator';
import { firstValueFrom, Observable } from 'rxjs';
import type { Page } from '@rehearse/shared/contracts';
import { toProblem } from '@rehearse/web/data-access';

/** A server-paginated list: the page, loading and error states, search from page one, paging. */
export class PagedList<T> {
  readonly page = signal<Page<T> | null>(null);
  readonly loading = signal(false);
  readonly error = signal<string | null>(null);
  private pageIndex = 0;

  constructor(
    private readonly fetch: (page: number, pageSize: number) => Observable<Page<T>>,
    public pageSize = 25,
  ) {}

  async load(): Promise<void> {
    this.loading.set(true);
    this.error.set(null);
    try {
      this.page.set(await firstValueFrom(this.fetch(this.pageIndex + 1, this.pageSize)));
    } catch (e) {
      this.error.set(toProblem(e).message);
    } finally {
      this.loading.set(false);
    }
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
