import { KEEP_STATUS_NAMES, RECEIPT_COUNT_NAMES } from '../../core/labels';
import { DatePipe, formatNumber } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, linkedSignal, LOCALE_ID, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { RouterLink } from '@angular/router';
import { firstValueFrom, forkJoin } from 'rxjs';
import { DeletionReceipt, KeepRequest, Page, RETENTION_DEFAULTS, RetentionSettings } from '@rehearse/shared/contracts';
import { ApiProblem, LifecycleApi, problemText, toProblem } from '@rehearse/web/data-access';
import { loadedValue, LoadState } from '../../core/load-state';
import { DataExports } from './data-exports';
import { DateTimePipe } from '../../core/date-time.pipe';
import { StackedTable } from '../../core/stacked-table';
import { Address } from '../../core/address';

const KIND: Record<DeletionReceipt['kind'], string> = {
  licence_expiry: $localize`Recordings after licence expiry`,
  erasure: $localize`Person erased`,
  tenant_destruction: $localize`Organisation destroyed`,
};

/**
 * Retention for administrators: the periods after licence expiry, the keep-my-recordings policy,
 * pending keep requests to approve or decline, and the deletion receipts.
 */
@Component({
  selector: 'rh-retention-admin',
  imports: [
    Address,
    StackedTable,
    DateTimePipe,
    DatePipe,
    FormsModule,
    DataExports,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    LoadState,
    RouterLink,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      <h1 i18n>Retention</h1>
      <rh-load-state [of]="loaded" label="Loading" i18n-label />
      @if (problem(); as p) { <p class="card error-text" role="alert">{{ p.message }}</p> }
      @if (settings(); as s) {
        <form class="card" (ngSubmit)="save()">
          <h2 i18n>After a licence expires</h2>
          <p i18n class="muted">Answers and feedback are hidden at once. Recordings are deleted after the period below, with an e-mail and an in-app notice before.</p>
          <div class="row">
            <mat-form-field><mat-label i18n>Delete recordings after (days)</mat-label><input matInput type="number" name="deleteAfterDays" min="1" [(ngModel)]="s.deleteAfterDays" /></mat-form-field>
            <mat-form-field><mat-label i18n>Notice before (days)</mat-label><input matInput type="number" name="noticeDays" min="0" [(ngModel)]="s.noticeDays" /></mat-form-field>
            <mat-form-field class="policy">
              <mat-label i18n>Requests to keep recordings</mat-label>
              <mat-select name="keepPolicy" [(ngModel)]="s.keepPolicy">
                <mat-option i18n value="approval">go to administrators</mat-option>
                <mat-option i18n value="automatic">are granted at once</mat-option>
              </mat-select>
            </mat-form-field>
            <mat-form-field><mat-label i18n>Keep for (extra days)</mat-label><input matInput type="number" name="keepDays" min="1" [(ngModel)]="s.keepDays" /></mat-form-field>
          </div>
          @if (saveError()) { <p class="error-text" role="alert">{{ saveError() }}</p> }
          @if (saved()) { <p i18n role="status">Saved.</p> }
          <button i18n mat-flat-button type="submit">Save</button>
          <span i18n class="muted small"> Defaults: {{ defaults.deleteAfterDays }} days, notice {{ defaults.noticeDays }} days before.</span>
        </form>
      }

      <div class="card">
        <h2 i18n>Requests to keep recordings</h2>
        <table class="requests" rhStacked>
          <thead><tr><th i18n scope="col">Person</th><th i18n scope="col">Licence expired</th><th i18n scope="col">Deletion due</th><th i18n scope="col">Asked</th><th i18n scope="col">Status</th><th scope="col"></th></tr></thead>
          <tbody>
            @for (r of requests(); track r.userId) {
              <tr>
                <td>{{ r.name }} <rh-address class="muted" [value]="r.email" /></td>
                <td>{{ r.licenceExpiresOn | date: 'mediumDate' }}</td><td>{{ r.deletionDueOn | date: 'mediumDate' }}</td><td>{{ r.requestedAt | date: 'mediumDate' }}</td>
                <td>{{ keepStatus[r.status] }}@if (r.keepUntil) {<ng-container i18n> until {{ r.keepUntil | date: 'mediumDate' }} </ng-container>}</td>
                <td>
                  @if (r.status === 'requested') {
                    <button i18n mat-stroked-button type="button" (click)="decide(r, 'approve')">Keep</button>
                    <button i18n mat-button type="button" (click)="decide(r, 'decline')">Decline</button>
                  }
                </td>
              </tr>
            } @empty { <tr><td i18n colspan="6" class="muted">No requests.</td></tr> }
          </tbody>
        </table>
      </div>

      <rh-data-exports userId="organisation" />

      <div class="card">
        <h2 i18n>Deletion receipts</h2>
        <p i18n class="muted small">A signed receipt can be checked by whoever you hand it to, with this installation's public key at <code>/api/receipts/keys</code>.</p>
        <p class="small"><a i18n routerLink="/receipts/check">Check a receipt</a></p>
        <rh-load-state [of]="receiptPage" label="Loading deletion receipts" i18n-label />
        @if (receipts(); as page) {
          <ul class="plain">
            @for (r of page.items; track r.id) {
              <li>
                <strong>{{ kind[r.kind] }}</strong> · {{ r.createdAt | dateTime }} · {{ counts(r) }}
                · <span [class.error-text]="!r.verified">@if (r.verified) {<ng-container i18n>verified: every object is gone</ng-container>} @else {<ng-container i18n>NOT verified: some objects remain</ng-container>}</span>
                · <a i18n-title [href]="signedUrl(r)" title="The receipt signed by this installation, to hand to the person or an auditor: they can check it with the installation's public key"><ng-container i18n>Signed receipt</ng-container></a>
              </li>
            } @empty { <li i18n class="muted">No deletions yet.</li> }
          </ul>
          @if (page.total > page.pageSize) {
            <button i18n mat-button type="button" [disabled]="page.page === 1" (click)="receiptsAt.set(page.page - 1)">Newer</button>
            <button i18n mat-button type="button" [disabled]="page.page * page.pageSize >= page.total" (click)="receiptsAt.set(page.page + 1)">Older</button>
          }
        }
      </div>
    </section>
  `,
  styles: `.row { display: flex; gap: 12px; flex-wrap: wrap; } /* wide enough for the longer Dutch labels */ .row mat-form-field { flex: 1 1 14rem; max-width: 100%; } .row .policy { flex-basis: 17rem; } table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--mat-sys-outline-variant); } .small { font-size: .85em; }`,
})
export class RetentionAdminPage {
  protected readonly keepStatus = KEEP_STATUS_NAMES;
  private readonly locale = inject(LOCALE_ID);
  private readonly api = inject(LifecycleApi);
  protected readonly defaults = RETENTION_DEFAULTS;
  protected readonly kind = KIND;
  /** the periods and the keep requests */
  protected readonly loaded = rxResource({
    stream: () => forkJoin({ settings: this.api.settings(), requests: this.api.requests() }),
  });
  private readonly value = loadedValue(this.loaded);
  /** the form: a copy of the settings as loaded, then as saved */
  protected readonly settings = linkedSignal<RetentionSettings | null>(() => {
    const v = this.value();
    return v ? { ...v.settings } : null;
  });
  protected readonly requests = linkedSignal<KeepRequest[]>(() => this.value()?.requests ?? []);
  /** the page of deletion receipts shown, newest first */
  protected readonly receiptsAt = signal(1);
  protected readonly receiptPage = rxResource({
    params: () => this.receiptsAt(),
    stream: ({ params: page }) => this.api.receipts(page, 20),
  });
  /** the receipts on screen, kept while another page loads */
  protected readonly receipts = linkedSignal<Page<DeletionReceipt> | undefined, Page<DeletionReceipt> | null>({
    source: () => (this.receiptPage.hasValue() ? this.receiptPage.value() : undefined),
    computation: (value, previous) => value ?? previous?.value ?? null,
  });
  /** a decision on a keep request that failed */
  protected readonly problem = signal<ApiProblem | null>(null);
  protected readonly saveError = signal<string | null>(null);
  protected readonly saved = signal(false);

  /** the receipt signed (named by the server: deletion-receipt-<date>-<id>.jwt) */
  signedUrl(r: DeletionReceipt): string {
    return this.api.signedReceiptUrl(r.id);
  }

  counts(r: DeletionReceipt): string {
    return (
      Object.entries(r.counts)
        .filter(([, n]) => n > 0)
        .map(([k, n]) => `${formatNumber(n, this.locale)} ${RECEIPT_COUNT_NAMES[k] ?? k}`)
        .join(', ') || $localize`nothing left to delete`
    );
  }

  async save(): Promise<void> {
    const s = this.settings();
    if (!s) return;
    this.saveError.set(null);
    this.saved.set(false);
    try {
      this.settings.set(
        await firstValueFrom(
          this.api.saveSettings({
            deleteAfterDays: Number(s.deleteAfterDays),
            noticeDays: Number(s.noticeDays),
            keepPolicy: s.keepPolicy,
            keepDays: Number(s.keepDays),
          }),
        ),
      );
      this.saved.set(true);
    } catch (e) {
      this.saveError.set(problemText(toProblem(e)));
    }
  }

  async decide(r: KeepRequest, decision: 'approve' | 'decline'): Promise<void> {
    try {
      const updated = await firstValueFrom(this.api.decide(r.userId, decision));
      this.requests.update((list) => list.map((x) => (x.userId === r.userId ? updated : x)));
    } catch (e) {
      this.problem.set(toProblem(e));
    }
  }
}
