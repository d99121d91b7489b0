import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  input,
  LOCALE_ID,
  untracked,
} from '@angular/core';
import { DatePipe, DecimalPipe } from '@angular/common';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatPaginatorModule } from '@angular/material/paginator';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import {
  ACCOUNT_ACTIVITY_ACTIONS,
  type AccountActivityAction,
  type AccountActivityEntry,
} from '@rehearse/shared/contracts';
import { AdminApi } from '@rehearse/web/data-access';
import { ACTIVITY_KINDS, describeActivityIn } from '../../core/activity-words';
import { actorRoleName } from '../../core/labels';
import { PagedList } from '../../core/paged-list';
import { StackedTable } from '../../core/stacked-table';
import { setQuery } from '../../core/forget-query';

/**
 * The organisation's account activity: what its administrators (or the operator's support acting
 * as one) changed in people's accounts and in its settings, newest first; all, one person's (their
 * page leads here) or one kind. The address keeps the filter, so it can be shared and gone back to.
 */
@Component({
  selector: 'rh-account-activity',
  imports: [
    StackedTable,
    DatePipe,
    DecimalPipe,
    RouterLink,
    MatButtonModule,
    MatFormFieldModule,
    MatPaginatorModule,
    MatProgressBarModule,
    MatSelectModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      <div class="row"><h1 i18n>Account activity</h1><span class="spacer"></span><a i18n mat-stroked-button [href]="exportUrl()" download>Export CSV</a></div>
      <p i18n class="muted">What was changed in your organisation's accounts and settings, and by whom, newest first. Nobody can change or delete these records; a person's go when they are erased.</p>
      <div class="row filters">
        <mat-form-field appearance="outline">
          <mat-label i18n="which kind of change the account activity shows|">Changes</mat-label>
          <mat-select [value]="kind() ?? ''" (selectionChange)="setKind($event.value)">
            <mat-option i18n value="">Every change</mat-option>
            @for (k of kinds; track k.action) { <mat-option [value]="k.action">{{ k.label }}</mat-option> }
          </mat-select>
        </mat-form-field>
      </div>
      @if (subjectId()) {
        <p class="row filter" role="status">
          <span i18n>Only the changes to <strong>{{ subjectName() ?? someone }}</strong>'s account</span>
          <a i18n mat-button [routerLink]="[]" [queryParams]="{ subjectId: null }" [queryParamsHandling]="'merge'">Show everyone's</a>
        </p>
      }
      <div class="card">
        @if (list.loading()) { <mat-progress-bar i18n-aria-label mode="indeterminate" aria-label="Loading" /> }
        @if (list.error(); as e) {
          <p class="error-text" role="alert">{{ e }} <button i18n mat-button type="button" (click)="list.load()">Try again</button></p>
        } @else if (list.page(); as p) {
          @if (p.total === 0) {
            @if (subjectId()) { <p i18n>Nothing has been changed in this person's account yet.</p> }
            @else if (kind()) { <p i18n>No changes of this kind yet.</p> }
            @else { <p i18n>No changes yet.</p> }
          } @else {
            <table class="data" rhStacked>
              <thead><tr><th i18n scope="col">When</th><th i18n scope="col">Who</th><th i18n scope="col">Whose account</th><th i18n scope="col">What</th></tr></thead>
              <tbody>
                @for (e of p.items; track e.id) {
                  <tr>
                    <td>{{ e.at | date: 'medium' }}</td>
                    <td>
                      <!-- a person of the organisation leads to their page; the operator's superuser is none of its people -->
                      @if (e.actorRole === 'operator') { <span i18n>The operator of Rehearse</span> }
                      @else {
                        @if (e.actorId && e.actorName && e.actorRole !== 'superuser') { <a [routerLink]="['/admin/users', e.actorId]">{{ e.actorName }}</a> }
                        @else if (e.actorName) { {{ e.actorName }} }
                        @else { <span i18n class="muted">someone since erased</span> }
                        <span class="muted small"> · {{ roleName(e.actorRole) }}</span>
                      }
                      @if (e.impersonatorName) { <span i18n class="muted"> (support: {{ e.impersonatorName }})</span> }
                    </td>
                    <td>
                      @if (e.subjectId && e.subjectName) {
                        <a i18n-title [routerLink]="[]" [queryParams]="{ subjectId: e.subjectId }" [queryParamsHandling]="'merge'" title="Only the changes to this person's account">{{ e.subjectName }}</a>
                      } @else if (e.action.startsWith('organisation.')) { <span i18n>The organisation</span> }
                      @else if (e.action.startsWith('enrolment.') && e.details.group) { <span i18n>Everyone in the group {{ e.details.group.name }}</span> }
                      @else { <span i18n class="muted">a person since erased</span> }
                    </td>
                    <td>
                      {{ what(e) }}@if (e.details.group; as g) {<ng-container> · </ng-container>
                        <!-- a change names the group as it was: one deleted since has no page -->
                        @if (e.groupExists) { <a i18n [routerLink]="['/admin/groups', g.id]">open the group</a> }
                        @else { <span i18n class="muted">the group was deleted since</span> }
                      }
                    </td>
                  </tr>
                }
              </tbody>
            </table>
            @if (p.totalIsLowerBound) { <p i18n class="muted" role="status">More than {{ p.total | number }} changes: choose a kind of change, or open one person's.</p> }
            <mat-paginator i18n-aria-label [length]="p.total" [pageSize]="p.pageSize" [pageIndex]="p.page - 1" [pageSizeOptions]="[25, 50, 100]" (page)="list.paged($event)" aria-label="Pages of the account activity" />
          }
        }
      </div>
    </section>
  `,
  styles: `.small { font-size: .85em; }`,
})
export class AccountActivityPage {
  protected readonly roleName = actorRoleName;
  private readonly api = inject(AdminApi);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute, { optional: true });
  private readonly locale = inject(LOCALE_ID);
  /** `?subjectId=`: only the changes to this person's account */
  readonly subjectId = input<string | undefined>(undefined);
  /** `?action=`: only this kind of change (anything else: every change) */
  readonly action = input<string | undefined>(undefined);
  protected readonly kind = computed(() => {
    const a = this.action();
    return (ACCOUNT_ACTIVITY_ACTIONS as readonly string[]).includes(a ?? '') ? (a as AccountActivityAction) : null;
  });
  protected readonly kinds = ACCOUNT_ACTIVITY_ACTIONS.map((action) => ({ action, label: ACTIVITY_KINDS[action] }));
  protected readonly list = new PagedList<AccountActivityEntry>(
    (page, size) =>
      this.api.accountActivity(page, size, { subjectId: this.subjectId(), action: this.kind() ?? undefined }),
    25,
  );
  /** the person the list is of, as its rows name them */
  protected readonly subjectName = computed(
    () => this.list.page()?.items.find((e) => e.subjectId === this.subjectId())?.subjectName ?? null,
  );
  protected readonly someone = $localize`this person`;
  /** every change of what the page shows, as CSV */
  protected readonly exportUrl = computed(() =>
    this.api.accountActivityExportUrl({ subjectId: this.subjectId(), action: this.kind() ?? undefined }),
  );

  constructor() {
    // a new filter (or none) starts from the first page
    effect(() => {
      this.subjectId();
      this.kind();
      void untracked(() => this.list.search());
    });
  }

  protected what(e: AccountActivityEntry): string {
    return describeActivityIn(e, this.locale);
  }

  protected setKind(action: string): void {
    void setQuery(this.router, this.route, { action: action || null });
  }
}
