import { ANSWER_TYPE_NAMES } from '../../core/labels';
import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, effect, inject, input, untracked } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatPaginatorModule } from '@angular/material/paginator';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import type { ReviewQueueItem } from '@rehearse/shared/contracts';
import { FeedbackApi } from '@rehearse/web/data-access';
import { PagedList } from '../../core/paged-list';
import { StackedTable } from '../../core/stacked-table';

/** The coach's queue: answers of their participants awaiting feedback, oldest first. */
@Component({
  selector: 'rh-review-queue',
  imports: [StackedTable, DatePipe, MatButtonModule, MatPaginatorModule, MatProgressBarModule, RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      <h1 i18n>To review</h1>
      @if (courseId()) {
        <p class="filter" role="status">
          @if (filteredTitle(); as t) {<ng-container i18n>Only the answers to {{ t }}.</ng-container>}
          @else {<ng-container i18n>Only the answers to one course.</ng-container>}
          {{ ' ' }}<a i18n routerLink="/coaching/reviews">Show all courses</a>
        </p>
      }
      @if (list.loading()) { <mat-progress-bar i18n-aria-label mode="indeterminate" aria-label="Loading the queue" /> }
      @if (list.error(); as e) {
        <p class="card error-text" role="alert">{{ e }}</p>
        <button i18n mat-stroked-button type="button" (click)="list.load()">Try again</button>
      }
      @if (list.page(); as p) {
        @if (p.total === 0) {
          @if (courseId()) { <p i18n class="card empty">Nothing from this course is waiting for your feedback.</p> }
          @else { <p i18n class="card empty">Nothing is waiting for your feedback. New answers from your groups appear here.</p> }
        } @else {
          <table class="queue" rhStacked>
            <thead><tr><th i18n scope="col">Submitted</th><th i18n scope="col">Participant</th><th i18n scope="col">Exercise</th><th i18n scope="col">Due</th><th scope="col"></th></tr></thead>
            <tbody>
              @for (i of p.items; track i.answerId) {
                <tr>
                  <td>{{ i.submittedAt | date: 'mediumDate' }}</td>
                  <td>{{ i.participantName }}@if (i.groupName) { <span class="muted"> · {{ i.groupName }}</span> }</td>
                  <td>@if (courseId()) { {{ i.courseTitle }} } @else {<a [routerLink]="[]" [queryParams]="{ courseId: i.courseId }" [attr.title]="onlyCourse(i.courseTitle)">{{ i.courseTitle }}</a>} — {{ i.exerciseTitle }} <span i18n class="muted">(attempt {{ i.attempt }}, {{ answerTypes[i.answerType] }})</span></td>
                  <td [class.overdue]="overdue(i)">{{ (i.dueOn | date: 'mediumDate') ?? '—' }}</td>
                  <td><a mat-stroked-button [routerLink]="['/review', i.answerId]" [attr.aria-label]="i.drafted ? continueLabel(i) : reviewLabel(i)">@if (i.drafted) {<ng-container i18n>Continue</ng-container>} @else {<ng-container i18n>Review</ng-container>}</a></td>
                </tr>
              }
            </tbody>
          </table>
          <mat-paginator i18n-aria-label [length]="p.total" [pageSize]="list.pageSize" [pageIndex]="p.page - 1" [pageSizeOptions]="[10, 25, 50]" (page)="list.paged($event)" aria-label="Pages of the queue" />
        }
      }
    </section>
  `,
  styles: `
    table { border-collapse: collapse; width: 100%; }
    th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--mat-sys-outline-variant); }
    .overdue { color: #c62828; font-weight: 600; }
    .filter a { margin-left: 12px; }
  `,
})
export class ReviewQueuePage {
  protected readonly answerTypes = ANSWER_TYPE_NAMES;
  protected continueLabel(i: ReviewQueueItem): string {
    return $localize`Continue ${i.participantName}:name: · ${i.exerciseTitle}:exercise:`;
  }

  protected reviewLabel(i: ReviewQueueItem): string {
    return $localize`Review ${i.participantName}:name: · ${i.exerciseTitle}:exercise:`;
  }

  protected onlyCourse(title: string): string {
    return $localize`Only the answers to ${title}:course:`;
  }

  /** ?courseId= in the address: one course's answers (a course's name in the list links to it) */
  readonly courseId = input<string | undefined>(undefined);
  private readonly api = inject(FeedbackApi);
  protected readonly list = new PagedList<ReviewQueueItem>((page, size) =>
    this.api.queue(page, size, this.courseId() || undefined),
  );
  /** the chosen course's name, as its answers on screen carry it (none yet: the words say "one course") */
  protected readonly filteredTitle = computed(() => {
    const id = this.courseId();
    return id ? (this.list.page()?.items.find((i) => i.courseId === id)?.courseTitle ?? null) : null;
  });

  constructor() {
    // the first page of the queue, and again from page one whenever the course chosen changes
    effect(() => {
      this.courseId();
      untracked(() => void this.list.search());
    });
  }

  overdue(i: ReviewQueueItem): boolean {
    return !!i.dueOn && i.dueOn < new Date().toISOString().slice(0, 10);
  }
}
