import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideRouter, Router } from '@angular/router';
import { LoginPage } from './login.page';
import { SessionStore } from '../../core/session.store';
import { ME } from '../../core/session.store.spec';

describe('LoginPage', () => {
  let fixture: ComponentFixture<LoginPage>;
  let http: HttpTestingController;
  let el: HTMLElement;

  beforeEach(async () => {
    document.cookie = 'XSRF-TOKEN=test; path=/';
    await TestBed.configureTestingModule({
      imports: [LoginPage],
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    }).compileComponents();
    fixture = TestBed.createComponent(LoginPage);
    http = TestBed.inject(HttpTestingController);
    el = fixture.nativeElement;
    await fixture.whenStable();
  });
  afterEach(() => http.verify());

  const type = (selector: string, value: string) => {
    const input = el.querySelector<HTMLInputElement>(selector)!;
    input.value = value;
    input.dispatchEvent(new Event('input'));
  };
  const submit = async () => {
    el.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await fixture.whenStable();
  };
  const flushAsync = () => new Promise((r) => setTimeout(r));

  it('offers both languages, each named in itself, the page’s own marked as current', () => {
    fixture.detectChanges();
    const nav = el.querySelector('nav.languages')!;
    expect(nav.getAttribute('aria-label')).toBe('Language');
    const items = Array.from(nav.children) as HTMLElement[];
    expect(
      items.map((b) => [b.tagName, b.textContent?.trim(), b.getAttribute('lang'), b.getAttribute('aria-current')]),
    ).toEqual([
      ['SPAN', 'English', 'en', 'true'],
      ['BUTTON', 'Nederlands', 'nl', null],
    ]);
  });

  it('offers a link for a forgotten password', () => {
    fixture.detectChanges();
    expect(el.querySelector('a[href="/password-reset"]')?.textContent?.trim()).toBe('Forgot your password?');
  });

  it('explains empty fields without calling the server', async () => {
    await submit();
    fixture.detectChanges();
    expect(el.textContent).toContain('Enter your e-mail address');
    expect(el.textContent).toContain('Enter your password');
    http.expectNone('/api/auth/login');
  });

  it('shows the server message for wrong credentials', async () => {
    type('input[type=email]', 'ada@example.test');
    type('input[type=password]', 'nope');
    await submit();
    http
      .expectOne('/api/auth/login')
      .flush(
        { code: 'invalid_credentials', message: 'The e-mail address or password is not correct' },
        { status: 401, statusText: 'Unauthorized' },
      );
    await flushAsync();
    await fixture.whenStable();
    expect(el.querySelector('[role=alert]')?.textContent).toContain('The e-mail address or password is not correct');
  });

  it('asks for the e-mailed code, then signs in and remembers the device when asked', async () => {
    const router = TestBed.inject(Router);
    const navigate = spyOn(router, 'navigateByUrl').and.resolveTo(true);
    type('input[type=email]', 'ada@example.test');
    type('input[type=password]', 'correct horse');
    await submit();
    const login = http.expectOne('/api/auth/login');
    expect(login.request.body).toEqual({ email: 'ada@example.test', password: 'correct horse' });
    login.flush({ status: 'mfa_required', method: 'email', alternatives: ['email'] });
    await flushAsync();
    await fixture.whenStable();
    expect(el.textContent).toContain('We e-mailed you a 6-digit code');
    type('input[autocomplete=one-time-code]', '123456');
    el.querySelector<HTMLInputElement>('input[type=checkbox]')!.click();
    await submit();
    const mfa = http.expectOne('/api/auth/mfa');
    expect(mfa.request.body).toEqual({ code: '123456', trustDevice: true });
    mfa.flush({ status: 'signed_in', me: ME });
    await flushAsync();
    expect(TestBed.inject(SessionStore).me()).toEqual(ME);
    expect(navigate).toHaveBeenCalledWith('/');
  });

  it('asks which organisation when the address and password open accounts in two, and signs in to the one chosen', async () => {
    type('input[type=email]', 'ada@example.test');
    type('input[type=password]', 'correct horse');
    await submit();
    http.expectOne('/api/auth/login').flush({
      status: 'choose_organisation',
      organisations: [
        { slug: 'acme', name: 'Acme Care' },
        { slug: 'globex', name: 'Globex' },
      ],
    });
    await flushAsync();
    await fixture.whenStable();
    expect(el.textContent).toContain('more than one organisation');
    const choices = Array.from(el.querySelectorAll<HTMLButtonElement>('[role=group] button'));
    expect(choices.map((b) => b.textContent?.trim())).toEqual(['Acme Care', 'Globex']);
    choices[1].click();
    await fixture.whenStable();
    const again = http.expectOne('/api/auth/login');
    expect(again.request.body).toEqual({
      email: 'ada@example.test',
      password: 'correct horse',
      organisation: 'globex',
    });
    again.flush({ status: 'mfa_required', method: 'email', alternatives: ['email'] });
    await flushAsync();
    await fixture.whenStable();
    expect(el.textContent).toContain('We e-mailed you a 6-digit code');
  });

  it('refuses a code that is not 6 digits', async () => {
    type('input[type=email]', 'ada@example.test');
    type('input[type=password]', 'x');
    await submit();
    http.expectOne('/api/auth/login').flush({ status: 'mfa_required', method: 'totp', alternatives: ['totp'] });
    await flushAsync();
    await fixture.whenStable();
    expect(el.textContent).toContain('authenticator app');
    expect(el.querySelector('input[type=checkbox]')).toBeNull();
    type('input[autocomplete=one-time-code]', '12ab');
    await submit();
    fixture.detectChanges();
    expect(el.textContent).toContain('The code has 6 digits');
    http.expectNone('/api/auth/mfa');
  });

  it('says when to try again after too many attempts', async () => {
    type('input[type=email]', 'ada@example.test');
    type('input[type=password]', 'x');
    await submit();
    http
      .expectOne('/api/auth/login')
      .flush(
        { code: 'rate_limited', message: 'Too many attempts, try again later' },
        { status: 429, statusText: 'Too Many Requests', headers: { 'Retry-After': '600' } },
      );
    await flushAsync();
    await fixture.whenStable();
    expect(el.querySelector('[role=alert]')?.textContent).toContain('try again in 10 minutes');
  });

  it('sends people to their organisation’s Microsoft sign-in when it offers one, and says so when it does not', async () => {
    const go = spyOn(fixture.componentInstance as unknown as { navigate(url: string): void }, 'navigate');
    type('input[name=org]', 'Tenant-A ');
    await fixture.whenStable();
    el.querySelector<HTMLButtonElement>('form.sso button[type=submit]')!.click();
    http.expectOne('/api/auth/sso/tenant-a/info').flush({ slug: 'tenant-a', tenantName: 'Tenant A', enabled: true });
    await flushAsync();
    expect(go).toHaveBeenCalledWith('/api/auth/sso/tenant-a/start');

    type('input[name=org]', 'tenant-b');
    await fixture.whenStable();
    el.querySelector<HTMLButtonElement>('form.sso button[type=submit]')!.click();
    http.expectOne('/api/auth/sso/tenant-b/info').flush({ slug: 'tenant-b', tenantName: 'Tenant B', enabled: false });
    await flushAsync();
    await fixture.whenStable();
    expect(el.querySelector('.sso-error')?.textContent).toContain('Tenant B does not offer sign-in with Microsoft');
    expect(go).toHaveBeenCalledTimes(1);
  });
});

describe('LoginPage back from the identity provider', () => {
  const open = async (query: Record<string, string>, inputs: Record<string, string> = {}) => {
    await TestBed.configureTestingModule({
      imports: [LoginPage],
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    }).compileComponents();
    await TestBed.inject(Router).navigate([], { queryParams: query });
    const fixture = TestBed.createComponent(LoginPage);
    for (const [k, v] of Object.entries(inputs)) fixture.componentRef.setInput(k, v);
    fixture.detectChanges();
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  };

  it('explains why the organisation sign-in was refused', async () => {
    const el = await open({ sso_error: 'not_linked', returnUrl: '/courses' });
    expect(el.querySelector('.sso-error')?.textContent).toContain('not linked to your Rehearse account yet');
    // said once (a reload does not say it again); the rest of the address stays
    expect(TestBed.inject(Router).url).toBe('/?returnUrl=%2Fcourses');
  });

  it('asks for the e-mailed code when Rehearse’s own second factor is needed', async () => {
    const el = await open({}, { mfa: 'email' });
    expect(el.textContent).toContain('We e-mailed you a 6-digit code');
    expect(el.querySelector('input[formcontrolname=code]')).not.toBeNull();
  });
});
