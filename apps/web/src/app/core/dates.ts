import { inject, Injectable, LOCALE_ID, Provider } from '@angular/core';
import { DateAdapter, MAT_DATE_LOCALE, type MatDateFormats } from '@angular/material/core';
import { MatDatepickerIntl } from '@angular/material/datepicker';
import { DateFnsAdapter, provideDateFnsAdapter } from '@angular/material-date-fns-adapter';
import { format, isValid } from 'date-fns';
import { enGB, nl } from 'date-fns/locale';
import { CalendarHeader } from './calendar-header';

/**
 * Dates people type and pick (a licence, an enrolment's start and due date, an agreement's end),
 * written the app's way in the app's language ("5 Oct 2026", "5 okt. 2026") whatever the browser's:
 * a native date field follows the browser, so an English-language browser showed "10/05/2026" (the
 * American order) on a page that writes "5 Oct 2026" everywhere else, and the same field read
 * "05/10/2026" on the next person's. Angular Material's datepicker over date-fns (both maintained
 * with Angular) instead; the value a form holds is a Date at local midnight, sent as "yyyy-MM-dd".
 */
export const DATE_FORMATS: MatDateFormats = {
  parse: {
    // what a person may type: the way the field writes it, the language's short form (en-GB
    // 05/10/2026, nl 05-10-2026), a full month name, or ISO 8601 (tried first by the adapter)
    dateInput: ['d MMM yyyy', 'd MMM. yyyy', 'P', 'd MMMM yyyy', 'd/M/yyyy', 'd-M-yyyy'],
  },
  display: {
    dateInput: 'd MMM yyyy',
    // the calendar's header names the month in full, as its accessible name does (axe: the visible
    // "OCT 2027" was not part of the name "October 2027")
    monthYearLabel: 'LLLL yyyy',
    dateA11yLabel: 'PPP',
    monthYearA11yLabel: 'LLLL yyyy',
  },
};

/** The earliest and latest dates the fields take: "5/10/26" parses as the year 26, which they refuse. */
export const DATE_MIN = new Date(2000, 0, 1);
export const DATE_MAX = new Date(2099, 11, 31);

/**
 * What a date field says when what was typed is no date it takes (in an injection context: the
 * example is written the field's way, "5 Oct 2026" or "5 okt. 2026").
 */
export function dateFieldError(): string {
  const example = inject<DateAdapter<Date>>(DateAdapter).format(new Date(2026, 9, 5), DATE_FORMATS.display.dateInput);
  return $localize`A date such as ${example}:example:, between 2000 and 2099`;
}

/**
 * What every date field's template binds (in an injection context): its bounds, the calendar's
 * header (./calendar-header.ts) and what it says to what is no date.
 */
export function dateField() {
  return { min: DATE_MIN, max: DATE_MAX, header: CalendarHeader, error: dateFieldError() };
}

/** A "yyyy-MM-dd" from the API as the Date a date field holds (local midnight); none for none. */
export function dateOf(iso: string | null | undefined): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso ?? '');
  return m ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : null;
}

/** A date field's Date as the API's "yyyy-MM-dd" (its local calendar day); none for none or an invalid one. */
export function isoDay(date: Date | null | undefined): string | null {
  return date && isValid(date) ? format(date, 'yyyy-MM-dd') : null;
}

/**
 * The moment a day of the reader's calendar begins, with the reader's offset from UTC, as the API
 * takes a period's ends ("2026-03-01T00:00:00+01:00"); `days` later for the day after a period's
 * last. A day with no midnight (a clock put forward at 00:00) begins when its first hour does.
 */
export function startOfDay(date: Date, days = 0): string {
  const d = new Date(date.getFullYear(), date.getMonth(), date.getDate() + days);
  const offset = -d.getTimezoneOffset();
  const two = (n: number) => String(Math.floor(Math.abs(n))).padStart(2, '0');
  return `${format(d, "yyyy-MM-dd'T'HH:mm:ss")}${offset < 0 ? '-' : '+'}${two(offset / 60)}:${two(offset % 60)}`;
}

/**
 * date-fns's adapter, reading a Dutch short month without its full stop as well ("5 okt 2026", as
 * the app's own pages write it, where date-fns reads only "5 okt. 2026").
 */
@Injectable()
export class RehearseDateAdapter extends DateFnsAdapter {
  override parse(value: unknown, parseFormat: string | string[]): Date | null {
    const parsed = super.parse(value, parseFormat);
    if (typeof value !== 'string' || (parsed && this.isValid(parsed))) return parsed;
    const dotted = value.trim().replace(/^(\d{1,2}\s+\p{L}{3})(?=\s+\d)/u, '$1.');
    return dotted === value.trim() ? parsed : super.parse(dotted, parseFormat);
  }
}

/** The datepicker's own words in the reader's language (Angular Material's are English only). */
@Injectable()
export class LocalizedDatepickerIntl extends MatDatepickerIntl {
  override calendarLabel = $localize`:datepicker:Calendar`;
  override openCalendarLabel = $localize`:datepicker:Open calendar`;
  override closeCalendarLabel = $localize`:datepicker:Close calendar`;
  override prevMonthLabel = $localize`:datepicker:Previous month`;
  override nextMonthLabel = $localize`:datepicker:Next month`;
  override prevYearLabel = $localize`:datepicker:Previous year`;
  override nextYearLabel = $localize`:datepicker:Next year`;
  override prevMultiYearLabel = $localize`:datepicker:Previous 24 years`;
  override nextMultiYearLabel = $localize`:datepicker:Next 24 years`;
  override switchToMonthViewLabel = $localize`:datepicker:Choose date`;
  override switchToMultiYearViewLabel = $localize`:datepicker:Choose month and year`;
}

/** The date fields' adapter, formats, language and words, for the app's configuration. */
export function provideDates(): Provider[] {
  return [
    ...provideDateFnsAdapter(DATE_FORMATS),
    { provide: DateAdapter, useClass: RehearseDateAdapter },
    // Angular's locale id (main.ts: en-GB or nl) picks date-fns's
    { provide: MAT_DATE_LOCALE, useFactory: () => (inject(LOCALE_ID).startsWith('nl') ? nl : enGB) },
    { provide: MatDatepickerIntl, useClass: LocalizedDatepickerIntl },
  ];
}
