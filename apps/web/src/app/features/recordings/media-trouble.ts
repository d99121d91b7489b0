import { ChangeDetectionStrategy, Component, effect, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { RecordingsApi } from '@rehearse/web/data-access';

/**
 * Under a recording's player: why it would not load, and a way to try again. A <video> that fails
 * shows an empty player at 0:00 and says nothing (a deleted object, a server error, a signed-out
 * session, a format the browser cannot play all look alike).
 */
@Component({
  selector: 'rh-media-trouble',
  imports: [MatButtonModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (message(); as m) {
      <p class="error-text trouble" role="alert">
        {{ m }}
        <button i18n mat-button type="button" (click)="retry()">Try again</button>
      </p>
    }
  `,
  styles: `
    .trouble { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 8px; margin: 8px 0; }
  `,
})
export class MediaTrouble {
  /** the player's element */
  readonly media = input.required<HTMLMediaElement>();
  readonly recordingId = input.required<string>();
  private readonly api = inject(RecordingsApi);
  protected readonly message = signal<string | null>(null);

  constructor() {
    effect((onCleanup) => {
      const el = this.media();
      const id = this.recordingId();
      this.message.set(null);
      let current = true;
      const failed = () =>
        void this.api.mediaFailure(id, el.error).then((m) => {
          if (current) this.message.set(m);
        });
      el.addEventListener('error', failed);
      // it may have failed before this was listening
      if (el.error) failed();
      onCleanup(() => {
        current = false;
        el.removeEventListener('error', failed);
      });
    });
  }

  retry(): void {
    this.message.set(null);
    this.media().load();
  }
}
