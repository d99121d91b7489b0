import { ARIA } from '../../core/labels';
import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, OnInit, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { firstValueFrom } from 'rxjs';
import type { LearnerCourseSummary } from '@rehearse/shared/contracts';
import { LearningApi, toProblem } from '@rehearse/web/data-access';

@Component({
  selector: 'rh-my-courses',
  imports: [DatePipe, RouterLink, MatButtonModule, MatProgressBarModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      <h1 i18n>My courses</h1>
      @if (error(); as e) {
        <p class="card error-text" role="alert">{{ e }} <button i18n mat-button type="button" (click)="load()">Try again</button></p>
      } @else if (courses(); as list) {
        @for (c of list; track c.id) {
          <article class="card course">
            @if (c.hasCover) { <img class="cover" [src]="coverUrl(c.id)" alt="" /> }
            <div class="stack grow">
              <h2><a [routerLink]="['/learn', c.id]">{{ c.title }}</a></h2>
              <div class="muted" [innerHTML]="c.description"></div>
              <div class="row">
                <span i18n>{{ c.exercisesAnswered }} of {{ c.exercisesTotal }} exercises answered</span>
                @if (c.dueOn) { <span i18n class="due">due {{ c.dueOn | date: 'mediumDate' }}</span> }
              </div>
              <mat-progress-bar mode="determinate" [value]="c.exercisesTotal ? (100 * c.exercisesAnswered) / c.exercisesTotal : 0" [attr.aria-label]="aria.progressIn(c.title)" />
            </div>
          </article>
        } @empty {
          <p i18n class="card empty">You are not enrolled in any course yet. Your administrator or coach enrols you.</p>
        }
      } @else {
        <mat-progress-bar i18n-aria-label mode="indeterminate" aria-label="Loading your courses" />
      }
    </section>
  `,
  styles: `.course { display: flex; gap: 16px; } .cover { width: 120px; height: 80px; object-fit: cover; border-radius: 8px; } .grow { flex: 1; } .due { font-weight: 600; }`,
})
export class MyCoursesPage implements OnInit {
  protected readonly aria = ARIA;
  private readonly api = inject(LearningApi);
  protected readonly courses = signal<LearnerCourseSummary[] | null>(null);
  protected readonly error = signal<string | null>(null);

  coverUrl(id: string): string {
    return this.api.coverUrl(id);
  }

  async ngOnInit(): Promise<void> {
    await this.load();
  }

  async load(): Promise<void> {
    this.error.set(null);
    try {
      this.courses.set(await firstValueFrom(this.api.myCourses()));
    } catch (e) {
      this.error.set(toProblem(e).message);
    }
  }
}
