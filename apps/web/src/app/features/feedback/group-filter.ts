import { ChangeDetectionStrategy, Component, inject, input, model } from '@angular/core';
import { GroupsApi, LearningApi } from '@rehearse/web/data-access';
import { SearchField } from '../../core/search-field';

/**
 * The group a report covers: all (null) or one, found by name on the server among the
 * organisation's groups (an administrator) or the coach's own, so an organisation of hundreds of
 * groups reaches every one (a list of the first 100 left the rest out).
 */
@Component({
  selector: 'rh-group-filter',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [SearchField],
  template: `<rh-search-field name="group" label="Group" i18n-label [noneLabel]="allLabel()" [search]="search" [(selected)]="groupId" />`,
  styles: `:host { display: block; }`,
})
export class GroupFilter {
  /** the administrator's organisation (true) or the coach's own groups */
  readonly organisation = input.required<boolean>();
  /** the chosen group's id (null: all) */
  readonly groupId = model<string | null>(null);
  private readonly groups = inject(GroupsApi);
  private readonly learning = inject(LearningApi);

  protected allLabel(): string {
    return this.organisation() ? $localize`All groups` : $localize`All my groups`;
  }

  protected readonly search = (q: string | undefined, pageSize: number) => {
    const query = { ...(q ? { q } : {}), page: 1, pageSize };
    return this.organisation() ? this.groups.groups(query) : this.learning.coachedGroups(query);
  };
}
