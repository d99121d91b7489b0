import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { DatePipe } from '@angular/common';
import { Router } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { firstValueFrom } from 'rxjs';
import type { ImpersonationInfo } from '@rehearse/shared/contracts';
import { AuthApi, toProblem } from '@rehearse/web/data-access';
import { SessionStore } from './session.store';

/** Always visible while a superuser acts as someone: who, why, until when, and a way out. */
@Component({
  selector: 'rh-impersonation-banner',
  imports: [MatButtonModule, DatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="banner" role="alert" aria-live="assertive">
      <strong i18n>Acting as {{ userName() }}</strong>
      <span i18n>as {{ impersonation().superuserName }} · reason: “{{ impersonation().reason }}” · ends {{ impersonation().expiresAt | date: 'shortTime' }}</span>
      <span class="spacer"></span>
      @if (error()) {
        <span>{{ error() }}</span>
      }
      <button i18n mat-flat-button type="button" (click)="end()" [disabled]="busy()">Stop impersonating</button>
    </div>
  `,
  styles: `
    .banner { display: flex; gap: 12px; align-items: center; flex-wrap: wrap; padding: 8px 16px; background: var(--mat-sys-error-container); color: var(--mat-sys-on-error-container); }
    .spacer { flex: 1 1 auto; }
  `,
})
export class ImpersonationBanner {
  readonly impersonation = input.required<ImpersonationInfo>();
  readonly userName = input.required<string>();
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  private readonly auth = inject(AuthApi);
  private readonly session = inject(SessionStore);
  private readonly router = inject(Router);

  async end(): Promise<void> {
    this.busy.set(true);
    try {
      this.session.set(await firstValueFrom(this.auth.endImpersonation()));
      await this.router.navigate(['/superuser']);
    } catch (e) {
      this.error.set(toProblem(e).message);
    } finally {
      this.busy.set(false);
    }
  }
}
