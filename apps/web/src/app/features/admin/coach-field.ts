import { ChangeDetectionStrategy, Component, inject, model, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatAutocompleteModule } from '@angular/material/autocomplete';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { switchMap, timer } from 'rxjs';
import type { UserSummary } from '@rehearse/shared/contracts';
import { AdminApi } from '@rehearse/web/data-access';
import { OFFERED, SEARCH_PAUSE_MS } from './member-picker';

/**
 * The coach responsible for an enrolment, found among the organisation's active coaches by name or
 * address on the server (a large organisation has hundreds: a list of the first 100 left the rest
 * out), once the field is used. Typing clears the choice until a coach is picked; "None" picks
 * nobody.
 */
@Component({
  selector: 'rh-coach-field',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, MatAutocompleteModule, MatFormFieldModule, MatInputModule],
  template: `
    <mat-form-field appearance="outline">
      <mat-label i18n>Coach</mat-label>
      <input
        matInput
        type="search"
        autocomplete="off"
        name="coach"
        [matAutocomplete]="options"
        [ngModel]="text()"
        (ngModelChange)="changed($event)"
        (focus)="wanted.set(true)"
      />
      <mat-autocomplete #options="matAutocomplete" [displayWith]="shown">
        <mat-option i18n [value]="null">None</mat-option>
        @for (u of found.value()?.items ?? []; track u.id) {
          <mat-option [value]="u">{{ u.name }} <span class="muted">{{ u.email }}</span></mat-option>
        }
      </mat-autocomplete>
    </mat-form-field>
  `,
})
export class CoachField {
  /** the chosen coach's id (null: none) */
  readonly coachId = model<string | null>(null);
  private readonly admin = inject(AdminApi);
  protected readonly text = signal('');
  /** nothing is asked of the server until the field is used */
  protected readonly wanted = signal(false);

  protected readonly found = rxResource({
    params: () => (this.wanted() || this.text() ? { q: this.text().trim() } : undefined),
    stream: ({ params }) =>
      timer(params.q ? SEARCH_PAUSE_MS : 0).pipe(
        switchMap(() =>
          this.admin.users({
            ...(params.q ? { q: params.q } : {}),
            role: 'coach',
            status: 'active',
            page: 1,
            pageSize: OFFERED,
          }),
        ),
      ),
  });

  protected readonly shown = (value: UserSummary | string | null): string =>
    typeof value === 'string' ? value : (value?.name ?? '');

  /** what the field says: typed text, or the option picked (a coach, or null for none) */
  protected changed(value: UserSummary | string | null): void {
    if (typeof value === 'string') {
      this.text.set(value);
      this.coachId.set(null);
    } else {
      this.text.set(value?.name ?? '');
      this.coachId.set(value?.id ?? null);
    }
  }
}
