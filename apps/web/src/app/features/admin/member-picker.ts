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
import { MatPaginatorModule } from '@angular/material/paginator';
import { map, switchMap, timer } from 'rxjs';
import { AdminApi, GroupsApi } from '@rehearse/web/data-access';
import { LoadState } from '../../core/load-state';
import { OFFERED, SEARCH_PAUSE_MS } from '../../core/search-field';
import { Address } from '../../core/address';

/** A person a group may hold. */
export interface PickedPerson {
  id: string;
  name: string;
  email: string;
}

/** What will change in one role's members when the group is saved. */
export interface MemberChanges {
  /** people found and listed as new (they stay listed when unticked, until the group is saved) */
  readonly picked: readonly PickedPerson[];
  /** those of `picked` ticked: to be added */
  readonly add: ReadonlySet<string>;
  /** members unticked, by id: to be removed (listed even when the page or search shown leaves them out) */
  readonly remove: ReadonlyMap<string, PickedPerson>;
}

export const NO_CHANGES: MemberChanges = { picked: [], add: new Set(), remove: new Map() };

/** How many members a page of the list shows. */
export const MEMBERS_PAGE = 25;

/**
 * A group's members of one role, a page at a time, and the organisation's active people of that
 * role to add. A group may hold thousands and an organisation tens of thousands: both come from
 * the server, a page or a few matches at a time, never whole. One field finds both: the members
 * whose name or address matches, and others who match and could join. Ticks and unticks are
 * changes kept until the group is saved (only they are sent); an unticked person stays listed, so
 * a slip is undone with one click.
 */
@Component({
  selector: 'rh-member-picker',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [Address, FormsModule, LoadState, MatCheckboxModule, MatFormFieldModule, MatInputModule, MatPaginatorModule],
  template: `
    <mat-form-field appearance="outline" class="full-width" subscriptSizing="dynamic">
      @if (kind() === 'coach') { <mat-label i18n>Find a coach</mat-label> }
      @else { <mat-label i18n>Find a participant</mat-label> }
      <input matInput type="search" autocomplete="off" [name]="kind() + '-search'" [ngModel]="query()" (ngModelChange)="query.set($event)" />
      <mat-hint i18n>Name or e-mail address: members, and others to add</mat-hint>
    </mat-form-field>
    <ul class="plain listed">
      @for (p of changes().picked; track p.id) {
        <li class="new"><mat-checkbox [checked]="changes().add.has(p.id)" (change)="tickPicked(p.id, $event.checked)">{{ p.name }} <rh-address class="muted" [value]="p.email" />{{ ' ' }}<span i18n class="muted small">(to add)</span></mat-checkbox></li>
      }
      @for (p of removedElsewhere(); track p.id) {
        <li><mat-checkbox [checked]="false" (change)="tickMember(p, $event.checked)">{{ p.name }} <rh-address class="muted" [value]="p.email" />{{ ' ' }}<span i18n class="muted small">(to remove)</span></mat-checkbox></li>
      }
      @if (members.hasValue()) {
        @for (m of members.value().items; track m.userId) {
          <li><mat-checkbox [checked]="!changes().remove.has(m.userId)" (change)="tickMember({ id: m.userId, name: m.name, email: m.email }, $event.checked)">{{ m.name }} <rh-address class="muted" [value]="m.email" />{{ ' ' }}@if (changes().remove.has(m.userId)) {<span i18n class="muted small">(to remove)</span>}</mat-checkbox></li>
        } @empty {
          @if (members.value().q) { <li i18n class="muted">No member matches “{{ members.value().q }}”.</li> }
          @else if (kind() === 'coach') { <li i18n class="muted">No coaches in this group yet.</li> }
          @else { <li i18n class="muted">No participants in this group yet.</li> }
        }
      }
    </ul>
    <rh-load-state [of]="members" label="Loading the members" i18n-label />
    @if (members.hasValue() && members.value().total > pageSize) {
      @let p = members.value();
      <mat-paginator i18n-aria-label [length]="p.total" [pageSize]="pageSize" [pageIndex]="p.page - 1" [hidePageSize]="true" (page)="pageIndex.set($event.pageIndex)" aria-label="Pages of members" />
    }
    @if (query().trim()) {
      <div aria-live="polite">
        @if (found.isLoading()) {
          <p i18n class="muted small">Searching…</p>
        } @else if (found.error()) {
          <p i18n class="error-text" role="alert">The search failed. Try again.</p>
        } @else if (found.value(); as page) {
          @if (offered().length) { <p i18n class="muted small">Others who match, to add:</p> }
          <ul class="plain found">
            @for (u of offered(); track u.id) {
              <li><mat-checkbox [checked]="false" (change)="pick(u)">{{ u.name }} <rh-address class="muted" [value]="u.email" /></mat-checkbox></li>
            } @empty {
              <li i18n class="muted">Nobody else matches “{{ page.q }}”.</li>
            }
          </ul>
          @if (page.total > page.items.length) {
            <p i18n class="muted small">{{ page.total - page.items.length }} more match: type more of the name.</p>
          }
        }
      </div>
    }
  `,
  styles: `ul.plain { list-style: none; padding: 0; margin: 8px 0; } ul.listed { max-height: 420px; overflow: auto; } .full-width { width: 100%; } li.new { background: var(--mat-sys-secondary-container); border-radius: 4px; }`,
})
export class MemberPicker {
  /** which members: `role` itself would be read as the element's ARIA role */
  readonly kind = input.required<'participant' | 'coach'>();
  readonly groupId = input.required<string>();
  /** the group as last saved: a new value lists its members afresh from the first page */
  readonly version = input(0);
  /** the changes to this role's members, until the group is saved */
  readonly changes = model<MemberChanges>(NO_CHANGES);
  private readonly admin = inject(AdminApi);
  private readonly groups = inject(GroupsApi);

  protected readonly pageSize = MEMBERS_PAGE;
  protected readonly query = signal('');
  /** the page of members shown: the first again for another group, a save or another search */
  protected readonly pageIndex = linkedSignal({
    source: () => [this.groupId(), this.version(), this.query().trim()],
    computation: () => 0,
  });

  protected readonly members = rxResource({
    params: () => ({
      id: this.groupId(),
      role: this.kind(),
      q: this.query().trim(),
      page: this.pageIndex() + 1,
      version: this.version(),
    }),
    stream: ({ params }) => {
      const ask = this.groups
        .members(params.id, {
          role: params.role,
          ...(params.q ? { q: params.q } : {}),
          page: params.page,
          pageSize: MEMBERS_PAGE,
        })
        // the answer remembers what it answers (the field may have changed since)
        .pipe(map((page) => ({ ...page, q: params.q })));
      // a search waits for the typing to pause; a page or a save is asked at once
      return params.q && params.page === 1 ? timer(SEARCH_PAUSE_MS).pipe(switchMap(() => ask)) : ask;
    },
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
        map((page) => ({ ...page, q: params.q })),
      ),
  });
  /** members to be removed whom the page or search shown leaves out */
  protected readonly removedElsewhere = computed(() => {
    const shown = new Set(this.members.hasValue() ? this.members.value().items.map((m) => m.userId) : []);
    return [...this.changes().remove.values()].filter((p) => !shown.has(p.id));
  });
  /** those found who are neither listed as members, nor picked, nor members to be removed */
  protected readonly offered = computed(() => {
    const listed = new Set([
      ...(this.members.hasValue() ? this.members.value().items.map((m) => m.userId) : []),
      ...this.changes().picked.map((p) => p.id),
      ...this.changes().remove.keys(),
    ]);
    return (this.found.value()?.items ?? []).filter((u) => !listed.has(u.id));
  });

  protected pick(person: PickedPerson): void {
    const c = this.changes();
    this.changes.set({
      ...c,
      picked: [...c.picked, { id: person.id, name: person.name, email: person.email }],
      add: new Set([...c.add, person.id]),
    });
  }

  protected tickPicked(id: string, on: boolean): void {
    const add = new Set(this.changes().add);
    if (on) add.add(id);
    else add.delete(id);
    this.changes.set({ ...this.changes(), add });
  }

  protected tickMember(person: PickedPerson, on: boolean): void {
    const remove = new Map(this.changes().remove);
    if (on) remove.delete(person.id);
    else remove.set(person.id, person);
    this.changes.set({ ...this.changes(), remove });
  }
}
