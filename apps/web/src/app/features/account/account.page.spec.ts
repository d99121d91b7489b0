import { ComponentFixture, TestBed } from '@angular/core/testing';
import { LOCALE_ID, provideZonelessChangeDetection } from '@angular/core';
import { formatDate } from '@angular/common';
import { provideHttpClient } from '@angular/common/http';
import { provideRouter, Router } from '@angular/router';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import type { ActiveSession, TrustedDevice } from '@rehearse/shared/contracts';
import { button, settle } from '../../../testing/page-testing';
import { privacyLogLooks } from '../../../testing/privacy-log-entry';
import { AccountPage } from './account.page';
import { SessionStore } from '../../core/session.store';
import type { AccountActivityEntry, Me, Page } from '@rehearse/shared/contracts';

const DEVICE: TrustedDevice = {
  id: 'd1',
  label: 'Firefox on Linux',
  current: true,
  createdAt: '2026-11-01T10:00:00Z',
  lastUsedAt: null,
  expiresAt: '2027-01-30T10:00:00Z',
};
const SESSIONS: ActiveSession[] = [
  {
    id: 's1',
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
    browser: 'Firefox',
    os: 'Linux',
    ip: '10.0.0.1',
    createdAt: '2026-11-30T08:00:00Z',
    lastSeenAt: '2026-11-30T09:00:00Z',
    current: true,
  },
  {
    id: 's2',
    userAgent:
      'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
    browser: 'Chrome',
    os: 'Android',
    ip: '10.0.0.2',
    createdAt: '2026-11-29T08:00:00Z',
    lastSeenAt: '2026-11-29T09:00:00Z',
    current: false,
  },
];
const EMPTY_LOG = { items: [], total: 0, page: 1, pageSize: 10 };

/** Types a new address and the password into the e-mail address card's form. */
function fillEmailForm(el: HTMLElement, email: string, password: string): void {
  const form = Array.from(el.querySelectorAll('form')).find((f) => f.querySelector('input[type=email]'));
  for (const [selector, value] of [
    ['input[type=email]', email],
    ['input[type=password]', password],
  ]) {
    const input = form?.querySelector<HTMLInputElement>(selector);
    if (!input) throw new Error(`no ${selector} in the e-mail address form`);
    input.value = value;
    input.dispatchEvent(new Event('input'));
  }
}

describe('AccountPage', () => {
  let fixture: ComponentFixture<AccountPage>;
  let http: HttpTestingController;
  let el: HTMLElement;

  beforeEach(async () => {
    await TestBed.configureTestingModule({
      imports: [AccountPage],
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    }).compileComponents();
    fixture = TestBed.createComponent(AccountPage);
    http = TestBed.inject(HttpTestingController);
    el = fixture.nativeElement;
    fixture.detectChanges();
    await settle();
    // no change of e-mail address waiting (the case that has one loads it again)
    http.expectOne('/api/account/email').flush({ pending: null });
    await settle();
  });
  afterEach(() => http.verify());

  const log = () => http.expectOne((r) => r.url === '/api/account/privacy-log');

  it('shows its lists each with its own progress bar until it arrives', async () => {
    expect(el.querySelectorAll('mat-progress-bar').length).toBe(3);
    http.expectOne('/api/account/trusted-devices').flush([DEVICE]);
    await settle();
    expect(el.textContent).toContain('Firefox on Linux');
    expect(el.textContent).toContain('(this device)');
    expect(el.querySelectorAll('mat-progress-bar').length).toBe(2);
    http.expectOne('/api/account/sessions').flush(SESSIONS);
    log().flush(EMPTY_LOG);
    await settle();
    expect(el.textContent).toContain('Chrome on Android');
    // since when, written as the other lists write a moment (it read "29/11/2026, 08:00", all figures)
    expect(el.textContent?.replace(/\s+/g, ' ')).toMatch(/10\.0\.0\.2 · since 2[89] Nov 2026, \d\d?:\d\d/);
    expect(el.textContent).toContain('Nobody else has looked at your data.');
    expect(el.querySelectorAll('mat-progress-bar').length).toBe(0);
  });

  it('who looked at my data says which recording a coach played: the row opens it', async () => {
    http.expectOne('/api/account/trusted-devices').flush([]);
    http.expectOne('/api/account/sessions').flush(SESSIONS);
    log().flush({
      items: [
        privacyLogLooks(2, { objectId: 'r7' }),
        privacyLogLooks(1, { objectId: 'r6', count: 3, at: '2026-11-28T15:00:00Z', firstAt: '2026-11-28T14:10:00Z' }),
      ],
      total: 2,
      page: 1,
      pageSize: 10,
    });
    await settle();
    const row = Array.from(el.querySelectorAll('tr')).find((r) => r.textContent?.includes('Cora Coach'));
    const what = row?.querySelector('rh-privacy-read a');
    expect(what?.textContent?.trim()).toBe('Played the recording');
    expect(what?.getAttribute('href')).toBe('/recordings/r7');
    // a look repeated that day is one line that says how many times, and since when
    const rows = Array.from(el.querySelectorAll('tbody tr'));
    expect(rows.length).toBe(2);
    expect(rows[0].textContent).not.toContain('times since');
    const since = formatDate('2026-11-28T14:10:00Z', 'shortTime', TestBed.inject(LOCALE_ID));
    expect(rows[1].textContent?.replace(/\s+/g, ' ')).toContain(`3 times since ${since}`);
    expect(rows[1].querySelector('rh-privacy-read a')?.getAttribute('href')).toBe('/recordings/r6');
  });

  it('a list that fails says so with the server’s message and loads again on Try again; the others are shown', async () => {
    http
      .expectOne('/api/account/sessions')
      .flush({ message: 'The database is not answering' }, { status: 503, statusText: 'Unavailable' });
    http.expectOne('/api/account/trusted-devices').flush([]);
    log().flush(EMPTY_LOG);
    await settle();
    expect(el.textContent).toContain('Your sessions could not be loaded: The database is not answering');
    expect(el.textContent).toContain('No trusted devices.');
    button(el, 'Try again').click();
    await settle();
    http.expectOne('/api/account/sessions').flush(SESSIONS);
    await settle();
    expect(el.textContent).not.toContain('could not be loaded');
    // each session by the browser and system it names, the whole user-agent string on hover
    expect(el.textContent).toContain('Firefox on Linux');
    expect(el.textContent).toContain('Chrome on Android');
    expect(el.textContent).not.toContain('Mozilla/5.0');
    expect(el.querySelector(`[title="${SESSIONS[1].userAgent}"]`)).not.toBeNull();
  });

  it('signing out another session ends it and shows the list as it is now', async () => {
    http.expectOne('/api/account/trusted-devices').flush([]);
    http.expectOne('/api/account/sessions').flush(SESSIONS);
    log().flush(EMPTY_LOG);
    await settle();
    button(el, 'Sign out').click();
    await settle();
    const end = http.expectOne('/api/account/sessions/s2');
    expect(end.request.method).toBe('DELETE');
    end.flush(null);
    await settle();
    http.expectOne('/api/account/sessions').flush([SESSIONS[0]]);
    await settle();
    expect(el.textContent).not.toContain('Chrome on Android');
    expect(el.textContent).toContain('Session ended.');
  });

  it('signs out everywhere else in one go, and says how many sessions ended', async () => {
    http.expectOne('/api/account/trusted-devices').flush([]);
    http.expectOne('/api/account/sessions').flush(SESSIONS);
    log().flush(EMPTY_LOG);
    await settle();
    button(el, 'Sign out everywhere else').click();
    await settle();
    const end = http.expectOne('/api/account/sessions');
    expect(end.request.method).toBe('DELETE');
    end.flush({ ended: 1 });
    await settle();
    http.expectOne('/api/account/sessions').flush([SESSIONS[0]]);
    await settle();
    expect(el.textContent).toContain('1 other session ended.');
    // alone now: nothing to sign out of
    expect(Array.from(el.querySelectorAll('button')).some((b) => b.textContent?.includes('everywhere else'))).toBe(
      false,
    );
  });

  it('a new e-mail address waits for the link mailed to it: it says so, and the change can be cancelled', async () => {
    http.expectOne('/api/account/trusted-devices').flush([]);
    http.expectOne('/api/account/sessions').flush([SESSIONS[0]]);
    log().flush(EMPTY_LOG);
    await settle();
    expect(el.textContent).not.toContain('Waiting for confirmation');
    fillEmailForm(el, 'pim.new@demo.test', 'correct horse');
    button(el, 'Send a confirmation link').click();
    await settle();
    const asked = http.expectOne('/api/account/email');
    expect(asked.request.method).toBe('POST');
    expect(asked.request.body).toEqual({ password: 'correct horse', email: 'pim.new@demo.test' });
    asked.flush({ email: 'pim.new@demo.test', expiresAt: '2026-12-05T10:30:00.000Z' });
    await settle();
    expect(el.textContent).toContain('We sent a link to pim.new@demo.test');
    // the form is emptied, and its empty fields are not shown as mistakes
    expect(el.querySelector<HTMLInputElement>('input[type=email]')?.value).toBe('');
    expect(el.querySelectorAll('.mat-form-field-invalid').length).toBe(0);
    expect(el.querySelector('.pending')?.textContent).toContain('Waiting for confirmation');
    expect(el.querySelector('.pending')?.textContent).toContain('pim.new@demo.test');
    button(el, 'Cancel the change').click();
    await settle();
    const cancel = http.expectOne('/api/account/email');
    expect(cancel.request.method).toBe('DELETE');
    cancel.flush(null, { status: 204, statusText: 'No Content' });
    await settle();
    expect(el.querySelector('.pending')).toBeNull();
    expect(el.textContent).toContain('The change of e-mail address is cancelled');
  });

  it('a change already waiting is shown when the page opens; a refused one says why', async () => {
    http.expectOne('/api/account/trusted-devices').flush([]);
    http.expectOne('/api/account/sessions').flush([SESSIONS[0]]);
    log().flush(EMPTY_LOG);
    (fixture.componentInstance as unknown as { emailChange: { reload(): void } }).emailChange.reload();
    await settle();
    http
      .expectOne('/api/account/email')
      .flush({ pending: { email: 'later@demo.test', expiresAt: '2026-12-05T10:30:00.000Z' } });
    await settle();
    expect(el.querySelector('.pending')?.textContent).toContain('later@demo.test');
    fillEmailForm(el, 'coach@demo.test', 'correct horse');
    button(el, 'Send a confirmation link').click();
    await settle();
    http
      .expectOne('/api/account/email')
      .flush(
        { code: 'conflict', message: 'This e-mail address is already in use' },
        { status: 409, statusText: 'Conflict' },
      );
    await settle();
    expect(el.querySelector('[role=alert]')?.textContent).toContain('already in use');
    // the change that was waiting still is
    expect(el.querySelector('.pending')?.textContent).toContain('later@demo.test');
  });
});

/** The page opened for `me`, its lists answered empty (the cards' own requests are the test's; `activity`: the changes to the account). */
async function openAccountPage(
  me: Omit<Partial<Me>, 'permissions'> & { permissions: string[] },
  query: Record<string, string> = {},
  activity?: Page<AccountActivityEntry>,
): Promise<{ http: HttpTestingController; el: HTMLElement }> {
  await TestBed.configureTestingModule({
    imports: [AccountPage],
    providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
  }).compileComponents();
  await TestBed.inject(Router).navigate([], { queryParams: query });
  TestBed.inject(SessionStore).set(me as unknown as Me);
  const fixture = TestBed.createComponent(AccountPage);
  const http = TestBed.inject(HttpTestingController);
  fixture.detectChanges();
  await settle();
  http.expectOne('/api/account/email').flush({ pending: null });
  http.expectOne('/api/account/trusted-devices').flush([]);
  http.expectOne('/api/account/sessions').flush([]);
  http.expectOne((r) => r.url === '/api/account/privacy-log').flush(EMPTY_LOG);
  // someone of an organisation: what its administrators changed in the account
  if ((me as { tenantId?: string | null }).tenantId)
    http.expectOne((r) => r.url === '/api/account/activity').flush(activity ?? EMPTY_LOG);
  await settle();
  return { http, el: fixture.nativeElement };
}

describe('AccountPage: changes to my account', () => {
  const me = {
    id: 'pia',
    name: 'Pia',
    email: 'pia@example.test',
    roles: ['participant' as const],
    permissions: ['account.self', 'privacy.self'],
    tenantId: 't1' as string | null,
    tenantName: 'Northwind',
  };

  it('says what the administrators changed, in a sentence, and who (the support beside them)', async () => {
    const { el } = await openAccountPage(
      me,
      {},
      {
        items: [
          {
            id: '2',
            at: '2026-11-30T09:15:00.000Z',
            action: 'user.roles_changed',
            actorId: 'a',
            actorName: 'Ada Admin',
            actorRole: 'superuser-as-administrator',
            impersonatorId: 's',
            impersonatorName: 'Sam Support',
            subjectId: 'pia',
            subjectName: 'Pia',
            details: { previousRoles: ['participant'], roles: ['participant', 'coach'] },
          },
          {
            id: '1',
            at: '2026-11-01T09:15:00.000Z',
            action: 'group.member_added',
            actorId: null,
            actorName: null,
            actorRole: 'administrator',
            impersonatorId: null,
            impersonatorName: null,
            subjectId: 'pia',
            subjectName: 'Pia',
            details: { group: { id: 'g', name: 'Sales North' }, membership: 'participant' },
          },
        ],
        total: 2,
        page: 1,
        pageSize: 10,
      },
    );
    const card = Array.from(el.querySelectorAll('.card')).find(
      (c) => c.querySelector('h2')?.textContent === 'Changes to my account',
    );
    const rows = Array.from(card?.querySelectorAll('tbody tr') ?? []).map((tr) =>
      Array.from(tr.querySelectorAll('td')).map((td) => (td.textContent ?? '').replace(/\s+/g, ' ').trim()),
    );
    expect(rows.map((r) => r.slice(1))).toEqual([
      [
        'Ada Admin · Superuser as Administrator (support: Sam Support)',
        'Changed the roles from Participant to Participant, Coach',
      ],
      ['removed user · Administrator', 'Added to the group Sales North as a participant'],
    ]);
  });

  it('says when nothing was changed; someone in no organisation has no such card', async () => {
    const { el } = await openAccountPage(me);
    expect(el.textContent).toContain('Nobody has changed anything in your account.');
    TestBed.resetTestingModule();
    const none = await openAccountPage({ ...me, tenantId: null });
    expect(none.el.textContent).not.toContain('Changes to my account');
  });
});

describe("AccountPage: a coach's morning e-mail", () => {
  let http: HttpTestingController;
  let el: HTMLElement;

  async function open(permissions: string[]): Promise<void> {
    ({ http, el } = await openAccountPage({
      id: 'coach',
      name: 'Cora',
      email: 'cora@example.test',
      roles: ['coach'],
      permissions,
    }));
  }
  afterEach(() => http.verify());

  const card = () =>
    Array.from(el.querySelectorAll<HTMLElement>('.card')).find(
      (c) => c.querySelector('h2')?.textContent === 'Morning e-mail',
    );
  const checkbox = () => card()?.querySelector<HTMLInputElement>('input[type=checkbox]');

  it('shows a coach their choice, with the hour in this browser’s time, and turns it off and on', async () => {
    await open(['account.self', 'privacy.self', 'coaching.read']);
    expect(card()?.querySelector('mat-progress-bar')).not.toBeNull();
    // 06:00 in Amsterdam (winter): the browser shows it in its own time
    const from = '2026-12-07T05:00:00.000Z';
    http.expectOne('/api/coaching/digest').flush({ enabled: true, hour: 6, timeZone: 'Europe/Amsterdam', from });
    await settle();
    expect(checkbox()?.checked).toBe(true);
    const local = formatDate(new Date(from), 'shortTime', TestBed.inject(LOCALE_ID));
    expect(card()?.textContent).toContain(`It comes after ${local} on days when answers wait for you.`);

    checkbox()?.click();
    const off = http.expectOne((r) => r.url === '/api/coaching/digest' && r.method === 'PUT');
    expect(off.request.body).toEqual({ enabled: false });
    off.flush({ enabled: false, hour: 6, timeZone: 'Europe/Amsterdam', from });
    await settle();
    expect(checkbox()?.checked).toBe(false);
    expect(el.textContent).toContain('You will no longer receive the morning e-mail.');

    checkbox()?.click();
    const on = http.expectOne((r) => r.url === '/api/coaching/digest' && r.method === 'PUT');
    expect(on.request.body).toEqual({ enabled: true });
    on.flush(
      { status: 503, code: 'unavailable', message: 'The service is unavailable' },
      { status: 503, statusText: 'Unavailable' },
    );
    await settle();
    expect(card()?.querySelector('[role=alert]')?.textContent).toContain('The service is unavailable');
    // refused: the box shows the choice as it stands (it went on showing the refused one)
    expect(checkbox()?.checked).toBe(false);
  });

  it('says so when the installation sends no morning e-mails, and shows a failure with "Try again"', async () => {
    await open(['account.self', 'privacy.self', 'coaching.read']);
    http
      .expectOne('/api/coaching/digest')
      .flush({ status: 500, code: 'internal', message: 'Something went wrong' }, { status: 500, statusText: 'Error' });
    await settle();
    expect(card()?.textContent).toContain('Your e-mail setting could not be loaded');
    button(card() as HTMLElement, 'Try again').click();
    await settle();
    http.expectOne('/api/coaching/digest').flush({ enabled: true, hour: null, timeZone: 'UTC', from: null });
    await settle();
    expect(card()?.textContent).toContain('This installation sends no morning e-mails.');
    expect(checkbox()).toBeFalsy();
  });

  it('shows people who coach nobody no such card and asks nothing', async () => {
    await open(['account.self', 'privacy.self', 'courses.learn']);
    expect(card()).toBeUndefined();
    http.expectNone('/api/coaching/digest');
    http.expectOne('/api/account/mail-preferences').flush(ALL_ON);
  });
});

const ALL_ON = { feedbackPublished: true, peerReviews: true, courseDue: true, courseDueDays: 3 };

describe('AccountPage: the e-mails a trainee may stop', () => {
  let http: HttpTestingController;
  let el: HTMLElement;

  async function open(permissions: string[]): Promise<void> {
    ({ http, el } = await openAccountPage({
      id: 'pim',
      name: 'Pim',
      email: 'pim@example.test',
      roles: ['participant'],
      permissions,
    }));
  }
  afterEach(() => http.verify());

  const card = () =>
    Array.from(el.querySelectorAll<HTMLElement>('.card')).find((c) => c.querySelector('h2')?.textContent === 'E-mails');
  const box = (label: RegExp) => {
    const found = Array.from(card()?.querySelectorAll<HTMLElement>('mat-checkbox') ?? []).find((b) =>
      label.test(b.textContent ?? ''),
    );
    return found?.querySelector<HTMLInputElement>('input[type=checkbox]') ?? null;
  };

  it('shows each e-mail on until turned off, turns one off at a time, and says what always comes', async () => {
    await open(['account.self', 'privacy.self', 'courses.learn']);
    expect(card()?.querySelector('mat-progress-bar')).not.toBeNull();
    http.expectOne('/api/account/mail-preferences').flush({ ...ALL_ON, peerReviews: false });
    await settle();
    expect(box(/feedback on one of my answers is published/)?.checked).toBe(true);
    expect(box(/given to me to review/)?.checked).toBe(false);
    expect(box(/3 days before a course of mine is due/)?.checked).toBe(true);
    expect(card()?.textContent).toContain('Sign-in codes and messages about your account and your data always come.');

    box(/3 days before/)?.click();
    const off = http.expectOne((r) => r.url === '/api/account/mail-preferences' && r.method === 'PATCH');
    expect(off.request.body).toEqual({ courseDue: false });
    off.flush({ ...ALL_ON, peerReviews: false, courseDue: false });
    await settle();
    expect(box(/3 days before/)?.checked).toBe(false);
    expect(el.textContent).toContain('You will no longer receive these e-mails.');

    box(/given to me to review/)?.click();
    const on = http.expectOne((r) => r.url === '/api/account/mail-preferences' && r.method === 'PATCH');
    expect(on.request.body).toEqual({ peerReviews: true });
    on.flush({ ...ALL_ON, courseDue: false });
    await settle();
    expect(box(/given to me to review/)?.checked).toBe(true);
    expect(el.textContent).toContain('You will receive these e-mails again.');
  });

  it('a refused change says why and shows the box as it stands; one day is "a day"; no reminders, no such box', async () => {
    await open(['account.self', 'privacy.self', 'courses.learn']);
    http.expectOne('/api/account/mail-preferences').flush({ ...ALL_ON, courseDueDays: 1 });
    await settle();
    expect(box(/a day before a course of mine is due/)?.checked).toBe(true);
    box(/feedback on one of my answers/)?.click();
    http
      .expectOne((r) => r.method === 'PATCH')
      .flush(
        { status: 503, code: 'unavailable', message: 'The service is unavailable' },
        { status: 503, statusText: 'Unavailable' },
      );
    await settle();
    expect(card()?.querySelector('[role=alert]')?.textContent).toContain('The service is unavailable');
    expect(box(/feedback on one of my answers/)?.checked).toBe(true);

    TestBed.resetTestingModule();
    await open(['account.self', 'privacy.self', 'courses.learn']);
    http.expectOne('/api/account/mail-preferences').flush({ ...ALL_ON, courseDueDays: null });
    await settle();
    expect(box(/before a course of mine is due/)).toBeNull();
    expect(box(/feedback on one of my answers/)).not.toBeNull();
  });

  it('a failure to load says so with "Try again"; people who take no courses see no such card and are asked nothing', async () => {
    await open(['account.self', 'privacy.self', 'courses.learn']);
    http
      .expectOne('/api/account/mail-preferences')
      .flush({ status: 500, code: 'internal', message: 'Something went wrong' }, { status: 500, statusText: 'Error' });
    await settle();
    expect(card()?.textContent).toContain('Your e-mail settings could not be loaded');
    button(card() as HTMLElement, 'Try again').click();
    await settle();
    http.expectOne('/api/account/mail-preferences').flush(ALL_ON);
    await settle();
    expect(box(/feedback on one of my answers/)?.checked).toBe(true);

    TestBed.resetTestingModule();
    await open(['account.self', 'privacy.self', 'users.read']);
    expect(card()).toBeUndefined();
    http.expectNone('/api/account/mail-preferences');
  });
});

describe("AccountPage: sign-in with one's organisation", () => {
  let http: HttpTestingController;
  let el: HTMLElement;
  const PERSON = {
    id: 'p1',
    name: 'Pim',
    email: 'pim@example.test',
    tenantId: 't1',
    roles: ['participant' as const],
    permissions: ['account.self', 'privacy.self'],
  };
  afterEach(() => http.verify());

  const card = () =>
    Array.from(el.querySelectorAll<HTMLElement>('.card')).find(
      (c) => c.querySelector('h2')?.textContent === 'Sign-in with your organisation',
    );
  const linkButton = () =>
    Array.from(card()?.querySelectorAll<HTMLAnchorElement>('a') ?? []).find((a) => a.textContent?.includes('Link'));

  it('offers to link only where the organisation has single sign-on (the link led to a page of JSON elsewhere)', async () => {
    ({ http, el } = await openAccountPage(PERSON));
    http.expectOne('/api/account/sso').flush({ offered: false, linkedAt: null, lastUsedAt: null });
    await settle();
    expect(card()).toBeUndefined();
    // "My data" is still linked from the page
    expect(el.querySelector<HTMLAnchorElement>('a[href="/my/data"]')).not.toBeNull();
  });

  it('offers the link where it is offered, and says since when once linked', async () => {
    ({ http, el } = await openAccountPage(PERSON));
    http.expectOne('/api/account/sso').flush({ offered: true, linkedAt: null, lastUsedAt: null });
    await settle();
    expect(linkButton()?.getAttribute('href')).toBe('/api/account/sso/link');
    TestBed.resetTestingModule();
    ({ http, el } = await openAccountPage(PERSON, { sso: 'linked' }));
    http
      .expectOne('/api/account/sso')
      .flush({ offered: true, linkedAt: '2026-11-02T09:14:00Z', lastUsedAt: '2026-12-01T08:02:11Z' });
    await settle();
    expect(el.querySelector('[role=status]')?.textContent).toContain('Your Microsoft account is linked.');
    // said once: a reload of the page does not say it again
    expect(TestBed.inject(Router).url).toBe('/');
    expect(linkButton()).toBeUndefined();
    const since = formatDate('2026-11-02T09:14:00Z', 'mediumDate', TestBed.inject(LOCALE_ID));
    expect(card()?.textContent).toContain(`Your Microsoft account is linked (since ${since})`);
    expect(card()?.textContent).toContain('Last used');
  });

  it('back from a link that did not go through: says why, in the card', async () => {
    ({ http, el } = await openAccountPage(PERSON, { sso_error: 'linked_elsewhere' }));
    http.expectOne('/api/account/sso').flush({ offered: true, linkedAt: null, lastUsedAt: null });
    await settle();
    expect(card()?.querySelector('[role=alert]')?.textContent).toContain(
      'This Microsoft account is already linked to another Rehearse account.',
    );
    expect(TestBed.inject(Router).url).toBe('/');
    expect(linkButton()).toBeDefined();
    TestBed.resetTestingModule();
    // a reason this page does not know, and an organisation that no longer offers it: still said
    ({ http, el } = await openAccountPage(PERSON, { sso_error: 'something_new' }));
    http.expectOne('/api/account/sso').flush({ offered: false, linkedAt: null, lastUsedAt: null });
    await settle();
    expect(card()?.querySelector('[role=alert]')?.textContent).toContain(
      'Your Microsoft account could not be linked. Please try again.',
    );
  });
});
