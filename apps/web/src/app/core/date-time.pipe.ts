import { formatDate } from '@angular/common';
import { inject, LOCALE_ID, Pipe, PipeTransform } from '@angular/core';

/**
 * A moment to the minute in the page's language ("29 Nov 2026, 10:34", "29 nov 2026, 10:34", as
 * Intl writes them): Angular's `medium` with its seconds left out, for lists where seconds are
 * noise (the privacy log and other audit trails keep `medium`).
 */
@Pipe({ name: 'dateTime' })
export class DateTimePipe implements PipeTransform {
  private readonly locale = inject(LOCALE_ID);

  transform(value: string | number | Date | null | undefined): string {
    if (value === null || value === undefined || value === '') return '';
    return `${formatDate(value, 'mediumDate', this.locale)}, ${formatDate(value, 'shortTime', this.locale)}`;
  }
}
