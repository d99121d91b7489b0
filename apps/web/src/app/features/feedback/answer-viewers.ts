import { ChangeDetectionStrategy, Component, inject, input, linkedSignal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { DatePipe } from '@angular/common';
import type { PageEvent } from '@angular/material/paginator';
import { MatPaginatorModule } from '@angular/material/paginator';
import { AccountApi } from '@rehearse/web/data-access';
import { DateTimePipe } from '../../core/date-time.pipe';
import { actorRoleName } from '../../core/labels';
import { LoadState } from '../../core/load-state';
import { describeRead } from '../../core/privacy-words';
import { StackedTable } from '../../core/stacked-table';

/** How many rows a page of "who has seen this answer" shows. */
export const VIEWERS_PAGE = 10;

/**
 * "Who has seen this answer", on the trainee's own answer: the rows of their privacy log about
 * this answer and its recording (a coach who listed, opened, played or reviewed it, an
 * administrator, support acting as someone), newest first, a page at a time.
 */
@Component({
  selector: 'rh-answer-viewers',
  imports: [StackedTable, DateTimePipe, DatePipe, LoadState, MatPaginatorModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2 i18n>Who has seen this answer</h2>
    <p i18n class="muted small">Everyone else who listed, opened, played or reviewed this answer or its recording, from the privacy log.</p>
    <rh-load-state [of]="log" label="Loading who has seen this answer" i18n-label />
    @if (log.hasValue()) {
      @let l = log.value();
      @if (l.total === 0) {
        <p i18n>Nobody else has seen this answer yet.</p>
      } @else {
        <table class="data viewers" rhStacked>
          <thead><tr><th i18n scope="col">When</th><th i18n scope="col">Who</th><th i18n scope="col">What</th></tr></thead>
          <tbody>
            @for (e of l.items; track e.id) {
              <tr>
                <td>{{ e.at | dateTime }}@if (e.count > 1) {<br /><span i18n class="muted">{{ e.count }} times since {{ e.firstAt | date: 'shortTime' }}</span>}</td>
                <td>@if (e.actorName) { {{ e.actorName }} } @else {<ng-container i18n>removed user</ng-container>}@if (e.impersonatorName) { <span i18n class="muted"> (support: {{ e.impersonatorName }})</span> }<span class="muted"> · {{ roleName(e.actorRole) }}</span></td>
                <td>{{ describe(e.action, e.objectType) }}</td>
              </tr>
            }
          </tbody>
        </table>
        @if (l.total > l.pageSize) {
          <mat-paginator i18n-aria-label [length]="l.total" [pageSize]="l.pageSize" [pageIndex]="l.page - 1" [hidePageSize]="true" (page)="paged($event)" aria-label="Pages of who has seen this answer" />
        }
      }
    }
  `,
  styles: `
    .small { font-size: .85em; }
  `,
})
export class AnswerViewers {
  readonly answerId = input.required<string>();
  private readonly api = inject(AccountApi);
  protected readonly roleName = actorRoleName;
  protected readonly describe = describeRead;
  /** the page asked for; another answer (a link to another attempt keeps this page) starts at its first */
  private readonly page = linkedSignal({ source: this.answerId, computation: () => 1 });
  protected readonly log = rxResource({
    params: () => ({ answerId: this.answerId(), page: this.page() }),
    stream: ({ params: r }) => this.api.myPrivacyLog(r.page, VIEWERS_PAGE, r.answerId),
  });

  protected paged(e: PageEvent): void {
    this.page.set(e.pageIndex + 1);
  }
}
