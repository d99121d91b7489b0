import { ChangeDetectionStrategy, Component, inject, input, OnInit, signal } from '@angular/core';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { firstValueFrom } from 'rxjs';
import type { RecordingSummary } from '@rehearse/shared/contracts';
import { ApiProblem, RecordingsApi, toProblem } from '@rehearse/web/data-access';
import { RecordingPlayer } from './recording-player';

/** One recording (a coach's or administrator's view, e.g. from a search hit), opened at ?t=seconds. */
@Component({
  selector: 'rh-recording-page',
  imports: [MatProgressBarModule, RecordingPlayer],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      @if (problem(); as p) {
        <h1>@if (p.status === 404) {<ng-container i18n>Recording not found</ng-container>} @else {<ng-container i18n>Could not load the recording</ng-container>}</h1>
        <p class="error-text" role="alert">{{ p.message }}</p>
      } @else if (recording(); as r) {
        <h1 i18n>Recording</h1>
        <rh-recording-player [recording]="r" [startAt]="start()" />
      } @else {
        <mat-progress-bar i18n-aria-label mode="indeterminate" aria-label="Loading the recording" />
      }
    </section>
  `,
})
export class RecordingPage implements OnInit {
  readonly id = input.required<string>();
  readonly t = input<string | undefined>(undefined);
  private readonly api = inject(RecordingsApi);
  protected readonly recording = signal<RecordingSummary | null>(null);
  protected readonly problem = signal<ApiProblem | null>(null);

  start(): number | null {
    const n = Number(this.t());
    return this.t() !== undefined && Number.isFinite(n) && n >= 0 ? n : null;
  }

  async ngOnInit(): Promise<void> {
    try {
      this.recording.set(await firstValueFrom(this.api.recording(this.id())));
    } catch (e) {
      this.problem.set(toProblem(e));
    }
  }
}
