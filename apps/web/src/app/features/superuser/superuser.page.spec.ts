import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideRouter } from '@angular/router';
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

  beforeEach(async () => {
    await TestBed.configureTestingModule({
      imports: [SuperuserPage],
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    }).compileComponents();
    fixture = TestBed.createComponent(SuperuserPage);
    http = TestBed.inject(HttpTestingController);
    el = fixture.nativeElement;
    fixture.detectChanges();
    await settle();
  });
  afterEach(() => http.verify());

  it('shows the result of the search asked for last, and the report', async () => {
    const first = users('');
    const search = el.querySelector<HTMLInputElement>('input[type=search]')!;
    search.value = 'rik';
    search.dispatchEvent(new Event('input'));
    el.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await settle();
    // the search replaced the first listing before it came: that answer is dropped
    expect(first.cancelled).toBeTrue();
    users('rik').flush({ items: [person('Rik')], total: 1, page: 1, pageSize: 25 });
    http.expectOne('/api/superuser/report').flush({ superusers: [], impersonations: [] });
    await settle();
    expect(el.querySelector('table.data tbody')?.textContent).toContain('Rik');
  });

  it('says why the quarterly report did not load and tries again', async () => {
    users('').flush({ items: [], total: 0, page: 1, pageSize: 25 });
    http
      .expectOne('/api/superuser/report')
      .flush({ code: 'unavailable', message: 'Try again in a moment' }, { status: 503, statusText: 'x' });
    await settle();
    expect(el.querySelector('[role=alert]')?.textContent).toContain('Try again in a moment');
    button(el, 'Try again').click();
    await settle();
    http.expectOne('/api/superuser/report').flush({ superusers: [], impersonations: [] });
    await settle();
    expect(el.querySelector('[role=alert]')).toBeNull();
  });

  it('the quarterly review says how each impersonation ended: stopped, expired, or still running until when', async () => {
    users('').flush({ items: [], total: 0, page: 1, pageSize: 25 });
    const at = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
    const impersonation = (id: string, expiresAt: string, endedAt: string | null) => ({
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
    http.expectOne('/api/superuser/report').flush({
      superusers: [],
      impersonations: [
        impersonation('1', at(30), null),
        impersonation('2', at(-30), null),
        impersonation('3', at(-30), at(-60)),
      ],
    });
    await settle();
    const ended = Array.from(el.querySelectorAll('table.data tbody tr')).map((tr) =>
      (tr.lastElementChild?.textContent ?? '').replace(/\s+/g, ' ').trim(),
    );
    expect(ended[0]).toMatch(/^Running, until \d/);
    expect(ended[1]).toMatch(/^Expired at \d/);
    expect(ended[2]).toMatch(/^\d{1,2}:\d\d/);
    expect(el.textContent).not.toMatch(/\brunning\b/);
  });
});
