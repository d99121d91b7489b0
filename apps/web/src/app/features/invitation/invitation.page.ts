import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { firstValueFrom } from 'rxjs';
import { ApiProblem, AuthApi, toProblem } from '@rehearse/web/data-access';
import { SessionStore } from '../../core/session.store';
import { loadedValue } from '../../core/load-state';
import { NewPasswordForm } from '../../core/new-password-form';

@Component({
  selector: 'rh-invitation',
  imports: [RouterLink, MatButtonModule, MatProgressBarModule, NewPasswordForm],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page narrow">
      <div class="card">
        @if (loading()) {
          <h1 i18n>Welcome</h1>
          <mat-progress-bar i18n-aria-label mode="indeterminate" aria-label="Checking your invitation" />
        } @else if (done()) {
          <h1 i18n>You are all set</h1>
          <p i18n>Your password is saved. Sign in with your e-mail address and password; we will e-mail you a code the first time.</p>
          <a i18n mat-flat-button routerLink="/login">Sign in</a>
        } @else if (info(); as inv) {
          <h1 i18n>Welcome, {{ inv.name }}</h1>
          <p i18n>{{ inv.tenantName }} invited you to Rehearse as <strong>{{ inv.email }}</strong>. Choose your password.</p>
          <rh-new-password-form
            [rules]="inv.passwordRules"
            [busy]="busy()"
            [problem]="problem()"
            (chosen)="submit($event)"
          />
        } @else {
          <h1 i18n>This link does not work</h1>
          <p class="error-text" role="alert">{{ linkProblem()?.message }}</p>
          <a i18n routerLink="/login">Go to the sign-in page</a>
        }
      </div>
    </section>
  `,
  styles: `.narrow { max-width: 460px; }`,
})
export class InvitationPage {
  readonly token = input.required<string>();
  private readonly auth = inject(AuthApi);
  private readonly session = inject(SessionStore);
  /**
   * The invitation of the link's token (a public page: when the link does not work the page says
   * so in its own words and points to the sign-in page, rather than rh-load-state's retry).
   */
  protected readonly invitation = rxResource({
    params: () => this.token(),
    stream: ({ params: token }) => this.auth.invitation(token),
  });
  protected readonly info = loadedValue(this.invitation);
  protected readonly loading = computed(() => this.invitation.isLoading());
  protected readonly linkProblem = computed<ApiProblem | null>(() => {
    const e = this.invitation.status() === 'error' ? this.invitation.error() : undefined;
    return e ? toProblem(e) : null;
  });
  protected readonly busy = signal(false);
  protected readonly done = signal(false);
  protected readonly problem = signal<ApiProblem | null>(null);

  async submit(password: string): Promise<void> {
    this.busy.set(true);
    this.problem.set(null);
    try {
      await this.session.ensureCsrf();
      await firstValueFrom(this.auth.acceptInvitation(this.token(), password));
      this.done.set(true);
    } catch (e) {
      this.problem.set(toProblem(e));
    } finally {
      this.busy.set(false);
    }
  }
}
