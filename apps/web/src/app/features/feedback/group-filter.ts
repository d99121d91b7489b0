import { ChangeDetectionStrategy, Component, inject, input, model, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatAutocompleteModule } from '@angular/material/autocomplete';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { switchMap, timer } from 'rxjs';
import type { Group } from '@rehearse/shared/contracts';
import { GroupsApi, LearningApi } from '@rehearse/web/data-access';

/** How many groups one search offers; the pause after the last key before it asks. */
const OFFERED = 20;
const SEARCH_PAUSE_MS = 250;

/**
 * The group a report covers: all (null) or one, found by name on the server among the
 * organisation's groups (an administrator) or the coach's own, so an organisation of hundreds of
 * groups reaches every one (a list of the first 100 left the rest out). Asked once the field is
 * used.
 */
@Component({
  selector: 'rh-group-filter',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, MatAutocompleteModule, MatFormFieldModule, MatInputModule],
  template: `
    <!-- the label stays up so that the empty field shows what it means: all groups -->
    <mat-form-field floatLabel="always">
      <mat-label i18n>Group</mat-label>
      <input
        matInput
        type="search"
        autocomplete="off"
        name="group"
        [placeholder]="allLabel()"
        [matAutocomplete]="options"
        [ngModel]="text()"
        (ngModelChange)="changed($event)"
        (focus)="wanted.set(true)"
      />
      <mat-autocomplete #options="matAutocomplete" [displayWith]="shown">
        <mat-option [value]="null">{{ allLabel() }}</mat-option>
        @for (g of found.value()?.items ?? []; track g.id) {
          <mat-option [value]="g">{{ g.name }}</mat-option>
        }
      </mat-autocomplete>
    </mat-form-field>
  `,
})
export class GroupFilter {
  /** the administrator's organisation (true) or the coach's own groups */
  readonly organisation = input.required<boolean>();
  /** the chosen group's id (null: all) */
  readonly groupId = model<string | null>(null);
  private readonly groups = inject(GroupsApi);
  private readonly learning = inject(LearningApi);
  protected readonly text = signal('');
  protected readonly wanted = signal(false);

  protected allLabel(): string {
    return this.organisation() ? $localize`All groups` : $localize`All my groups`;
  }

  protected readonly found = rxResource({
    params: () =>
      this.wanted() || this.text() ? { q: this.text().trim(), organisation: this.organisation() } : undefined,
    stream: ({ params }) =>
      timer(params.q ? SEARCH_PAUSE_MS : 0).pipe(
        switchMap(() => {
          const q = { ...(params.q ? { q: params.q } : {}), page: 1, pageSize: OFFERED };
          return params.organisation ? this.groups.groups(q) : this.learning.coachedGroups(q);
        }),
      ),
  });

  protected readonly shown = (value: Group | string | null): string =>
    typeof value === 'string' ? value : (value?.name ?? '');

  /** typed text, or the option picked (a group, or null for all) */
  protected changed(value: Group | string | null): void {
    if (typeof value === 'string') {
      // typing leaves the group chosen before: the report covers all groups until one is picked
      this.text.set(value);
      if (this.groupId() !== null) this.groupId.set(null);
    } else {
      this.text.set(value?.name ?? '');
      this.groupId.set(value?.id ?? null);
    }
  }
}
