import { ChangeDetectionStrategy, Component, effect, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import type { MyRetention } from '@rehearse/shared/contracts';
import { LifecycleApi } from '@rehearse/web/data-access';
import { SessionStore } from '../../core/session.store';

/** The in-app notice: an expired licence hides the user's work, and their recordings have a deletion date. */
@Component({
  selector: 'rh-retention-banner',
  imports: [RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (status(); as s) {
      @if (s.hidden) {
        <div class="banner" role="alert">
          Your licence expired on {{ s.licenceExpiresOn }}: your answers and feedback are hidden.
          @if (s.deletionDueOn) { Your recordings will be deleted on {{ s.deletionDueOn }}. }
          <a routerLink="/my/data">What you can do</a>
        </div>
      }
    }
  `,
  styles: `.banner { background: #fff3e0; color: #5d4037; padding: 8px 16px; border-bottom: 1px solid #ffb74d; } a { margin-left: 8px; }`,
})
export class RetentionBanner {
  private readonly api = inject(LifecycleApi);
  private readonly session = inject(SessionStore);
  protected readonly status = signal<MyRetention | null>(null);

  constructor() {
    effect(() => {
      const me = this.session.me();
      this.status.set(null);
      if (me && this.session.can('courses.learn')) void firstValueFrom(this.api.mine()).then((s) => this.status.set(s), () => undefined);
    });
  }
}
