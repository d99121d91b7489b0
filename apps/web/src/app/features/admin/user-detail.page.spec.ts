import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideRouter } from '@angular/router';
import type { Me, UserDetail } from '@rehearse/shared/contracts';
import { SessionStore } from '../../core/session.store';
import { LocalizedDatepickerIntl, provideDates } from '../../core/dates';
import { By } from '@angular/platform-browser';
import { MatDatepickerIntl, MatDatepickerToggle } from '@angular/material/datepicker';
import { UserDetailPage } from './user-detail.page';
import { privacyLogEntry } from '../../../testing/privacy-log-entry';
import { settle } from '../../../testing/page-testing';
import { formatDate } from '@angular/common';
import { LOCALE_ID } from '@angular/core';
import { addDays } from 'date-fns';
import { isoDay } from '../../core/dates';

const person = (id: string, name: string, roles: UserDetail['roles'] = ['coach']): UserDetail => ({
  id,
  email: `${id}@example.test`,
  name,
  phone: null,
  status: 'active',
  roles,
  licence: null,
  createdAt: '2026-11-01T10:00:00Z',
  lastSignInAt: null,
  totpEnabled: false,
  invitation: null,
});
const noLog = { items: [], total: 0, page: 1, pageSize: 20 };

describe('UserDetailPage', () => {
  let fixture: ComponentFixture<UserDetailPage>;
  let http: HttpTestingController;
  let el: HTMLElement;
  const log = () => http.expectOne((r) => r.url === '/api/admin/privacy-log');

  beforeEach(async () => {
    await TestBed.configureTestingModule({
      imports: [UserDetailPage],
      providers: [
        provideZonelessChangeDetection(),
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        provideDates(),
      ],
    }).compileComponents();
    TestBed.inject(SessionStore).set({
      id: 'admin',
      name: 'Ada',
      roles: ['administrator'],
      permissions: ['users.read', 'users.write', 'privacy.read', 'groups.manage'],
    } as unknown as Me);
    fixture = TestBed.createComponent(UserDetailPage);
    fixture.componentRef.setInput('id', 'u1');
    http = TestBed.inject(HttpTestingController);
    el = fixture.nativeElement;
    fixture.detectChanges();
    await settle();
  });
  afterEach(() => http.verify());

  it('shows the person and the looks at their data; another id shows that person', async () => {
    http.expectOne('/api/admin/users/u1').flush(person('u1', 'Cora Coach'));
    await settle();
    expect(log().request.params.get('subjectId')).toBe('u1');
    http.match(() => true);
    fixture.componentRef.setInput('id', 'u2');
    await settle();
    http.expectOne('/api/admin/users/u2').flush(person('u2', 'Carl Coach'));
    await settle();
    log().flush(noLog);
    await settle();
    expect(el.querySelector('h1')?.textContent).toContain('Carl Coach');
    expect(el.textContent).not.toContain('Cora Coach');
    // and the other way round: what Carl looked at, in the organisation's log
    const looked = Array.from(el.querySelectorAll('a')).find(
      (a) => a.textContent?.trim() === 'What Carl Coach looked at',
    );
    expect(looked?.getAttribute('href')).toBe('/admin/privacy-log?actorId=u2');
    // and what was changed in Carl's account, in the organisation's account activity
    const changes = Array.from(el.querySelectorAll('a')).find(
      (a) => a.textContent?.trim() === "Changes to Carl Coach's account",
    );
    expect(changes?.getAttribute('href')).toBe('/admin/activity?subjectId=u2');
    // (the data-export panel of the page asks for its own list)
    http.match('/api/admin/users/u2/exports');
  });

  it('says when the person last signed in, or that they never have, in the words of the page (translated with it)', async () => {
    http.expectOne('/api/admin/users/u1').flush(person('u1', 'Cora Coach'));
    await settle();
    log().flush(noLog);
    await settle();
    const line = () => (el.querySelector('h1 + p')?.textContent ?? '').replace(/\s+/g, ' ');
    expect(line()).toContain('last sign-in never');
    http.match('/api/admin/users/u1/exports');
    fixture.componentRef.setInput('id', 'u2');
    await settle();
    http
      .expectOne('/api/admin/users/u2')
      .flush({ ...person('u2', 'Carl Coach'), lastSignInAt: '2026-11-29T08:05:00Z' });
    await settle();
    log().flush(noLog);
    await settle();
    expect(line()).toMatch(/last sign-in 29 Nov 2026, \d\d:05:00/);
    http.match('/api/admin/users/u2/exports');
  });

  it("a long log of the looks at a person's data: the latest here, all of them on the privacy log's page", async () => {
    http.expectOne('/api/admin/users/u1').flush(person('u1', 'Cora Coach'));
    await settle();
    const latest = Array.from({ length: 20 }, (_, i) =>
      privacyLogEntry(i + 1, { subjectId: 'u1', subjectName: 'Cora Coach' }),
    );
    log().flush({ items: latest, total: 57, page: 1, pageSize: 20 });
    await settle();
    // and a space before the link (a template's whitespace between two elements is dropped: "57.All")
    expect(el.textContent).toContain('Showing the latest 20 of 57. All of them, by period');
    const all = Array.from(el.querySelectorAll('a')).find((a) => a.textContent?.trim() === 'All of them, by period');
    expect(all?.getAttribute('href')).toBe('/admin/privacy-log?subjectId=u1');
    http.match('/api/admin/users/u1/exports');
  });

  it("asks for a participant's own enrolments only (an organisation has thousands) and lists them", async () => {
    http.expectOne('/api/admin/users/u1').flush(person('u1', 'Pia Participant', ['participant']));
    await settle();
    log().flush(noLog);
    const asked = http.expectOne((r) => r.url === '/api/admin/enrolments');
    expect(asked.request.params.keys()).toEqual(['userId']);
    expect(asked.request.params.get('userId')).toBe('u1');
    asked.flush([
      {
        id: 'e1',
        courseId: 'c1',
        courseTitle: 'Calm calls',
        groupId: null,
        groupName: null,
        userId: 'u1',
        userName: 'Pia Participant',
        coachId: null,
        coachName: null,
        startsOn: null,
        dueOn: null,
      },
    ]);
    for (const r of http.match((r) => r.url === '/api/admin/courses'))
      if (!r.cancelled) r.flush({ items: [], total: 0, page: 1, pageSize: 100 });
    await settle();
    expect(el.textContent).toContain('Calm calls');
    http.match(() => true);
  });

  /** Cora's page, her licence running from 5 Oct 2026 to 5 Oct 2027 (the page's other requests dropped) */
  async function openWithLicence() {
    http.expectOne('/api/admin/users/u1').flush({
      ...person('u1', 'Cora Coach'),
      licence: { startsOn: '2026-10-05', expiresOn: '2027-10-05' },
    });
    await settle();
    log().flush(noLog);
    await settle();
    http.match(() => true);
  }

  it('shows the licence in the app’s words and saves what was typed, day before month, as calendar days', async () => {
    await openWithLicence();
    const field = (label: string) =>
      Array.from(el.querySelectorAll('mat-form-field'))
        .find((f) => f.querySelector('mat-label')?.textContent === label)
        ?.querySelector('input') as HTMLInputElement;
    // not the browser's "10/05/2026", which a European reads as the tenth of May
    expect(field('From').value).toBe('5 Oct 2026');
    // the calendar's words are the app's (in Dutch on a Dutch page): a module's own provider of
    // Material's English ones, imported with MatDatepickerModule, had hidden them
    const toggle = fixture.debugElement.query(By.directive(MatDatepickerToggle));
    expect(toggle.injector.get(MatDatepickerIntl)).toBeInstanceOf(LocalizedDatepickerIntl);
    expect(field('Until').value).toBe('5 Oct 2027');
    field('Until').value = '04/10/2028';
    field('Until').dispatchEvent(new Event('input'));
    await settle();
    (
      Array.from(el.querySelectorAll('button')).find(
        (b) => b.textContent?.trim() === 'Save licence',
      ) as HTMLButtonElement
    ).click();
    const saved = http.expectOne('/api/admin/users/u1/licence');
    expect(saved.request.body).toEqual({ startsOn: '2026-10-05', expiresOn: '2028-10-04' });
    saved.flush({
      ...person('u1', 'Cora Coach'),
      licence: { startsOn: '2026-10-05', expiresOn: '2028-10-04' },
    });
    await settle();
    expect(field('Until').value).toBe('4 Oct 2028');
  });

  it('says when the licence has ended (their answers hidden until it is extended) or ends soon; an extension says neither', async () => {
    const day = (n: number) => isoDay(addDays(new Date(), n)) ?? '';
    const ended = { startsOn: day(-365), expiresOn: day(-2) };
    http.expectOne('/api/admin/users/u1').flush({ ...person('u1', 'Rik'), licence: ended });
    await settle();
    log().flush(noLog);
    await settle();
    http.match(() => true);
    const card = () =>
      Array.from(el.querySelectorAll('.card')).find((c) => c.querySelector('h2')?.textContent === 'Licence');
    const endedOn = formatDate(ended.expiresOn, 'mediumDate', TestBed.inject(LOCALE_ID));
    expect(card()?.textContent).toContain(
      `The licence ended on ${endedOn}: their answers and feedback are hidden from everyone until it is extended.`,
    );
    (
      Array.from(el.querySelectorAll('button')).find(
        (b) => b.textContent?.trim() === 'Save licence',
      ) as HTMLButtonElement
    ).click();
    http.expectOne('/api/admin/users/u1/licence').flush({
      ...person('u1', 'Rik'),
      licence: { startsOn: ended.startsOn, expiresOn: day(12) },
    });
    await settle();
    expect(card()?.textContent).not.toContain('ended');
    expect(card()?.textContent).toContain('(in 12 days): from then on their answers and feedback are hidden.');
  });

  it('keeps a licence whose date is no date: it says what to type and sends nothing', async () => {
    await openWithLicence();
    const until = Array.from(el.querySelectorAll('mat-form-field')).find(
      (f) => f.querySelector('mat-label')?.textContent === 'Until',
    ) as HTMLElement;
    const input = until.querySelector('input') as HTMLInputElement;
    input.value = 'next October';
    input.dispatchEvent(new Event('input'));
    input.dispatchEvent(new Event('blur'));
    await settle();
    (
      Array.from(el.querySelectorAll('button')).find(
        (b) => b.textContent?.trim() === 'Save licence',
      ) as HTMLButtonElement
    ).click();
    await settle();
    expect(until.querySelector('mat-error')?.textContent).toBe('A date such as 5 Oct 2026, between 2000 and 2099');
    http.expectNone('/api/admin/users/u1/licence');
  });

  it("says of an invited person's link whether it was e-mailed and until when it works, or that it expired", async () => {
    const later = new Date(Date.now() + 3 * 86_400_000).toISOString();
    /** the page of person `id`, invited, with this invitation: its line about the link */
    const shown = async (id: string, invitation: UserDetail['invitation']) => {
      if (id !== 'u1') {
        fixture.componentRef.setInput('id', id);
        await settle();
      }
      http
        .expectOne(`/api/admin/users/${id}`)
        .flush({ ...person(id, 'Ivy Invited'), status: 'invited', invitation } satisfies UserDetail);
      await settle();
      log().flush(noLog);
      await settle();
      http.match(() => true);
      const line = el.querySelector('[data-invitation]');
      return { state: line?.getAttribute('data-invitation'), text: line?.textContent?.replace(/\s+/g, ' ').trim() };
    };
    expect(await shown('u1', { sentAt: '2026-12-05T09:14:00Z', expiresAt: later })).toEqual({
      state: 'sent',
      text: jasmine.stringMatching(
        /^Invitation e-mailed on \d{1,2} Dec 2026, \d\d:\d\d:00; the link works until \d{1,2} \w{3} \d{4}, .+\.$/,
      ),
    });
    expect(await shown('u2', { sentAt: null, expiresAt: later })).toEqual({
      state: 'waiting',
      text: 'The invitation has not been e-mailed yet; it goes out by itself.',
    });
    expect(await shown('u3', { sentAt: '2026-11-01T09:00:00Z', expiresAt: '2026-11-08T09:00:00Z' })).toEqual({
      state: 'expired',
      text: jasmine.stringMatching(/^The invitation link expired on \d{1,2} Nov 2026, \d\d:\d\d:00: send a new one\.$/),
    });
    // an active person has no invitation to tell of
    fixture.componentRef.setInput('id', 'u4');
    await settle();
    http.expectOne('/api/admin/users/u4').flush(person('u4', 'Ada Active'));
    await settle();
    log().flush(noLog);
    await settle();
    http.match(() => true);
    expect(el.querySelector('h1')?.textContent).toContain('Ada Active');
    expect(el.querySelector('[data-invitation]')).toBeNull();
  });

  it('says so when the person is not in your organisation', async () => {
    http
      .expectOne('/api/admin/users/u1')
      .flush({ statusCode: 404, code: 'not_found', message: 'Not found' }, { status: 404, statusText: 'Not Found' });
    await settle();
    expect(el.querySelector('[role=alert]')?.textContent).toContain('No such person in your organisation.');
  });
});
