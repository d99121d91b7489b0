import { ChangeDetectionStrategy, Component, computed, inject, input, LOCALE_ID } from '@angular/core';
import { formatDate } from '@angular/common';
import { RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { AuthApi } from '@rehearse/web/data-access';
import { oneTimeLink } from '../../core/one-time-link';
import { NewPasswordForm } from '../../core/new-password-form';

/**
 * The link of a forgotten password: whose account it is, then the new password. It signs nobody
 * in: the next sign-in asks for the second factor as always.
 */
@Component({
  selector: 'rh-password-reset',
  imports: [RouterLink, MatButtonModule, MatProgressBarModule, NewPasswordForm],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page narrow">
      <div class="card">
        @if (link.loading()) {
          <h1 i18n>Choose a new password</h1>
          <mat-progress-bar i18n-aria-label mode="indeterminate" aria-label="Checking your link" />
        } @else if (link.done()) {
          <h1 i18n>Your password is changed</h1>
          <p i18n>Sign in with your e-mail address and the new password. Every other session of yours has ended, and you will be asked for your sign-in code.</p>
          <a i18n mat-flat-button routerLink="/login">Sign in</a>
        } @else if (link.info(); as r) {
          <h1 i18n>Choose a new password</h1>
          <p i18n>For <strong>{{ r.email }}</strong> at {{ r.tenantName }}. The link works once, until {{ until() }}.</p>
          <rh-new-password-form
            [rules]="r.passwordRules"
            [busy]="link.busy()"
            [problem]="link.problem()"
            i18n-label
            label="New password"
            i18n-submitLabel
            submitLabel="Save the new password"
            (chosen)="submit($event)"
          />
        } @else {
          <h1 i18n>This link does not work</h1>
          <p class="error-text" role="alert">{{ link.linkProblem()?.message }}</p>
          <p><a i18n mat-flat-button routerLink="/password-reset">Ask for a new link</a></p>
          <a i18n routerLink="/login">Go to the sign-in page</a>
        }
      </div>
    </section>
  `,
  styles: `.narrow { max-width: 460px; }`,
})
export class PasswordResetPage {
  readonly token = input.required<string>();
  private readonly auth = inject(AuthApi);
  private readonly locale = inject(LOCALE_ID);
  /** the link's reset (a link that does not work is said so, with a way to ask for another) */
  protected readonly link = oneTimeLink(
    () => this.token(),
    (t) => this.auth.passwordReset(t),
  );
  protected readonly until = computed(() => {
    const at = this.link.info()?.expiresAt;
    return at ? formatDate(at, 'shortTime', this.locale) : '';
  });

  submit(password: string): Promise<void> {
    return this.link.send(() => this.auth.completePasswordReset(this.token(), password));
  }
}
