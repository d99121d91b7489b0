import { ChangeDetectionStrategy, Component, inject, linkedSignal, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { firstValueFrom } from 'rxjs';
import type { SsoSettings } from '@rehearse/shared/contracts';
import { ApiProblem, AuthApi, toProblem } from '@rehearse/web/data-access';
import { LoadState } from '../../core/load-state';

/**
 * Sign-in with Microsoft Entra ID for the organisation: the app registration's issuer, client id
 * and secret (write-only), the directory id whose accounts are accepted, just-in-time
 * participants, and whether the directory's MFA replaces Rehearse's own second factor.
 */
@Component({
  selector: 'rh-sso-settings',
  imports: [FormsModule, LoadState, MatButtonModule, MatCheckboxModule, MatFormFieldModule, MatInputModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      <h1 i18n>Single sign-on</h1>
      <rh-load-state [of]="loaded" label="Loading" i18n-label />
      @if (s(); as v) {
        <form class="card stack" (ngSubmit)="save()">
          <p i18n class="muted">Register an app in Microsoft Entra ID with the redirect URI <code>{{ v.redirectUri }}</code> (web, authorization code with PKCE), then fill in its details. People are matched by their directory and object ids, never by e-mail alone: existing people link their Microsoft account once from their account page.</p>
          <mat-checkbox i18n name="enabled" [(ngModel)]="v.enabled">Allow sign-in with Microsoft</mat-checkbox>
          <mat-form-field><mat-label i18n>Issuer</mat-label><input i18n-placeholder matInput name="issuer" [(ngModel)]="v.issuer" placeholder="https://login.microsoftonline.com/<directory id>/v2.0" required /></mat-form-field>
          <mat-form-field><mat-label i18n>Directory (tenant) id</mat-label><input matInput name="directoryId" [(ngModel)]="v.directoryId" required /></mat-form-field>
          <mat-form-field><mat-label i18n>Application (client) id</mat-label><input matInput name="clientId" [(ngModel)]="v.clientId" required /></mat-form-field>
          <mat-form-field>
            <mat-label i18n>Client secret</mat-label>
            <input matInput type="password" name="clientSecret" [(ngModel)]="secret" autocomplete="new-password" [placeholder]="v.clientSecretSet ? storedPlaceholder : ''" />
          </mat-form-field>
          <mat-checkbox i18n name="jit" [(ngModel)]="v.jitParticipants">Create a participant when someone from the directory signs in for the first time</mat-checkbox>
          <mat-checkbox i18n name="mfa" [(ngModel)]="v.trustIdpMfa">The directory enforces MFA: skip Rehearse's own second factor</mat-checkbox>
          @if (problem(); as p) {
            <div class="error-text" role="alert"><p>{{ p.message }}</p>@for (f of p.fieldErrors; track f.field) { <p>{{ f.field }}: {{ f.messages.join(', ') }}</p> }</div>
          }
          @if (saved()) { <p i18n role="status">Saved.</p> }
          <div><button i18n mat-flat-button type="submit" [disabled]="busy()">Save</button></div>
        </form>
      }
    </section>
  `,
  styles: `mat-form-field { width: 100%; max-width: 560px; } code { word-break: break-all; }`,
})
export class SsoSettingsPage {
  protected readonly storedPlaceholder = $localize`stored: leave empty to keep it`;
  private readonly api = inject(AuthApi);
  protected readonly loaded = rxResource({ stream: () => this.api.ssoSettings() });
  /** the form: a copy of the settings as loaded, then as saved */
  protected readonly s = linkedSignal<SsoSettings | null>(() =>
    this.loaded.hasValue() ? { ...this.loaded.value() } : null,
  );
  protected readonly problem = signal<ApiProblem | null>(null);
  protected readonly saved = signal(false);
  protected readonly busy = signal(false);
  protected secret = '';

  async save(): Promise<void> {
    const v = this.s();
    if (!v) return;
    this.busy.set(true);
    this.saved.set(false);
    this.problem.set(null);
    try {
      const { enabled, issuer, clientId, directoryId, jitParticipants, trustIdpMfa } = v;
      this.s.set({
        ...(await firstValueFrom(
          this.api.saveSsoSettings({
            enabled,
            issuer: issuer.trim(),
            clientId: clientId.trim(),
            directoryId: directoryId.trim(),
            jitParticipants,
            trustIdpMfa,
            ...(this.secret ? { clientSecret: this.secret } : {}),
          }),
        )),
      });
      this.secret = '';
      this.saved.set(true);
    } catch (e) {
      this.problem.set(toProblem(e));
    } finally {
      this.busy.set(false);
    }
  }
}
