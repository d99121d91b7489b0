import { USER_STATUS_NAMES } from '../../core/labels';
import { ChangeDetectionStrategy, Component, computed, effect, inject, input, untracked } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { DatePipe } from '@angular/common';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatPaginatorModule } from '@angular/material/paginator';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import type { ImpersonationRecord } from '@rehearse/shared/contracts';
import { SuperuserApi } from '@rehearse/web/data-access';
import { loadedValue, LoadState } from '../../core/load-state';
import { PagedList } from '../../core/paged-list';
import { StackedTable } from '../../core/stacked-table';
import { setQuery } from '../../core/forget-query';
import {
  parseQuarter,
  quarterBefore,
  quarterDays,
  quarterKey,
  quarterOf,
  quarterPeriod,
  shiftQuarter,
  type Quarter,
} from './quarter';

/**
 * The operator's quarterly review of its support staff: every superuser with how many impersonations
 * they started in the quarter, and those impersonations (who acted as whom, why, how long), a page
 * at a time and as CSV. The quarter (`?quarter=2026-Q3`, the reader's calendar; the current one
 * without) and one superuser (`?superuserId=`) are in the address, so a review can be shared and
 * gone back to.
 */
@Component({
  selector: 'rh-support-review',
  imports: [DatePipe, RouterLink, MatButtonModule, MatPaginatorModule, MatProgressBarModule, LoadState, StackedTable],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: `
    .quarter { align-items: center; }
    .quarter .name { font-weight: 600; margin: 0 0.5rem 0 0; }
    @media (max-width: 700px) { .quarter .name { flex: 1 1 100%; } }
  `,
  template: `
    <div class="card">
      <h2 i18n>Quarterly review</h2>
      <!-- the quarter first (on a phone its own line), then the ways to another one -->
      <div class="row quarter">
        <p class="name" role="status"><span i18n="a quarter of the year, as Q3 2026|">Q{{ shown().n }} {{ shown().year }}</span> · {{ days().first | date: 'd MMM' }} – {{ days().last | date: 'mediumDate' }}</p>
        <button i18n mat-stroked-button type="button" (click)="show(shiftQuarter(shown(), -1))">Previous quarter</button>
        <!-- no next quarter after the current one: nothing has happened in it yet -->
        @if (past()) { <button i18n mat-stroked-button type="button" (click)="show(shiftQuarter(shown(), 1))">Next quarter</button> }
        @if (!current()) { <button i18n mat-button type="button" (click)="show(null)">This quarter</button> }
        <span class="spacer"></span>
        <a i18n mat-stroked-button [href]="exportUrl()" download>Export CSV</a>
      </div>
      <rh-load-state [of]="reportRes" label="Loading the quarterly review" i18n-label />
      @if (report(); as r) {
        <h3 i18n>Superusers</h3>
        <ul class="plain">
          @for (s of r.superusers; track s.id) {
            <li>
              <span i18n>{{ s.name }} · {{ s.email }} · {{ statusNames[s.status] }} · authenticator @if (s.totpEnabled) {on} @else {<strong>OFF</strong>}</span> ·
              @if (s.impersonationCount === 0) { <span i18n class="muted">no impersonations</span> }
              @else if (s.id === superuserId()) { <strong i18n>{s.impersonationCount, plural, =1 {1 impersonation} other {{{ s.impersonationCount }} impersonations}}</strong> }
              @else { <a i18n [routerLink]="[]" [queryParams]="{ superuserId: s.id }" [queryParamsHandling]="'merge'">{s.impersonationCount, plural, =1 {1 impersonation} other {{{ s.impersonationCount }} impersonations}}</a> }
            </li>
          }
        </ul>
        <h3 i18n>Impersonations</h3>
        @if (superuserId()) {
          <p class="row filter" role="status">
            <span i18n>Only those started by <strong>{{ superuserName() ?? someone }}</strong></span>
            <a i18n mat-button [routerLink]="[]" [queryParams]="{ superuserId: null }" [queryParamsHandling]="'merge'">Show everyone's</a>
          </p>
        }
      }
      @if (list.loading()) { <mat-progress-bar i18n-aria-label mode="indeterminate" aria-label="Loading the impersonations" /> }
      @if (list.error(); as e) {
        <p class="error-text" role="alert">{{ e }} <button i18n mat-button type="button" (click)="list.load()">Try again</button></p>
      } @else if (list.page(); as p) {
        @if (p.total === 0) {
          @if (superuserId()) { <p i18n class="muted">This superuser started no impersonation in this quarter.</p> }
          @else { <p i18n class="muted">No impersonations in this quarter.</p> }
        } @else {
          <table class="data" rhStacked>
            <thead><tr><th i18n scope="col">Started</th><th i18n scope="col">Superuser</th><th i18n scope="col">Acted as</th><th i18n scope="col">Organisation</th><th i18n scope="col">Reason</th><th i18n scope="col">Ended</th></tr></thead>
            <tbody>
              @for (i of p.items; track i.id) {
                <tr><td>{{ i.startedAt | date: 'medium' }}</td><td>{{ i.superuserName }}</td><td>@if (i.targetUserName) {{{ i.targetUserName }}} @else {<span i18n class="muted">A person since erased</span>}</td><td>{{ i.tenantName }}</td><td>@if (i.reason) {{{ i.reason }}} @else {<span i18n class="muted">Erased with the person</span>}</td><td>@if (i.endedAt) {{{ i.endedAt | date: 'shortTime' }}} @else if (ended(i.expiresAt)) {<span i18n>Expired at {{ i.expiresAt | date: 'shortTime' }}</span>} @else {<span i18n>Running, until {{ i.expiresAt | date: 'shortTime' }}</span>}</td></tr>
              }
            </tbody>
          </table>
          <mat-paginator i18n-aria-label [length]="p.total" [pageSize]="p.pageSize" [pageIndex]="p.page - 1" [pageSizeOptions]="[25, 50, 100]" (page)="list.paged($event)" aria-label="Pages of impersonations" />
        }
      }
    </div>
  `,
})
export class SupportReview {
  protected readonly statusNames = USER_STATUS_NAMES;
  protected readonly shiftQuarter = shiftQuarter;
  /** an impersonation nobody stopped ends when it expires (the "Ended" column says so) */
  protected readonly ended = (expiresAt: string) => new Date(expiresAt).getTime() <= Date.now();
  private readonly api = inject(SuperuserApi);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute, { optional: true });
  /** `?quarter=2026-Q3`; anything else (or nothing) is the current quarter */
  readonly quarter = input<string | undefined>(undefined);
  /** `?superuserId=`: only this superuser's impersonations */
  readonly superuserId = input<string | undefined>(undefined);

  private readonly thisQuarter = quarterOf(new Date());
  protected readonly shown = computed<Quarter>(() => parseQuarter(this.quarter()) ?? this.thisQuarter);
  /** the quarter shown is the current one */
  protected readonly current = computed(() => quarterKey(this.shown()) === quarterKey(this.thisQuarter));
  /** the quarter shown is over (one after the current, asked for in the address, has nothing yet either) */
  protected readonly past = computed(() => quarterBefore(this.shown(), this.thisQuarter));
  protected readonly days = computed(() => quarterDays(this.shown()));
  private readonly filter = computed(() => ({ ...quarterPeriod(this.shown()), superuserId: this.superuserId() }));

  protected readonly reportRes = rxResource({
    params: () => quarterPeriod(this.shown()),
    stream: ({ params }) => this.api.report(params),
  });
  protected readonly report = loadedValue(this.reportRes);
  /** newest first, a page at a time */
  protected readonly list = new PagedList<ImpersonationRecord>(
    (page, size) => this.api.impersonations(this.filter(), page, size),
    25,
  );
  protected readonly exportUrl = computed(() => this.api.impersonationsExportUrl(this.filter()));
  protected readonly superuserName = computed(
    () => this.report()?.superusers.find((s) => s.id === this.superuserId())?.name ?? null,
  );
  protected readonly someone = $localize`this superuser`;

  constructor() {
    // another quarter or superuser: the list from its first page
    effect(() => {
      this.filter();
      void untracked(() => this.list.search());
    });
  }

  /** Another quarter (null: the current one): the address says it, and the review follows the address. */
  protected show(q: Quarter | null): void {
    const key = q && quarterKey(q) !== quarterKey(this.thisQuarter) ? quarterKey(q) : null;
    void setQuery(this.router, this.route, { quarter: key });
  }
}
