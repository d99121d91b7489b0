import { ARIA } from '../../core/labels';
import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, OnInit, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink } from '@angular/router';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { firstValueFrom } from 'rxjs';
import type { Group, GroupDetail, LearnerCourseSummary, ParticipantProgress } from '@rehearse/shared/contracts';
import { LearningApi, toProblem } from '@rehearse/web/data-access';

/** The coach's groups, their participants and each participant's progress (the opening is logged). */
@Component({
  selector: 'rh-coaching',
  imports: [DatePipe, MatButtonModule, MatProgressBarModule, RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      <h1 i18n>My groups</h1>
      @if (error(); as e) { <p class="card error-text" role="alert">{{ e }}</p> }
      @if (groups(); as list) {
        @if (list.length === 0) { <p i18n class="card empty">You do not coach any group yet.</p> }
        <div class="row">
          @for (g of list; track g.id) {
            <button mat-stroked-button type="button" (click)="open(g.id)" [class.active]="group()?.id === g.id">{{ g.name }} ({{ g.participantCount }})</button>
          }
        </div>
      } @else { <mat-progress-bar i18n-aria-label mode="indeterminate" aria-label="Loading groups" /> }
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
          <h3 i18n>Participants</h3>
          <ul class="plain">
            @for (m of participantsOf(g); track m.userId) {
              <li class="row"><span class="grow">{{ m.name }}</span><button i18n mat-button type="button" (click)="showProgress(g.id, m.userId)">Progress</button></li>
            } @empty { <li i18n class="muted">No participants yet.</li> }
          </ul>
        </div>
      }
      @if (progress(); as p) {
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
export class CoachingPage implements OnInit {
  protected readonly aria = ARIA;
  private readonly api = inject(LearningApi);
  protected readonly groups = signal<Group[] | null>(null);
  protected readonly group = signal<GroupDetail | null>(null);
  protected readonly progress = signal<ParticipantProgress | null>(null);
  protected readonly courses = signal<LearnerCourseSummary[]>([]);
  protected readonly error = signal<string | null>(null);

  participantsOf(g: GroupDetail) {
    return g.members.filter((m) => m.role === 'participant');
  }

  async ngOnInit(): Promise<void> {
    try {
      this.groups.set((await firstValueFrom(this.api.coachedGroups({ page: 1, pageSize: 100 }))).items);
    } catch (e) {
      this.error.set(toProblem(e).message);
    }
  }

  async open(id: string): Promise<void> {
    this.progress.set(null);
    try {
      const [group, courses] = await Promise.all([
        firstValueFrom(this.api.coachedGroup(id)),
        firstValueFrom(this.api.coachedCourses(id)),
      ]);
      this.group.set(group);
      this.courses.set(courses);
    } catch (e) {
      this.error.set(toProblem(e).message);
    }
  }

  async showProgress(groupId: string, userId: string): Promise<void> {
    try {
      this.progress.set(await firstValueFrom(this.api.progress(groupId, userId)));
    } catch (e) {
      this.error.set(toProblem(e).message);
    }
  }
}
