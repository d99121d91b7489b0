import { ChangeDetectionStrategy, ChangeDetectorRef, Component, DestroyRef, inject } from '@angular/core';
import { DateAdapter, MAT_DATE_FORMATS } from '@angular/material/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCalendar, MatDatepickerIntl } from '@angular/material/datepicker';

/** the buttons' chevrons (Material's icon shapes) */
const ICON = {
  prevYear: 'M18.41 16.59 13.82 12l4.59-4.59L17 6l-6 6 6 6zM11.41 16.59 6.82 12l4.59-4.59L10 6l-6 6 6 6z',
  prevMonth: 'M15.41 7.41 14 6l-6 6 6 6 1.41-1.41L10.83 12z',
  nextMonth: 'M10 6 8.59 7.41 13.17 12l-4.58 4.59L10 18l6-6z',
  nextYear: 'M5.59 7.41 10.18 12l-4.59 4.59L7 18l6-6-6-6zM12.59 7.41 17.18 12l-4.59 4.59L14 18l6-6-6-6z',
};

/**
 * The datepicker's header: the month shown, with buttons to the month and the year before and
 * after. Material's own header names its month button "Choose month and year" while it shows
 * "OCTOBER 2027": a speech-input user saying what they see reaches nothing (WCAG 2.5.3, label in
 * name; axe-core flags it as serious). Here the month is text, and each button's name is what it
 * does; a year is typed or stepped to.
 */
@Component({
  selector: 'rh-calendar-header',
  imports: [MatButtonModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="header">
      <button matIconButton type="button" (click)="step(-12)" [attr.aria-label]="intl.prevYearLabel">
        <svg viewBox="0 0 24 24" focusable="false" aria-hidden="true"><path [attr.d]="icon.prevYear" /></svg>
      </button>
      <button matIconButton type="button" (click)="step(-1)" [attr.aria-label]="intl.prevMonthLabel">
        <svg viewBox="0 0 24 24" focusable="false" aria-hidden="true"><path [attr.d]="icon.prevMonth" /></svg>
      </button>
      <span class="month" aria-live="polite">{{ month() }}</span>
      <button matIconButton type="button" (click)="step(1)" [attr.aria-label]="intl.nextMonthLabel">
        <svg viewBox="0 0 24 24" focusable="false" aria-hidden="true"><path [attr.d]="icon.nextMonth" /></svg>
      </button>
      <button matIconButton type="button" (click)="step(12)" [attr.aria-label]="intl.nextYearLabel">
        <svg viewBox="0 0 24 24" focusable="false" aria-hidden="true"><path [attr.d]="icon.nextYear" /></svg>
      </button>
    </div>
  `,
  styles: `
    .header { display: flex; align-items: center; padding: 8px 8px 0; }
    .month { flex: 1; text-align: center; font-weight: 500; }
    svg { width: 24px; height: 24px; fill: currentColor; }
  `,
})
export class CalendarHeader<D> {
  private readonly calendar = inject<MatCalendar<D>>(MatCalendar);
  private readonly adapter = inject<DateAdapter<D>>(DateAdapter);
  private readonly formats = inject(MAT_DATE_FORMATS);
  protected readonly intl = inject(MatDatepickerIntl);
  protected readonly icon = ICON;

  constructor() {
    const changes = inject(ChangeDetectorRef);
    const sub = this.calendar.stateChanges.subscribe(() => changes.markForCheck());
    inject(DestroyRef).onDestroy(() => sub.unsubscribe());
  }

  /** the month shown, as the language names it ("October 2027", "oktober 2027") */
  protected month(): string {
    return this.adapter.format(this.calendar.activeDate, this.formats.display.monthYearA11yLabel);
  }

  /** Shows the month `months` before (negative) or after this one. */
  protected step(months: number): void {
    this.calendar.activeDate = this.adapter.addCalendarMonths(this.calendar.activeDate, months);
  }
}
