import { emailAddress } from '../../core/email-address';
import { actorRoleName } from '../../core/labels';
import { ChangeDetectionStrategy, Component, computed, inject, LOCALE_ID, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { ActivatedRoute, Router } from '@angular/router';
import { forgetQuery } from '../../core/forget-query';
import { DatePipe } from '@angular/common';
import { FormBuilder, FormGroupDirective, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatPaginatorModule } from '@angular/material/paginator';
import { MatRadioModule } from '@angular/material/radio';
import { MatCheckboxChange, MatCheckboxModule } from '@angular/material/checkbox';
import { firstValueFrom } from 'rxjs';
import {
  type AccountActivityEntry,
  type ActiveSession,
  type Locale,
  LOCALE_NAMES,
  type MailPreferences,
  LOCALES,
  type PrivacyLogLooks,
  type SsoError,
  type TotpSetup,
} from '@rehearse/shared/contracts';
import { AccountApi, ApiProblem, FeedbackApi, fieldMessages, toProblem } from '@rehearse/web/data-access';
import { SessionStore } from '../../core/session.store';
import { PrivacyRead } from '../../core/privacy-words';
import { describeActivityIn } from '../../core/activity-words';
import { DateTimePipe } from '../../core/date-time.pipe';
import { activeLocale } from '../../core/locale';
import { LoadState, loadedValue } from '../../core/load-state';
import { PagedList } from '../../core/paged-list';
import { StackedTable } from '../../core/stacked-table';

/**
 * Puts a checkbox back as it was before the click, after the change it asked for was refused. Its
 * `[checked]` binding cannot: the value bound did not change, so Angular writes nothing, and the
 * box would go on showing the refused choice.
 */
function showUnchanged(change: MatCheckboxChange): void {
  change.source.checked = !change.checked;
  change.source._inputElement.nativeElement.checked = !change.checked;
}

/** What the account page says when linking one's Microsoft account did not go through (`?sso_error=`). */
export const LINK_ERRORS: Partial<Record<SsoError, string>> = {
  misconfigured: $localize`Your organisation does not offer sign-in with Microsoft, so there is nothing to link.`,
  unavailable: $localize`Your organisation’s Microsoft sign-in cannot be reached right now. Please try again later.`,
  linked_elsewhere: $localize`This Microsoft account is already linked to another Rehearse account. Sign in to Microsoft as yourself, then link again.`,
  directory: $localize`This Microsoft account belongs to another organisation.`,
  expired: $localize`Linking took too long or was started in another window. Please try again.`,
};
const LINK_FAILED = $localize`Your Microsoft account could not be linked. Please try again.`;

/** What to say for `?sso_error=<reason>` (any reason this page does not know: that it failed), or nothing. */
function linkErrorOf(reason: string | null | undefined): string | null {
  return reason ? (LINK_ERRORS[reason as SsoError] ?? LINK_FAILED) : null;
}

@Component({
  selector: 'rh-account',
  imports: [
    StackedTable,
    PrivacyRead,
    DateTimePipe,
    ReactiveFormsModule,
    DatePipe,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    MatPaginatorModule,
    MatRadioModule,
    MatCheckboxModule,
    LoadState,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './account.page.html',
  styles: `
    ul.plain { list-style: none; padding: 0; margin: 0; }
    ul.plain li { display: flex; flex-wrap: wrap; gap: 4px 12px; align-items: center; padding: 8px 0; border-bottom: 1px solid var(--mat-sys-outline-variant); }
    ul.plain li > span { min-width: 0; overflow-wrap: anywhere; }
    .qr { width: 180px; height: 180px; }
    /* wide enough for "Password, to confirm" in Dutch, narrower only where the screen is (320 px) */
    .row > mat-form-field { min-width: min(20rem, 100%); max-width: 100%; }
    code { font-size: 1.05em; letter-spacing: .05em; }
    .address { overflow-wrap: anywhere; }
    .pending { border-left: 4px solid var(--mat-sys-primary); padding: 4px 0 8px 12px; margin-bottom: 16px; }
  `,
})
export class AccountPage {
  protected readonly roleName = actorRoleName;
  protected readonly session = inject(SessionStore);
  private readonly api = inject(AccountApi);
  private readonly fb = inject(FormBuilder);

  private readonly route = inject(ActivatedRoute, { optional: true });
  /** back from linking one's Microsoft account (`?sso=linked`, or `?sso_error=` with the reason) */
  private readonly linkResult = this.route?.snapshot.queryParamMap;
  protected readonly message = signal<string | null>(
    this.linkResult?.get('sso') === 'linked' ? $localize`Your Microsoft account is linked.` : null,
  );
  protected readonly linkError = linkErrorOf(this.linkResult?.get('sso_error'));
  /** sign-in with one's organisation: offered, and linked since when */
  protected readonly ssoState = rxResource({
    params: () => (this.session.me()?.tenantId && !this.session.impersonation() ? true : undefined),
    stream: () => this.api.sso(),
  });
  protected readonly sso = loadedValue(this.ssoState);
  protected readonly problem = signal<{ section: string; problem: ApiProblem } | null>(null);
  protected readonly busy = signal<string | null>(null);
  /** the lists, each loaded (and shown busy or failed) on its own */
  protected readonly devicesList = rxResource({ stream: () => this.api.trustedDevices() });
  protected readonly sessionsList = rxResource({ stream: () => this.api.sessions() });
  protected readonly devices = loadedValue(this.devicesList);
  protected readonly sessions = loadedValue<ActiveSession[]>(this.sessionsList);
  /** a change of e-mail address waiting for the link mailed to the new address */
  protected readonly emailChange = rxResource({ stream: () => this.api.emailChange() });
  protected readonly pendingEmail = computed(() => loadedValue(this.emailChange)()?.pending ?? null);
  /** the e-mails a trainee may stop (feedback published, peer reviews, courses due): people who take courses */
  protected readonly isLearner = this.session.can('courses.learn');
  protected readonly mail = rxResource({
    params: () => (this.isLearner ? true : undefined),
    stream: () => this.api.mailPreferences(),
  });
  protected readonly mailSetting = loadedValue(this.mail);
  /** a coach's morning e-mail (how many answers wait for them): coaches only */
  protected readonly isCoach = this.session.can('coaching.read');
  private readonly feedback = inject(FeedbackApi);
  protected readonly digest = rxResource({
    params: () => (this.isCoach ? true : undefined),
    stream: () => this.feedback.coachDigest(),
  });
  protected readonly digestSetting = loadedValue(this.digest);
  /** when the morning e-mail comes, today, in this browser's time (the installation's hour is on its own clocks) */
  protected readonly digestTime = computed(() => {
    const from = this.digestSetting()?.from;
    return from ? new Date(from) : null;
  });
  /** who looked at my data, a page at a time */
  protected readonly log = new PagedList<PrivacyLogLooks>((page, size) => this.api.myPrivacyLog(page, size), 10);
  /** what the organisation's administrators changed in my account, a page at a time */
  protected readonly changes = new PagedList<AccountActivityEntry>((page, size) => this.api.myActivity(page, size), 10);
  private readonly localeId = inject(LOCALE_ID);
  protected change(e: AccountActivityEntry): string {
    return describeActivityIn(e, this.localeId);
  }
  protected readonly totp = signal<TotpSetup | null>(null);
  protected readonly locales = LOCALES;
  protected readonly localeNames = LOCALE_NAMES;
  /** the language the page shows (the account's, or the browser's until the person chooses) */
  protected readonly locale = this.session.me()?.locale ?? activeLocale();

  protected readonly profile = this.fb.nonNullable.group({
    name: [this.session.me()?.name ?? '', [Validators.required, Validators.maxLength(200)]],
    phone: [this.session.me()?.phone ?? '', [Validators.pattern(/^\+?[0-9 ()./-]{6,40}$/)]],
  });
  protected readonly password = this.fb.nonNullable.group({
    currentPassword: ['', Validators.required],
    newPassword: ['', [Validators.required, Validators.minLength(8), Validators.maxLength(128)]],
  });
  protected readonly email = this.fb.nonNullable.group({
    email: ['', [Validators.required, emailAddress]],
    password: ['', Validators.required],
  });
  protected readonly totpPassword = this.fb.nonNullable.control('', Validators.required);
  protected readonly totpCode = this.fb.nonNullable.control('', [Validators.required, Validators.pattern(/^\d{6}$/)]);

  constructor() {
    void this.log.load();
    // (someone in no organisation, a superuser as themselves, has no account there to change)
    if (this.session.me()?.tenantId) void this.changes.load();
    // said once: a reload or a bookmark of the page does not say it again
    if (this.linkResult?.has('sso') || this.linkResult?.has('sso_error'))
      void forgetQuery(inject(Router), this.route, ['sso', 'sso_error']);
  }

  protected errorsFor(section: string, field: string): string[] {
    const p = this.problem();
    return p && p.section === section ? fieldMessages(p.problem, field) : [];
  }

  protected sectionError(section: string): string | null {
    const p = this.problem();
    return p && p.section === section ? p.problem.message : null;
  }

  private async act(section: string, fn: () => Promise<string | void>): Promise<void> {
    this.busy.set(section);
    this.problem.set(null);
    this.message.set(null);
    try {
      const done = await fn();
      if (done) this.message.set(done);
    } catch (e) {
      this.problem.set({ section, problem: toProblem(e) });
    } finally {
      this.busy.set(null);
    }
  }

  /** After a change that ends sessions or devices: the lists again. */
  private refreshLists(): void {
    this.devicesList.reload();
    this.sessionsList.reload();
  }

  saveProfile(): Promise<void> {
    if (this.profile.invalid) return Promise.resolve(this.profile.markAllAsTouched());
    return this.act('profile', async () => {
      const { name, phone } = this.profile.getRawValue();
      this.session.set(await firstValueFrom(this.api.updateProfile({ name, ...(phone ? { phone } : {}) })));
      return $localize`Profile saved.`;
    });
  }

  /** Keeps the language on the account; the page then loads again in it. */
  setLocale(locale: Locale): Promise<void> {
    return this.act('locale', async () => {
      this.session.set(await firstValueFrom(this.api.updateProfile({ locale })));
      return $localize`Language saved.`;
    });
  }

  /** Turns one of the e-mails a person may stop off or on again; refused, its box shows the choice as it stands. */
  setMail(which: keyof MailPreferences, change: MatCheckboxChange): Promise<void> {
    const enabled = change.checked;
    return this.act('mail', async () => {
      try {
        this.mail.set(await firstValueFrom(this.api.setMailPreferences({ [which]: enabled })));
      } catch (e) {
        showUnchanged(change);
        throw e;
      }
      return enabled
        ? $localize`You will receive these e-mails again.`
        : $localize`You will no longer receive these e-mails.`;
    });
  }

  /** Turns the coach's morning e-mail on or off; refused, its box shows the choice as it stands. */
  setDigest(change: MatCheckboxChange): Promise<void> {
    const enabled = change.checked;
    return this.act('digest', async () => {
      try {
        this.digest.set(await firstValueFrom(this.feedback.setCoachDigest(enabled)));
      } catch (e) {
        showUnchanged(change);
        throw e;
      }
      return enabled
        ? $localize`You will receive the morning e-mail on days when answers wait for you.`
        : $localize`You will no longer receive the morning e-mail.`;
    });
  }

  /** `form`: the form's directive, reset with it so that its emptied fields are not shown as errors */
  changePassword(form: FormGroupDirective): Promise<void> {
    if (this.password.invalid) return Promise.resolve(this.password.markAllAsTouched());
    return this.act('password', async () => {
      const { currentPassword, newPassword } = this.password.getRawValue();
      await firstValueFrom(this.api.changePassword(currentPassword, newPassword));
      form.resetForm();
      this.refreshLists();
      return $localize`Password changed. Your other sessions and trusted devices were signed out.`;
    });
  }

  /** Asks for the new address: it changes once the link mailed to it is followed (`form`: as for the password). */
  changeEmail(form: FormGroupDirective): Promise<void> {
    if (this.email.invalid) return Promise.resolve(this.email.markAllAsTouched());
    return this.act('email', async () => {
      const { email, password } = this.email.getRawValue();
      const pending = await firstValueFrom(this.api.changeEmail(password, email));
      form.resetForm();
      this.emailChange.set({ pending });
      return $localize`We sent a link to ${pending.email}:address:. Your e-mail address changes when you follow it; until then, sign in with your current address.`;
    });
  }

  cancelEmailChange(): Promise<void> {
    return this.act('email', async () => {
      await firstValueFrom(this.api.cancelEmailChange());
      this.emailChange.set({ pending: null });
      return $localize`The change of e-mail address is cancelled; the link no longer works.`;
    });
  }

  beginTotp(): Promise<void> {
    if (this.totpPassword.invalid) return Promise.resolve(this.totpPassword.markAsTouched());
    return this.act('totp', async () => {
      this.totp.set(await firstValueFrom(this.api.beginTotp(this.totpPassword.value)));
      this.totpPassword.reset();
    });
  }

  enableTotp(): Promise<void> {
    if (this.totpCode.invalid) return Promise.resolve(this.totpCode.markAsTouched());
    return this.act('totp', async () => {
      await firstValueFrom(this.api.enableTotp(this.totpCode.value));
      this.totp.set(null);
      this.totpCode.reset();
      await this.session.load(true);
      return $localize`Authenticator app enabled. You will use it when you sign in.`;
    });
  }

  disableTotp(): Promise<void> {
    if (this.totpPassword.invalid) return Promise.resolve(this.totpPassword.markAsTouched());
    return this.act('totp', async () => {
      await firstValueFrom(this.api.disableTotp(this.totpPassword.value));
      this.totpPassword.reset();
      await this.session.load(true);
      return $localize`Authenticator app removed. You will get e-mailed codes.`;
    });
  }

  revokeDevice(id: string): Promise<void> {
    return this.act('devices', async () => {
      await firstValueFrom(this.api.revokeDevice(id));
      this.devicesList.reload();
      return $localize`Device is no longer trusted.`;
    });
  }

  endOtherSessions(): Promise<void> {
    return this.act('sessions', async () => {
      const { ended } = await firstValueFrom(this.api.endOtherSessions());
      this.sessionsList.reload();
      return ended === 1 ? $localize`1 other session ended.` : $localize`${ended}:count: other sessions ended.`;
    });
  }

  endSession(id: string): Promise<void> {
    return this.act('sessions', async () => {
      await firstValueFrom(this.api.endSession(id));
      this.sessionsList.reload();
      return $localize`Session ended.`;
    });
  }
}
