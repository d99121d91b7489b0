import { ChangeDetectionStrategy, Component, computed, inject, linkedSignal, LOCALE_ID, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { DatePipe, DecimalPipe, formatDate, PercentPipe } from '@angular/common';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatMenuModule } from '@angular/material/menu';
import { MatPaginatorModule, PageEvent } from '@angular/material/paginator';
import type { ReportOverview } from '@rehearse/shared/contracts';
import { FeedbackApi } from '@rehearse/web/data-access';
import { GroupFilter } from './group-filter';
import { LoadState } from '../../core/load-state';
import { SessionStore } from '../../core/session.store';
import { TrendChart } from './charts';
import { StackedTable } from '../../core/stacked-table';

/** Whether the page is on a phone's screen, where each table row is a block of six labelled lines. */
const onAPhone = () => typeof matchMedia === 'function' && matchMedia('(max-width: 700px)').matches;

/**
 * Reports for coaches (their groups) and administrators (everyone): participation, baseline
 * against final, coach scores per criterion over time, AI–coach agreement; each table as an Excel
 * workbook or as CSV.
 */
@Component({
  selector: 'rh-reports',
  imports: [
    StackedTable,
    DatePipe,
    DecimalPipe,
    PercentPipe,
    FormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatMenuModule,
    MatPaginatorModule,
    TrendChart,
    LoadState,
    GroupFilter,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      <h1 i18n>Reports</h1>
      <div class="row filters">
        <rh-group-filter [organisation]="isAdmin()" [groupId]="groupId()" (groupIdChange)="groupId.set($event); page.set(1)" />
        <button mat-stroked-button type="button" [matMenuTriggerFor]="downloads"><span i18n>Download</span><span aria-hidden="true" class="caret">▾</span></button>
        <mat-menu #downloads="matMenu">
          <a i18n mat-menu-item [href]="exportUrl('criteria', 'xlsx')" download>Scores for Excel (.xlsx)</a>
          <a i18n mat-menu-item [href]="exportUrl('criteria', 'csv')" download>Scores as CSV</a>
          <a i18n mat-menu-item [href]="exportUrl('agreement', 'xlsx')" download>AI agreement for Excel (.xlsx)</a>
          <a i18n mat-menu-item [href]="exportUrl('agreement', 'csv')" download>AI agreement as CSV</a>
        </mat-menu>
      </div>
      <rh-load-state [of]="report" label="Loading the report" i18n-label />
      @if (overview(); as o) {
        @if (o.asOf) { <p i18n class="muted small" role="status">Figures as of {{ o.asOf | date: 'shortTime' }}: for an organisation this size they are recounted every five minutes.</p> }
        <div class="tiles">
          <div class="card tile"><span class="big">{{ o.participationRate === null ? '—' : (o.participationRate | percent) }}</span><span i18n>participation ({{ o.active | number }} of {{ o.participants | number }})</span></div>
          <div class="card tile"><span class="big">{{ o.reviewed | number }} / {{ o.answers | number }}</span><span i18n>answers with coach feedback</span></div>
          <div class="card tile"><span class="big">{{ (o.baselineMean | number: '1.0-2') ?? '—' }} → {{ (o.finalMean | number: '1.0-2') ?? '—' }}</span><span i18n>baseline → final (mean coach total)</span></div>
        </div>
        <div class="card">
          <h2 i18n>Scores per criterion over time</h2>
          @if (o.criteriaTotal === 0) {
            <p i18n class="muted empty">No published coach feedback yet.</p>
          } @else {
            <rh-trend-chart [labels]="monthLabels()" [series]="series()" />
            <table rhStacked>
              <thead><tr><th i18n scope="col">Group</th><th i18n scope="col">Course</th><th i18n scope="col">Criterion</th><th i18n scope="col">Month</th><th i18n scope="col">Mean</th><th i18n scope="col">Reviews</th></tr></thead>
              <tbody>
                @for (r of o.criteria; track $index) {
                  <tr><td>{{ r.groupName }}</td><td>{{ r.courseTitle }}</td><td>{{ r.criterionTitle }}</td><td>{{ monthName(r.month) }}</td><td>{{ r.meanScore | number: '1.0-2' }}</td><td>{{ r.reviews | number }}</td></tr>
                }
              </tbody>
            </table>
            @if (o.criteriaTotal > o.pageSize) {
              <mat-paginator i18n-aria-label [length]="o.criteriaTotal" [pageSize]="o.pageSize" [pageIndex]="o.page - 1" [pageSizeOptions]="[10, 25, 50, 100]" (page)="paged($event)" aria-label="Pages of the scores table" />
            }
          }
        </div>
        <div class="card">
          <h2 i18n>AI–coach agreement</h2>
          @if (o.agreement.length === 0) {
            <p i18n class="muted empty">No pairs yet. A pair is a coach’s score on a criterion that the exercise links to AI metrics (in the course editor), published for an answer the AI coach had already assessed.</p>
          } @else {
            <table rhStacked>
              <thead><tr><th i18n scope="col">Course</th><th i18n scope="col">Exercise</th><th i18n scope="col">Pairs</th><th i18n scope="col">Same level</th><th i18n scope="col">Within one level</th><th i18n scope="col">Mean difference</th></tr></thead>
              <tbody>
                @for (a of agreementRows(); track a.courseId + a.exerciseId) {
                  <tr><td>{{ a.courseTitle }}</td><td>{{ a.exerciseTitle }}</td><td>{{ a.pairs | number }}</td><td>{{ a.exact === null ? '—' : (a.exact | percent) }}</td><td>{{ a.adjacent === null ? '—' : (a.adjacent | percent) }}</td><td>{{ a.meanAbsoluteDifference === null ? '—' : (a.meanAbsoluteDifference | number: '1.0-2') }}</td></tr>
                }
              </tbody>
            </table>
            @if (o.agreement.length > agreementSize()) {
              <mat-paginator i18n-aria-label [length]="o.agreement.length" [pageSize]="agreementSize()" [pageIndex]="agreementPage()" [pageSizeOptions]="[10, 25, 50, 100]" (page)="agreementPaged($event)" aria-label="Pages of the agreement table" />
            }
          }
        </div>
      }
    </section>
  `,
  styles: `
    .tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 12px; }
    .tile { display: grid; gap: 4px; } .big { font-size: 1.6em; font-weight: 600; }
    table { border-collapse: collapse; width: 100%; margin-top: 12px; }
    th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--mat-sys-outline-variant); }
    .caret { margin-left: 4px; }
  `,
})
export class ReportsPage {
  private readonly api = inject(FeedbackApi);
  private readonly session = inject(SessionStore);
  protected readonly groupId = signal<string | null>(null);
  protected readonly page = signal(1);
  /**
   * 50 rows a page; 10 on a phone's screen, where each row is a block of six labelled lines (50 of
   * them made the page 18,000 px tall, the paginator twenty screens down)
   */
  private readonly phone = onAPhone();
  protected readonly pageSize = signal(this.phone ? 10 : 50);
  /**
   * The agreement table's page: one row per exercise of every course in view comes with each
   * overview (it grows with the courses, not the people), shown 25 at a time; back to the first
   * page when another group is chosen
   */
  protected readonly agreementPage = linkedSignal<string | null, number>({
    source: this.groupId,
    computation: () => 0,
  });
  protected readonly agreementSize = signal(this.phone ? 10 : 25);
  protected readonly agreementRows = computed(() => {
    const rows = this.overview()?.agreement ?? [];
    const size = this.agreementSize();
    // the last page when the rows became fewer than the page shown
    const page = Math.min(this.agreementPage(), Math.max(0, Math.ceil(rows.length / size) - 1));
    return rows.slice(page * size, (page + 1) * size);
  });
  /** the report of the group and page chosen: a newer choice replaces the one before and its late answer */
  protected readonly report = rxResource({
    params: () => ({ groupId: this.groupId(), page: this.page(), pageSize: this.pageSize() }),
    stream: ({ params: q }) => this.api.overview({ groupId: q.groupId ?? undefined }, q.page, q.pageSize),
  });
  /** the overview on screen: the last one loaded, kept while the next loads (no blank page between pages) */
  protected readonly overview = linkedSignal<ReportOverview | undefined, ReportOverview | null>({
    source: () => (this.report.hasValue() ? this.report.value() : undefined),
    computation: (value, previous) => value ?? previous?.value ?? null,
  });
  protected readonly isAdmin = computed(() => this.session.me()?.roles.includes('administrator') ?? false);
  /** one line per criterion (over all groups and courses in view, aggregated by the server), by month */
  protected readonly months = computed(() => [...new Set(this.overview()?.trend.map((c) => c.month) ?? [])].sort());
  private readonly locale = inject(LOCALE_ID);
  /** a month ("2026-09") as its reader names it: "Sept 2026", "sep 2026" (the CSV keeps the ISO form) */
  protected monthName(month: string): string {
    return /^\d{4}-\d{2}$/.test(month) ? formatDate(`${month}-01T12:00:00`, 'MMM y', this.locale) : month;
  }
  protected readonly monthLabels = computed(() => this.months().map((m) => this.monthName(m)));
  protected readonly series = computed(() => {
    const points = this.overview()?.trend ?? [];
    const names = [...new Set(points.map((r) => r.criterionTitle))];
    return names.map((name) => ({
      label: name,
      data: this.months().map((m) => points.find((r) => r.criterionTitle === name && r.month === m)?.meanScore ?? null),
    }));
  });

  paged(e: PageEvent): void {
    this.page.set(e.pageIndex + 1);
    this.pageSize.set(e.pageSize);
  }

  agreementPaged(e: PageEvent): void {
    this.agreementPage.set(e.pageIndex);
    this.agreementSize.set(e.pageSize);
  }

  exportUrl(table: 'criteria' | 'agreement', format: 'csv' | 'xlsx'): string {
    return this.api.exportUrl(table, { groupId: this.groupId() ?? undefined }, format);
  }
}
