import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, effect, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { LICENCE_WARNING_DAYS, type MyRetention } from '@rehearse/shared/contracts';
import { LifecycleApi } from '@rehearse/web/data-access';
import { SessionStore } from '../../core/session.store';

/**
 * The in-app notice: a licence ending within LICENCE_WARNING_DAYS says so ahead of time; an expired
 * licence hides the user's work, and their recordings have a deletion date.
 */
@Component({
  selector: 'rh-retention-banner',
  imports: [DatePipe, RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (status(); as s) {
      @if (s.hidden) {
        <div i18n class="banner" role="alert">
          Your licence expired on {{ s.licenceExpiresOn | date: 'mediumDate' }}: your answers and feedback are hidden.
          @if (s.deletionDueOn) { Your recordings will be deleted on {{ s.deletionDueOn | date: 'mediumDate' }}. }
          <a routerLink="/my/data">What you can do</a>
        </div>
      } @else if (endsIn(s); as days) {
        <div i18n class="banner" role="status">
          Your licence ends on {{ s.licenceExpiresOn | date: 'mediumDate' }} (@if (days === 1) {tomorrow} @else {in {{ days }} days}): after that your answers and feedback are hidden until your administrator extends it.
          <a routerLink="/my/data">Your data</a>
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

  /** days until a licence that ends within the warning period ends (null: not soon, or no licence) */
  endsIn(s: MyRetention): number | null {
    if (!s.licenceExpiresOn) return null;
    const today = new Date(new Date().toISOString().slice(0, 10)).getTime();
    const days = Math.round((Date.parse(s.licenceExpiresOn) - today) / 86_400_000);
    return days >= 1 && days <= LICENCE_WARNING_DAYS ? days : null;
  }

  constructor() {
    effect(() => {
      const me = this.session.me();
      this.status.set(null);
      if (me && this.session.can('courses.learn'))
        void firstValueFrom(this.api.mine()).then(
          (s) => this.status.set(s),
          () => undefined,
        );
    });
  }
}
