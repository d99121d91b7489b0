import { ChangeDetectionStrategy, Component, inject, model } from '@angular/core';
import { map } from 'rxjs';
import { GroupsApi } from '@rehearse/web/data-access';
import { SearchField } from '../../core/search-field';

/** A group of the organisation, found by name on the server (an organisation may hold more than any first page of them). */
@Component({
  selector: 'rh-group-field',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [SearchField],
  template: `<rh-search-field name="group" label="Group" i18n-label noneLabel="Choose a group" i18n-noneLabel appearance="outline" [search]="search" [(selected)]="groupId" />`,
  styles: `:host { display: block; }`,
})
export class GroupField {
  /** the chosen group's id (null: none yet) */
  readonly groupId = model<string | null>(null);
  private readonly api = inject(GroupsApi);
  protected readonly search = (q: string | undefined, pageSize: number) =>
    this.api
      .groups({ ...(q ? { q } : {}), page: 1, pageSize })
      .pipe(map((p) => ({ ...p, items: p.items.map((g) => ({ id: g.id, name: g.name })) })));
}
