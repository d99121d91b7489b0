import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  input,
  linkedSignal,
  model,
  signal,
} from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { map, switchMap, timer } from 'rxjs';
import { AdminApi } from '@rehearse/web/data-access';
import { OFFERED, SEARCH_PAUSE_MS } from '../../core/search-field';

/** A person a group may hold. */
export interface PickedPerson {
  id: string;
  name: string;
  email: string;
}

/**
 * A group's members of one role, and a search of the organisation's active people of that role to
 * add more. An organisation may hold thousands of people: they are found on the server by name or
 * address, a few at a time, never loaded whole (the page once offered the first 100 only, so
 * nobody further down the alphabet could be added). Unticking keeps a person listed until the
 * group is saved, so a slip is undone with one click.
 */
@Component({
  selector: 'rh-member-picker',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, MatCheckboxModule, MatFormFieldModule, MatInputModule],
  template: `
    <ul class="plain listed">
      @for (p of listed(); track p.id) {
        <li><mat-checkbox [checked]="selected().has(p.id)" (change)="toggle(p, $event.checked)">{{ p.name }} <span class="muted">{{ p.email }}</span></mat-checkbox></li>
      } @empty {
        @if (kind() === 'coach') { <li i18n class="muted">No coaches in this group yet.</li> }
        @else { <li i18n class="muted">No participants in this group yet.</li> }
      }
    </ul>
    <mat-form-field appearance="outline" class="full-width">
      @if (kind() === 'coach') { <mat-label i18n>Find a coach to add</mat-label> }
      @else { <mat-label i18n>Find a participant to add</mat-label> }
      <input matInput type="search" autocomplete="off" [name]="kind() + '-search'" [ngModel]="query()" (ngModelChange)="query.set($event)" />
      <mat-hint i18n>Name or e-mail address</mat-hint>
    </mat-form-field>
    <div aria-live="polite">
      @if (found.isLoading()) {
        <p i18n class="muted small">Searching…</p>
      } @else if (found.error()) {
        <p i18n class="error-text" role="alert">The search failed. Try again.</p>
      } @else if (found.value(); as page) {
        <ul class="plain found">
          @for (u of offered(); track u.id) {
            <li><mat-checkbox [checked]="false" (change)="toggle(u, $event.checked)">{{ u.name }} <span class="muted">{{ u.email }}</span></mat-checkbox></li>
          } @empty {
            <li i18n class="muted">Nobody else matches “{{ page.q }}”.</li>
          }
        </ul>
        @if (page.total > page.items.length) {
          <p i18n class="muted small">{{ page.total - page.items.length }} more match: type more of the name.</p>
        }
      }
    </div>
  `,
  styles: `ul.plain { list-style: none; padding: 0; margin: 0 0 8px; } ul.listed { max-height: 360px; overflow: auto; } .full-width { width: 100%; }`,
})
export class MemberPicker {
  /** which members: `role` itself would be read as the element's ARIA role */
  readonly kind = input.required<'participant' | 'coach'>();
  /** the group's members of this role, as last saved */
  readonly members = input.required<PickedPerson[]>();
  /** who will be a member of this role when the group is saved */
  readonly selected = model.required<ReadonlySet<string>>();
  private readonly admin = inject(AdminApi);

  protected readonly query = signal('');
  /** people found and ticked since the group was last saved (listed with the members) */
  private readonly added = linkedSignal<PickedPerson[], PickedPerson[]>({
    source: this.members,
    computation: () => [],
  });
  protected readonly listed = computed(() => {
    const members = this.members();
    return [...members, ...this.added().filter((a) => !members.some((m) => m.id === a.id))];
  });

  protected readonly found = rxResource({
    params: () => {
      const q = this.query().trim();
      return q ? { q, role: this.kind() } : undefined;
    },
    stream: ({ params }) =>
      timer(SEARCH_PAUSE_MS).pipe(
        switchMap(() =>
          this.admin.users({ q: params.q, role: params.role, status: 'active', page: 1, pageSize: OFFERED }),
        ),
        // the answer remembers what it answers (the field may have changed since)
        map((page) => ({ ...page, q: params.q })),
      ),
  });
  /** those found who are not listed already */
  protected readonly offered = computed(() => {
    const listed = new Set(this.listed().map((p) => p.id));
    return (this.found.value()?.items ?? []).filter((u) => !listed.has(u.id));
  });

  protected toggle(person: PickedPerson, on: boolean): void {
    if (on && !this.listed().some((p) => p.id === person.id))
      this.added.update((list) => [...list, { id: person.id, name: person.name, email: person.email }]);
    const next = new Set(this.selected());
    if (on) next.add(person.id);
    else next.delete(person.id);
    this.selected.set(next);
  }
}
