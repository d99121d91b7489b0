import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { DatePipe, DecimalPipe } from '@angular/common';
import { RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { LICENCE_WARNING_DAYS, REVIEW_OVERDUE_DAYS } from '@rehearse/shared/contracts';
import { HomeApi } from '@rehearse/web/data-access';
import { LoadState } from '../../core/load-state';
import { DateTimePipe } from '../../core/date-time.pipe';
import { SessionStore } from '../../core/session.store';
import { isoDay } from '../../core/dates';
import { ROLE_NAMES } from '../../core/labels';

/**
 * The home page: for each role the person holds, what needs them now, from live data (the
 * trainee's next exercise, due dates and newest feedback; the coach's queue; the administrator's
 * expiring licences, keep requests and people without a group, and above everything the end of the
 * organisation's agreement once it has one; the content developer's drafts and recent
 * publications), then the usual ways in.
 */
@Component({
  selector: 'rh-home',
  imports: [RouterLink, MatButtonModule, DatePipe, DecimalPipe, DateTimePipe, LoadState],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: `
    .sections { display: grid; gap: 16px; grid-template-columns: repeat(auto-fit, minmax(min(100%, 340px), 1fr)); }
    .figure { display: block; font-size: 1.6rem; font-weight: 600; }
    .figures p { margin: 0; }
    .figures { display: flex; gap: 32px; flex-wrap: wrap; margin-bottom: 8px; }
    ul.plain li { padding: 4px 0; }
    .agreement { margin-bottom: 16px; border-left: 4px solid #e65100; background: #fff3e0; color: #4e342e; }
    .agreement p { margin: 0; }
  `,
  template: `
    @if (session.me(); as me) {
      <section class="page">
        <h1 i18n>Welcome, {{ me.name }}</h1>
        <p class="muted">
          @if (me.tenantName) { {{ me.tenantName }} } @else {<ng-container i18n>Platform support</ng-container>} ·
          @for (role of me.roles; track role; let last = $last) { {{ labels[role] }}{{ last ? '' : ', ' }} }
          @if (me.isSuperuser) { <ng-container i18n>Superuser</ng-container> }
        </p>

        @if (me.tenantName) {
          <rh-load-state [of]="home" label="Loading your overview" i18n-label failed="Your overview could not be loaded" i18n-failed />
        }
        @if (home.hasValue()) {
          @if (home.value().admin?.agreement; as g) {
            <!-- the organisation's end, above everything else: its administrators answer for its data -->
            <section class="card stack agreement" role="alert" aria-labelledby="home-agreement">
              <h2 i18n id="home-agreement">Your organisation's agreement</h2>
              @if (g.endsOn >= today) {
                <p i18n>The agreement ends on {{ g.endsOn | date: 'mediumDate' }}. On {{ g.destroyOn | date: 'mediumDate' }} everything of the organisation is destroyed for good: its people, courses, answers, recordings, feedback and privacy log.</p>
              } @else {
                <p i18n>The agreement ended on {{ g.endsOn | date: 'mediumDate' }}. On {{ g.destroyOn | date: 'mediumDate' }} everything of the organisation is destroyed for good: its people, courses, answers, recordings, feedback and privacy log.</p>
              }
              <p i18n>Export the organisation's data before then to keep any of it.</p>
              <div class="row"><a i18n mat-flat-button routerLink="/admin/retention">Export the organisation's data</a></div>
            </section>
          }
          <div class="sections">
            @if (home.value().participant; as p) {
              <section class="card stack" aria-labelledby="home-learn">
                <h2 i18n id="home-learn">Your practice</h2>
                @if (p.licenceEndedOn) {
                  <p i18n role="status">Your licence ended on {{ p.licenceEndedOn | date: 'mediumDate' }}: your answers and feedback are hidden and you cannot answer until your administrator extends it.</p>
                } @else if (p.next; as n) {
                  <p i18n>Next: <strong>{{ n.exerciseTitle }}</strong> in {{ n.courseTitle }}@if (n.dueOn) { · due {{ n.dueOn | date: 'mediumDate' }} }</p>
                  <div class="row"><a i18n mat-flat-button [routerLink]="['/learn', n.courseId]" [fragment]="'ex-' + n.exerciseId">Start this exercise</a></div>
                } @else {
                  <p i18n class="muted">No exercise waits for you: every open course is answered, or you are not enrolled in one yet.</p>
                }
                @if (p.peerReviews.toDo > 0 && !p.licenceEndedOn) {
                  <!-- a colleague waits for these: said before the courses' due dates -->
                  <p i18n role="status"><a routerLink="/peer-reviews">{p.peerReviews.toDo, plural, =1 {1 peer review to do} other {{{ p.peerReviews.toDo }} peer reviews to do}}</a>@if (p.peerReviews.nextDueAt) {<span class="muted"> · the first is due {{ p.peerReviews.nextDueAt | dateTime }}</span>}</p>
                }
                @if (p.due.length) {
                  <h3 i18n>Due dates</h3>
                  <ul class="plain">
                    @for (d of p.due; track d.courseId) {
                      <li><a [routerLink]="['/learn', d.courseId]">{{ d.title }}</a><span i18n class="muted"> · due {{ d.dueOn | date: 'mediumDate' }} · {{ d.exercisesAnswered }} of {{ d.exercisesTotal }} answered</span></li>
                    }
                  </ul>
                }
                <h3 i18n>Newest feedback</h3>
                <ul class="plain">
                  @for (f of p.feedback; track f.answerId + f.publishedAt) {
                    <li><a [routerLink]="['/answers', f.answerId]">{{ f.exerciseTitle }}</a><span class="muted"> · @if (f.source === 'coach') {<ng-container i18n>from your coach</ng-container>} @else {<ng-container i18n>from a peer</ng-container>} · {{ f.publishedAt | dateTime }}</span></li>
                  } @empty { <li i18n class="muted">No feedback yet. You get an e-mail when it arrives.</li> }
                </ul>
              </section>
            }
            @if (home.value().coach; as c) {
              <section class="card stack" aria-labelledby="home-coach">
                <h2 i18n id="home-coach">Your reviews</h2>
                <div class="figures">
                  <p><span class="figure">{{ c.waiting | number }}</span><span i18n class="muted"> waiting for your feedback</span></p>
                  <p><span class="figure" [class.error-text]="c.overdue > 0">{{ c.overdue | number }}</span><span i18n class="muted"> waiting over {{ overdueDays }} days</span></p>
                </div>
                <ul class="plain">
                  @for (q of c.oldest; track q.answerId) {
                    <li><a [routerLink]="['/review', q.answerId]">{{ q.participantName }} · {{ q.exerciseTitle }}</a><span i18n class="muted"> · sent {{ q.submittedAt | date: 'mediumDate' }}@if (q.drafted) { · your draft }</span></li>
                  } @empty { <li i18n class="muted">Nothing waits for you.</li> }
                </ul>
                @if (c.waiting > c.oldest.length) { <div class="row"><a i18n mat-stroked-button routerLink="/coaching/reviews">All {{ c.waiting | number }} waiting</a></div> }
                <h3 i18n>Recently published by you</h3>
                <ul class="plain">
                  @for (r of c.recent; track r.answerId + r.publishedAt) {
                    <li><a [routerLink]="['/review', r.answerId]">{{ r.participantName }} · {{ r.exerciseTitle }}</a><span class="muted"> · {{ r.publishedAt | dateTime }}</span></li>
                  } @empty { <li i18n class="muted">You have not published feedback yet.</li> }
                </ul>
              </section>
            }
            @if (home.value().admin; as a) {
              <section class="card stack" aria-labelledby="home-admin">
                <h2 i18n id="home-admin">Your organisation</h2>
                <h3 i18n>Licences ending within {{ licenceDays }} days ({{ a.expiringTotal | number }})</h3>
                <ul class="plain">
                  @for (l of a.expiring; track l.userId) {
                    <li><a [routerLink]="['/admin/users', l.userId]">{{ l.name }}</a><span i18n class="muted"> · ends {{ l.expiresOn | date: 'mediumDate' }}</span></li>
                  } @empty { <li i18n class="muted">No licence ends in the next {{ licenceDays }} days.</li> }
                </ul>
                @if (a.expiringTotal > a.expiring.length) {
                  <p><a i18n routerLink="/admin/users" [queryParams]="{ licence: 'ending' }">All {{ a.expiringTotal | number }} licences ending within {{ licenceDays }} days</a></p>
                }
                <p>
                  @if (a.pendingKeepRequests) { <ng-container i18n><a routerLink="/admin/retention">{{ a.pendingKeepRequests }} @if (a.pendingKeepRequests === 1) {request} @else {requests} to keep recordings</a> await your decision.</ng-container> }
                  @else { <span i18n class="muted">No request to keep recordings awaits you.</span> }
                </p>
                <h3 i18n>Participants in no group ({{ a.withoutGroupTotal | number }})</h3>
                <ul class="plain">
                  @for (u of a.withoutGroup; track u.userId) {
                    <li><a [routerLink]="['/admin/users', u.userId]">{{ u.name }}</a></li>
                  } @empty { <li i18n class="muted">Every participant is in a group.</li> }
                </ul>
                @if (a.withoutGroupTotal > a.withoutGroup.length) {
                  <p><a i18n routerLink="/admin/users" [queryParams]="{ group: 'none' }">All {{ a.withoutGroupTotal | number }} participants in no group</a></p>
                }
                @if (a.withoutGroupTotal) { <div class="row"><a i18n mat-stroked-button routerLink="/admin/groups">Groups and enrolments</a></div> }
              </section>
            }
            @if (home.value().developer; as d) {
              <section class="card stack" aria-labelledby="home-author">
                <h2 i18n id="home-author">Your courses</h2>
                <h3 i18n>Drafts</h3>
                <ul class="plain">
                  @for (c of d.drafts; track c.courseId) {
                    <li><a [routerLink]="['/authoring/courses', c.courseId]">{{ c.title }}</a><span i18n class="muted"> · @if (c.published) {changes to a published course} @else {never published} · edited {{ c.updatedAt | dateTime }}</span></li>
                  } @empty { <li i18n class="muted">No unpublished drafts.</li> }
                </ul>
                <h3 i18n>Recently published</h3>
                <ul class="plain">
                  @for (c of d.published; track c.courseId + c.version) {
                    <li><a [routerLink]="['/authoring/courses', c.courseId]">{{ c.title }}</a><span i18n class="muted"> · version {{ c.version }} · {{ c.publishedAt | dateTime }}</span></li>
                  } @empty { <li i18n class="muted">Nothing published yet.</li> }
                </ul>
                <div class="row"><a i18n mat-flat-button routerLink="/authoring/courses">Author courses</a></div>
              </section>
            }
          </div>
        }

        <div class="card stack">
          <h2 i18n>Go to</h2>
          <div class="row">
            @if (session.can('courses.learn')) { <a i18n mat-stroked-button routerLink="/learn">My courses</a> }
            @if (session.can('coaching.read')) { <a i18n mat-stroked-button routerLink="/coaching">My groups</a> }
            @if (session.can('groups.manage')) { <a i18n mat-stroked-button routerLink="/admin/groups">Groups and enrolments</a> }
            @if (session.can('users.read')) { <a i18n mat-stroked-button routerLink="/admin/users">Manage people</a> }
            @if (session.can('privacy.read')) { <a i18n mat-stroked-button routerLink="/admin/privacy-log">Privacy log</a> }
            @if (session.can('superuser.impersonate')) { <a i18n mat-stroked-button routerLink="/superuser">Support tools</a> }
            <a i18n mat-stroked-button routerLink="/account">Your account and security</a>
          </div>
        </div>
      </section>
    }
  `,
})
export class HomePage {
  protected readonly session = inject(SessionStore);
  private readonly api = inject(HomeApi);
  protected readonly labels = ROLE_NAMES;
  protected readonly overdueDays = REVIEW_OVERDUE_DAYS;
  protected readonly licenceDays = LICENCE_WARNING_DAYS;
  /** today in the reader's calendar (yyyy-MM-dd): an agreement ending today has not ended yet */
  protected readonly today = isoDay(new Date()) ?? '';
  /** the signed-in person's overview (superusers outside an organisation have none) */
  protected readonly home = rxResource({ stream: () => this.api.summary() });
}
