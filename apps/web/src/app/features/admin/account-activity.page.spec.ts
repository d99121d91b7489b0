import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideRouter, Router } from '@angular/router';
import type { AccountActivityEntry } from '@rehearse/shared/contracts';
import { AccountActivityPage } from './account-activity.page';
import { settle } from '../../../testing/page-testing';

const entry = (id: number, over: Partial<AccountActivityEntry> = {}): AccountActivityEntry => ({
  id: String(id),
  at: '2026-11-30T09:15:00.000Z',
  action: 'user.roles_changed',
  actorId: 'a',
  actorName: 'Ada Admin',
  actorRole: 'administrator',
  impersonatorId: null,
  impersonatorName: null,
  subjectId: 'p',
  subjectName: 'Pia Participant',
  details: { previousRoles: ['participant'], roles: ['participant', 'coach'] },
  ...over,
});

describe('AccountActivityPage', () => {
  let fixture: ComponentFixture<AccountActivityPage>;
  let http: HttpTestingController;
  let el: HTMLElement;

  beforeEach(async () => {
    await TestBed.configureTestingModule({
      imports: [AccountActivityPage],
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    }).compileComponents();
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(AccountActivityPage);
    el = fixture.nativeElement;
  });
  afterEach(() => http.verify());

  const page = (items: AccountActivityEntry[], total = items.length) => ({ items, total, page: 1, pageSize: 25 });
  const text = () => (el.textContent ?? '').replace(/\s+/g, ' ');
  const rows = () =>
    Array.from(el.querySelectorAll('tbody tr')).map((tr) =>
      Array.from(tr.querySelectorAll('td')).map((td) => (td.textContent ?? '').replace(/\s+/g, ' ').trim()),
    );

  it('says each change in a sentence, who made it (the support beside the administrator) and whose account it was', async () => {
    fixture.detectChanges();
    await settle();
    http
      .expectOne((r) => r.url === '/api/admin/activity' && r.params.get('page') === '1' && !r.params.has('subjectId'))
      .flush(
        page([
          entry(1),
          entry(2, {
            action: 'user.invited',
            details: { roles: ['participant'], licence: { startsOn: '2026-01-01', expiresOn: '2026-12-31' } },
            actorRole: 'superuser-as-administrator',
            impersonatorId: 's',
            impersonatorName: 'Sam Support',
          }),
          entry(3, {
            action: 'group.member_added',
            details: { group: { id: 'g1', name: 'Sales North' }, membership: 'coach' },
            groupExists: true,
          }),
          // a group deleted since: named as it was, with no link to a page it no longer has
          entry(7, {
            action: 'group.member_removed',
            details: { group: { id: 'g2', name: 'Sales South' }, membership: 'participant' },
            groupExists: false,
          }),
          entry(8, {
            action: 'enrolment.added',
            subjectId: null,
            subjectName: null,
            details: { course: { id: 'c1', title: 'Complaints' }, group: { id: 'g1', name: 'Sales North' } },
            groupExists: true,
          }),
          entry(9, { action: 'enrolment.ended', details: { course: { id: 'c1', title: 'Complaints' } } }),
          entry(4, {
            action: 'organisation.sso_changed',
            subjectId: null,
            subjectName: null,
            details: { settings: ['enabled', 'clientSecret'] },
          }),
          entry(6, {
            action: 'organisation.agreement_changed',
            subjectId: null,
            subjectName: null,
            actorId: 's',
            actorName: 'Sam Support',
            actorRole: 'superuser',
            details: { previousEndsOn: '2030-03-31', endsOn: '2030-06-30' },
          }),
          // the operator, with a command on the server: no person
          entry(10, {
            action: 'organisation.privacy_log_accepted',
            subjectId: null,
            subjectName: null,
            actorId: null,
            actorName: null,
            actorRole: 'operator',
            details: { reason: 'Restored from the backup', brokenAtId: '884213' },
          }),
          entry(5, {
            action: 'user.erased',
            subjectId: null,
            subjectName: null,
            actorId: null,
            actorName: null,
            details: { receiptId: '7babc233-de26' },
          }),
        ]),
      );
    await settle();
    const cells = rows();
    expect(cells.map((r) => r.slice(1))).toEqual([
      ['Ada Admin · Administrator', 'Pia Participant', 'Changed the roles from Participant to Participant, Coach'],
      [
        'Ada Admin · Superuser as Administrator (support: Sam Support)',
        'Pia Participant',
        'Invited as Participant, with a licence for 1 Jan 2026 – 31 Dec 2026',
      ],
      ['Ada Admin · Administrator', 'Pia Participant', 'Added to the group Sales North as a coach · open the group'],
      [
        'Ada Admin · Administrator',
        'Pia Participant',
        'Removed from the group Sales South as a participant · the group was deleted since',
      ],
      [
        'Ada Admin · Administrator',
        'Everyone in the group Sales North',
        'Enrolled the group Sales North in the course Complaints · open the group',
      ],
      ['Ada Admin · Administrator', 'Pia Participant', 'Ended the enrolment in the course Complaints'],
      [
        'Ada Admin · Administrator',
        'The organisation',
        'Changed the single sign-on settings: on or off, client secret',
      ],
      [
        'Sam Support · Superuser',
        'The organisation',
        "Moved the end of the organisation's agreement from 31 Mar 2030 to 30 Jun 2030",
      ],
      [
        'The operator of Rehearse',
        'The organisation',
        'Accepted the privacy log as it is after the nightly check found it changed or cut short at entry 884213: “Restored from the backup”',
      ],
      [
        'someone since erased · Administrator',
        'a person since erased',
        'Erased a person for good (deletion receipt 7babc233)',
      ],
    ]);
    const links = Array.from(el.querySelectorAll<HTMLAnchorElement>('tbody a')).map((a) => [
      a.textContent?.trim(),
      a.getAttribute('href'),
    ]);
    expect(links).toEqual([
      ['Ada Admin', '/admin/users/a'],
      ['Pia Participant', '/?subjectId=p'],
      ['Ada Admin', '/admin/users/a'],
      ['Pia Participant', '/?subjectId=p'],
      ['Ada Admin', '/admin/users/a'],
      ['Pia Participant', '/?subjectId=p'],
      ['open the group', '/admin/groups/g1'],
      ['Ada Admin', '/admin/users/a'],
      ['Pia Participant', '/?subjectId=p'],
      ['Ada Admin', '/admin/users/a'],
      ['open the group', '/admin/groups/g1'],
      ['Ada Admin', '/admin/users/a'],
      ['Pia Participant', '/?subjectId=p'],
      ['Ada Admin', '/admin/users/a'],
    ]);
    expect(text()).not.toContain('Only the changes to');
    expect(el.querySelector('a[download]')?.getAttribute('href')).toBe('/api/admin/activity/export');
  });

  it("one person's changes: says whose, asks the API for theirs only, and goes back to everyone's", async () => {
    fixture.componentRef.setInput('subjectId', 'p');
    fixture.detectChanges();
    await settle();
    http.expectOne((r) => r.params.get('subjectId') === 'p' && r.params.get('page') === '1').flush(page([entry(1)]));
    await settle();
    expect(text()).toContain("Only the changes to Pia Participant's account");
    expect(el.querySelector('a[download]')?.getAttribute('href')).toBe('/api/admin/activity/export?subjectId=p');
    const back = Array.from(el.querySelectorAll<HTMLAnchorElement>('a')).find((a) =>
      a.textContent?.includes("Show everyone's"),
    );
    expect(back?.getAttribute('href')).toBe('/');
    // someone else (the address changed): from the first page again, the empty state said
    fixture.componentRef.setInput('subjectId', 'q');
    await settle();
    http.expectOne((r) => r.params.get('subjectId') === 'q' && r.params.get('page') === '1').flush(page([]));
    await settle();
    expect(text()).toContain("Nothing has been changed in this person's account yet.");
  });

  it('one kind of change from the address (anything unknown is every change); choosing a kind puts it in the address', async () => {
    fixture.componentRef.setInput('action', 'user.hacked');
    fixture.detectChanges();
    await settle();
    http.expectOne((r) => r.url === '/api/admin/activity' && !r.params.has('action')).flush(page([]));
    await settle();
    expect(text()).toContain('No changes yet.');
    fixture.componentRef.setInput('action', 'user.deactivated');
    await settle();
    http.expectOne((r) => r.params.get('action') === 'user.deactivated').flush(page([]));
    await settle();
    expect(text()).toContain('No changes of this kind yet.');
    const router = TestBed.inject(Router);
    const navigate = spyOn(router, 'navigate').and.resolveTo(true);
    (fixture.componentInstance as unknown as { setKind(a: string): void }).setKind('user.roles_changed');
    expect(navigate).toHaveBeenCalledWith(
      [],
      jasmine.objectContaining({ queryParams: { action: 'user.roles_changed' }, queryParamsHandling: 'merge' }),
    );
  });

  it('an error says so and tries again; more than the count says so', async () => {
    fixture.detectChanges();
    await settle();
    http
      .expectOne('/api/admin/activity?page=1&pageSize=25')
      .flush(
        { code: 'unavailable', message: 'The service is unavailable' },
        { status: 503, statusText: 'Unavailable' },
      );
    await settle();
    expect(el.querySelector('[role="alert"]')?.textContent).toContain('Try again');
    (el.querySelector('[role="alert"] button') as HTMLButtonElement).click();
    await settle();
    http
      .expectOne('/api/admin/activity?page=1&pageSize=25')
      .flush({ ...page([entry(1)], 10_000), totalIsLowerBound: true });
    await settle();
    expect(text()).toContain('More than 10,000 changes');
  });
});
