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
    http.expectOne('/api/auth/login').flush({ code: 'invalid_credentials', message: 'The e-mail address or password is not correct' }, { status: 401, statusText: 'Unauthorized' });
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
    http.expectOne('/api/auth/login').flush({ code: 'rate_limited', message: 'Too many attempts, try again later' }, { status: 429, statusText: 'Too Many Requests', headers: { 'Retry-After': '600' } });
    await flushAsync();
    await fixture.whenStable();
    expect(el.querySelector('[role=alert]')?.textContent).toContain('try again in 10 minutes');
  });
});
