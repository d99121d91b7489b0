import { ChangeDetectionStrategy, Component, inject, model } from '@angular/core';
import { map } from 'rxjs';
import { GroupsApi } from '@rehearse/web/data-access';
import { SearchField } from '../../core/search-field';

/**
 * The published course to enrol a group or a person in, found by title on the server (an
 * organisation's catalogue may hold more than any first page of it).
 */
@Component({
  selector: 'rh-course-field',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [SearchField],
  template: `<rh-search-field name="course" label="Course" i18n-label noneLabel="Choose a course" i18n-noneLabel appearance="outline" [search]="search" [(selected)]="courseId" />`,
  styles: `:host { display: block; }`,
})
export class CourseField {
  /** the chosen course's id (null: none yet) */
  readonly courseId = model<string | null>(null);
  private readonly api = inject(GroupsApi);
  protected readonly search = (q: string | undefined, pageSize: number) =>
    this.api
      .publishedCourses({ ...(q ? { q } : {}), page: 1, pageSize })
      .pipe(map((p) => ({ ...p, items: p.items.map((c) => ({ id: c.id, name: c.title })) })));
}
