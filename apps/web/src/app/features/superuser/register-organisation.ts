import { ChangeDetectionStrategy, Component, inject, output, signal } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { firstValueFrom } from 'rxjs';
import { type Locale, LOCALE_NAMES, LOCALES, type TenantAgreement } from '@rehearse/shared/contracts';
import { type ApiProblem, fieldMessages, SuperuserApi, toProblem } from '@rehearse/web/data-access';
import { emailAddress } from '../../core/email-address';
import { activeLocale } from '../../core/locale';

/** An organisation's short name: lower-case letters, digits and dashes, a letter or digit at each end (the API's rule). */
export const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** A short name made from an organisation's name ("Zorggroep Noord-Holland B.V." → "zorggroep-noord-holland-b-v"). */
export function slugOf(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 63)
    .replace(/^-+|-+$/g, '');
}

/**
 * A superuser registers a client organisation with its first administrator, who is e-mailed a
 * one-time link to choose a password (as `npm run create-tenant` does on the server). The short
 * name follows the name until it is changed by hand.
 */
@Component({
  selector: 'rh-register-organisation',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <form [formGroup]="form" (ngSubmit)="submit()" class="stack" novalidate>
      <h3 i18n>Register an organisation</h3>
      <p i18n class="muted">Its first administrator receives a one-time link by e-mail to choose a password, and registers the organisation’s people. The registration is on the organisation’s account activity, with your name.</p>
      <div class="row">
        <mat-form-field appearance="outline">
          <mat-label i18n>Organisation’s name</mat-label>
          <input matInput formControlName="name" required (input)="nameChanged()" />
          @if (form.controls.name.hasError('required')) { <mat-error i18n>Enter the organisation’s name</mat-error> }
          @for (m of errors('name'); track m) { <mat-error>{{ m }}</mat-error> }
        </mat-form-field>
        <mat-form-field appearance="outline">
          <mat-label i18n>Short name (slug)</mat-label>
          <input matInput formControlName="slug" required (input)="slugEdited = true" spellcheck="false" />
          <mat-hint i18n>Lower-case letters, digits and dashes; people give it at sign-in when their address opens accounts in several organisations</mat-hint>
          @if (form.controls.slug.hasError('required')) { <mat-error i18n>Enter a short name</mat-error> }
          @else if (form.controls.slug.hasError('pattern')) { <mat-error i18n>Use lower-case letters, digits and dashes, with a letter or digit at each end</mat-error> }
          @for (m of errors('slug'); track m) { <mat-error>{{ m }}</mat-error> }
        </mat-form-field>
      </div>
      <div class="row">
        <mat-form-field appearance="outline">
          <mat-label i18n>Administrator’s name</mat-label>
          <input matInput formControlName="adminName" required />
          @if (form.controls.adminName.hasError('required')) { <mat-error i18n>Enter a name</mat-error> }
          @for (m of errors('administrator.name'); track m) { <mat-error>{{ m }}</mat-error> }
        </mat-form-field>
        <mat-form-field appearance="outline">
          <mat-label i18n>Their e-mail address</mat-label>
          <input matInput type="email" formControlName="adminEmail" required />
          @if (form.controls.adminEmail.hasError('required')) { <mat-error i18n>Enter an e-mail address</mat-error> }
          @else if (form.controls.adminEmail.hasError('email')) { <mat-error i18n>This is not an e-mail address</mat-error> }
          @for (m of errors('administrator.email'); track m) { <mat-error>{{ m }}</mat-error> }
        </mat-form-field>
        <mat-form-field appearance="outline">
          <mat-label i18n>Language of the invitation</mat-label>
          <mat-select formControlName="locale">
            @for (l of locales; track l) { <mat-option [value]="l">{{ localeNames[l] }}</mat-option> }
          </mat-select>
        </mat-form-field>
      </div>
      <mat-checkbox i18n formControlName="complexity">Passwords must mix upper- and lower-case letters, digits and symbols</mat-checkbox>
      @if (problem(); as p) { <p class="error-text" role="alert">{{ p.message }}</p> }
      <div class="row">
        <button i18n mat-flat-button type="submit" [disabled]="busy()">Register and invite</button>
        <button i18n mat-button type="button" (click)="cancelled.emit()">Cancel</button>
      </div>
    </form>
  `,
  styles: `mat-form-field { flex: 1 1 14rem; min-width: 0; } h3 { margin: 0; }`,
})
export class RegisterOrganisation {
  private readonly api = inject(SuperuserApi);
  private readonly fb = inject(FormBuilder);
  /** the organisation registered (its administrator's invitation on its way) */
  readonly registered = output<{ organisation: TenantAgreement; administrator: string; email: string }>();
  readonly cancelled = output<void>();
  protected readonly locales = LOCALES;
  protected readonly localeNames = LOCALE_NAMES;
  protected readonly busy = signal(false);
  protected readonly problem = signal<ApiProblem | null>(null);
  /** the short name was typed by hand: the name no longer changes it */
  protected slugEdited = false;
  protected readonly form = this.fb.nonNullable.group({
    name: ['', [Validators.required, Validators.maxLength(200)]],
    slug: ['', [Validators.required, Validators.maxLength(63), Validators.pattern(SLUG)]],
    adminName: ['', [Validators.required, Validators.maxLength(200)]],
    adminEmail: ['', [Validators.required, emailAddress, Validators.maxLength(254)]],
    locale: [activeLocale() as Locale],
    complexity: [false],
  });

  protected errors(field: string): string[] {
    return fieldMessages(this.problem(), field);
  }

  protected nameChanged(): void {
    if (!this.slugEdited) this.form.controls.slug.setValue(slugOf(this.form.controls.name.value));
  }

  async submit(): Promise<void> {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const v = this.form.getRawValue();
    this.busy.set(true);
    this.problem.set(null);
    try {
      const organisation = await firstValueFrom(
        this.api.registerOrganisation({
          name: v.name.trim(),
          slug: v.slug,
          requirePasswordComplexity: v.complexity,
          administrator: { name: v.adminName.trim(), email: v.adminEmail.trim(), locale: v.locale },
        }),
      );
      this.registered.emit({ organisation, administrator: v.adminName.trim(), email: v.adminEmail.trim() });
    } catch (e) {
      this.problem.set(toProblem(e));
    } finally {
      this.busy.set(false);
    }
  }
}
