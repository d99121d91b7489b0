import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { AuthApi } from '@rehearse/web/data-access';
import { oneTimeLink } from '../../core/one-time-link';
import { NewPasswordForm } from '../../core/new-password-form';

@Component({
  selector: 'rh-invitation',
  imports: [RouterLink, MatButtonModule, MatProgressBarModule, NewPasswordForm],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page narrow">
      <div class="card">
        @if (link.loading()) {
          <h1 i18n>Welcome</h1>
          <mat-progress-bar i18n-aria-label mode="indeterminate" aria-label="Checking your invitation" />
        } @else if (link.done()) {
          <h1 i18n>You are all set</h1>
          <p i18n>Your password is saved. Sign in with your e-mail address and password; we will e-mail you a code the first time.</p>
          <a i18n mat-flat-button routerLink="/login">Sign in</a>
        } @else if (link.info(); as inv) {
          <h1 i18n>Welcome, {{ inv.name }}</h1>
          <p i18n>{{ inv.tenantName }} invited you to Rehearse as <strong>{{ inv.email }}</strong>. Choose your password.</p>
          <rh-new-password-form
            [rules]="inv.passwordRules"
            [busy]="link.busy()"
            [problem]="link.problem()"
            (chosen)="submit($event)"
          />
        } @else {
          <h1 i18n>This link does not work</h1>
          <p class="error-text" role="alert">{{ link.linkProblem()?.message }}</p>
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
  protected readonly link = oneTimeLink(
    () => this.token(),
    (t) => this.auth.invitation(t),
  );

  submit(password: string): Promise<void> {
    return this.link.send(() => this.auth.acceptInvitation(this.token(), password));
  }
}
