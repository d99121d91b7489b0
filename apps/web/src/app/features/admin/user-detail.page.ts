import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  input,
  linkedSignal,
  signal,
  untracked,
} from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { DatePipe, DecimalPipe } from '@angular/common';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatDatepicker, MatDatepickerInput, MatDatepickerToggle } from '@angular/material/datepicker';
import { firstValueFrom, forkJoin, map, of, switchMap } from 'rxjs';
import { Enrolment, Page, PrivacyLogEntry, TENANT_ROLES, TenantRole, UserDetail } from '@rehearse/shared/contracts';
import { AdminApi, ApiProblem, GroupsApi, LifecycleApi, toProblem } from '@rehearse/web/data-access';
import { FormsModule } from '@angular/forms';
import { SessionStore } from '../../core/session.store';
import { dateField, dateOf, isoDay } from '../../core/dates';
import { CoachField } from './coach-field';
import { CourseField } from './course-field';
import { loadedValue, LoadState } from '../../core/load-state';
import { ROLE_NAMES, USER_STATUS_NAMES, actorRoleName } from '../../core/labels';
import { DataExports } from '../privacy/data-exports';
import { PrivacyRead } from '../../core/privacy-words';
import { StackedTable } from '../../core/stacked-table';
import { licenceState } from '../../core/licence-state';

@Component({
  selector: 'rh-user-detail',
  imports: [
    DecimalPipe,
    StackedTable,
    PrivacyRead,
    MatDatepicker,
    MatDatepickerInput,
    MatDatepickerToggle,
    ReactiveFormsModule,
    FormsModule,
    RouterLink,
    DatePipe,
    DataExports,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    LoadState,
    CoachField,
    CourseField,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      <a i18n routerLink="/admin/users">← People</a>
      <rh-load-state [of]="loaded" label="Loading" i18n-label notFound="No such person in your organisation." i18n-notFound />
      @if (user(); as u) {
        <h1>{{ u.name }}</h1>
        <p i18n class="muted">{{ u.email }} · @if (u.phone) { {{ u.phone }} } @else { no phone } · {{ statusNames[u.status] }} · second factor: @if (u.totpEnabled) {authenticator app} @else {e-mailed code}
          · last sign-in @if (u.lastSignInAt) { {{ u.lastSignInAt | date: 'medium' }} } @else { never }</p>
        <p i18n class="muted small">Opening this page was recorded in {{ u.name }}'s privacy log.</p>
        @if (notice()) { <p class="card" role="status">{{ notice() }}</p> }
        @if (problem(); as p) { <p class="card error-text" role="alert">{{ p.message }}</p> }

        <div class="card">
          <h2 i18n>Roles</h2>
          <div class="row">
            <mat-form-field appearance="outline">
              <mat-label i18n>Roles</mat-label>
              <mat-select [formControl]="roles" multiple>
                @for (r of allRoles; track r) { <mat-option [value]="r">{{ labels[r] }}</mat-option> }
              </mat-select>
              @if (roles.hasError('required')) { <mat-error i18n>At least one role</mat-error> }
            </mat-form-field>
            <button i18n mat-flat-button type="button" (click)="saveRoles()" [disabled]="busy()">Save roles</button>
          </div>
        </div>

        <div class="card">
          <h2 i18n>Licence</h2>
          @let ls = licenceOf(u);
          @let daysLeft = ls?.days ?? 0;
          @if (u.licence && ls?.kind === 'ended') {
            <p i18n class="danger">The licence ended on {{ u.licence.expiresOn | date: 'mediumDate' }}: their answers and feedback are hidden from everyone until it is extended.</p>
          } @else if (u.licence && ls?.kind === 'ending') {
            <p i18n>The licence ends on {{ u.licence.expiresOn | date: 'mediumDate' }} ({daysLeft, plural, =1 {tomorrow} other {in {{ daysLeft }} days}}): from then on their answers and feedback are hidden.</p>
          } @else if (u.licence && ls?.kind === 'upcoming') {
            <p i18n>The licence begins on {{ u.licence.startsOn | date: 'mediumDate' }}.</p>
          }
          <form class="row" [formGroup]="licence" (ngSubmit)="saveLicence()">
            <mat-form-field appearance="outline"><mat-label i18n>From</mat-label><input matInput [matDatepicker]="from" formControlName="startsOn" [min]="dateField.min" [max]="dateField.max" required /><mat-datepicker-toggle matIconSuffix [for]="from" /><mat-datepicker #from [calendarHeaderComponent]="dateField.header" /><mat-error>{{ dateField.error }}</mat-error></mat-form-field>
            <mat-form-field appearance="outline"><mat-label i18n>Until</mat-label><input matInput [matDatepicker]="until" formControlName="expiresOn" [min]="dateField.min" [max]="dateField.max" required /><mat-datepicker-toggle matIconSuffix [for]="until" /><mat-datepicker #until [calendarHeaderComponent]="dateField.header" /><mat-error>{{ dateField.error }}</mat-error></mat-form-field>
            <button i18n mat-flat-button type="submit" [disabled]="busy()">Save licence</button>
          </form>
        </div>

        <div class="card row">
          @if (u.status === 'deactivated') {
            <button i18n mat-flat-button type="button" (click)="setActive(true)" [disabled]="busy()">Reactivate</button>
            <span i18n class="muted">Deactivated people cannot sign in.</span>
          } @else if (u.id !== session.me()?.id) {
            <button i18n mat-stroked-button type="button" class="danger" (click)="setActive(false)" [disabled]="busy()">Deactivate</button>
            <span i18n class="muted">Ends all their sessions at once.</span>
          }
          @if (u.status === 'invited') {
            <button i18n mat-stroked-button type="button" (click)="resend()" [disabled]="busy()">Send a new invitation link</button>
            @if (u.invitation; as inv) {
              @if (linkExpired(inv.expiresAt)) {
                <span i18n class="muted" [attr.data-invitation]="'expired'">The invitation link expired on {{ inv.expiresAt | date: 'medium' }}: send a new one.</span>
              } @else if (inv.sentAt) {
                <span i18n class="muted" [attr.data-invitation]="'sent'">Invitation e-mailed on {{ inv.sentAt | date: 'medium' }}; the link works until {{ inv.expiresAt | date: 'medium' }}.</span>
              } @else {
                <span i18n class="muted" [attr.data-invitation]="'waiting'">The invitation has not been e-mailed yet; it goes out by itself.</span>
              }
            }
          }
        </div>

        @if (session.can('users.write')) { <rh-data-exports [userId]="u.id" /> }

        @if (u.id !== session.me()?.id && session.can('users.write')) {
          <details class="card erase">
            <summary i18n>Erase this person (right to be forgotten)</summary>
            <p i18n>Deletes {{ u.name }} for good: profile, memberships, answers, recordings, transcripts and all feedback on their answers. Feedback they gave others stays without their name. Their key is destroyed, so backups cannot bring their recordings back. This cannot be undone.</p>
            <form class="stack" (ngSubmit)="erase(u.email)">
              <p i18n>Give a reason (it is kept on the deletion receipt) and type {{ u.email }} to confirm.</p>
              <mat-form-field appearance="outline"><mat-label i18n>Reason</mat-label><input matInput name="eraseReason" [(ngModel)]="eraseReason" maxlength="500" required /></mat-form-field>
              <mat-form-field appearance="outline"><mat-label i18n>Their e-mail address</mat-label><input matInput name="eraseEmail" [(ngModel)]="eraseEmail" autocomplete="off" required /></mat-form-field>
              <div><button i18n mat-flat-button type="submit" class="danger-fill" [disabled]="busy() || eraseEmail.trim().toLowerCase() !== u.email || eraseReason.trim().length < 5">Erase for good</button></div>
            </form>
          </details>
        }

        @if (u.roles.includes('participant')) {
          <div class="card">
            <h2 i18n>Courses (enrolled personally)</h2>
            <p i18n class="muted">Courses through groups are managed on the group's page.</p>
            <ul>
              @for (e of enrolments(); track e.id) {
                <li>{{ e.courseTitle }} <span i18n class="muted">· coach @if (e.coachName) { {{ e.coachName }} } @else { none }@if (e.dueOn) { · due {{ e.dueOn | date: 'mediumDate' }} }</span> <button i18n mat-button type="button" (click)="unenrol(e)">Remove</button></li>
              } @empty { <li i18n class="muted">None.</li> }
            </ul>
            <form class="row" #enrolForm="ngForm" (ngSubmit)="enrol()">
              <rh-course-field [(courseId)]="courseId" />
              <rh-coach-field [(coachId)]="coachId" />
              <mat-form-field appearance="outline"><mat-label i18n>Due</mat-label><input matInput [matDatepicker]="due" name="due" [(ngModel)]="dueOn" [min]="dateField.min" [max]="dateField.max" /><mat-datepicker-toggle matIconSuffix [for]="due" /><mat-datepicker #due [calendarHeaderComponent]="dateField.header" /><mat-error>{{ dateField.error }}</mat-error></mat-form-field>
              <button i18n mat-flat-button type="submit" [disabled]="busy() || !courseId || !!enrolForm.invalid">Enrol</button>
            </form>
          </div>
        }

        <div class="card">
          <div class="row"><h2 i18n>Privacy log</h2><span class="spacer"></span><a i18n mat-button [href]="exportUrl()" download>Export CSV</a></div>
          @if (log(); as l) {
            @if (l.total === 0) { <p i18n class="muted">Nobody has looked at this person's data.</p> }
            @else {
              <table class="data" rhStacked>
                <thead><tr><th i18n scope="col">When</th><th i18n scope="col">Who</th><th i18n scope="col">Role</th><th i18n scope="col">What</th></tr></thead>
                <tbody>
                  @for (e of l.items; track e.id) {
                    <tr><td>{{ e.at | date: 'medium' }}</td><td>{{ e.actorName }}@if (e.impersonatorName) {<ng-container i18n> (support: {{ e.impersonatorName }}) </ng-container>}</td><td>{{ roleName(e.actorRole) }}</td><td><rh-privacy-read [entry]="e" /></td></tr>
                  }
                </tbody>
              </table>
              @if (l.total > l.items.length) { <p class="muted"><ng-container i18n>Showing the latest {{ l.items.length }} of {{ l.total | number }}.</ng-container>{{ ' ' }}<a i18n routerLink="/admin/privacy-log" [queryParams]="{ subjectId: u.id }">All of them, by period</a></p> }
            }
          }
          <!-- the other way round: what this person looked at of others' data -->
          <p><a i18n routerLink="/admin/privacy-log" [queryParams]="{ actorId: u.id }">What {{ u.name }} looked at</a></p>
          <!-- what administrators changed in the account: invitation, roles, licence, groups -->
          <p><a i18n routerLink="/admin/activity" [queryParams]="{ subjectId: u.id }">Changes to {{ u.name }}'s account</a></p>
        </div>
      }
    </section>
  `,
  styles: `.danger { color: var(--mat-sys-error); } .small { font-size: .85em; } .erase summary { cursor: pointer; color: var(--mat-sys-error); } .danger-fill { background: var(--mat-sys-error); color: var(--mat-sys-on-error); }`,
})
export class UserDetailPage {
  protected readonly roleName = actorRoleName;
  readonly id = input.required<string>();
  protected readonly session = inject(SessionStore);
  private readonly api = inject(AdminApi);
  private readonly fb = inject(FormBuilder);
  protected readonly allRoles = TENANT_ROLES;
  protected readonly labels = ROLE_NAMES;
  protected readonly statusNames = USER_STATUS_NAMES;
  /**
   * The person of the route's id, the last looks at their data, and for a participant their
   * enrolments (the course and coach of a new one are searched for); another id starts over.
   */
  protected readonly loaded = rxResource({
    params: () => this.id(),
    stream: ({ params: id }) =>
      this.api.user(id).pipe(
        switchMap((user) =>
          forkJoin({
            log: this.api.privacyLog(1, 20, { subjectId: id }),
            extras: user.roles.includes('participant')
              ? this.groupsApi.enrolments({ userId: id }).pipe(map((enrolments) => ({ enrolments })))
              : of(null),
          }).pipe(map((rest) => ({ user, ...rest }))),
        ),
      ),
  });
  private readonly value = loadedValue(this.loaded);
  /** the person as last answered by the server (the load, role and licence changes, …) */
  protected readonly user = linkedSignal<UserDetail | null>(() => this.value()?.user ?? null);
  protected readonly log = computed<Page<PrivacyLogEntry> | null>(() => this.value()?.log ?? null);
  protected readonly problem = linkedSignal<string, ApiProblem | null>({ source: this.id, computation: () => null });
  protected readonly notice = linkedSignal<string, string | null>({ source: this.id, computation: () => null });
  protected readonly busy = signal(false);
  protected readonly roles = this.fb.nonNullable.control<TenantRole[]>([], Validators.required);
  private readonly groupsApi = inject(GroupsApi);
  protected readonly enrolments = linkedSignal<Enrolment[]>(() => this.value()?.extras?.enrolments ?? []);
  protected courseId: string | null = null;
  protected coachId: string | null = null;
  protected dueOn: Date | null = null;
  protected eraseReason = '';
  protected eraseEmail = '';
  private readonly lifecycle = inject(LifecycleApi);
  private readonly router = inject(Router);
  protected readonly licence = this.fb.group({
    startsOn: this.fb.control<Date | null>(null, Validators.required),
    expiresOn: this.fb.control<Date | null>(null, Validators.required),
  });
  protected readonly dateField = dateField();
  /** where the person's licence stands today */
  protected readonly licenceOf = (u: UserDetail) => licenceState(u.licence);

  protected exportUrl(): string {
    return this.api.privacyLogExportUrl({ subjectId: this.id() });
  }

  constructor() {
    // the forms start from each person as they load
    effect(() => {
      const u = this.value()?.user;
      if (u) untracked(() => this.apply(u));
    });
  }

  private apply(
    u: UserDetail | (Omit<UserDetail, 'lastSignInAt' | 'totpEnabled' | 'invitation'> & Partial<UserDetail>),
  ): void {
    const prev = this.user();
    this.user.set({
      lastSignInAt: prev?.lastSignInAt ?? null,
      totpEnabled: prev?.totpEnabled ?? false,
      invitation: prev?.invitation ?? null,
      ...u,
    } as UserDetail);
    this.roles.setValue(u.roles);
    this.licence.setValue({ startsOn: dateOf(u.licence?.startsOn), expiresOn: dateOf(u.licence?.expiresOn) });
  }

  private async act(fn: () => Promise<string>): Promise<void> {
    this.busy.set(true);
    this.problem.set(null);
    this.notice.set(null);
    try {
      this.notice.set(await fn());
    } catch (e) {
      this.problem.set(toProblem(e));
    } finally {
      this.busy.set(false);
    }
  }

  /** Erases the person (the server checks the typed address again) and goes back to the list. */
  erase(email: string): Promise<void> {
    return this.act(async () => {
      const r = await firstValueFrom(this.lifecycle.erase(this.id(), this.eraseReason.trim(), this.eraseEmail.trim()));
      await this.router.navigate(['/admin/users'], {
        state: {
          notice: r.verified
            ? $localize`${email}:email: was erased.`
            : $localize`${email}:email: was erased (some stored files could not be confirmed gone: see Retention).`,
        },
      });
      return '';
    });
  }

  saveRoles(): Promise<void> {
    if (this.roles.invalid) return Promise.resolve();
    return this.act(async () => {
      this.apply(await firstValueFrom(this.api.setRoles(this.id(), this.roles.value)));
      return $localize`Roles saved. They apply from the person’s next click.`;
    });
  }

  saveLicence(): Promise<void> {
    if (this.licence.invalid) return Promise.resolve(this.licence.markAllAsTouched());
    return this.act(async () => {
      const { startsOn, expiresOn } = this.licence.getRawValue();
      const licence = { startsOn: isoDay(startsOn) ?? '', expiresOn: isoDay(expiresOn) ?? '' };
      this.apply(await firstValueFrom(this.api.setLicence(this.id(), licence)));
      return $localize`Licence saved.`;
    });
  }

  setActive(active: boolean): Promise<void> {
    return this.act(async () => {
      this.apply(await firstValueFrom(this.api.setActive(this.id(), active)));
      return active ? $localize`Reactivated.` : $localize`Deactivated; all sessions ended.`;
    });
  }

  enrol(): Promise<void> {
    return this.act(async () => {
      if (!this.courseId) return $localize`Choose a course.`;
      const dueOn = isoDay(this.dueOn);
      const e = await firstValueFrom(
        this.groupsApi.enrol({
          courseId: this.courseId,
          userId: this.id(),
          ...(this.coachId ? { coachId: this.coachId } : {}),
          ...(dueOn ? { dueOn } : {}),
        }),
      );
      this.enrolments.update((list) => [...list, e]);
      this.courseId = null;
      return $localize`Enrolled in ${e.courseTitle}.`;
    });
  }

  unenrol(e: Enrolment): Promise<void> {
    return this.act(async () => {
      await firstValueFrom(this.groupsApi.unenrol(e.id));
      this.enrolments.update((list) => list.filter((x) => x.id !== e.id));
      return $localize`Removed from ${e.courseTitle}.`;
    });
  }

  /** Whether an invitation's link no longer works. */
  protected linkExpired(expiresAt: string): boolean {
    return Date.parse(expiresAt) <= Date.now();
  }

  resend(): Promise<void> {
    return this.act(async () => {
      await firstValueFrom(this.api.resendInvitation(this.id()));
      // the old link's status no longer holds; the notice says the new one is on its way
      const u = this.user();
      if (u) this.user.set({ ...u, invitation: null });
      return $localize`A new invitation link is on its way; the old one no longer works.`;
    });
  }
}
