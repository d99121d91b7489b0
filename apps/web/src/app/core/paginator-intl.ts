import { Injectable } from '@angular/core';
import { MatPaginatorIntl } from '@angular/material/paginator';

/**
 * The paginator's words in the reader's language: Angular Material's own are English only, so a
 * Dutch page of the privacy log or the people list read "Items per page: … 1 – 10 of 23".
 */
@Injectable()
export class LocalizedPaginatorIntl extends MatPaginatorIntl {
  override itemsPerPageLabel = $localize`:paginator:Items per page:`;
  override nextPageLabel = $localize`:paginator:Next page`;
  override previousPageLabel = $localize`:paginator:Previous page`;
  override firstPageLabel = $localize`:paginator:First page`;
  override lastPageLabel = $localize`:paginator:Last page`;
  override getRangeLabel = (page: number, pageSize: number, length: number): string => {
    if (length === 0 || pageSize === 0) return $localize`:paginator:0 of ${length}:total:`;
    const start = page * pageSize;
    const end = Math.min(start + pageSize, length);
    return $localize`:paginator:${start + 1}:first: – ${end}:last: of ${length}:total:`;
  };
}
