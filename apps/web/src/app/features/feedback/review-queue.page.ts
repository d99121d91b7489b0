import { ANSWER_TYPE_NAMES } from '../../core/labels';
import { DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, effect, inject, input, untracked } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatSelectModule } from '@angular/material/select';
import { MatPaginatorModule } from '@angular/material/paginator';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { Router, RouterLink } from '@angular/router';
import { rxResource } from '@angular/core/rxjs-interop';
import type { ReviewQueueItem } from '@rehearse/shared/contracts';
import { FeedbackApi } from '@rehearse/web/data-access';
import { PagedList } from '../../core/paged-list';
import { StackedTable } from '../../core/stacked-table';

/** The coach's queue: answers of their participants awaiting feedback, oldest first. */
@Component({
  selector: 'rh-review-queue',
  imports: [
    StackedTable,
    DatePipe,
    DecimalPipe,
    MatButtonModule,
    MatFormFieldModule,
    MatPaginatorModule,
    MatProgressBarModule,
    MatSelectModule,
    RouterLink,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      <h1 i18n>To review</h1>
      <!-- the choice of one course, with how many wait in each: shown once there is more than one to choose -->
      @if (courseChoice(); as choice) {
        <mat-form-field appearance="outline" class="course-choice" subscriptSizing="dynamic">
          <mat-label i18n>Course</mat-label>
          <mat-select [value]="courseId() ?? ''" (valueChange)="chooseCourse($event)">
            <mat-option value="" i18n>All courses ({{ choice.waiting | number }} waiting)</mat-option>
            @for (c of choice.courses; track c.courseId) {
              <mat-option [value]="c.courseId" i18n>{{ c.courseTitle }} ({{ c.waiting | number }} waiting)</mat-option>
            }
          </mat-select>
        </mat-form-field>
      }
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
                  <td><a mat-stroked-button [routerLink]="['/review', i.answerId]" [queryParams]="courseId() ? { courseId: courseId() } : {}" [attr.aria-label]="i.drafted ? continueLabel(i) : reviewLabel(i)">@if (i.drafted) {<ng-container i18n>Continue</ng-container>} @else {<ng-container i18n>Review</ng-container>}</a></td>
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
    .course-choice { width: min(100%, 28em); }
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
  private readonly router = inject(Router);
  /** the courses whose answers wait, each with how many (asked once; a failure leaves the choice out) */
  private readonly courses = rxResource({ stream: () => this.api.queueCourses() });
  /** the choice of one course: offered when there are two or more, or one is chosen already */
  protected readonly courseChoice = computed(() => {
    const courses = this.courses.hasValue() ? this.courses.value() : [];
    if (courses.length < 2 && !this.courseId()) return null;
    return { courses, waiting: courses.reduce((n, c) => n + c.waiting, 0) };
  });
  /** the chosen course's name, from the queue's courses or its answers on screen (neither: the words say "one course") */
  protected readonly filteredTitle = computed(() => {
    const id = this.courseId();
    if (!id) return null;
    const listed = this.courses.hasValue() ? this.courses.value().find((c) => c.courseId === id) : undefined;
    return listed?.courseTitle ?? this.list.page()?.items.find((i) => i.courseId === id)?.courseTitle ?? null;
  });

  /**
   * Shows one course's answers ('' for all of them), in the address so the choice can be shared and
   * gone back from; the page stays where it is scrolled, at the choice.
   */
  protected chooseCourse(courseId: string): void {
    void this.router.navigate([], { queryParams: { courseId: courseId || null }, scroll: 'manual' });
  }

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
