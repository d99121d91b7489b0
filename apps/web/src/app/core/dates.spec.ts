import { LOCALE_ID, provideZonelessChangeDetection, runInInjectionContext, EnvironmentInjector } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { DateAdapter, MAT_DATE_FORMATS } from '@angular/material/core';
import { MatDatepickerIntl } from '@angular/material/datepicker';
import { DATE_FORMATS, dateFieldError, dateOf, isoDay, provideDates } from './dates';

describe('date fields', () => {
  function adapterFor(locale: string): DateAdapter<Date> {
    TestBed.configureTestingModule({
      providers: [provideZonelessChangeDetection(), { provide: LOCALE_ID, useValue: locale }, provideDates()],
    });
    return TestBed.inject<DateAdapter<Date>>(DateAdapter);
  }
  const parse = (a: DateAdapter<Date>, text: string) => isoDay(a.parse(text, DATE_FORMATS.parse.dateInput) as Date);

  it('write a date the app’s way in English, whatever the browser’s language', () => {
    const a = adapterFor('en-GB');
    expect(a.format(new Date(2026, 9, 5), DATE_FORMATS.display.dateInput)).toBe('5 Oct 2026');
    expect(TestBed.inject(MAT_DATE_FORMATS)).toBe(DATE_FORMATS);
  });

  it('read what an English reader types: the field’s own way, day before month, a month’s name, ISO', () => {
    const a = adapterFor('en-GB');
    expect(parse(a, '5 Oct 2026')).toBe('2026-10-05');
    // the British order: 05/10 is the fifth of October, never the tenth of May
    expect(parse(a, '05/10/2026')).toBe('2026-10-05');
    expect(parse(a, '5/10/2026')).toBe('2026-10-05');
    expect(parse(a, '5 October 2026')).toBe('2026-10-05');
    expect(parse(a, '2026-10-05')).toBe('2026-10-05');
    expect(parse(a, 'next spring')).toBeNull();
    expect(parse(a, '31/02/2026')).toBeNull();
  });

  it('write and read Dutch on a Dutch page', () => {
    const a = adapterFor('nl');
    expect(a.format(new Date(2026, 9, 5), DATE_FORMATS.display.dateInput)).toBe('5 okt. 2026');
    expect(parse(a, '5 okt. 2026')).toBe('2026-10-05');
    expect(parse(a, '5 okt 2026')).toBe('2026-10-05');
    expect(parse(a, '05-10-2026')).toBe('2026-10-05');
    expect(parse(a, '5 oktober 2026')).toBe('2026-10-05');
    expect(parse(a, '5 mei 2026')).toBe('2026-05-05');
    expect(parse(a, 'volgend voorjaar')).toBeNull();
    expect(a.getMonthNames('long')[2]).toBe('maart');
  });

  it('say what to type in the reader’s language, with the datepicker’s own words', () => {
    adapterFor('en-GB');
    const text = runInInjectionContext(TestBed.inject(EnvironmentInjector), () => dateFieldError());
    expect(text).toBe('A date such as 5 Oct 2026, between 2000 and 2099');
    expect(TestBed.inject(MatDatepickerIntl).openCalendarLabel).toBe('Open calendar');
  });

  it('carry the API’s calendar days to and from the fields unchanged (local midnight, no time zone shift)', () => {
    const d = dateOf('2027-03-31');
    expect([d?.getFullYear(), d?.getMonth(), d?.getDate(), d?.getHours()]).toEqual([2027, 2, 31, 0]);
    expect(isoDay(d)).toBe('2027-03-31');
    expect(dateOf(null)).toBeNull();
    expect(dateOf('')).toBeNull();
    expect(dateOf('31/03/2027')).toBeNull();
    expect(isoDay(null)).toBeNull();
    expect(isoDay(new Date(Number.NaN))).toBeNull();
  });
});
