import { ChangeDetectionStrategy, Component, computed, inject, input, LOCALE_ID } from '@angular/core';
import { formatDate } from '@angular/common';
import { RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { AuthApi } from '@rehearse/web/data-access';
import { oneTimeLink } from '../../core/one-time-link';
import { SessionStore } from '../../core/session.store';

/**
 * The link mailed to a new e-mail address: which account it is for, then one button that makes it
 * the sign-in address (a button, not the visit itself: mail scanners open links too). Works in
 * any browser, signed in or not.
 */
@Component({
  selector: 'rh-email-change',
  imports: [RouterLink, MatButtonModule, MatProgressBarModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page narrow">
      <div class="card">
        @if (link.loading()) {
          <h1 i18n>Confirm your new e-mail address</h1>
          <mat-progress-bar i18n-aria-label mode="indeterminate" aria-label="Checking your link" />
        } @else if (link.done()) {
          <h1 i18n>Your e-mail address is changed</h1>
          <p i18n>You now sign in with <strong class="address">{{ link.info()?.email }}</strong>, and your sign-in codes go there. We told your old address.</p>
          @if (session.signedIn()) {
            <a i18n mat-flat-button routerLink="/account">Go to my account</a>
          } @else {
            <a i18n mat-flat-button routerLink="/login">Sign in</a>
          }
        } @else if (link.info(); as c) {
          <h1 i18n>Confirm your new e-mail address</h1>
          @if (c.tenantName) {
            <p i18n>Make <strong class="address">{{ c.email }}</strong> the e-mail address of {{ c.name }} at {{ c.tenantName }}?</p>
          } @else {
            <p i18n>Make <strong class="address">{{ c.email }}</strong> the e-mail address of {{ c.name }}?</p>
          }
          <p i18n class="muted">You will sign in with it from now on. The link works once, until {{ until() }}.</p>
          @if (link.problem(); as p) { <p class="error-text" role="alert">{{ p.message }}</p> }
          <div><button i18n mat-flat-button type="button" [disabled]="link.busy()" (click)="confirm()">Confirm this address</button></div>
        } @else {
          <h1 i18n>This link does not work</h1>
          <p class="error-text" role="alert">{{ link.linkProblem()?.message }}</p>
          <a i18n routerLink="/account">Go to my account</a>
        }
      </div>
    </section>
  `,
  styles: `.narrow { max-width: 460px; } .address { overflow-wrap: anywhere; }`,
})
export class EmailChangePage {
  readonly token = input.required<string>();
  private readonly auth = inject(AuthApi);
  private readonly locale = inject(LOCALE_ID);
  protected readonly session = inject(SessionStore);
  /** the link's change (a link that does not work is said so) */
  protected readonly link = oneTimeLink(
    () => this.token(),
    (t) => this.auth.emailChange(t),
  );
  protected readonly until = computed(() => {
    const at = this.link.info()?.expiresAt;
    return at ? formatDate(at, 'd MMM, HH:mm', this.locale) : '';
  });

  async confirm(): Promise<void> {
    await this.link.send(() => this.auth.confirmEmailChange(this.token()));
    // whether this browser is signed in (a page opened from the mail has not asked yet), and to
    // which account: it may be the one whose address just changed, so it is asked again
    if (this.link.done()) await this.session.load(this.session.signedIn()).catch(() => null);
  }
}
