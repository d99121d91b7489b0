import { ChangeDetectionStrategy, Component, inject, model } from '@angular/core';
import { AdminApi } from '@rehearse/web/data-access';
import { SearchField } from '../../core/search-field';

/**
 * The coach responsible for an enrolment, found among the organisation's active coaches by name or
 * address on the server (a large organisation has hundreds: a list of the first 100 left the rest
 * out).
 */
@Component({
  selector: 'rh-coach-field',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [SearchField],
  template: `<rh-search-field name="coach" label="Coach" i18n-label noneLabel="None" i18n-noneLabel appearance="outline" [search]="search" [(selected)]="coachId" />`,
  styles: `:host { display: block; }`,
})
export class CoachField {
  /** the chosen coach's id (null: none) */
  readonly coachId = model<string | null>(null);
  private readonly admin = inject(AdminApi);
  protected readonly search = (q: string | undefined, pageSize: number) =>
    this.admin.users({ ...(q ? { q } : {}), role: 'coach', status: 'active', page: 1, pageSize });
}
