import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { ROLE_LABELS } from '@rehearse/shared/contracts';
import { SessionStore } from '../../core/session.store';

@Component({
  selector: 'rh-home',
  imports: [RouterLink, MatButtonModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (session.me(); as me) {
      <section class="page">
        <h1>Welcome, {{ me.name }}</h1>
        <p class="muted">
          {{ me.tenantName ?? 'Platform support' }} ·
          @for (role of me.roles; track role; let last = $last) { {{ labels[role] }}{{ last ? '' : ', ' }} }
          @if (me.isSuperuser) { Superuser }
        </p>
        <div class="card stack">
          <h2>What you can do here</h2>
          <div class="row">
            @if (session.can('courses.learn')) { <a mat-flat-button routerLink="/learn">My courses</a> }
            @if (session.can('coaching.read')) { <a mat-flat-button routerLink="/coaching">My groups</a> }
            @if (session.can('courses.author')) { <a mat-flat-button routerLink="/authoring/courses">Author courses</a> }
            @if (session.can('groups.manage')) { <a mat-stroked-button routerLink="/admin/groups">Groups and enrolments</a> }
            <a mat-stroked-button routerLink="/account">Your account and security</a>
            @if (session.can('users.read')) { <a mat-stroked-button routerLink="/admin/users">Manage people</a> }
            @if (session.can('privacy.read')) { <a mat-stroked-button routerLink="/admin/privacy-log">Privacy log</a> }
            @if (session.can('superuser.impersonate')) { <a mat-stroked-button routerLink="/superuser">Support tools</a> }
          </div>
          <p class="muted">Recording answers on camera and feedback arrive here as they are added to Rehearse.</p>
        </div>
      </section>
    }
  `,
})
export class HomePage {
  protected readonly session = inject(SessionStore);
  protected readonly labels = ROLE_LABELS;
}
