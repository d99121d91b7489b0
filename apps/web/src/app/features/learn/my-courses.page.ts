import { ARIA } from '../../core/labels';
import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { LearningApi } from '@rehearse/web/data-access';
import { LoadState } from '../../core/load-state';

@Component({
  selector: 'rh-my-courses',
  imports: [DatePipe, LoadState, RouterLink, MatButtonModule, MatProgressBarModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      <h1 i18n>My courses</h1>
      <rh-load-state [of]="courses" label="Loading your courses" i18n-label />
      @if (courses.hasValue()) {
        @let list = courses.value();
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
      }
    </section>
  `,
  styles: `.course { display: flex; gap: 16px; } .cover { width: 120px; height: 80px; object-fit: cover; border-radius: 8px; } .grow { flex: 1; } .due { font-weight: 600; }`,
})
export class MyCoursesPage {
  protected readonly aria = ARIA;
  private readonly api = inject(LearningApi);
  protected readonly courses = rxResource({ stream: () => this.api.myCourses() });

  coverUrl(id: string): string {
    return this.api.coverUrl(id);
  }
}
