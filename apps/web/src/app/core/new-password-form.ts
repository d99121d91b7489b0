import { ChangeDetectionStrategy, Component, computed, effect, inject, input, output } from '@angular/core';
import { AbstractControl, FormBuilder, ReactiveFormsModule, ValidationErrors, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { PasswordRules } from '@rehearse/shared/contracts';
import { ApiProblem, fieldMessages } from '@rehearse/web/data-access';

function matching(group: AbstractControl): ValidationErrors | null {
  const { password, confirm } = group.value as { password: string; confirm: string };
  return password && confirm && password !== confirm ? { mismatch: true } : null;
}

/**
 * Choosing a password (an invitation's first, a reset's new one): typed twice, the organisation's
 * rules under it, and what the server refused in it listed. Emits the password once both match.
 */
@Component({
  selector: 'rh-new-password-form',
  imports: [ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <form [formGroup]="form" (ngSubmit)="submit()" class="stack" novalidate>
      <!-- the rules under the field take two lines: the field makes room for them -->
      <mat-form-field appearance="outline" subscriptSizing="dynamic">
        <mat-label>{{ label() }}</mat-label>
        <input matInput type="password" formControlName="password" autocomplete="new-password" required />
        <mat-hint>{{ rulesText() }}</mat-hint>
        @if (form.controls.password.hasError('required')) { <mat-error i18n>Choose a password</mat-error> }
        @if (form.controls.password.hasError('minlength')) { <mat-error i18n>At least {{ rules().minLength }} characters</mat-error> }
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
      <button mat-flat-button type="submit" [disabled]="busy()">{{ submitLabel() }}</button>
    </form>
  `,
})
export class NewPasswordForm {
  readonly rules = input.required<PasswordRules>();
  readonly busy = input(false);
  /** what the server answered to the last password sent */
  readonly problem = input<ApiProblem | null>(null);
  readonly label = input($localize`Password`);
  readonly submitLabel = input($localize`Save password`);
  readonly chosen = output<string>();

  private readonly fb = inject(FormBuilder);
  protected readonly form = this.fb.nonNullable.group(
    {
      password: ['', [Validators.required, Validators.minLength(8), Validators.maxLength(128)]],
      confirm: ['', Validators.required],
    },
    { validators: matching },
  );
  protected readonly passwordErrors = computed(() => fieldMessages(this.problem(), 'password'));
  protected readonly rulesText = computed(() => {
    const r = this.rules();
    return r.requireComplexity
      ? $localize`${r.minLength}:min: to ${r.maxLength}:max: characters; not a common password; with upper and lower case, a digit and a symbol. A long phrase works well.`
      : $localize`${r.minLength}:min: to ${r.maxLength}:max: characters; not a common password. A long phrase works well.`;
  });

  constructor() {
    // a password the server refused is marked on the field until it is changed
    effect(() => {
      if (this.passwordErrors().length) this.form.controls.password.setErrors({ server: true });
    });
  }

  protected submit(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.chosen.emit(this.form.getRawValue().password);
  }
}
