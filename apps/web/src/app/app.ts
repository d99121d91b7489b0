import { ARIA } from './core/labels';
import { ChangeDetectionStrategy, Component, computed, inject, viewChild } from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { NavigationEnd, NavigationStart, Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { MatToolbarModule } from '@angular/material/toolbar';
import { MatButtonModule } from '@angular/material/button';
import { MatMenuModule, MatMenuTrigger } from '@angular/material/menu';
import { filter, firstValueFrom, map } from 'rxjs';
import { AuthApi, RecordingsApi } from '@rehearse/web/data-access';
import { SessionStore } from './core/session.store';
import { ImpersonationBanner } from './core/impersonation-banner';
import { SessionTimeoutBanner } from './core/session-timeout';
import { RetentionBanner } from './features/privacy/retention-banner';

import { KeptRecordings } from './features/recordings/kept-recordings';
@Component({
  selector: 'rh-root',
  imports: [
    RouterOutlet,
    RouterLink,
    RouterLinkActive,
    MatToolbarModule,
    MatButtonModule,
    MatMenuModule,
    ImpersonationBanner,
    RetentionBanner,
    SessionTimeoutBanner,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <a i18n class="sr-only" href="#main">Skip to content</a>
    @if (session.impersonation(); as imp) {
      <rh-impersonation-banner [impersonation]="imp" [userName]="session.me()?.name ?? ''" />
    }
    @if (session.signedIn()) {
      <rh-session-timeout />
    }
    <mat-toolbar class="toolbar" role="banner">
      <a i18n i18n-aria-label routerLink="/" class="brand" aria-label="Rehearse home">Rehearse</a>
      @if (session.me(); as me) {
        <nav i18n-aria-label aria-label="Main" class="nav">
          @if (session.can('courses.learn')) {
            <a i18n mat-button routerLink="/learn" routerLinkActive="active">My courses</a>
            <a i18n mat-button routerLink="/peer-reviews" routerLinkActive="active">Peer reviews</a>
          }
          @if (session.can('coaching.read')) {
            <a i18n mat-button routerLink="/coaching" routerLinkActive="active" [routerLinkActiveOptions]="{ exact: true }">My groups</a>
            <a i18n mat-button routerLink="/coaching/reviews" routerLinkActive="active">To review</a>
          }
          @if (session.can('reports.read')) {
            <a i18n mat-button routerLink="/reports" routerLinkActive="active">Reports</a>
          }
          @if (session.can('transcripts.search')) {
            <a i18n mat-button routerLink="/recordings/search" routerLinkActive="active">Search answers</a>
          }
          @if (session.can('courses.author')) {
            <a i18n mat-button routerLink="/authoring/courses" routerLinkActive="active">Courses</a>
          }
          @if (session.can('groups.manage')) {
            <a i18n mat-button routerLink="/admin/groups" routerLinkActive="active">Groups</a>
          }
          @if (session.can('users.read')) {
            <a i18n mat-button routerLink="/admin/users" routerLinkActive="active">People</a>
          }
          @if (session.can('privacy.read')) {
            <a i18n mat-button routerLink="/admin/privacy-log" routerLinkActive="active">Privacy log</a>
          }
          @if (session.can('tenant.write')) {
            <!-- the organisation's settings in one menu: an administrator's eight entries wrapped onto a
                 second line at 1280 px in Dutch -->
            <button mat-button type="button" class="settings" [class.active]="inSettings()" [matMenuTriggerFor]="settings"><span i18n>Settings</span><span aria-hidden="true" class="caret">▾</span></button>
            <mat-menu #settings="matMenu">
              <a i18n mat-menu-item routerLink="/admin/feedback-settings" routerLinkActive="active" [ariaCurrentWhenActive]="'page'">Feedback settings</a>
              <a i18n mat-menu-item routerLink="/admin/retention" routerLinkActive="active" [ariaCurrentWhenActive]="'page'">Retention</a>
              <a i18n mat-menu-item routerLink="/admin/sso" routerLinkActive="active" [ariaCurrentWhenActive]="'page'">Sign-in</a>
            </mat-menu>
          }
          @if (session.can('superuser.impersonate')) {
            <a i18n mat-button routerLink="/superuser" routerLinkActive="active">Support</a>
          }
        </nav>
        <span class="spacer"></span>
        <a mat-button routerLink="/account" routerLinkActive="active" class="who" [attr.aria-label]="aria.yourAccount(me.name)"><span class="who-name">{{ me.name }}</span></a>
        <button i18n mat-stroked-button type="button" (click)="logout()">Sign out</button>
      }
    </mat-toolbar>
    <rh-retention-banner />
    <main id="main" tabindex="-1"><router-outlet /></main>
  `,
  styles: `
    .toolbar { background: var(--mat-sys-primary-container); color: var(--mat-sys-on-primary-container); gap: 8px; height: auto; min-height: 64px; }
    /* a long menu (an administrator's, in Dutch) wraps onto a second line rather than running under the name */
    .nav { display: flex; flex-wrap: wrap; min-width: 0; flex: 0 1 auto; }
    .brand { font-weight: 700; font-size: 1.25rem; color: inherit; text-decoration: none; margin-right: 16px; }
    .nav .active, a.active { background: color-mix(in srgb, currentColor 12%, transparent); }
    .caret { margin-left: 4px; }
    .spacer { flex: 1 1 auto; }
    .who { min-width: 0; }
    .who-name { display: block; max-width: 14rem; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    main:focus { outline: none; }
    /* narrower screens: the menu gets a row of its own that scrolls sideways; the page never does */
    @media (max-width: 1200px) {
      .toolbar { height: auto; min-height: 56px; flex-wrap: wrap; padding-top: 4px; padding-bottom: 4px; row-gap: 0; }
      .nav { order: 3; flex: 1 0 100%; display: flex; overflow-x: auto; scrollbar-width: thin; }
      .nav a { flex: 0 0 auto; }
    }
    @media (max-width: 480px) {
      .toolbar { padding-left: 8px; padding-right: 8px; gap: 4px; }
      .brand { margin-right: 0; }
      .who-name { max-width: 6.5rem; }
      /* the name gives way before the sign-out button does: in a wrapping row an item moves to the
         next line at its full width, so the name's link starts from none and takes what is left
         ("Uitloggen" went to a line of its own under an administrator's name) */
      .spacer { display: none; }
      .who { flex: 1 1 0; justify-content: flex-end; }
    }
  `,
})
export class App {
  protected readonly aria = ARIA;
  protected readonly session = inject(SessionStore);
  private readonly auth = inject(AuthApi);
  private readonly keptRecordings = inject(KeptRecordings);
  private readonly recordings = inject(RecordingsApi);
  private readonly router = inject(Router);
  /** the address shown, after redirects */
  private readonly url = toSignal(
    this.router.events.pipe(
      filter((e): e is NavigationEnd => e instanceof NavigationEnd),
      map((e) => e.urlAfterRedirects),
    ),
    { initialValue: this.router.url },
  );
  private readonly settingsMenu = viewChild(MatMenuTrigger);

  constructor() {
    // the settings menu lives in the toolbar, which every page keeps: open when the page changes
    // (Back, Forward), it stayed open over the next page with the focus in it
    this.router.events
      .pipe(
        filter((e) => e instanceof NavigationStart),
        takeUntilDestroyed(),
      )
      .subscribe(() => this.settingsMenu()?.closeMenu());
  }

  /** whether one of the settings menu's pages is shown (its button is marked as the menu's other entries are) */
  protected readonly inSettings = computed(() =>
    /^\/admin\/(feedback-settings|retention|sso)(?=[/?#]|$)/.test(this.url()),
  );

  async logout(): Promise<void> {
    await firstValueFrom(this.auth.logout()).catch(() => undefined);
    // recordings kept in this browser while they were made, and the uploads it remembers to
    // resume, go with the person who made them
    await this.keptRecordings.clear();
    this.recordings.forgetUnfinishedUploads();
    this.session.set(null);
    await this.router.navigate(['/login']);
  }
}
