import { ChangeDetectionStrategy, Component, effect, input, model, signal, untracked } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatAutocompleteModule } from '@angular/material/autocomplete';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { type Observable, switchMap, timer } from 'rxjs';
import type { Page } from '@rehearse/shared/contracts';
import { Address } from './address';

/** How many entries one search offers (more: type more of the name). */
export const OFFERED = 20;
/** The pause after the last key before a search asks the server. */
export const SEARCH_PAUSE_MS = 250;

/** What a search field offers: an id, a name, and an address when it is a person. */
export interface Named {
  id: string;
  name: string;
  email?: string;
}

/**
 * One choice among many, found on the server by name (people, coaches, groups: an organisation
 * may hold thousands, so no list is loaded whole). Asked once the field is used, again after a
 * pause in typing; typing clears the choice until an option is picked; the first option picks
 * nobody (`noneLabel`, also what the empty field says).
 */
@Component({
  selector: 'rh-search-field',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [Address, FormsModule, MatAutocompleteModule, MatFormFieldModule, MatInputModule],
  template: `
    <!-- the label stays up so that the empty field says what it means -->
    <mat-form-field floatLabel="always" [appearance]="appearance()">
      <mat-label>{{ label() }}</mat-label>
      <input
        matInput
        type="search"
        autocomplete="off"
        [name]="name()"
        [placeholder]="noneLabel()"
        [matAutocomplete]="options"
        [ngModel]="text()"
        (ngModelChange)="changed($event)"
        (focus)="wanted.set(true)"
      />
      <mat-autocomplete #options="matAutocomplete" [displayWith]="shown">
        <mat-option [value]="null">{{ noneLabel() }}</mat-option>
        @for (o of found.value()?.items ?? []; track o.id) {
          <mat-option [value]="o">{{ o.name }} @if (o.email) { <rh-address class="muted" [value]="o.email" /> }</mat-option>
        }
      </mat-autocomplete>
    </mat-form-field>
  `,
  // as wide as its place in a row allows (the whole width on a phone, like the fields beside it)
  styles: `:host { display: block; } .mat-mdc-form-field { width: 100%; }`,
})
export class SearchField {
  readonly label = input.required<string>();
  readonly noneLabel = input.required<string>();
  readonly name = input.required<string>();
  readonly appearance = input<'fill' | 'outline'>('fill');
  /** the server's answer to a search (`q` undefined: the first entries) */
  readonly search = input.required<(q: string | undefined, pageSize: number) => Observable<Page<Named>>>();
  /** the chosen entry's id (null: none) */
  readonly selected = model<string | null>(null);

  protected readonly text = signal('');
  /** nothing is asked of the server until the field is used */
  protected readonly wanted = signal(false);
  /** the name of the entry picked from the options (null: none picked, or typed since) */
  private readonly picked = signal<string | null>(null);

  constructor() {
    // the page clears the choice (after it was used: an enrolment made): the field empties too
    effect(() => {
      if (this.selected() === null && untracked(this.picked) !== null) {
        untracked(() => {
          this.picked.set(null);
          this.text.set('');
        });
      }
    });
  }

  protected readonly found = rxResource({
    params: () => (this.wanted() || this.text() ? { q: this.text().trim(), search: this.search() } : undefined),
    stream: ({ params }) =>
      timer(params.q ? SEARCH_PAUSE_MS : 0).pipe(switchMap(() => params.search(params.q || undefined, OFFERED))),
  });

  protected readonly shown = (value: Named | string | null): string =>
    typeof value === 'string' ? value : (value?.name ?? '');

  /** typed text, or the option picked (an entry, or null for none) */
  protected changed(value: Named | string | null): void {
    if (typeof value === 'string') {
      this.text.set(value);
      this.picked.set(null);
      if (this.selected() !== null) this.selected.set(null);
    } else {
      this.text.set(value?.name ?? '');
      this.picked.set(value?.name ?? null);
      this.selected.set(value?.id ?? null);
    }
  }
}
