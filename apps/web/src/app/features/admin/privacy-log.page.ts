import { actorRoleName } from '../../core/labels';
import { ChangeDetectionStrategy, Component, computed, effect, inject, input, untracked } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { DatePipe, DecimalPipe } from '@angular/common';
import { FormsModule } from '@angular/forms';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatDatepicker, MatDatepickerInput, MatDatepickerToggle } from '@angular/material/datepicker';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatPaginatorModule } from '@angular/material/paginator';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import type { PrivacyLogEntry } from '@rehearse/shared/contracts';
import { AdminApi } from '@rehearse/web/data-access';
import { loadedValue } from '../../core/load-state';
import { PagedList } from '../../core/paged-list';
import { PrivacyRead } from '../../core/privacy-words';
import { StackedTable } from '../../core/stacked-table';
import { dateField, dateOf, isoDay, startOfDay } from '../../core/dates';
import { setQuery } from '../../core/forget-query';

@Component({
  selector: 'rh-privacy-log',
  imports: [
    StackedTable,
    PrivacyRead,
    DatePipe,
    DecimalPipe,
    RouterLink,
    FormsModule,
    MatButtonModule,
    MatCheckboxModule,
    MatDatepicker,
    MatDatepickerInput,
    MatDatepickerToggle,
    MatFormFieldModule,
    MatInputModule,
    MatPaginatorModule,
    MatProgressBarModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  // on a phone the period's two days side by side where both fit whole (a field takes the whole width there otherwise)
  styles: `@media (max-width: 700px) { .period > .mat-mdc-form-field { flex: 1 1 10rem; } }`,
  template: `
    <section class="page">
      <div class="row"><h1 i18n>Privacy log</h1><span class="spacer"></span>@if (!backwards()) {<a i18n mat-stroked-button [href]="exportUrl()" download>Export CSV</a>}</div>
      <p i18n class="muted">Every look at someone else's data in your organisation, newest first. The log cannot be changed or deleted.</p>
      <!-- the worker's daily check of the log's hash chains: what an intruder at the database would have left -->
      @if (lastCheck(); as c) {
        @if (!c.checkedAt) {
          <p i18n class="muted integrity">Not checked for changes yet: it is checked every night.</p>
        } @else if (c.broken === 'changed') {
          <p i18n class="error-text integrity" role="alert">Checked {{ c.checkedAt | date: 'medium' }}: entry {{ c.brokenAtId }} was changed outside Rehearse, or an entry before it removed. Tell your operator now: nobody may change this log, and they can compare it with the backups.</p>
        } @else if (c.broken === 'removed') {
          <p i18n class="error-text integrity" role="alert">Checked {{ c.checkedAt | date: 'medium' }}: entries up to entry {{ c.brokenAtId }} were removed outside Rehearse after Rehearse had seen them. Tell your operator now: nobody may delete from this log, and they can compare it with the backups.</p>
        } @else {
          <!-- the check counts the entries there were then, not the log's length now (newer entries are in the next night's check) -->
          <p i18n class="muted integrity">Checked for changes {{ c.checkedAt | date: 'medium' }}: all {{ c.entriesChecked | number }} entries written until then intact. The log is checked every night.</p>
        }
      } @else if (integrity.error()) {
        <p i18n class="muted integrity">When the log was last checked for changes could not be read.</p>
      }
      <!-- a period: its days in the address (?from=, ?to=, both included), so it can be shared and gone back to -->
      <form class="row filters period" (submit)="$event.preventDefault()">
        <mat-form-field appearance="outline">
          <mat-label i18n="the first day of the privacy log's period|">From</mat-label>
          <input matInput [matDatepicker]="fromPicker" name="from" [ngModel]="fromDay()" (dateChange)="setPeriod('from', $event.value)" [min]="dateField.min" [max]="toDay() ?? dateField.max" />
          <mat-datepicker-toggle matIconSuffix [for]="fromPicker" /><mat-datepicker #fromPicker [calendarHeaderComponent]="dateField.header" />
          <mat-error>{{ dateField.error }}</mat-error>
        </mat-form-field>
        <mat-form-field appearance="outline">
          <mat-label i18n="the last day of the privacy log's period|">To</mat-label>
          <input matInput [matDatepicker]="toPicker" name="to" [ngModel]="toDay()" (dateChange)="setPeriod('to', $event.value)" [min]="fromDay() ?? dateField.min" [max]="dateField.max" />
          <mat-datepicker-toggle matIconSuffix [for]="toPicker" /><mat-datepicker #toPicker [calendarHeaderComponent]="dateField.header" />
          <mat-error>{{ dateField.error }}</mat-error>
        </mat-form-field>
        @if (fromDay() || toDay()) { <button i18n mat-button type="button" (click)="clearPeriod()">Any time</button> }
        <!-- the operator's superusers, acting as someone here or as themselves: what the organisation audits of its provider -->
        <mat-checkbox i18n [checked]="support()" (change)="setSupport($event.checked)">Only support staff's looks</mat-checkbox>
      </form>
      @if (actorId() || subjectId()) {
        <!-- one person's looks (a name in the Who column leads here), or the looks at one person's data (their page leads here): the address says whose -->
        <p class="row filter" role="status">
          @if (actorId() && subjectId()) {
            <span i18n>Only the looks by <strong>{{ actorName() ?? someone }}</strong> at <strong>{{ subjectName() ?? someoneElse }}</strong>'s data</span>
          } @else if (actorId()) {
            <span i18n>Only the looks by <strong>{{ actorName() ?? someone }}</strong></span>
          } @else {
            <span i18n>Only the looks at <strong>{{ subjectName() ?? someone }}</strong>'s data</span>
          }
          <a i18n mat-button [routerLink]="[]" [queryParams]="{ actorId: null, subjectId: null }" [queryParamsHandling]="'merge'">Show everyone's</a>
        </p>
      }
      <div class="card">
        @if (list.loading()) { <mat-progress-bar i18n-aria-label mode="indeterminate" aria-label="Loading" /> }
        @if (backwards()) {
          <p i18n class="error-text" role="alert">The period ends before it begins: choose a last day on or after the first.</p>
        } @else if (list.error(); as e) {
          <p class="error-text" role="alert">{{ e }} <button i18n mat-button type="button" (click)="list.load()">Try again</button></p>
        } @else if (list.page(); as p) {
          @if (p.total === 0) {
            @if (fromDay() || toDay()) { <p i18n>No entries in this period.</p> }
            @else if (support()) { <p i18n>Support staff have not looked at anyone's data in your organisation.</p> }
            @else if (actorId() && subjectId()) { <p i18n>This person has not looked at that person's data.</p> }
            @else if (actorId()) { <p i18n>This person has not looked at anyone else's data.</p> }
            @else if (subjectId()) { <p i18n>Nobody has looked at this person's data.</p> }
            @else { <p i18n>No entries yet.</p> }
          }
          @else {
            <table class="data" rhStacked>
              <thead><tr><th i18n scope="col">When</th><th i18n scope="col">Who</th><th i18n scope="col">Role</th><th i18n scope="col">Whose data</th><th i18n scope="col">What</th></tr></thead>
              <tbody>
                @for (e of p.items; track e.id) {
                  <tr>
                    <td>{{ e.at | date: 'medium' }}</td>
                    <td>@if (e.actorId && e.actorId !== actorId()) {<a i18n-title [routerLink]="[]" [queryParams]="{ actorId: e.actorId }" [queryParamsHandling]="'merge'" title="Only this person's looks">{{ e.actorName ?? e.actorId }}</a>} @else {{{ e.actorName }}}@if (e.impersonatorName) { <span i18n class="muted"> (support: {{ e.impersonatorName }})</span> }</td>
                    <td>{{ roleName(e.actorRole) }}</td>
                    <td><a [routerLink]="['/admin/users', e.subjectId]">{{ e.subjectName ?? e.subjectId }}</a></td>
                    <td><rh-privacy-read [entry]="e" /></td>
                  </tr>
                }
              </tbody>
            </table>
            @if (p.totalIsLowerBound) { <p i18n class="muted" role="status">More than {{ p.total | number }} entries: use the CSV export for all of them, choose a shorter period, or open one person's log.</p> }
            <mat-paginator i18n-aria-label [length]="p.total" [pageSize]="p.pageSize" [pageIndex]="p.page - 1" [pageSizeOptions]="[25, 50, 100]" (page)="list.paged($event)" aria-label="Pages of the privacy log" />
          }
        }
      </div>
    </section>
  `,
})
export class PrivacyLogPage {
  protected readonly roleName = actorRoleName;
  private readonly api = inject(AdminApi);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute, { optional: true });
  protected readonly dateField = dateField();
  /** `?actorId=`: only this person's looks (from the route, so the filtered page can be shared and gone back to) */
  readonly actorId = input<string | undefined>(undefined);
  /** `?subjectId=`: only the looks at this person's data (their page leads here for all of them) */
  readonly subjectId = input<string | undefined>(undefined);
  /** `?from=` and `?to=` (yyyy-MM-dd, days of the reader's calendar, both included): a period; anything else in them is no period */
  readonly from = input<string | undefined>(undefined);
  readonly to = input<string | undefined>(undefined);
  /** `?by=support`: only the looks of the operator's support staff */
  readonly by = input<string | undefined>(undefined);
  protected readonly support = computed(() => this.by() === 'support');
  protected readonly fromDay = computed(() => calendarDay(this.from()));
  protected readonly toDay = computed(() => calendarDay(this.to()));
  /** the last day before the first: nothing is asked for (the API would refuse it) */
  protected readonly backwards = computed(() => {
    const from = this.fromDay();
    const to = this.toDay();
    return !!from && !!to && to.getTime() < from.getTime();
  });
  /** what the list and the CSV cover: from the first day's start to the start of the day after the last */
  private readonly filter = computed(() => {
    const from = this.fromDay();
    const to = this.toDay();
    return {
      actorId: this.actorId(),
      subjectId: this.subjectId(),
      from: from ? startOfDay(from) : undefined,
      before: to ? startOfDay(to, 1) : undefined,
      by: this.support() ? ('support' as const) : undefined,
    };
  });
  /** the last check of the log for changes made outside Rehearse (the worker's, every night) */
  protected readonly integrity = rxResource({ stream: () => this.api.privacyLogIntegrity() });
  protected readonly lastCheck = loadedValue(this.integrity);
  /** newest first, a page at a time (only the page asked for last is shown; Try again keeps the page) */
  protected readonly list = new PagedList<PrivacyLogEntry>(
    (page, size) => this.api.privacyLog(page, size, this.filter()),
    25,
  );
  protected readonly exportUrl = computed(() => this.api.privacyLogExportUrl(this.filter()));
  /** the filtered person's name, as the rows give it (every row of the filtered list is theirs) */
  protected readonly actorName = computed(
    () => this.list.page()?.items.find((e) => e.actorId === this.actorId())?.actorName ?? null,
  );
  /** the person whose data the list is of, as the rows give it */
  protected readonly subjectName = computed(
    () => this.list.page()?.items.find((e) => e.subjectId === this.subjectId())?.subjectName ?? null,
  );
  protected readonly someone = $localize`this person`;
  protected readonly someoneElse = $localize`that person`;

  constructor() {
    // a new filter (or none) starts from the first page
    effect(() => {
      this.filter();
      if (this.backwards()) return;
      void untracked(() => this.list.search());
    });
  }

  /** A day of the period chosen (or cleared, or typed as no date): the address says it, and the list follows the address. */
  protected setPeriod(end: 'from' | 'to', day: Date | null): void {
    this.navigate({ [end]: isoDay(day) });
  }

  protected setSupport(only: boolean): void {
    this.navigate({ by: only ? 'support' : null });
  }

  protected clearPeriod(): void {
    this.navigate({ from: null, to: null });
  }

  private navigate(queryParams: Record<string, string | null>): void {
    void setQuery(this.router, this.route, queryParams);
  }
}

/** A yyyy-MM-dd that is a day of the calendar (not 2026-02-30, which a Date would roll over into March), as that day's Date. */
function calendarDay(value: string | undefined): Date | null {
  const day = dateOf(value);
  return day && isoDay(day) === value ? day : null;
}
