import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { AbstractControl, FormBuilder, ReactiveFormsModule, ValidationErrors, Validators } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { firstValueFrom } from 'rxjs';
import { ApiProblem, AuthApi, fieldMessages, toProblem } from '@rehearse/web/data-access';
import { SessionStore } from '../../core/session.store';
import { loadedValue } from '../../core/load-state';

function matching(group: AbstractControl): ValidationErrors | null {
  const { password, confirm } = group.value as { password: string; confirm: string };
  return password && confirm && password !== confirm ? { mismatch: true } : null;
}

@Component({
  selector: 'rh-invitation',
  imports: [ReactiveFormsModule, RouterLink, MatButtonModule, MatFormFieldModule, MatInputModule, MatProgressBarModule],
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
          <form [formGroup]="form" (ngSubmit)="submit()" class="stack" novalidate>
            <mat-form-field appearance="outline">
              <mat-label i18n>Password</mat-label>
              <input matInput type="password" formControlName="password" autocomplete="new-password" required />
              <mat-hint>{{ rulesText() }}</mat-hint>
              @if (form.controls.password.hasError('required')) { <mat-error i18n>Choose a password</mat-error> }
              @if (form.controls.password.hasError('minlength')) { <mat-error i18n>At least {{ inv.passwordRules.minLength }} characters</mat-error> }
            </mat-form-field>
            <mat-form-field appearance="outline">
              <mat-label i18n>Repeat the password</mat-label>
              <input matInput type="password" formControlName="confirm" autocomplete="new-password" required />
            </mat-form-field>
            @if (form.hasError('mismatch') && form.controls.confirm.touched) {
              <p i18n class="error-text" role="alert">The two passwords differ.</p>
            }
            @if (problem(); as p) {
              <div class="error-text" role="alert">
                <p>{{ p.message }}</p>
                @if (passwordErrors().length) {
                  <ul>@for (m of passwordErrors(); track m) { <li i18n>The password {{ m }}.</li> }</ul>
                }
              </div>
            }
            <button i18n mat-flat-button type="submit" [disabled]="busy()">Save password</button>
          </form>
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
  private readonly fb = inject(FormBuilder);
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
  protected readonly form = this.fb.nonNullable.group(
    {
      password: ['', [Validators.required, Validators.minLength(8), Validators.maxLength(128)]],
      confirm: ['', Validators.required],
    },
    { validators: matching },
  );
  protected readonly rulesText = computed(() => {
    const r = this.info()?.passwordRules;
    if (!r) return '';
    return r.requireComplexity
      ? $localize`${r.minLength}:min: to ${r.maxLength}:max: characters; not a common password; with upper and lower case, a digit and a symbol. A long phrase works well.`
      : $localize`${r.minLength}:min: to ${r.maxLength}:max: characters; not a common password. A long phrase works well.`;
  });

  protected passwordErrors(): string[] {
    return fieldMessages(this.problem(), 'password');
  }

  async submit(): Promise<void> {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.busy.set(true);
    this.problem.set(null);
    try {
      await this.session.ensureCsrf();
      await firstValueFrom(this.auth.acceptInvitation(this.token(), this.form.getRawValue().password));
      this.done.set(true);
    } catch (e) {
      const p = toProblem(e);
      this.problem.set(p);
      if (p.fieldErrors.length) this.form.controls.password.setErrors({ server: true });
    } finally {
      this.busy.set(false);
    }
  }
}
