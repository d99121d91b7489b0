import { TestBed } from '@angular/core/testing';
import { LOCALE_ID, provideZonelessChangeDetection } from '@angular/core';
import { formatDate } from '@angular/common';
import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideRouter, Router } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { NOW, SessionTimeout, SessionTimeoutBanner } from './session-timeout';
import { sessionInterceptor } from './session.interceptor';
import { SessionStore } from './session.store';
import { ME } from './session.store.spec';

const MINUTE = 60_000;
const START = Date.parse('2026-12-08T09:00:00Z');

describe('SessionTimeoutBanner', () => {
  let now: number;
  let http: HttpTestingController;
  let timeout: SessionTimeout;

  /** The banner, drawn at `minutes` after the app last heard the server. */
  async function bannerAt(minutes: number) {
    now = START + minutes * MINUTE;
    timeout.tick();
    const fixture = TestBed.createComponent(SessionTimeoutBanner);
    await fixture.whenStable();
    return fixture;
  }

  beforeEach(async () => {
    now = START;
    await TestBed.configureTestingModule({
      imports: [SessionTimeoutBanner],
      providers: [
        provideZonelessChangeDetection(),
        provideHttpClient(withInterceptors([sessionInterceptor])),
        provideHttpClientTesting(),
        provideRouter([]),
        { provide: NOW, useValue: () => now },
      ],
    }).compileComponents();
    http = TestBed.inject(HttpTestingController);
    TestBed.inject(SessionStore).set({ ...ME, session: { idleMinutes: 30, endsAt: '2026-12-08T21:00:00.000Z' } });
    timeout = TestBed.inject(SessionTimeout);
  });

  afterEach(() => http.verify());

  it('says nothing while the session has time left, and warns two minutes before it ends without activity', async () => {
    // the server moves an idle session's end on at most once a minute: the page counts 29 minutes, not 30
    expect(timeout.idleEndsAt()).toBe(START + 29 * MINUTE);
    let fixture = await bannerAt(26.9);
    expect(fixture.nativeElement.querySelector('[role=alert]')).toBeNull();
    fixture.destroy();
    fixture = await bannerAt(27.5);
    const el: HTMLElement = fixture.nativeElement;
    const alert = el.querySelector('[role=alert]');
    expect(alert?.textContent).toContain('Nothing has happened for a while: you will be signed out at');
    // a time of day, said once, not a countdown a screen reader would read every second
    expect(alert?.textContent).toContain(formatDate(START + 29 * MINUTE, 'shortTime', TestBed.inject(LOCALE_ID)));
    // staying: one request, whose answer moves the end on, and the warning goes
    el.querySelector('button')!.click();
    http.expectOne('/api/auth/me').flush(TestBed.inject(SessionStore).me());
    await fixture.whenStable();
    expect(timeout.idleEndsAt()).toBe(now + 29 * MINUTE);
    expect(el.querySelector('[role=alert]')).toBeNull();
  });

  it('says the session has probably ended once its end has passed (the computer slept through it), and still offers to stay', async () => {
    const fixture = await bannerAt(45);
    const el: HTMLElement = fixture.nativeElement;
    expect(el.querySelector('[role=alert]')?.textContent).toContain(
      'you have probably been signed out since ' +
        formatDate(START + 29 * MINUTE, 'shortTime', TestBed.inject(LOCALE_ID)),
    );
    expect(el.querySelector('button')?.textContent).toContain('Stay signed in');
    TestBed.inject(SessionStore).set({
      ...ME,
      session: { idleMinutes: 30, endsAt: new Date(START + 20 * MINUTE).toISOString() },
    });
    timeout.tick();
    await fixture.whenStable();
    expect(el.querySelector('[role=alert]')?.textContent).toContain('Your session ended at');
    expect(el.querySelector('button')).toBeNull();
  });

  it('counts a refusal as the server hearing the session, not a request that got no answer; a 401 ends it', async () => {
    const client = TestBed.inject(HttpClient);
    spyOn(TestBed.inject(Router), 'navigate').and.resolveTo(true);
    const ask = async (status: number) => {
      now += 10 * MINUTE;
      const sent = firstValueFrom(client.get('/api/admin/users')).catch(() => undefined);
      const req = http.expectOne('/api/admin/users');
      if (status === 0) req.error(new ProgressEvent('error'));
      else req.flush({ message: 'no' }, { status, statusText: 'refused' });
      await sent;
      return timeout.idleEndsAt();
    };
    expect(await ask(403)).toBe(now + 29 * MINUTE);
    const before = timeout.idleEndsAt();
    expect(await ask(0)).toBe(before);
    // a 401: the session has ended, the person is forgotten, and nothing is left to warn of
    expect(await ask(401)).toBeNull();
  });

  it('says so before the session’s absolute end, which no activity moves, with no button to stay', async () => {
    TestBed.inject(SessionStore).set({
      ...ME,
      session: { idleMinutes: 30, endsAt: new Date(START + 8 * MINUTE).toISOString() },
    });
    const fixture = await bannerAt(0);
    const el: HTMLElement = fixture.nativeElement;
    expect(el.querySelector('[role=alert]')?.textContent).toContain(
      'however long you have been busy: save what you are writing, then sign in again.',
    );
    expect(el.querySelector('button')).toBeNull();
  });

  it('says nothing for a session whose limits the server did not give', async () => {
    TestBed.inject(SessionStore).set({ ...ME, session: undefined } as never);
    const fixture = await bannerAt(1000);
    expect(fixture.nativeElement.querySelector('[role=alert]')).toBeNull();
  });
});
