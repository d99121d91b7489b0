import { DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatPaginatorModule } from '@angular/material/paginator';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { tap } from 'rxjs';
import { DESTROYED_AGAIN, type DestructionReportSummary } from '@rehearse/shared/contracts';
import { SuperuserApi } from '@rehearse/web/data-access';
import { PagedList } from '../../core/paged-list';
import { StackedTable } from '../../core/stacked-table';

/**
 * The reports of destroyed organisations for superusers: which organisation, when, what went
 * (people, objects) and whether the store confirmed every object gone, newest first, a page at a
 * time, found by the organisation's name or slug; each report downloads in full (every object).
 */
@Component({
  selector: 'rh-destruction-reports',
  imports: [
    StackedTable,
    DatePipe,
    DecimalPipe,
    FormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatPaginatorModule,
    MatProgressBarModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="card">
      <h2 i18n>Destruction reports</h2>
      <p i18n class="muted">What went when an organisation was destroyed: its people, every row, recording and key, and whether the storage confirmed each object gone. A report lists the objects one by one.</p>
      <form class="row" (ngSubmit)="reports.search()">
        <mat-form-field appearance="outline" class="search"><mat-label i18n>Organisation's name or slug</mat-label><input matInput type="search" name="q" [(ngModel)]="q" /></mat-form-field>
        <button i18n mat-stroked-button type="submit">Search</button>
      </form>
      @if (reports.loading()) { <mat-progress-bar i18n-aria-label mode="indeterminate" aria-label="Loading the destruction reports" /> }
      @if (reports.error(); as e) {
        <p class="error-text" role="alert">{{ e }} <button i18n mat-button type="button" (click)="reports.load()">Try again</button></p>
      } @else if (reports.page(); as p) {
        <table rhStacked>
          <thead><tr><th i18n scope="col">Destroyed</th><th i18n scope="col">Organisation</th><th i18n scope="col">People</th><th i18n scope="col">Objects</th><th i18n scope="col">Storage</th><th scope="col"><span i18n class="sr-only">Report</span></th></tr></thead>
          <tbody>
            @for (r of p.items; track r.id) {
              <tr>
                <td>{{ r.createdAt | date: 'medium' }}</td>
                <td>
                  @if (r.organisationName) { {{ r.organisationName }} <span class="muted">{{ r.organisationSlug }}</span> }
                  @else { <span i18n class="muted">Name not kept (organisation {{ r.organisationId }})</span> }
                  @if (r.reason) { <div class="reason muted"><span i18n>Why:</span> {{ reasonOf(r) }}</div> }
                </td>
                <td>{{ count(r, 'users') | number }}</td>
                <td>{{ count(r, 'objects') | number }}</td>
                <td>@if (r.verified) { <span i18n>every object confirmed gone</span> } @else { <span i18n class="error-text">not every object confirmed gone: deleting them is retried</span> }</td>
                <td class="downloads">
                  <a i18n mat-button [href]="url(r)" [attr.download]="fileName(r)">Download report</a>&ngsp;<a i18n-title mat-button [href]="signedUrl(r)" title="The report signed by this installation, which the organisation or its auditor can check with the installation's public key"><ng-container i18n>Signed report</ng-container></a>
                </td>
              </tr>
            } @empty {
              <tr><td colspan="6" class="muted">@if (searched()) {<span i18n>No destroyed organisation matches.</span>} @else {<span i18n>No organisation has been destroyed.</span>}</td></tr>
            }
          </tbody>
        </table>
        @if (p.total > p.pageSize) { <mat-paginator i18n-aria-label [length]="p.total" [pageSize]="p.pageSize" [pageIndex]="p.page - 1" [pageSizeOptions]="[10, 25, 50, 100]" (page)="reports.paged($event)" aria-label="Pages of destruction reports" /> }
      }
    </div>
  `,
  styles: `.search { flex: 0 1 22rem; } table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--mat-sys-outline-variant); } td { overflow-wrap: anywhere; } .downloads a { white-space: nowrap; }`,
})
export class DestructionReports {
  private readonly api = inject(SuperuserApi);
  /** what the search field says (asked for on Search) */
  protected q = '';
  /** the search the page shown was asked with */
  protected readonly searched = signal('');
  protected readonly reports = new PagedList<DestructionReportSummary>((page, size) => {
    const q = this.q.trim();
    return this.api.destructionReports(q, page, size).pipe(tap(() => this.searched.set(q)));
  }, 10);

  constructor() {
    void this.reports.load();
  }

  /** Why it was destroyed, in the reader's language where the reason is one Rehearse writes (the report keeps it in English, as signed). */
  protected reasonOf(r: DestructionReportSummary): string {
    return r.reason === DESTROYED_AGAIN
      ? $localize`Destroyed again: it had been destroyed before, and came back with a database restored from an earlier backup`
      : (r.reason ?? '');
  }

  /** A count of the report (an older report may lack one: 0). */
  protected count(r: DestructionReportSummary, what: 'users' | 'objects'): number {
    return (r.counts as Partial<Record<string, number>>)[what] ?? 0;
  }

  protected url(r: DestructionReportSummary): string {
    return this.api.destructionReportUrl(r.id);
  }

  /** the report signed (named by the server: destruction-report-<slug>-<date>.jwt) */
  protected signedUrl(r: DestructionReportSummary): string {
    return this.api.signedDestructionReportUrl(r.id);
  }

  /** destruction-report-northwind-2027-03-31.json (the organisation's id where its slug was not kept) */
  protected fileName(r: DestructionReportSummary): string {
    return `destruction-report-${r.organisationSlug ?? r.organisationId}-${r.createdAt.slice(0, 10)}.json`;
  }
}
