import { DatePipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  inject,
  Injectable,
  InjectionToken,
  signal,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { firstValueFrom } from 'rxjs';
import { AuthApi, toProblem } from '@rehearse/web/data-access';
import { SessionStore } from './session.store';

/** How long before a session ends the page says so (WCAG 2.2.1: at least 20 seconds to extend it). */
export const SESSION_WARNING_MS = 2 * 60_000;
/** How long before the session's absolute end the page says so (it cannot be extended). */
export const SESSION_END_WARNING_MS = 10 * 60_000;
/** The server pushes an idle session's end on at most once a minute (its touch is throttled). */
const TOUCH_MARGIN_MS = 60_000;

/** The time now (tests give their own). */
export const NOW = new InjectionToken<() => number>('NOW', { factory: () => () => Date.now() });

/**
 * When the signed-in person's session ends: after SESSION_IDLE_MINUTES without a request, counted
 * from the last answer the app heard (the session interceptor tells it of each), and at its absolute
 * end. `warning` says which end is near, so the page can say so before it comes.
 */
@Injectable({ providedIn: 'root' })
export class SessionTimeout {
  private readonly session = inject(SessionStore);
  private readonly auth = inject(AuthApi);
  private readonly clock = inject(NOW);
  /** when the app last heard the server answer one of this session's requests */
  private readonly heardAt = signal(this.clock());
  /** the time, moved on by `tick` (the banner ticks while someone is signed in) */
  private readonly now = signal(this.clock());

  /** An answer of the server to a request of this session: its idle end moved on. */
  heard(): void {
    this.heardAt.set(this.clock());
    this.tick();
  }

  tick(): void {
    this.now.set(this.clock());
  }

  /**
   * One request, which moves the session's end on (the interceptor hears its answer): the banner's
   * "Stay signed in", and a recording under way, which makes no request of its own until it is sent.
   */
  keep(): Promise<unknown> {
    return firstValueFrom(this.auth.me());
  }

  /** when the session ends without a request: a minute early, as the server moves its end on at most once a minute */
  readonly idleEndsAt = computed(() => {
    const times = this.session.me()?.session;
    return times ? this.heardAt() + Math.max(0, times.idleMinutes * 60_000 - TOUCH_MARGIN_MS) : null;
  });

  /** the end that is near, and when it comes; null while neither is */
  readonly warning = computed((): { kind: 'idle' | 'absolute'; at: number; past: boolean } | null => {
    const times = this.session.me()?.session;
    const idle = this.idleEndsAt();
    if (!times || idle === null) return null;
    const absolute = Date.parse(times.endsAt);
    const now = this.now();
    if (absolute <= idle && absolute - now <= SESSION_END_WARNING_MS)
      return { kind: 'absolute', at: absolute, past: absolute <= now };
    // (past: the computer slept, or the tab was in the background, through the end)
    if (idle - now <= SESSION_WARNING_MS) return { kind: 'idle', at: idle, past: idle <= now };
    return null;
  });
}

/**
 * Said before the session ends, while there is time to act: without activity, with a button that
 * keeps it (one request, which moves its end on); at its absolute end, that it cannot be kept.
 * The time is a time of day, not a countdown, so that a screen reader hears it once.
 */
@Component({
  selector: 'rh-session-timeout',
  imports: [MatButtonModule, DatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (timeout.warning(); as w) {
      <div class="banner" role="alert">
        @if (w.kind === 'idle') {
          @if (w.past) {
            <!-- a request may have kept it (a recording's video loading): the button finds out, or leads to signing in -->
            <span i18n>Nothing has happened for a while: you have probably been signed out since {{ w.at | date: 'shortTime' }}.</span>
          } @else {
            <span i18n>Nothing has happened for a while: you will be signed out at {{ w.at | date: 'shortTime' }}.</span>
          }
          <button i18n mat-flat-button type="button" (click)="stay()" [disabled]="busy()">Stay signed in</button>
        } @else if (w.past) {
          <span i18n>Your session ended at {{ w.at | date: 'shortTime' }}: sign in again to go on.</span>
        } @else {
          <span i18n>Your session ends at {{ w.at | date: 'shortTime' }}, however long you have been busy: save what you are writing, then sign in again.</span>
        }
        @if (error()) {
          <span>{{ error() }}</span>
        }
      </div>
    }
  `,
  styles: `
    .banner { display: flex; gap: 12px; align-items: center; flex-wrap: wrap; padding: 8px 16px; background: var(--mat-sys-tertiary-container); color: var(--mat-sys-on-tertiary-container); }
  `,
})
export class SessionTimeoutBanner {
  protected readonly timeout = inject(SessionTimeout);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);

  constructor() {
    const timer = setInterval(() => this.timeout.tick(), 5_000);
    inject(DestroyRef).onDestroy(() => clearInterval(timer));
  }

  /** One request: the server moves the session's end on, and the session interceptor tells the timeout. */
  async stay(): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      await this.timeout.keep();
    } catch (e) {
      this.error.set(toProblem(e).message);
    } finally {
      this.busy.set(false);
    }
  }
}
