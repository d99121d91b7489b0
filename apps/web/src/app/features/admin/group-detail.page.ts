import { DatePipe, DecimalPipe } from '@angular/common';
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
import { FormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatDatepicker, MatDatepickerInput, MatDatepickerToggle } from '@angular/material/datepicker';
import { firstValueFrom, forkJoin } from 'rxjs';
import type { Enrolment, Group, GroupMembersChange } from '@rehearse/shared/contracts';
import { ApiProblem, GroupsApi, toProblem } from '@rehearse/web/data-access';
import { loadedValue, LoadState } from '../../core/load-state';
import { dateField, isoDay } from '../../core/dates';
import { CoachField } from './coach-field';
import { CourseField } from './course-field';
import { MemberPicker, type MemberChanges, NO_CHANGES } from './member-picker';

/**
 * A group: name, members (participants and coaches, a page at a time; people to add found among
 * the organisation's), enrolments. Saving the members sends what changed, not the whole list.
 */
@Component({
  selector: 'rh-group-detail',
  imports: [
    DecimalPipe,
    DatePipe,
    FormsModule,
    MatDatepicker,
    MatDatepickerInput,
    MatDatepickerToggle,
    RouterLink,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    LoadState,
    MemberPicker,
    CoachField,
    CourseField,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      <a i18n routerLink="/admin/groups">← Groups</a>
      <rh-load-state [of]="loaded" label="Loading the group" i18n-label notFound="No such group in your organisation." i18n-notFound />
      @if (group(); as g) {
        <h1>{{ g.name }}</h1>
        <form i18n-aria-label class="row" (ngSubmit)="rename()" aria-label="Name and description">
          <mat-form-field appearance="outline" class="name"><mat-label i18n>Name</mat-label><input matInput name="name" [(ngModel)]="name" maxlength="200" required /></mat-form-field>
          <mat-form-field appearance="outline" class="grow"><mat-label i18n>Description</mat-label><input matInput name="description" [(ngModel)]="description" maxlength="2000" /></mat-form-field>
          <button i18n mat-stroked-button type="submit" [disabled]="busy()">Save</button>
          <button i18n mat-button type="button" class="danger" (click)="remove()" [disabled]="busy()">Delete group</button>
        </form>
        @if (notice()) { <p class="card" role="status">{{ notice() }}</p> }
        @if (problem(); as p) {
          <div class="card error-text" role="alert"><p>{{ p.message }}</p>@if (p.fieldErrors.length) { <ul>@for (f of p.fieldErrors; track $index) { <li>{{ f.messages.join('; ') }}</li> }</ul> }</div>
        }
        <div class="columns">
          <div class="card">
            <h2 i18n>Participants ({{ participantCount() | number }})</h2>
            <rh-member-picker kind="participant" [groupId]="g.id" [version]="saved()" [(changes)]="participantChanges" />
          </div>
          <div class="card">
            <h2 i18n>Coaches ({{ coachCount() | number }})</h2>
            <rh-member-picker kind="coach" [groupId]="g.id" [version]="saved()" [(changes)]="coachChanges" />
          </div>
        </div>
        <div class="row save-members">
          <button i18n mat-flat-button type="button" (click)="saveMembers()" [disabled]="busy() || !pending()">Save members</button>
          @if (pending(); as p) { <span i18n class="muted">{{ p.add }} to add, {{ p.remove }} to remove</span> }
        </div>

        <div class="card">
          <h2 i18n>Courses</h2>
          @if (enrolments().length === 0) { <p i18n class="muted">Not enrolled in any course yet.</p> }
          <ul class="plain">
            @for (e of enrolments(); track e.id) {
              <li>{{ e.courseTitle }} <span class="muted">· @if (e.coachName) {<ng-container i18n> coach {{ e.coachName }} </ng-container>} @else { <ng-container i18n>no responsible coach</ng-container> }@if (e.startsOn) {<ng-container i18n> · from {{ e.startsOn | date: 'mediumDate' }} </ng-container>}@if (e.dueOn) {<ng-container i18n> · due {{ e.dueOn | date: 'mediumDate' }} </ng-container>}</span>
                <button i18n mat-button type="button" (click)="unenrol(e)">Remove</button></li>
            }
          </ul>
          <form class="row" #enrolForm="ngForm" (ngSubmit)="enrol()">
            <rh-course-field [(courseId)]="courseId" />
            <rh-coach-field [(coachId)]="coachId" />
            <mat-form-field appearance="outline"><mat-label i18n>Start</mat-label><input matInput [matDatepicker]="starts" name="starts" [(ngModel)]="startsOn" [min]="dateField.min" [max]="dateField.max" /><mat-datepicker-toggle matIconSuffix [for]="starts" /><mat-datepicker #starts [calendarHeaderComponent]="dateField.header" /><mat-error>{{ dateField.error }}</mat-error></mat-form-field>
            <mat-form-field appearance="outline"><mat-label i18n>Due</mat-label><input matInput [matDatepicker]="due" name="due" [(ngModel)]="dueOn" [min]="dateField.min" [max]="dateField.max" /><mat-datepicker-toggle matIconSuffix [for]="due" /><mat-datepicker #due [calendarHeaderComponent]="dateField.header" /><mat-error>{{ dateField.error }}</mat-error></mat-form-field>
            <button i18n mat-flat-button type="submit" [disabled]="busy() || !courseId || !!enrolForm.invalid">Enrol the group</button>
          </form>
        </div>
      }
    </section>
  `,
  styles: `/* minmax(0, …): a column is as wide as the screen allows, not as its widest field (330 px on a 320 px phone) */
    .columns { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 16px; } @media (max-width: 800px) { .columns { grid-template-columns: minmax(0, 1fr); } }
    ul.plain { list-style: none; padding: 0; max-height: 360px; overflow: auto; } .grow { flex: 1; } /* a group's name shown whole ("Customer service team" was cut) */ .name { flex: 0 1 18rem; max-width: 100%; } .danger { color: var(--mat-sys-error); } .save-members { margin: 16px 0 24px; align-items: center; }`,
})
export class GroupDetailPage {
  readonly id = input.required<string>();
  private readonly api = inject(GroupsApi);
  private readonly router = inject(Router);
  /**
   * The group of the route's id and its enrolments (people to add, and the course and coach of a
   * new enrolment, are searched for); another id loads that group and starts its form over.
   */
  protected readonly loaded = rxResource({
    params: () => this.id(),
    stream: ({ params: id }) =>
      forkJoin({
        group: this.api.group(id),
        enrolments: this.api.enrolments({ groupId: id }),
      }),
  });
  private readonly value = loadedValue(this.loaded);
  /** the group as last answered by the server (the load, a rename, a change of members) */
  protected readonly group = linkedSignal<Group | null>(() => this.value()?.group ?? null);
  protected readonly enrolments = linkedSignal<Enrolment[]>(() => this.value()?.enrolments ?? []);
  protected readonly problem = linkedSignal<string, ApiProblem | null>({ source: this.id, computation: () => null });
  protected readonly notice = linkedSignal<string, string | null>({ source: this.id, computation: () => null });
  protected readonly busy = signal(false);
  /** how many times the members were saved: each save lists them afresh */
  protected readonly saved = signal(0);
  /** the changes to each role's members since the group loaded or was last saved */
  protected readonly participantChanges = linkedSignal<unknown, MemberChanges>({
    source: () => [this.id(), this.saved()],
    computation: () => NO_CHANGES,
  });
  protected readonly coachChanges = linkedSignal<unknown, MemberChanges>({
    source: () => [this.id(), this.saved()],
    computation: () => NO_CHANGES,
  });
  /** the counts once saved: the group's, with the changes */
  protected readonly participantCount = computed(() =>
    this.count(this.group()?.participantCount, this.participantChanges()),
  );
  protected readonly coachCount = computed(() => this.count(this.group()?.coachCount, this.coachChanges()));
  /** how many are to be added and removed (null: nothing to save) */
  protected readonly pending = computed(() => {
    const add = this.participantChanges().add.size + this.coachChanges().add.size;
    const remove = this.participantChanges().remove.size + this.coachChanges().remove.size;
    return add || remove ? { add, remove } : null;
  });
  protected name = '';
  protected description = '';
  protected courseId: string | null = null;
  protected coachId: string | null = null;
  protected startsOn: Date | null = null;
  protected dueOn: Date | null = null;
  protected readonly dateField = dateField();

  constructor() {
    // the form starts from each group as it loads
    effect(() => {
      const g = this.value()?.group;
      if (g) untracked(() => this.applyGroup(g));
    });
  }

  private applyGroup(g: Group): void {
    this.group.set(g);
    this.name = g.name;
    this.description = g.description;
  }

  private count(saved: number | undefined, c: MemberChanges): number {
    // an addition of someone already a member is ignored by the server, and counted here until saved
    return (saved ?? 0) + c.add.size - c.remove.size;
  }

  private async act(fn: () => Promise<string | void>): Promise<void> {
    this.busy.set(true);
    this.problem.set(null);
    this.notice.set(null);
    try {
      const msg = await fn();
      if (msg) this.notice.set(msg);
    } catch (e) {
      this.problem.set(toProblem(e));
    } finally {
      this.busy.set(false);
    }
  }

  rename(): Promise<void> {
    return this.act(async () => {
      this.applyGroup(await firstValueFrom(this.api.update(this.id(), this.name.trim(), this.description.trim())));
      return $localize`Group saved.`;
    });
  }

  saveMembers(): Promise<void> {
    const p = this.participantChanges();
    const c = this.coachChanges();
    // only what changed is sent
    const change: GroupMembersChange = {};
    if (p.add.size) change.addParticipants = [...p.add];
    if (p.remove.size) change.removeParticipants = [...p.remove.keys()];
    if (c.add.size) change.addCoaches = [...c.add];
    if (c.remove.size) change.removeCoaches = [...c.remove.keys()];
    return this.act(async () => {
      this.applyGroup(await firstValueFrom(this.api.changeMembers(this.id(), change)));
      this.saved.update((n) => n + 1);
      return $localize`Members saved.`;
    });
  }

  enrol(): Promise<void> {
    return this.act(async () => {
      if (!this.courseId) return;
      const startsOn = isoDay(this.startsOn);
      const dueOn = isoDay(this.dueOn);
      const e = await firstValueFrom(
        this.api.enrol({
          courseId: this.courseId,
          groupId: this.id(),
          ...(this.coachId ? { coachId: this.coachId } : {}),
          ...(startsOn ? { startsOn } : {}),
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
      await firstValueFrom(this.api.unenrol(e.id));
      this.enrolments.update((list) => list.filter((x) => x.id !== e.id));
      return $localize`Removed from ${e.courseTitle}.`;
    });
  }

  remove(): Promise<void> {
    if (!confirm($localize`Delete this group? Its enrolments end; answers stay.`)) return Promise.resolve();
    return this.act(async () => {
      await firstValueFrom(this.api.remove(this.id()));
      await this.router.navigate(['/admin/groups']);
    });
  }
}
