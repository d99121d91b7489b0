import { formatNumber } from '@angular/common';
import { inject, Injectable, LOCALE_ID } from '@angular/core';
import { MatPaginatorIntl } from '@angular/material/paginator';

/**
 * The paginator's words in the reader's language: Angular Material's own are English only, so a
 * Dutch page of the privacy log or the people list read "Items per page: … 1 – 10 of 23". Its
 * numbers are the reader's way too: "of 10,035" ("van 10.035"), not "of 10035".
 */
@Injectable()
export class LocalizedPaginatorIntl extends MatPaginatorIntl {
  override itemsPerPageLabel = $localize`:paginator:Items per page:`;
  override nextPageLabel = $localize`:paginator:Next page`;
  override previousPageLabel = $localize`:paginator:Previous page`;
  override firstPageLabel = $localize`:paginator:First page`;
  override lastPageLabel = $localize`:paginator:Last page`;
  private readonly locale = inject(LOCALE_ID);
  override getRangeLabel = (page: number, pageSize: number, length: number): string => {
    const n = (x: number) => formatNumber(x, this.locale, '1.0-0');
    if (length === 0 || pageSize === 0) return $localize`:paginator:0 of ${n(length)}:total:`;
    const start = page * pageSize;
    const end = Math.min(start + pageSize, length);
    return $localize`:paginator:${n(start + 1)}:first: – ${n(end)}:last: of ${n(length)}:total:`;
  };
}
