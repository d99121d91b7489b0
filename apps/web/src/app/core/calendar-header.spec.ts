import { Component, provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MatCalendar } from '@angular/material/datepicker';
import { CalendarHeader } from './calendar-header';
import { provideDates } from './dates';

@Component({
  imports: [MatCalendar],
  template: `<mat-calendar [startAt]="start" [headerComponent]="header" />`,
})
class Host {
  readonly start = new Date(2027, 9, 5);
  readonly header = CalendarHeader;
}

describe('CalendarHeader (the datepicker’s month, as text, and buttons named for what they do)', () => {
  const settle = () => new Promise((r) => setTimeout(r, 10));

  it('names the month in full and steps by a month or a year; no button is named other than it reads', async () => {
    TestBed.configureTestingModule({ providers: [provideZonelessChangeDetection(), provideDates()] });
    const fixture = TestBed.createComponent(Host);
    fixture.detectChanges();
    await fixture.whenStable();
    const el: HTMLElement = fixture.nativeElement;
    const month = () => el.querySelector('rh-calendar-header .month')?.textContent?.trim();
    const press = async (name: string) => {
      (el.querySelector(`rh-calendar-header button[aria-label="${name}"]`) as HTMLButtonElement).click();
      await settle();
      fixture.detectChanges();
    };
    expect(month()).toBe('October 2027');
    // Material's own header: a button reading "OCT 2027" named "Choose month and year"
    expect(el.querySelector('.mat-calendar-period-button')).toBeNull();
    expect(
      Array.from(el.querySelectorAll('rh-calendar-header button')).map((b) => [
        b.getAttribute('aria-label'),
        b.textContent?.trim(),
      ]),
    ).toEqual([
      ['Previous year', ''],
      ['Previous month', ''],
      ['Next month', ''],
      ['Next year', ''],
    ]);
    await press('Next month');
    expect(month()).toBe('November 2027');
    await press('Next year');
    expect(month()).toBe('November 2028');
    await press('Previous year');
    await press('Previous month');
    await press('Previous month');
    expect(month()).toBe('September 2027');
  });
});
