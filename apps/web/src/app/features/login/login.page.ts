import { ChangeDetectionStrategy, Component, inject, input, OnInit, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { emailAddress } from '../../core/email-address';
import { forgetQuery } from '../../core/forget-query';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { firstValueFrom } from 'rxjs';
import { LOCALE_NAMES, LOCALES, type LoginResult, type SsoError } from '@rehearse/shared/contracts';
import { ApiProblem, AuthApi, fieldMessages, toProblem } from '@rehearse/web/data-access';
import { SessionStore } from '../../core/session.store';
import { activeLocale, chooseLocale } from '../../core/locale';

/** What the sign-in page says when the organisation's identity provider sign-in did not go through. */
export const SSO_ERRORS: Record<SsoError, string> = {
  expired: $localize`The sign-in with your organisation took too long or was started in another window. Please try again.`,
  state: $localize`The answer from your organisation’s sign-in did not belong to this sign-in. Please try again.`,
  provider: $localize`Your organisation’s sign-in could not be verified. Please try again, or sign in with your password.`,
  directory: $localize`This Microsoft account belongs to another organisation.`,
  not_linked: $localize`This Microsoft account is not linked to your Rehearse account yet. Sign in with your password, then link it on your account page.`,
  no_account: $localize`There is no Rehearse account for this Microsoft account. Ask your administrator to invite you.`,
  inactive: $localize`This Rehearse account cannot sign in. Ask your administrator.`,
  misconfigured: $localize`Sign-in with your organisation is not available right now. Sign in with your password.`,
  unavailable: $localize`Your organisation’s sign-in cannot be reached right now. Please try again later, or sign in with your password.`,
  linked_elsewhere: $localize`This Microsoft account is linked to another Rehearse account.`,
  too_many_codes: $localize`Too many sign-in codes were sent to your e-mail address. Use the latest one you received, or try again later.`,
};

type Step =
  | { kind: 'password' }
  | { kind: 'organisation'; organisations: { slug: string; name: string }[] }
  | { kind: 'code'; method: 'email' | 'totp'; alternatives: ('email' | 'totp')[] };

@Component({
  selector: 'rh-login',
  imports: [
    ReactiveFormsModule,
    FormsModule,
    RouterLink,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page narrow">
      <div class="card">
        <h1 i18n>Sign in</h1>
        @if (expired()) {
          <p i18n class="notice" role="status">Your session ended. Please sign in again.</p>
        }
        @if (busy()) {
          <mat-progress-bar i18n-aria-label mode="indeterminate" aria-label="Signing in" />
        }
        @if (problem(); as p) {
          <p class="error-text" role="alert">{{ p.message }}</p>
        }
        @if (ssoMessage(); as m) {
          <p class="error-text sso-error" role="alert">{{ m }}</p>
        }
        @if (step().kind === 'password') {
          <form [formGroup]="credentials" (ngSubmit)="submitPassword()" class="stack" novalidate>
            <mat-form-field appearance="outline">
              <mat-label i18n>E-mail address</mat-label>
              <input matInput type="email" formControlName="email" autocomplete="username" required />
              @if (credentials.controls.email.hasError('required')) { <mat-error i18n>Enter your e-mail address</mat-error> }
              @if (credentials.controls.email.hasError('email')) { <mat-error i18n>This is not an e-mail address</mat-error> }
            </mat-form-field>
            <mat-form-field appearance="outline">
              <mat-label i18n>Password</mat-label>
              <input matInput type="password" formControlName="password" autocomplete="current-password" required />
              @if (credentials.controls.password.hasError('required')) { <mat-error i18n>Enter your password</mat-error> }
            </mat-form-field>
            <button i18n mat-flat-button type="submit" [disabled]="busy()">Continue</button>
            <a i18n class="forgot" routerLink="/password-reset">Forgot your password?</a>
          </form>
          <form class="stack sso" (ngSubmit)="startSso()">
            <p i18n class="muted">Or sign in with your organisation’s Microsoft account:</p>
            <mat-form-field appearance="outline">
              <mat-label i18n>Organisation short name</mat-label>
              <input matInput name="org" [(ngModel)]="org" autocomplete="organization" />
            </mat-form-field>
            <button i18n mat-stroked-button type="submit" [disabled]="busy() || !org.trim()">Continue with Microsoft</button>
          </form>
        } @else if (step(); as s) {
          @if (s.kind === 'organisation') {
            <div class="stack">
              <p i18n id="choose-org">This address and password open accounts in more than one organisation. Which one do you want to sign in to?</p>
              <div class="stack" role="group" aria-labelledby="choose-org">
                @for (o of s.organisations; track o.slug) {
                  <button mat-stroked-button type="button" (click)="chooseOrganisation(o.slug)" [disabled]="busy()">{{ o.name }}</button>
                }
              </div>
              <button i18n mat-button type="button" (click)="restart()">Start again</button>
            </div>
          }
          @if (s.kind === 'code') {
            <form [formGroup]="codeForm" (ngSubmit)="submitCode()" class="stack" novalidate>
              <p>
                @if (s.method === 'email') { <ng-container i18n>We e-mailed you a 6-digit code. It is valid for 10 minutes.</ng-container> }
                @else { <ng-container i18n>Enter the 6-digit code from your authenticator app.</ng-container> }
              </p>
              <mat-form-field appearance="outline">
                <mat-label i18n>Code</mat-label>
                <input matInput formControlName="code" inputmode="numeric" autocomplete="one-time-code" maxlength="6" required />
                @if (codeForm.controls.code.hasError('pattern') || codeForm.controls.code.hasError('required')) { <mat-error i18n>The code has 6 digits</mat-error> }
                @for (m of codeErrors(); track m) { <mat-error>{{ m }}</mat-error> }
              </mat-form-field>
              @if (s.alternatives.length === 1 && s.alternatives[0] === 'totp') {
                <span i18n class="muted">Superusers sign in with an authenticator app on every device.</span>
              } @else {
                <mat-checkbox i18n formControlName="trustDevice">Trust this device for 90 days</mat-checkbox>
              }
              <div class="row">
                <button i18n mat-flat-button type="submit" [disabled]="busy()">Sign in</button>
                @if (s.alternatives.includes('email')) {
                  <button mat-button type="button" (click)="sendEmailCode()" [disabled]="busy()">
                    @if (s.method === 'email') {<ng-container i18n>Send a new code</ng-container>} @else {<ng-container i18n>E-mail me a code instead</ng-container>}
                  </button>
                }
                <button i18n mat-button type="button" (click)="restart()">Start again</button>
              </div>
            </form>
          }
        }
      </div>
      <nav class="languages" i18n-aria-label aria-label="Language">
        @for (l of locales; track l) {
          @if (l === locale) {
            <span class="current" [attr.lang]="l" aria-current="true">{{ localeNames[l] }}</span>
          } @else {
            <button mat-button type="button" [attr.lang]="l" (click)="choose(l)">{{ localeNames[l] }}</button>
          }
        }
      </nav>
    </section>
  `,
  styles: `.narrow { max-width: 420px; } .forgot { align-self: center; } .languages { display: flex; justify-content: center; align-items: center; gap: 4px; margin-top: 8px; } .languages .current { font-weight: 600; padding: 0 12px; } .notice { background: var(--mat-sys-secondary-container); padding: 8px 12px; border-radius: 8px; }`,
})
export class LoginPage implements OnInit {
  protected readonly locales = LOCALES;
  protected readonly localeNames = LOCALE_NAMES;
  /** the page's language; signing in keeps it on an account that has not chosen one */
  protected readonly locale = activeLocale();
  protected choose(locale: 'en' | 'nl'): void {
    chooseLocale(locale);
  }
  readonly returnUrl = input<string>('/');
  readonly expired = input<string | undefined>(undefined);
  /** back from the organisation's identity provider: the second factor is asked (`?mfa=email`) or it failed (`?sso_error=`) */
  readonly mfa = input<string | undefined>(undefined);
  private readonly route = inject(ActivatedRoute, { optional: true });
  protected org = '';
  protected readonly ssoMessage = signal<string | null>(null);
  private readonly fb = inject(FormBuilder);
  private readonly auth = inject(AuthApi);
  private readonly session = inject(SessionStore);
  private readonly router = inject(Router);

  protected readonly step = signal<Step>({ kind: 'password' });
  protected readonly busy = signal(false);
  protected readonly problem = signal<ApiProblem | null>(null);
  protected readonly credentials = this.fb.nonNullable.group({
    email: ['', [Validators.required, emailAddress]],
    password: ['', Validators.required],
  });
  protected readonly codeForm = this.fb.nonNullable.group({
    code: ['', [Validators.required, Validators.pattern(/^\d{6}$/)]],
    trustDevice: [false],
  });

  ngOnInit(): void {
    const err = this.route?.snapshot.queryParamMap.get('sso_error');
    if (err) {
      this.ssoMessage.set(SSO_ERRORS[err as SsoError] ?? SSO_ERRORS.provider);
      void forgetQuery(this.router, this.route, ['sso_error']);
    }
    if (this.mfa() === 'email' || this.mfa() === 'totp')
      this.step.set({ kind: 'code', method: this.mfa() as 'email' | 'totp', alternatives: ['email'] });
  }

  /** Off to the organisation's identity provider, when it offers sign-in there. */
  async startSso(): Promise<void> {
    const slug = this.org.trim().toLowerCase();
    await this.run(async () => {
      this.ssoMessage.set(null);
      const info = await firstValueFrom(this.auth.ssoInfo(slug));
      if (!info.enabled) {
        this.ssoMessage.set(
          $localize`${info.tenantName} does not offer sign-in with Microsoft: use your e-mail address and password.`,
        );
        return;
      }
      this.navigate(`/api/auth/sso/${encodeURIComponent(slug)}/start`);
    });
  }

  /** A full page load (tests replace it). */
  protected navigate(url: string): void {
    window.location.assign(url);
  }

  protected codeErrors(): string[] {
    return fieldMessages(this.problem(), 'code');
  }

  async submitPassword(): Promise<void> {
    if (this.credentials.invalid) {
      this.credentials.markAllAsTouched();
      return;
    }
    const { email, password } = this.credentials.getRawValue();
    await this.run(async () => {
      await this.session.ensureCsrf();
      this.handle(await firstValueFrom(this.auth.login(email, password)));
    });
  }

  /** Signs in again with the same address and password, naming the organisation. */
  async chooseOrganisation(slug: string): Promise<void> {
    const { email, password } = this.credentials.getRawValue();
    await this.run(async () => this.handle(await firstValueFrom(this.auth.login(email, password, slug))));
  }

  async submitCode(): Promise<void> {
    if (this.codeForm.invalid) {
      this.codeForm.markAllAsTouched();
      return;
    }
    const { code, trustDevice } = this.codeForm.getRawValue();
    await this.run(async () => this.handle(await firstValueFrom(this.auth.verify(code, trustDevice))));
  }

  async sendEmailCode(): Promise<void> {
    await this.run(async () => {
      this.handle(await firstValueFrom(this.auth.sendEmailCode()));
      this.codeForm.controls.code.reset('');
    });
  }

  restart(): void {
    this.problem.set(null);
    this.codeForm.reset({ code: '', trustDevice: false });
    this.step.set({ kind: 'password' });
  }

  private handle(result: LoginResult): void {
    if (result.status === 'signed_in') {
      this.session.set(result.me);
      const target = this.returnUrl()?.startsWith('/') && !this.returnUrl().startsWith('//') ? this.returnUrl() : '/';
      void this.router.navigateByUrl(target);
    } else if (result.status === 'choose_organisation') {
      this.step.set({ kind: 'organisation', organisations: result.organisations });
    } else {
      this.step.set({ kind: 'code', method: result.method, alternatives: result.alternatives });
    }
  }

  private async run(fn: () => Promise<void>): Promise<void> {
    this.busy.set(true);
    this.problem.set(null);
    try {
      await fn();
    } catch (e) {
      const p = toProblem(e);
      this.problem.set(p);
      // the pending sign-in expired: back to the password step
      if (p.status === 401 && this.step().kind === 'code') this.step.set({ kind: 'password' });
    } finally {
      this.busy.set(false);
    }
  }
}
