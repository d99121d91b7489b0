import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideRouter, Router } from '@angular/router';
import type { ImpersonationRecord, Me, SuperuserReport } from '@rehearse/shared/contracts';
import { SessionStore } from '../../core/session.store';
import { quarterOf, quarterPeriod, shiftQuarter } from './quarter';
import { SuperuserPage } from './superuser.page';
import { button, settle } from '../../../testing/page-testing';

const person = (name: string) => ({
  id: name,
  email: `${name}@example.test`,
  name,
  phone: null,
  status: 'active',
  roles: ['participant'],
  licence: null,
  createdAt: '2026-11-01T10:00:00Z',
  tenantName: 'Demo',
});

describe('SuperuserPage', () => {
  let fixture: ComponentFixture<SuperuserPage>;
  let http: HttpTestingController;
  let el: HTMLElement;
  const users = (q: string) =>
    http.expectOne((r) => r.url === '/api/superuser/users' && (r.params.get('q') ?? '') === q);
  const report = () => http.expectOne((r) => r.url === '/api/superuser/report');
  const impersonations = () => http.expectOne((r) => r.url === '/api/superuser/impersonations');
  const noReport: SuperuserReport = { from: null, before: null, superusers: [], impersonationCount: 0 };
  const none = { items: [], total: 0, page: 1, pageSize: 25 };
  const at = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
  const impersonation = (id: string, expiresAt: string, endedAt: string | null): ImpersonationRecord => ({
    id,
    superuserId: 's',
    superuserName: 'Sam Support',
    targetUserId: 't',
    targetUserName: 'Ada Admin',
    tenantName: 'Demo',
    reason: `Ticket ${id}: the administrator cannot find a trainee`,
    startedAt: at(-90),
    expiresAt,
    endedAt,
  });
  const superuser = (id: string, name: string, impersonationCount: number) => ({
    id,
    email: `${id}@operator.test`,
    name,
    totpEnabled: true,
    status: 'active' as const,
    impersonationCount,
  });

  beforeEach(async () => {
    await TestBed.configureTestingModule({
      imports: [SuperuserPage],
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    }).compileComponents();
    TestBed.inject(SessionStore).set({
      id: 'sam',
      name: 'Sam Support',
      roles: [],
      isSuperuser: true,
      permissions: ['superuser.users', 'superuser.impersonate', 'superuser.report'],
    } as unknown as Me);
    fixture = TestBed.createComponent(SuperuserPage);
    http = TestBed.inject(HttpTestingController);
    el = fixture.nativeElement;
    fixture.detectChanges();
    await settle();
  });
  afterEach(() => http.verify());

  it('shows the result of the search asked for last, and the review of the current quarter', async () => {
    const first = users('');
    const search = el.querySelector<HTMLInputElement>('input[type=search]')!;
    search.value = 'rik';
    search.dispatchEvent(new Event('input'));
    el.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await settle();
    // the search replaced the first listing before it came: that answer is dropped
    expect(first.cancelled).toBeTrue();
    users('rik').flush({ items: [person('Rik')], total: 1, page: 1, pageSize: 25 });
    // the quarter of today, in the reader's calendar
    const period = quarterPeriod(quarterOf(new Date()));
    const asked = report();
    expect([asked.request.params.get('from'), asked.request.params.get('before')]).toEqual([
      period.from,
      period.before,
    ]);
    asked.flush({ ...noReport, ...period });
    const list = impersonations();
    expect(list.request.params.keys().sort()).toEqual(['before', 'from', 'page', 'pageSize']);
    list.flush(none);
    await settle();
    expect(el.querySelector('table.data tbody')?.textContent).toContain('Rik');
    expect(el.textContent).toContain('No impersonations in this quarter.');
    // there is no next quarter to look at yet
    expect(() => button(el, 'Next quarter')).toThrowError(/no button/);
  });

  it('says why the quarterly review did not load and tries again', async () => {
    users('').flush({ items: [], total: 0, page: 1, pageSize: 25 });
    impersonations().flush(none);
    report().flush({ code: 'unavailable', message: 'Try again in a moment' }, { status: 503, statusText: 'x' });
    await settle();
    expect(el.querySelector('[role=alert]')?.textContent).toContain('Try again in a moment');
    button(el, 'Try again').click();
    await settle();
    report().flush(noReport);
    await settle();
    expect(el.querySelector('[role=alert]')).toBeNull();
  });

  it('goes back a quarter through the address, and shows the quarter the address names', async () => {
    users('').flush({ items: [], total: 0, page: 1, pageSize: 25 });
    report().flush(noReport);
    impersonations().flush(none);
    await settle();
    const previous = shiftQuarter(quarterOf(new Date()), -1);
    button(el, 'Previous quarter').click();
    await settle();
    expect(TestBed.inject(Router).url).toBe(`/?quarter=${previous.year}-Q${previous.n}`);
    // the router gives the page the address's quarter
    fixture.componentRef.setInput('quarter', '2026-Q1');
    await settle();
    const asked = report();
    expect(asked.request.params.get('from')).toMatch(/^2026-01-01T00:00:00[+-]/);
    expect(asked.request.params.get('before')).toMatch(/^2026-04-01T00:00:00[+-]/);
    asked.flush(noReport);
    expect(impersonations().request.params.get('from')).toMatch(/^2026-01-01T/);
    await settle();
    expect(el.textContent).toContain('Q1 2026');
    expect(el.querySelector<HTMLAnchorElement>('a[download]')?.getAttribute('href')).toMatch(
      /^\/api\/superuser\/impersonations\/export\?from=2026-01-01T00:00:00%2B|^\/api\/superuser\/impersonations\/export\?from=2026-01-01T00:00:00-/,
    );
    button(el, 'Next quarter').click();
    await settle();
    expect(TestBed.inject(Router).url).toBe('/?quarter=2026-Q2');
    // a quarter after the current one (typed into the address): back to this quarter, no next one
    const next = shiftQuarter(quarterOf(new Date()), 1);
    fixture.componentRef.setInput('quarter', `${next.year}-Q${next.n}`);
    await settle();
    http.match(() => true);
    expect(() => button(el, 'Next quarter')).toThrowError(/no button/);
    button(el, 'This quarter').click();
    await settle();
    expect(TestBed.inject(Router).url).toBe('/');
    // an address that names no quarter is the current one
    fixture.componentRef.setInput('quarter', '2026-Q9');
    await settle();
    expect(report().request.params.get('from')).toBe(quarterPeriod(quarterOf(new Date())).from);
    http.match(() => true);
  });

  it("counts each superuser's impersonations, and lists one superuser's alone", async () => {
    users('').flush({ items: [], total: 0, page: 1, pageSize: 25 });
    report().flush({
      ...noReport,
      superusers: [superuser('s', 'Sam Support', 3), superuser('k', 'Kim Keyholder', 0)],
      impersonationCount: 3,
    });
    impersonations().flush(none);
    await settle();
    const items = Array.from(el.querySelectorAll('ul.plain li')).map((li) =>
      (li.textContent ?? '').replace(/\s+/g, ' ').trim(),
    );
    expect(items[0]).toContain('Sam Support');
    expect(items[0]).toContain('3 impersonations');
    expect(items[1]).toContain('no impersonations');
    fixture.componentRef.setInput('superuserId', 's');
    await settle();
    const list = impersonations();
    expect(list.request.params.get('superuserId')).toBe('s');
    list.flush(none);
    await settle();
    expect(el.querySelector('p.filter')?.textContent).toContain('Only those started by Sam Support');
    expect(el.textContent).toContain('This superuser started no impersonation in this quarter.');
  });

  it('the quarterly review says how each impersonation ended: stopped, expired, or still running until when', async () => {
    users('').flush({ items: [], total: 0, page: 1, pageSize: 25 });
    report().flush(noReport);
    impersonations().flush({
      items: [
        impersonation('1', at(30), null),
        impersonation('2', at(-30), null),
        impersonation('3', at(-30), at(-60)),
      ],
      total: 3,
      page: 1,
      pageSize: 25,
    });
    await settle();
    const ended = Array.from(el.querySelectorAll('rh-support-review table.data tbody tr')).map((tr) =>
      (tr.lastElementChild?.textContent ?? '').replace(/\s+/g, ' ').trim(),
    );
    expect(ended[0]).toMatch(/^Running, until \d/);
    expect(ended[1]).toMatch(/^Expired at \d/);
    expect(ended[2]).toMatch(/^\d{1,2}:\d\d/);
    expect(el.textContent).not.toMatch(/\brunning\b/);
  });

  it('an impersonation of a person since erased stays listed, saying so instead of their name and the reason', async () => {
    users('').flush({ items: [], total: 0, page: 1, pageSize: 25 });
    report().flush(noReport);
    impersonations().flush({
      items: [{ ...impersonation('1', at(-60), at(-80)), targetUserName: null, reason: null }],
      total: 1,
      page: 1,
      pageSize: 25,
    });
    await settle();
    const cells = Array.from(el.querySelectorAll('rh-support-review table.data tbody td')).map((td) =>
      (td.textContent ?? '').trim(),
    );
    expect(cells[2]).toBe('A person since erased');
    expect(cells[4]).toBe('Erased with the person');
  });
});
