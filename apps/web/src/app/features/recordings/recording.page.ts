import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { RecordingsApi } from '@rehearse/web/data-access';
import { LoadState } from '../../core/load-state';
import { RecordingPlayer } from './recording-player';

/** One recording (a coach's or administrator's view, e.g. from a search hit), opened at ?t=seconds. */
@Component({
  selector: 'rh-recording-page',
  imports: [LoadState, RecordingPlayer],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      <h1 i18n>Recording</h1>
      <rh-load-state
        [of]="recording"
        label="Loading the recording"
        i18n-label
        notFound="No such recording, or it is not yours to see."
        i18n-notFound
      />
      @if (recording.hasValue()) {
        <rh-recording-player [recording]="recording.value()" [startAt]="start()" />
      }
    </section>
  `,
})
export class RecordingPage {
  readonly id = input.required<string>();
  readonly t = input<string | undefined>(undefined);
  private readonly api = inject(RecordingsApi);
  /** the recording of the route's id: another id (a link from one hit to the next) loads that one */
  protected readonly recording = rxResource({
    params: () => this.id(),
    stream: ({ params: id }) => this.api.recording(id),
  });

  protected readonly start = computed<number | null>(() => {
    const t = this.t();
    const n = Number(t);
    return t !== undefined && Number.isFinite(n) && n >= 0 ? n : null;
  });
}
