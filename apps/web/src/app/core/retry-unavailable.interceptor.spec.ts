import { TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { HttpClient, HttpHeaders, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { retryUnavailableInterceptor } from './retry-unavailable.interceptor';

describe('reads answered 503 are asked once more', () => {
  let http: HttpClient;
  let ctl: HttpTestingController;
  const unavailable = (retryAfter: string | null) => ({
    status: 503,
    statusText: 'Service Unavailable',
    headers: retryAfter === null ? new HttpHeaders() : new HttpHeaders({ 'Retry-After': retryAfter }),
  });
  const body = { code: 'unavailable', message: 'The service is briefly unavailable' };

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideHttpClient(withInterceptors([retryUnavailableInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    http = TestBed.inject(HttpClient);
    ctl = TestBed.inject(HttpTestingController);
    jasmine.clock().install();
  });
  afterEach(() => {
    jasmine.clock().uninstall();
    ctl.verify();
  });

  /** Subscribes and records the outcome: the body, or the error's status. */
  function read(method: 'GET' | 'POST', url: string) {
    const outcome: { ok?: unknown; status?: number } = {};
    (method === 'GET' ? http.get(url) : http.post(url, {})).subscribe({
      next: (v) => (outcome.ok = v),
      error: (e: { status: number }) => (outcome.status = e.status),
    });
    return outcome;
  }

  it('after the time the API names: a restart of a few seconds shows no error', () => {
    const outcome = read('GET', '/api/home');
    ctl.expectOne('/api/home').flush(body, unavailable('5'));
    jasmine.clock().tick(4_900);
    ctl.expectNone('/api/home');
    expect(outcome).toEqual({});
    jasmine.clock().tick(100);
    ctl.expectOne('/api/home').flush({ greeting: 'hello' });
    expect(outcome).toEqual({ ok: { greeting: 'hello' } });
  });

  it('once only: a second 503 is the page’s to show', () => {
    const outcome = read('GET', '/api/home');
    ctl.expectOne('/api/home').flush(body, unavailable('5'));
    jasmine.clock().tick(5_000);
    ctl.expectOne('/api/home').flush(body, unavailable('5'));
    jasmine.clock().tick(5_000);
    ctl.expectNone('/api/home');
    expect(outcome).toEqual({ status: 503 });
  });

  it('never a change, a long or missing Retry-After, another status, or an address outside the API', () => {
    const change = read('POST', '/api/my/exports');
    ctl.expectOne('/api/my/exports').flush(body, unavailable('5'));
    const long = read('GET', '/api/reports');
    ctl.expectOne('/api/reports').flush(body, unavailable('120'));
    const unnamed = read('GET', '/api/users');
    ctl.expectOne('/api/users').flush(body, unavailable(null));
    const broken = read('GET', '/api/courses');
    ctl.expectOne('/api/courses').flush(body, { status: 500, statusText: 'Internal Server Error' });
    const asset = read('GET', '/assets/x.json');
    ctl.expectOne('/assets/x.json').flush(body, unavailable('5'));
    jasmine.clock().tick(60_000);
    ctl.expectNone(() => true);
    expect([change, long, unnamed, broken, asset].map((o) => o.status)).toEqual([503, 503, 503, 500, 503]);
  });
});
