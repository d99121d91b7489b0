import { emailAddress } from '../../core/email-address';
import { textOf } from '../../core/text-file';
import { setQuery } from '../../core/forget-query';
import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, OnInit, signal } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatPaginatorModule } from '@angular/material/paginator';
import { PagedList } from '../../core/paged-list';
import { ROLE_NAMES, USER_STATUS_NAMES } from '../../core/labels';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { firstValueFrom } from 'rxjs';
import {
  ImportResult,
  GROUP_FILTERS,
  LICENCE_FILTERS,
  LICENCE_WARNING_DAYS,
  TENANT_ROLES,
  TenantRole,
  UserStatus,
  UserSummary,
} from '@rehearse/shared/contracts';
import { AdminApi, ApiProblem, fieldMessages, GroupsApi, problemText, toProblem } from '@rehearse/web/data-access';
import { GroupField } from './group-field';
import { FilePick } from '../../core/file-pick';
import { StackedTable } from '../../core/stacked-table';
import { licenceState } from '../../core/licence-state';
import { Address } from '../../core/address';
import { ARIA } from '../../core/labels';

/** The columns of an import file, and the file itself, as the import's problems name them. */
const IMPORT_COLUMNS: Record<string, string> = {
  name: $localize`:a column of an import file:name`,
  email: $localize`:a column of an import file:email`,
  role: $localize`:a column of an import file:role`,
  phone: $localize`:a column of an import file:phone`,
  file: $localize`:the import file as a whole:the file`,
};

/** Whether the person may join a group as a participant (the API's rule: an active participant). */
const mayJoinGroups = (u: UserSummary) => u.status === 'active' && u.roles.includes('participant');

@Component({
  selector: 'rh-users',
  imports: [
    Address,
    GroupField,
    StackedTable,
    FilePick,
    DatePipe,
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    MatPaginatorModule,
    MatProgressBarModule,
    MatSelectModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './users.page.html',
  styles: `
    td, th { text-align: left; padding: 8px; border-bottom: 1px solid var(--mat-sys-outline-variant); }
    .status-deactivated { color: var(--mat-sys-error); }
    .status-invited { color: var(--mat-sys-tertiary); }
    .licence-note { display: block; font-size: .85em; color: var(--mat-sys-on-surface-variant); }
    .licence-note.ended { color: var(--mat-sys-error); }
    .licence-note.ending { color: var(--mat-sys-tertiary); }
    .filters mat-form-field { min-width: 12rem; }
    /* the licence and group filters' choices whole ("Participants in no group", "Loopt af binnen 30 dagen") */
    .filters .wide { min-width: 16rem; }
    /* wide enough for "Search name or e-mail" and its Dutch */
    .filters .search { flex: 0 1 20rem; }
    /* on a phone the whole width, as the fields below it (styles.scss) */
    @media (max-width: 700px) { .filters .search { flex: 1 1 100%; } }
    .pick { width: 1%; }
    tr.chosen { background: var(--mat-sys-secondary-container); }
    .selection { margin-bottom: 12px; padding: 8px 12px; border-radius: 8px; background: var(--mat-sys-surface-container-high); }
    .selection form mat-form-field { min-width: 10rem; }
    .selection .group { flex: 0 1 20rem; }
  `,
})
export class UsersPage implements OnInit {
  private readonly api = inject(AdminApi);
  private readonly groupsApi = inject(GroupsApi);
  private readonly fb = inject(FormBuilder);
  private readonly route = inject(ActivatedRoute, { optional: true });
  private readonly router = inject(Router);
  private readonly query = this.route?.snapshot.queryParamMap;
  protected readonly roles = TENANT_ROLES;
  protected readonly labels = ROLE_NAMES;
  protected readonly statusNames = USER_STATUS_NAMES;
  /** where each listed person's licence stands today */
  protected readonly licenceOf = (u: UserSummary) => licenceState(u.licence);
  protected readonly licenceDays = LICENCE_WARNING_DAYS;

  protected readonly aria = ARIA;
  protected readonly problemText = problemText;
  protected readonly panel = signal<'none' | 'invite' | 'import'>('none');
  /** the people selected, on this page and others (a page at a time, a filter at a time), by id */
  protected readonly selected = signal<ReadonlyMap<string, UserSummary>>(new Map());
  /** what is being done with the people selected */
  protected readonly action = signal<'none' | 'licence' | 'group'>('none');
  /** the group they are to join */
  protected readonly groupId = signal<string | null>(null);
  /** of the people selected, those who may join a group as participants (active participants) */
  protected readonly joiners = computed(() => [...this.selected().values()].filter(mayJoinGroups));
  /** who of the people selected a group would leave out, in a sentence (null: nobody) */
  protected readonly leftOut = computed(() => {
    const out = [...this.selected().values()].filter((u) => !mayJoinGroups(u)).map((u) => u.name);
    if (!out.length) return null;
    const names =
      out.length > 5
        ? $localize`${out.slice(0, 5).join(', ')}:names: and ${out.length - 5}:count: more`
        : out.join(', ');
    return $localize`Only active participants join a group as participants; left out: ${names}:names:.`;
  });
  /** what setting their licence met */
  protected readonly bulkProblem = signal<ApiProblem | null>(null);
  protected readonly bulkLicence = this.fb.nonNullable.group({
    startsOn: ['', Validators.required],
    expiresOn: ['', Validators.required],
  });
  protected readonly busy = signal(false);
  protected readonly problem = signal<ApiProblem | null>(null);
  protected readonly notice = signal<string | null>(null);
  protected readonly importResult = signal<ImportResult | null>(null);
  /** an import problem's column as the reader calls it (the API names it in English: name, email, …) */
  protected readonly importColumn = (field: string): string => IMPORT_COLUMNS[field] ?? field;

  protected readonly filters = this.fb.nonNullable.group({
    q: [''],
    role: ['' as TenantRole | ''],
    status: ['' as UserStatus | ''],
    // from the address too: the home page's "all of them" links ask for the licences ending soon
    // and the participants in no group
    licence: [oneOf(LICENCE_FILTERS, this.query?.get('licence'))],
    group: [oneOf(GROUP_FILTERS, this.query?.get('group'))],
  });
  protected readonly list = new PagedList<UserSummary>((page, pageSize) => {
    const f = this.filters.getRawValue();
    return this.api.users({
      q: f.q.trim(),
      role: f.role,
      status: f.status,
      licence: f.licence,
      group: f.group,
      page,
      pageSize,
    });
  });

  protected readonly invite = this.fb.nonNullable.group({
    name: ['', [Validators.required, Validators.maxLength(200)]],
    email: ['', [Validators.required, emailAddress, Validators.maxLength(254)]],
    phone: ['', Validators.pattern(/^\+?[0-9 ()./-]{6,40}$/)],
    roles: this.fb.nonNullable.control<TenantRole[]>(['participant'], Validators.required),
    startsOn: [''],
    expiresOn: [''],
  });

  /**
   * The licence or group filter changed: the list from its first page, and the address says it too
   * (these two can come from the address: a reload or a shared link shows the same list).
   */
  protected linkedFilterChanged(): void {
    const { licence, group } = this.filters.getRawValue();
    void setQuery(this.router, this.route, { licence: licence || null, group: group || null });
    void this.list.search();
  }

  ngOnInit(): Promise<void> {
    return this.list.load();
  }

  protected fieldErrors(field: string): string[] {
    return fieldMessages(this.problem(), field);
  }

  async submitInvite(): Promise<void> {
    if (this.invite.invalid) {
      this.invite.markAllAsTouched();
      return;
    }
    const v = this.invite.getRawValue();
    if ((v.startsOn && !v.expiresOn) || (!v.startsOn && v.expiresOn)) {
      this.problem.set({
        status: 400,
        code: 'validation_failed',
        message: $localize`Give both licence dates, or neither.`,
        fieldErrors: [],
        correlationId: null,
      });
      return;
    }
    this.busy.set(true);
    this.problem.set(null);
    try {
      const user = await firstValueFrom(
        this.api.invite({
          name: v.name,
          email: v.email,
          roles: v.roles,
          ...(v.phone ? { phone: v.phone } : {}),
          ...(v.startsOn && v.expiresOn ? { licence: { startsOn: v.startsOn, expiresOn: v.expiresOn } } : {}),
        }),
      );
      this.notice.set($localize`${user.name} was invited; the invitation link is on its way to ${user.email}.`);
      this.invite.reset({ name: '', email: '', phone: '', roles: ['participant'], startsOn: '', expiresOn: '' });
      this.panel.set('none');
      await this.list.load();
    } catch (e) {
      this.problem.set(toProblem(e));
    } finally {
      this.busy.set(false);
    }
  }

  protected select(u: UserSummary, on: boolean): void {
    this.selectAll([u], on);
  }

  protected selectAll(people: readonly UserSummary[], on: boolean): void {
    const next = new Map(this.selected());
    for (const u of people) {
      if (on) next.set(u.id, u);
      else next.delete(u.id);
    }
    this.selected.set(next);
  }

  protected allSelected(people: readonly UserSummary[]): boolean {
    return people.length > 0 && people.every((u) => this.selected().has(u.id));
  }

  protected someSelected(people: readonly UserSummary[]): boolean {
    return people.some((u) => this.selected().has(u.id)) && !this.allSelected(people);
  }

  protected clearSelection(): void {
    this.selected.set(new Map());
    this.act('none');
  }

  /** Opens what to do with the people selected (or closes it), its last problem forgotten. */
  protected act(action: 'none' | 'licence' | 'group'): void {
    this.action.set(action);
    this.bulkProblem.set(null);
  }

  /** The active participants selected join the group chosen; the others are left out, as the page said. */
  async addToGroup(): Promise<void> {
    const groupId = this.groupId();
    const joiners = this.joiners();
    if (!groupId || !joiners.length) return;
    this.busy.set(true);
    this.bulkProblem.set(null);
    try {
      const group = await firstValueFrom(
        this.groupsApi.changeMembers(groupId, { addParticipants: joiners.map((u) => u.id) }),
      );
      this.notice.set(
        $localize`${joiners.length}:count: selected joined ${group.name}:group:, which has ${group.participantCount}:participants: participants now.`,
      );
      this.clearSelection();
      this.groupId.set(null);
      await this.list.load();
    } catch (e) {
      this.bulkProblem.set(toProblem(e));
    } finally {
      this.busy.set(false);
    }
  }

  /** One licence for everyone selected; the list shows it, the selection is cleared. */
  async setLicences(): Promise<void> {
    if (this.bulkLicence.invalid) {
      this.bulkLicence.markAllAsTouched();
      return;
    }
    const licence = this.bulkLicence.getRawValue();
    const userIds = [...this.selected().keys()];
    this.busy.set(true);
    this.bulkProblem.set(null);
    try {
      const { changed } = await firstValueFrom(this.api.setLicences({ userIds, licence }));
      const unchanged = userIds.length - changed;
      this.notice.set(
        unchanged > 0
          ? $localize`${changed}:changed: of ${userIds.length}:count: licences changed; the others had these dates already.`
          : userIds.length === 1
            ? $localize`The licence is set.`
            : $localize`The ${userIds.length}:count: licences are set.`,
      );
      this.clearSelection();
      this.bulkLicence.reset({ startsOn: '', expiresOn: '' });
      await this.list.load();
    } catch (e) {
      this.bulkProblem.set(toProblem(e));
    } finally {
      this.busy.set(false);
    }
  }

  async importFile(file: File): Promise<void> {
    this.problem.set(null);
    this.importResult.set(null);
    if (file.size > 1_500_000) {
      this.problem.set({
        status: 413,
        code: 'payload_too_large',
        message: $localize`The file is larger than 1.5 MB; split it into smaller files.`,
        fieldErrors: [],
        correlationId: null,
      });
      return;
    }
    this.busy.set(true);
    try {
      const result = await firstValueFrom(this.api.importCsv(await textOf(file)));
      this.importResult.set(result);
      if (result.created > 0) {
        this.notice.set(
          result.created === 1
            ? $localize`1 person imported and invited.`
            : $localize`${result.created} people imported and invited.`,
        );
        await this.list.load();
      }
    } catch (e) {
      this.problem.set(toProblem(e));
    } finally {
      this.busy.set(false);
    }
  }
}

/** A filter's value named in the address, or none (anything else is ignored). */
function oneOf<T extends string>(values: readonly T[], name: string | null | undefined): T | '' {
  return (values as readonly string[]).includes(name ?? '') ? (name as T) : '';
}
