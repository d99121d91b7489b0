import { ARIA } from '../../core/labels';
import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDatepicker, MatDatepickerInput, MatDatepickerToggle } from '@angular/material/datepicker';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatPaginatorModule } from '@angular/material/paginator';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { dateField, dateOf, isoDay } from '../../core/dates';
import { firstValueFrom, tap } from 'rxjs';
import type { TenantAgreement } from '@rehearse/shared/contracts';
import { problemText, SuperuserApi, toProblem } from '@rehearse/web/data-access';
import { PagedList } from '../../core/paged-list';
import { StackedTable } from '../../core/stacked-table';
import { RegisterOrganisation } from './register-organisation';

/**
 * Client organisations' agreements for superusers: the end date and when everything of the
 * organisation will be destroyed (45 days later; the reports: DestructionReports). The
 * organisations come a page at a time, by name, found by name or slug: an operator serves hundreds.
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
    MatFormFieldModule,
    MatInputModule,
    MatPaginatorModule,
    MatProgressBarModule,
    RegisterOrganisation,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="card">
      <div class="row heading">
        <h2 i18n>Organisations and agreements</h2>
        <span class="spacer"></span>
        @if (!registering()) { <button i18n mat-flat-button type="button" (click)="registering.set(true); notice.set(null)">Register an organisation</button> }
      </div>
      @if (registering()) {
        <div class="register"><rh-register-organisation (registered)="registered($event)" (cancelled)="registering.set(false)" /></div>
      }
      @if (notice()) { <p class="notice" role="status">{{ notice() }}</p> }
      <p i18n class="muted">When an agreement ends, the organisation's administrators can still export everything; 45 days later every row, recording, key and session of the organisation is destroyed, and a report of what went is kept (Destruction reports, below).</p>
      <form class="row" (ngSubmit)="orgs.search()">
        <mat-form-field appearance="outline" class="search"><mat-label i18n>Organisation's name or slug</mat-label><input matInput type="search" name="q" [(ngModel)]="q" /></mat-form-field>
        <button i18n mat-stroked-button type="submit">Search</button>
      </form>
      @if (orgs.loading()) { <mat-progress-bar i18n-aria-label mode="indeterminate" aria-label="Loading the organisations" /> }
      @if (error()) { <p class="error-text" role="alert">{{ error() }}</p> }
      @if (orgs.error(); as e) {
        <p class="error-text" role="alert">{{ e }} <button i18n mat-button type="button" (click)="orgs.load()">Try again</button></p>
      } @else if (orgs.page(); as p) {
        <table rhStacked>
          <thead><tr><th i18n scope="col">Organisation</th><th i18n scope="col">People</th><th i18n scope="col">Agreement ends</th><th i18n scope="col">To be destroyed on</th><th i18n scope="col">Privacy log</th><th scope="col"></th></tr></thead>
          <tbody>
            @for (t of p.items; track t.tenantId) {
              <tr>
                <td>{{ t.name }} <span class="muted">{{ t.slug }}</span></td>
                <td>{{ t.users }}</td>
                <td><span class="date"><input [matDatepicker]="picker" [name]="'ends-' + t.slug" [attr.aria-label]="aria.agreementEnds(t.name)" [(ngModel)]="ends[t.tenantId]" #endsModel="ngModel" [min]="dateField.min" [max]="dateField.max" [attr.aria-invalid]="!!endsModel.invalid" /><mat-datepicker-toggle [for]="picker" /><mat-datepicker #picker [calendarHeaderComponent]="dateField.header" /></span>@if (endsModel.invalid) {<span class="error-text small" role="alert">{{ dateField.error }}</span>}</td>
                <td [class.error-text]="!!t.destroyOn">{{ (t.destroyOn | date: 'mediumDate') ?? '—' }}</td>
                <!-- the nightly check's finding (npm run privacy-log -- status on the server says more) -->
                <td>
                  @switch (t.privacyLog) {
                    @case ('intact') { <span i18n="a privacy log's check|">Intact</span> }
                    @case ('changed') { <span i18n class="error-text">Changed outside Rehearse</span> }
                    @case ('removed') { <span i18n class="error-text">Entries removed outside Rehearse</span> }
                    @default { <span i18n class="muted">Not checked yet</span> }
                  }
                </td>
                <td><button i18n mat-stroked-button type="button" (click)="save(t)" [disabled]="!!endsModel.invalid">Save</button></td>
              </tr>
            } @empty {
              <tr><td colspan="6" class="muted">@if (searched()) {<span i18n>No organisation matches.</span>} @else {<span i18n>No organisations.</span>}</td></tr>
            }
          </tbody>
        </table>
        @if (p.total > p.pageSize) { <mat-paginator i18n-aria-label [length]="p.total" [pageSize]="p.pageSize" [pageIndex]="p.page - 1" (page)="orgs.paged($event)" aria-label="Pages of organisations" /> }
      }
    </div>
  `,
  styles: `.heading h2 { margin: 0; } .register { margin: 12px 0; padding: 12px 16px; border: 1px solid var(--mat-sys-outline-variant); border-radius: 8px; } .notice { font-weight: 500; } .search { flex: 0 1 22rem; } .date { display: inline-flex; align-items: center; max-width: 100%; } .date input { flex: 0 1 9em; min-width: 0; font: inherit; } .small { display: block; font-size: .85em; } table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--mat-sys-outline-variant); }`,
})
export class Agreements {
  protected readonly aria = ARIA;
  private readonly api = inject(SuperuserApi);
  /** what the search field says (asked for on Search) */
  protected q = '';
  /** the search the page shown was asked with */
  protected readonly searched = signal('');
  /** the organisations, a page at a time; each row's date field starts from its agreement's end */
  protected readonly orgs = new PagedList<TenantAgreement>((page, size) => {
    const q = this.q.trim();
    return this.api.agreements(q, page, size).pipe(
      tap((p) => {
        this.searched.set(q);
        for (const t of p.items) this.ends[t.tenantId] = dateOf(t.endsOn);
      }),
    );
  }, 25);
  /** what saving an end date met */
  protected readonly error = signal<string | null>(null);
  protected ends: Record<string, Date | null> = {};
  protected readonly dateField = dateField();

  constructor() {
    void this.orgs.load();
  }

  /** the registration form is open */
  protected readonly registering = signal(false);
  /** what the last registration did */
  protected readonly notice = signal<string | null>(null);

  /** An organisation registered: the list shows it (found by its short name) and says who was invited. */
  protected async registered(r: {
    organisation: TenantAgreement;
    administrator: string;
    email: string;
  }): Promise<void> {
    this.registering.set(false);
    this.notice.set(
      $localize`${r.organisation.name}:organisation: is registered; ${r.administrator}:administrator: is invited as its administrator, with a link on its way to ${r.email}:email:.`,
    );
    this.q = r.organisation.slug;
    await this.orgs.search();
  }

  async save(t: TenantAgreement): Promise<void> {
    this.error.set(null);
    try {
      const updated = await firstValueFrom(this.api.setAgreementEnd(t.tenantId, isoDay(this.ends[t.tenantId])));
      this.orgs.page.update((p) =>
        p ? { ...p, items: p.items.map((x) => (x.tenantId === t.tenantId ? updated : x)) } : p,
      );
    } catch (e) {
      this.error.set(problemText(toProblem(e)));
    }
  }
}
