import { USER_STATUS_NAMES } from '../../core/labels';
import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { Router } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatPaginatorModule } from '@angular/material/paginator';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { firstValueFrom } from 'rxjs';
import { ApiProblem, SuperuserApi, TenantUser, toProblem } from '@rehearse/web/data-access';
import { SessionStore } from '../../core/session.store';
import { PagedList } from '../../core/paged-list';
import { Agreements } from './agreements';
import { DestructionReports } from './destruction-reports';
import { SupportReview } from './support-review';
import { StackedTable } from '../../core/stacked-table';
import { Address } from '../../core/address';

@Component({
  selector: 'rh-superuser',
  imports: [
    Address,
    StackedTable,
    ReactiveFormsModule,
    Agreements,
    DestructionReports,
    SupportReview,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatPaginatorModule,
    MatProgressBarModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      <h1 i18n>Support</h1>
      <div class="card">
        <h2 i18n>Act as a user</h2>
        <p i18n class="muted">Impersonation needs a reason, lasts at most the configured time box, is shown to the user in their privacy log, and is listed in the quarterly report.</p>
        <form class="row" [formGroup]="search" (ngSubmit)="users.search()">
          <mat-form-field appearance="outline" class="search"><mat-label i18n>Name, e-mail or organisation</mat-label><input matInput type="search" formControlName="q" /></mat-form-field>
          <button i18n mat-stroked-button type="submit">Search</button>
        </form>
        @if (users.loading()) { <mat-progress-bar i18n-aria-label mode="indeterminate" aria-label="Searching" /> }
        @if (users.error(); as e) { <p class="error-text" role="alert">{{ e }} <button i18n mat-button type="button" (click)="users.load()">Try again</button></p> }
        @if (users.page(); as p) {
          @if (p.total === 0) { <p i18n>No users match.</p> }
          @else {
            <table class="data" rhStacked>
              <thead><tr><th i18n scope="col">Name</th><th i18n scope="col">E-mail</th><th i18n scope="col">Organisation</th><th i18n scope="col">Status</th><th scope="col"><span i18n class="sr-only">Action</span></th></tr></thead>
              <tbody>
                @for (u of p.items; track u.id) {
                  <tr>
                    <td>{{ u.name }}</td><td><rh-address [value]="u.email" /></td><td>{{ u.tenantName }}</td><td>{{ statusNames[u.status] }}</td>
                    <td>@if (u.status === 'active') { <button i18n mat-button type="button" (click)="selected.set(u)">Act as…</button> }</td>
                  </tr>
                }
              </tbody>
            </table>
            <mat-paginator i18n-aria-label [length]="p.total" [pageSize]="p.pageSize" [pageIndex]="p.page - 1" (page)="users.paged($event)" aria-label="Pages of users" />
          }
        }
        @if (selected(); as u) {
          <form class="stack card" [formGroup]="reasonForm" (ngSubmit)="start(u.id)">
            <h3 i18n>Act as {{ u.name }} ({{ u.tenantName }})</h3>
            <mat-form-field appearance="outline">
              <mat-label i18n>Reason (ticket number and what you need to check)</mat-label>
              <textarea matInput formControlName="reason" rows="2" required></textarea>
              @if (reasonForm.controls.reason.hasError('minlength') || reasonForm.controls.reason.hasError('required')) { <mat-error i18n>At least 10 characters</mat-error> }
            </mat-form-field>
            @if (startProblem(); as p) { <p class="error-text" role="alert">{{ p.message }}</p> }
            <div class="row">
              <button i18n mat-flat-button type="submit" [disabled]="busy()">Start impersonating</button>
              <button i18n mat-button type="button" (click)="selected.set(null)">Cancel</button>
            </div>
          </form>
        }
      </div>

      @if (session.can('superuser.tenants')) {
        <rh-agreements />
        <rh-destruction-reports />
      }

      @if (session.can('superuser.report')) { <rh-support-review [quarter]="quarter()" [superuserId]="superuserId()" /> }
    </section>
  `,
  // the search field wide enough for "Name, e-mail or organisation"
  styles: `.search { flex: 0 1 22rem; }`,
})
export class SuperuserPage {
  protected readonly statusNames = USER_STATUS_NAMES;
  private readonly api = inject(SuperuserApi);
  /** `?quarter=` and `?superuserId=`: what the quarterly review shows (from the address) */
  readonly quarter = input<string | undefined>(undefined);
  readonly superuserId = input<string | undefined>(undefined);
  protected readonly session = inject(SessionStore);
  private readonly router = inject(Router);
  private readonly fb = inject(FormBuilder);
  protected readonly search = this.fb.nonNullable.group({ q: [''] });
  protected readonly reasonForm = this.fb.nonNullable.group({
    reason: ['', [Validators.required, Validators.minLength(10), Validators.maxLength(1000)]],
  });
  /** people across organisations matching the search, a page at a time (the page asked for last is shown) */
  protected readonly users = new PagedList<TenantUser>(
    (page, size) => this.api.users(this.search.getRawValue().q.trim(), page, size),
    25,
  );
  protected readonly selected = signal<TenantUser | null>(null);
  protected readonly busy = signal(false);
  protected readonly startProblem = signal<ApiProblem | null>(null);

  constructor() {
    void this.users.load();
  }

  async start(userId: string): Promise<void> {
    if (this.reasonForm.invalid) {
      this.reasonForm.markAllAsTouched();
      return;
    }
    this.busy.set(true);
    this.startProblem.set(null);
    try {
      this.session.set(await firstValueFrom(this.api.impersonate(userId, this.reasonForm.getRawValue().reason)));
      await this.router.navigate(['/']);
    } catch (e) {
      this.startProblem.set(toProblem(e));
    } finally {
      this.busy.set(false);
    }
  }
}
