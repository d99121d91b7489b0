import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideRouter } from '@angular/router';
import { ForgotPasswordPage } from './forgot-password.page';
import { PasswordResetPage } from './password-reset.page';
import { settle } from '../../../testing/page-testing';

const TOKEN = 'tok_'.repeat(8);

function typeInto(el: HTMLElement, name: string, value: string): void {
  const input = el.querySelector<HTMLInputElement>(`input[formcontrolname=${name}]`)!;
  input.value = value;
  input.dispatchEvent(new Event('input'));
  input.dispatchEvent(new Event('blur'));
}

describe('ForgotPasswordPage', () => {
  let fixture: ComponentFixture<ForgotPasswordPage>;
  let http: HttpTestingController;
  let el: HTMLElement;

  beforeEach(async () => {
    document.cookie = 'XSRF-TOKEN=test; path=/';
    await TestBed.configureTestingModule({
      imports: [ForgotPasswordPage],
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    }).compileComponents();
    fixture = TestBed.createComponent(ForgotPasswordPage);
    http = TestBed.inject(HttpTestingController);
    el = fixture.nativeElement;
    fixture.detectChanges();
  });
  afterEach(() => http.verify());

  it('asks for an address, sends nothing without one, then says what happens next', async () => {
    el.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await settle();
    http.expectNone('/api/auth/password-reset');
    expect(el.textContent).toContain('Enter your e-mail address');
    typeInto(el, 'email', 'pim@demo.test');
    el.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await settle();
    const req = http.expectOne('/api/auth/password-reset');
    expect(req.request.method).toBe('POST');
    expect(req.request.body).toEqual({ email: 'pim@demo.test' });
    req.flush({ message: 'If this address belongs to an account, a link is on its way to it.' });
    // in the page's own words (and language), whatever the server's
    await settle();
    expect(el.querySelector('[role=status]')?.textContent).toContain('If this address belongs to an account');
    expect(el.querySelector('form')).toBeNull();
  });

  it('says so when too many links were asked for', async () => {
    typeInto(el, 'email', 'pim@demo.test');
    el.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await settle();
    http
      .expectOne('/api/auth/password-reset')
      .flush(
        { code: 'too_many_requests', message: 'Too many attempts, try again later' },
        { status: 429, statusText: 'Too Many Requests' },
      );
    await settle();
    expect(el.querySelector('[role=alert]')?.textContent).toContain('Too many attempts');
    expect(el.querySelector('form')).not.toBeNull();
  });
});

describe('PasswordResetPage', () => {
  let fixture: ComponentFixture<PasswordResetPage>;
  let http: HttpTestingController;
  let el: HTMLElement;

  beforeEach(async () => {
    document.cookie = 'XSRF-TOKEN=test; path=/';
    await TestBed.configureTestingModule({
      imports: [PasswordResetPage],
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    }).compileComponents();
    fixture = TestBed.createComponent(PasswordResetPage);
    fixture.componentRef.setInput('token', TOKEN);
    http = TestBed.inject(HttpTestingController);
    el = fixture.nativeElement;
    fixture.detectChanges();
  });
  afterEach(() => http.verify());

  it('explains a link that no longer works and offers a new one', async () => {
    http
      .expectOne(`/api/auth/password-reset/${TOKEN}`)
      .flush(
        { code: 'invalid_token', message: 'This link to choose a new password is not valid any more.' },
        { status: 404, statusText: 'Not Found' },
      );
    await settle();
    expect(el.textContent).toContain('This link does not work');
    expect(el.textContent).toContain('not valid any more');
    expect(el.querySelector('a[href="/password-reset"]')?.textContent).toContain('Ask for a new link');
  });

  it('names the account, checks both passwords match, and says what to do next', async () => {
    http.expectOne(`/api/auth/password-reset/${TOKEN}`).flush({
      email: 'pim@demo.test',
      name: 'Pim',
      tenantName: 'Demo',
      passwordRules: { minLength: 8, maxLength: 128, requireComplexity: false },
      expiresAt: '2026-12-03T10:30:00.000Z',
    });
    await settle();
    expect(el.textContent).toContain('pim@demo.test');
    expect(el.textContent).toContain('Demo');
    typeInto(el, 'password', 'a long new phrase');
    typeInto(el, 'confirm', 'a long new phrasf');
    el.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await settle();
    expect(el.textContent).toContain('The two passwords differ.');
    http.expectNone('/api/auth/password-reset/complete');
    typeInto(el, 'confirm', 'a long new phrase');
    el.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await settle();
    const req = http.expectOne('/api/auth/password-reset/complete');
    expect(req.request.body).toEqual({ token: TOKEN, password: 'a long new phrase' });
    req.flush(null, { status: 204, statusText: 'No Content' });
    await settle();
    expect(el.textContent).toContain('Your password is changed');
    expect(el.textContent).toContain('sign-in code');
  });
});
