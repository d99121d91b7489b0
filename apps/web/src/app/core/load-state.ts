import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { Resource, Signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { addressesNothing, type ApiProblem, toProblem } from '@rehearse/web/data-access';

/**
 * Whether asking again could be answered otherwise: the connection (status 0), a time-out, too many
 * requests, or the server's own trouble (5xx). A refusal (400, 403, 404, 409, …) would be the same.
 */
export function worthRetrying(problem: Pick<ApiProblem, 'status'>): boolean {
  return problem.status === 0 || problem.status === 408 || problem.status === 429 || problem.status >= 500;
}

/** A resource that can be asked again (what `resource()` and `rxResource()` return). */
export interface Reloadable<T> extends Resource<T> {
  reload(): boolean;
}

/** A resource's value, or null while it has none (loading, failed, or waiting for its parameters). */
export function loadedValue<T>(resource: Resource<T | undefined>): Signal<T | null> {
  return computed(() => (resource.hasValue() ? (resource.value() as T) : null));
}

/**
 * The busy and error states of a page's data, in one place: a progress bar while the first value
 * loads (and while another id's value replaces it), the server's message and "Try again" when it
 * fails, nothing once there is a value — the page shows that itself:
 *
 *   <rh-load-state [of]="recording" label="Loading the recording" i18n-label />
 *   @if (recording.hasValue()) { … }
 *
 * A 404 shows `notFound` (the page's own words for "this does not exist or is not yours to see"), as
 * does an id in the address refused as malformed (an address cut short or mistyped names nothing).
 */
@Component({
  selector: 'rh-load-state',
  imports: [MatButtonModule, MatProgressBarModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (problem(); as p) {
      <div class="card" role="alert">
        @if (addressesNothing(p) && notFound()) {
          <p class="error-text">{{ notFound() }}</p>
        } @else {
          <p class="error-text">@if (failed()) { {{ failed() }}: }{{ p.message }}</p>
          <!-- only where asking again could answer otherwise: a refusal (403, 409, …) stands -->
          @if (worthRetrying(p)) { <button i18n mat-stroked-button type="button" (click)="of().reload()">Try again</button> }
        }
      </div>
    } @else if (busy()) {
      <mat-progress-bar mode="indeterminate" [attr.aria-label]="label()" />
    }
  `,
})
export class LoadState {
  protected readonly worthRetrying = worthRetrying;
  protected readonly addressesNothing = addressesNothing;
  /** the page's data */
  readonly of = input.required<Reloadable<unknown>>();
  /** what is loading, for screen readers */
  readonly label = input.required<string>();
  /** the words for a 404 */
  readonly notFound = input<string | null>(null);
  /** what could not be done, put before the server's message ("Your overview could not be loaded") */
  readonly failed = input<string | null>(null);

  /** the failure, as the API explained it */
  readonly problem = computed<ApiProblem | null>(() => {
    // (while it tries again the resource still holds the old error: the progress bar shows instead)
    const e = this.of().status() === 'error' ? this.of().error() : undefined;
    return e ? toProblem(e) : null;
  });
  /** loading with nothing to show yet, or a value for another id on its way */
  readonly busy = computed(() => {
    const status = this.of().status();
    return status === 'loading' || (status === 'reloading' && !this.of().hasValue());
  });
}
