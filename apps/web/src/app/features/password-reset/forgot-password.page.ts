import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { firstValueFrom } from 'rxjs';
import { ApiProblem, AuthApi, toProblem } from '@rehearse/web/data-access';
import { emailAddress } from '../../core/email-address';
import { SessionStore } from '../../core/session.store';

/**
 * A forgotten password: the address to send a link to. The answer is the same whether or not the
 * address has an account (the page says what to look for, and that the link is short-lived).
 */
@Component({
  selector: 'rh-forgot-password',
  imports: [ReactiveFormsModule, RouterLink, MatButtonModule, MatFormFieldModule, MatInputModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page narrow">
      <div class="card">
        <h1 i18n>Forgot your password?</h1>
        @if (sent()) {
          <p i18n role="status">If this address belongs to an account, a link to choose a new password is on its way to it. It works once, for a short time; check your spam folder too.</p>
          <p i18n class="muted">The link lets you choose a new password. You will still be asked for your sign-in code when you sign in with it.</p>
          <a i18n mat-flat-button routerLink="/login">Back to sign in</a>
        } @else {
          <p i18n>Enter the e-mail address you sign in with. We will send it a link to choose a new password.</p>
          <form [formGroup]="form" (ngSubmit)="submit()" class="stack" novalidate>
            <mat-form-field appearance="outline">
              <mat-label i18n>E-mail address</mat-label>
              <input matInput type="email" formControlName="email" autocomplete="username" required />
              @if (form.controls.email.hasError('required')) { <mat-error i18n>Enter your e-mail address</mat-error> }
              @if (form.controls.email.hasError('email')) { <mat-error i18n>This is not an e-mail address</mat-error> }
            </mat-form-field>
            @if (problem(); as p) {
              <p class="error-text" role="alert">{{ p.message }}</p>
            }
            <button i18n mat-flat-button type="submit" [disabled]="busy()">Send the link</button>
          </form>
          <p><a i18n routerLink="/login">Back to sign in</a></p>
        }
      </div>
    </section>
  `,
  styles: `.narrow { max-width: 460px; }`,
})
export class ForgotPasswordPage {
  private readonly auth = inject(AuthApi);
  private readonly session = inject(SessionStore);
  protected readonly form = inject(FormBuilder).nonNullable.group({
    email: ['', [Validators.required, emailAddress, Validators.maxLength(254)]],
  });
  protected readonly busy = signal(false);
  protected readonly problem = signal<ApiProblem | null>(null);
  /** the link is asked for (the server's answer is the same whether or not the address has an account) */
  protected readonly sent = signal(false);

  async submit(): Promise<void> {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.busy.set(true);
    this.problem.set(null);
    try {
      await this.session.ensureCsrf();
      await firstValueFrom(this.auth.requestPasswordReset(this.form.getRawValue().email));
      this.sent.set(true);
    } catch (e) {
      this.problem.set(toProblem(e));
    } finally {
      this.busy.set(false);
    }
  }
}
