import { ARIA } from '../../core/labels';
import { DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, linkedSignal, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatPaginatorModule } from '@angular/material/paginator';
import { RouterLink } from '@angular/router';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { forkJoin } from 'rxjs';
import type { Group, LearnerCourseSummary } from '@rehearse/shared/contracts';
import { LearningApi } from '@rehearse/web/data-access';
import { allPages } from '../../core/all-pages';
import { LoadState } from '../../core/load-state';

/** How many participants a page of a group shows. */
const PARTICIPANTS_PAGE = 25;

/** The coach's groups, their participants and each participant's progress (the opening is logged). */
@Component({
  selector: 'rh-coaching',
  imports: [DecimalPipe, DatePipe, LoadState, MatButtonModule, MatPaginatorModule, MatProgressBarModule, RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      <h1 i18n>My groups</h1>
      <rh-load-state [of]="groups" label="Loading groups" i18n-label />
      @if (groups.hasValue()) {
        @let list = groups.value().items;
        @if (list.length === 0) { <p i18n class="card empty">You do not coach any group yet.</p> }
        <div class="row">
          @for (g of list; track g.id) {
            <button mat-stroked-button type="button" (click)="openId.set(g.id)" [class.active]="openId() === g.id">{{ g.name }} ({{ g.participantCount | number }})</button>
          }
        </div>
      }
      <rh-load-state [of]="opened" label="Loading the group" i18n-label notFound="You no longer coach this group." i18n-notFound />
      @if (group(); as g) {
        <div class="card">
          <h2>{{ g.name }}</h2>
          <p class="muted">{{ g.description }}</p>
          <h3 i18n>Courses</h3>
          <ul class="plain">
            @for (c of courses(); track c.id) {
              <li><a [routerLink]="['/coaching/groups', g.id, 'courses', c.id]">{{ c.title }}</a><span i18n class="muted"> v{{ c.version }} · {{ c.exercisesTotal }} exercises@if (c.dueOn) { · due {{ c.dueOn | date: 'mediumDate' }} }</span></li>
            } @empty { <li i18n class="muted">This group is not enrolled in a course yet.</li> }
          </ul>
          <h3 i18n>Participants ({{ g.participantCount | number }})</h3>
          @if (participants.hasValue()) {
            @let page = participants.value();
            <ul class="plain">
              @for (m of page.items; track m.userId) {
                <li class="row"><span class="grow">{{ m.name }}</span><button i18n mat-button type="button" (click)="progressOf.set({ groupId: g.id, userId: m.userId })">Progress</button></li>
              } @empty { <li i18n class="muted">No participants yet.</li> }
            </ul>
            @if (page.total > page.pageSize) {
              <mat-paginator i18n-aria-label [length]="page.total" [pageSize]="page.pageSize" [pageIndex]="page.page - 1" [hidePageSize]="true" (page)="participantPage.set($event.pageIndex)" aria-label="Pages of participants" />
            }
          }
          <rh-load-state [of]="participants" label="Loading the participants" i18n-label />
        </div>
      }
      <rh-load-state [of]="progress" label="Loading progress" i18n-label />
      @if (progress.hasValue()) {
        @let p = progress.value();
        <div class="card">
          <h2 i18n>Progress of {{ p.name }}</h2>
          <p i18n class="muted small">Opening this is recorded in {{ p.name }}'s privacy log.</p>
          @for (c of p.courses; track c.id) {
            <div class="stack"><strong>{{ c.title }}</strong><span i18n>{{ c.exercisesAnswered }} of {{ c.exercisesTotal }} exercises answered@if (c.dueOn) { · due {{ c.dueOn | date: 'mediumDate' }} }</span>
              <mat-progress-bar mode="determinate" [value]="c.exercisesTotal ? (100 * c.exercisesAnswered) / c.exercisesTotal : 0" [attr.aria-label]="aria.progressIn(c.title)" /></div>
          } @empty { <p i18n class="muted">Not enrolled through this group.</p> }
        </div>
      }
    </section>
  `,
  styles: `ul.plain { list-style: none; padding: 0; } .grow { flex: 1; } .active { background: var(--mat-sys-secondary-container); } .small { font-size: .85em; }`,
})
export class CoachingPage {
  protected readonly aria = ARIA;
  private readonly api = inject(LearningApi);
  /** every group the coach coaches (not only a first page of them) */
  protected readonly groups = rxResource({
    stream: () => allPages((page, pageSize) => this.api.coachedGroups({ page, pageSize })),
  });
  /** the group opened: a click on another loads that one, and an answer for the one before is dropped */
  protected readonly openId = signal<string | null>(null);
  protected readonly opened = rxResource({
    params: () => this.openId() ?? undefined,
    stream: ({ params: id }) => forkJoin({ group: this.api.coachedGroup(id), courses: this.api.coachedCourses(id) }),
  });
  protected readonly group = computed<Group | null>(() => (this.opened.hasValue() ? this.opened.value().group : null));
  protected readonly courses = computed<LearnerCourseSummary[]>(() =>
    this.opened.hasValue() ? this.opened.value().courses : [],
  );
  /** whose progress is shown: nobody's again when another group opens */
  protected readonly progressOf = linkedSignal<string | null, { groupId: string; userId: string } | undefined>({
    source: this.openId,
    computation: () => undefined,
  });
  protected readonly progress = rxResource({
    params: () => this.progressOf(),
    stream: ({ params: p }) => this.api.progress(p.groupId, p.userId),
  });

  /** the opened group's participants, a page at a time (a group may hold thousands; each shown is logged) */
  protected readonly participantPage = linkedSignal({ source: this.openId, computation: () => 0 });
  protected readonly participants = rxResource({
    params: () => {
      const id = this.openId();
      return id ? { id, page: this.participantPage() + 1 } : undefined;
    },
    stream: ({ params }) =>
      this.api.coachedMembers(params.id, { role: 'participant', page: params.page, pageSize: PARTICIPANTS_PAGE }),
  });
}
