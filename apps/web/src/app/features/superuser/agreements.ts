import { ARIA } from '../../core/labels';
import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, OnInit, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDatepicker, MatDatepickerInput, MatDatepickerToggle } from '@angular/material/datepicker';
import { dateField, dateOf, isoDay } from '../../core/dates';
import { firstValueFrom } from 'rxjs';
import type { DeletionReceipt, TenantAgreement } from '@rehearse/shared/contracts';
import { problemText, SuperuserApi, toProblem } from '@rehearse/web/data-access';
import { StackedTable } from '../../core/stacked-table';

/**
 * Client organisations' agreements for superusers: the end date, when everything of the
 * organisation will be destroyed (45 days later), and the reports of destructions done.
 */
@Component({
  selector: 'rh-agreements',
  imports: [
    StackedTable,
    DatePipe,
    FormsModule,
    MatButtonModule,
    MatDatepicker,
    MatDatepickerInput,
    MatDatepickerToggle,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="card">
      <h2 i18n>Organisations and agreements</h2>
      <p i18n class="muted">When an agreement ends, the organisation's administrators can still export everything; 45 days later every row, recording, key and session of the organisation is destroyed and a report is kept here.</p>
      @if (error()) { <p class="error-text" role="alert">{{ error() }}</p> }
      <table rhStacked>
        <thead><tr><th i18n scope="col">Organisation</th><th i18n scope="col">People</th><th i18n scope="col">Agreement ends</th><th i18n scope="col">Destroyed on</th><th scope="col"></th></tr></thead>
        <tbody>
          @for (t of tenants(); track t.tenantId) {
            <tr>
              <td>{{ t.name }} <span class="muted">{{ t.slug }}</span></td>
              <td>{{ t.users }}</td>
              <td><span class="date"><input [matDatepicker]="picker" [name]="'ends-' + t.slug" [attr.aria-label]="aria.agreementEnds(t.name)" [(ngModel)]="ends[t.tenantId]" #endsModel="ngModel" [min]="dateField.min" [max]="dateField.max" [attr.aria-invalid]="!!endsModel.invalid" /><mat-datepicker-toggle [for]="picker" /><mat-datepicker #picker [calendarHeaderComponent]="dateField.header" /></span>@if (endsModel.invalid) {<span class="error-text small" role="alert">{{ dateField.error }}</span>}</td>
              <td [class.error-text]="!!t.destroyOn">{{ (t.destroyOn | date: 'mediumDate') ?? '—' }}</td>
              <td><button i18n mat-stroked-button type="button" (click)="save(t)" [disabled]="!!endsModel.invalid">Save</button></td>
            </tr>
          } @empty { <tr><td i18n colspan="5" class="muted">No organisations.</td></tr> }
        </tbody>
      </table>
      <h3 i18n>Destruction reports</h3>
      <ul class="plain">
        @for (r of reports(); track r.id) {
          <li i18n>{{ r.createdAt | date: 'mediumDate' }} · organisation {{ r.subjectId }} · {{ count(r, 'users') }} people, {{ count(r, 'objects') }} objects · @if (r.verified) {verified} @else {NOT verified}</li>
        } @empty { <li i18n class="muted">None.</li> }
      </ul>
    </div>
  `,
  styles: `.date { display: inline-flex; align-items: center; max-width: 100%; } .date input { flex: 0 1 9em; min-width: 0; font: inherit; } .small { display: block; font-size: .85em; } table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--mat-sys-outline-variant); }`,
})
export class Agreements implements OnInit {
  protected readonly aria = ARIA;
  private readonly api = inject(SuperuserApi);
  protected readonly tenants = signal<TenantAgreement[]>([]);
  protected readonly reports = signal<DeletionReceipt[]>([]);
  /** A count of a report (a receipt of another kind, or an older one, may lack it: 0). */
  protected count(r: DeletionReceipt, what: 'users' | 'objects'): number {
    return (r.counts as Partial<Record<string, number>>)[what] ?? 0;
  }
  protected readonly error = signal<string | null>(null);
  protected ends: Record<string, Date | null> = {};
  protected readonly dateField = dateField();

  async ngOnInit(): Promise<void> {
    try {
      const [tenants, reports] = await Promise.all([
        firstValueFrom(this.api.agreements()),
        firstValueFrom(this.api.destructionReports()),
      ]);
      this.ends = Object.fromEntries(tenants.map((t) => [t.tenantId, dateOf(t.endsOn)]));
      this.tenants.set(tenants);
      this.reports.set(reports);
    } catch (e) {
      this.error.set(problemText(toProblem(e)));
    }
  }

  async save(t: TenantAgreement): Promise<void> {
    this.error.set(null);
    try {
      const updated = await firstValueFrom(this.api.setAgreementEnd(t.tenantId, isoDay(this.ends[t.tenantId])));
      this.tenants.update((list) => list.map((x) => (x.tenantId === t.tenantId ? updated : x)));
    } catch (e) {
      this.error.set(problemText(toProblem(e)));
    }
  }
}
