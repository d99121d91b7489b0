import { actorRoleName } from '../../core/labels';
import { ChangeDetectionStrategy, Component, computed, effect, inject, input, untracked } from '@angular/core';
import { DatePipe, DecimalPipe } from '@angular/common';
import { RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatPaginatorModule } from '@angular/material/paginator';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import type { PrivacyLogEntry } from '@rehearse/shared/contracts';
import { AdminApi } from '@rehearse/web/data-access';
import { PagedList } from '../../core/paged-list';
import { PrivacyRead } from '../../core/privacy-words';
import { StackedTable } from '../../core/stacked-table';

@Component({
  selector: 'rh-privacy-log',
  imports: [
    StackedTable,
    PrivacyRead,
    DatePipe,
    DecimalPipe,
    RouterLink,
    MatButtonModule,
    MatPaginatorModule,
    MatProgressBarModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      <div class="row"><h1 i18n>Privacy log</h1><span class="spacer"></span><a i18n mat-stroked-button [href]="exportUrl()" download>Export CSV</a></div>
      <p i18n class="muted">Every look at someone else's data in your organisation, newest first. The log cannot be changed or deleted.</p>
      @if (actorId()) {
        <!-- one person's looks (a name in the Who column leads here): the page's address says whose -->
        <p class="row filter" role="status"><span i18n>Only the looks by <strong>{{ actorName() ?? someone }}</strong></span><a i18n mat-button routerLink="/admin/privacy-log">Show everyone's</a></p>
      }
      <div class="card">
        @if (list.loading()) { <mat-progress-bar i18n-aria-label mode="indeterminate" aria-label="Loading" /> }
        @if (list.error(); as e) {
          <p class="error-text" role="alert">{{ e }} <button i18n mat-button type="button" (click)="list.load()">Try again</button></p>
        } @else if (list.page(); as p) {
          @if (p.total === 0) {
            @if (actorId()) { <p i18n>This person has not looked at anyone else's data.</p> } @else { <p i18n>No entries yet.</p> }
          }
          @else {
            <table class="data" rhStacked>
              <thead><tr><th i18n scope="col">When</th><th i18n scope="col">Who</th><th i18n scope="col">Role</th><th i18n scope="col">Whose data</th><th i18n scope="col">What</th></tr></thead>
              <tbody>
                @for (e of p.items; track e.id) {
                  <tr>
                    <td>{{ e.at | date: 'medium' }}</td>
                    <td>@if (e.actorId && e.actorId !== actorId()) {<a i18n-title [routerLink]="[]" [queryParams]="{ actorId: e.actorId }" title="Only this person's looks">{{ e.actorName ?? e.actorId }}</a>} @else {{{ e.actorName }}}@if (e.impersonatorName) { <span i18n class="muted"> (support: {{ e.impersonatorName }})</span> }</td>
                    <td>{{ roleName(e.actorRole) }}</td>
                    <td><a [routerLink]="['/admin/users', e.subjectId]">{{ e.subjectName ?? e.subjectId }}</a></td>
                    <td><rh-privacy-read [entry]="e" /></td>
                  </tr>
                }
              </tbody>
            </table>
            @if (p.totalIsLowerBound) { <p i18n class="muted" role="status">More than {{ p.total | number }} entries: use the CSV export for all of them, or open one person's log.</p> }
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
  /** `?actorId=`: only this person's looks (from the route, so the filtered page can be shared and gone back to) */
  readonly actorId = input<string | undefined>(undefined);
  /** newest first, a page at a time (only the page asked for last is shown; Try again keeps the page) */
  protected readonly list = new PagedList<PrivacyLogEntry>(
    (page, size) => this.api.privacyLog(page, size, { actorId: this.actorId() }),
    25,
  );
  protected readonly exportUrl = computed(() => this.api.privacyLogExportUrl({ actorId: this.actorId() }));
  /** the filtered person's name, as the rows give it (every row of the filtered list is theirs) */
  protected readonly actorName = computed(
    () => this.list.page()?.items.find((e) => e.actorId === this.actorId())?.actorName ?? null,
  );
  protected readonly someone = $localize`this person`;

  constructor() {
    // a new filter (or none) starts from the first page
    effect(() => {
      this.actorId();
      void untracked(() => this.list.search());
    });
  }
}
