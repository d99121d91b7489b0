import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import type { SsoSettings } from '@rehearse/shared/contracts';
import { SsoSettingsPage } from './sso-settings.page';

const SETTINGS: SsoSettings = {
  enabled: false,
  issuer: '',
  clientId: '',
  clientSecretSet: false,
  directoryId: '',
  jitParticipants: false,
  trustIdpMfa: false,
  redirectUri: 'https://rehearse.example/api/auth/sso/callback',
};

describe('SsoSettingsPage', () => {
  let fixture: ComponentFixture<SsoSettingsPage>;
  let http: HttpTestingController;
  let el: HTMLElement;
  const settle = async () => {
    for (let i = 0; i < 3; i++) await new Promise((r) => setTimeout(r, 5));
    await fixture.whenStable();
  };
  const type = (name: string, value: string) => {
    const input = el.querySelector(`input[name="${name}"]`) as HTMLInputElement;
    input.value = value;
    input.dispatchEvent(new Event('input'));
  };

  beforeEach(async () => {
    await TestBed.configureTestingModule({
      imports: [SsoSettingsPage],
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting()],
    }).compileComponents();
    fixture = TestBed.createComponent(SsoSettingsPage);
    http = TestBed.inject(HttpTestingController);
    el = fixture.nativeElement;
    fixture.detectChanges();
    http.expectOne('/api/admin/sso').flush(SETTINGS);
    await settle();
  });
  afterEach(() => http.verify());

  it('shows the redirect URI to register, and saves the settings with the secret once', async () => {
    expect(el.textContent).toContain('https://rehearse.example/api/auth/sso/callback');
    (el.querySelector('input[name="enabled"]') as HTMLInputElement).click();
    type('issuer', ' https://login.microsoftonline.com/72f9/v2.0 ');
    type('directoryId', '72f9');
    type('clientId', 'app-1');
    type('clientSecret', 's3cret');
    (el.querySelector('input[name="mfa"]') as HTMLInputElement).click();
    await settle();
    (el.querySelector('button[type="submit"]') as HTMLButtonElement).click();
    const req = http.expectOne('/api/admin/sso');
    expect(req.request.method).toBe('PUT');
    expect(req.request.body).toEqual({
      enabled: true,
      issuer: 'https://login.microsoftonline.com/72f9/v2.0',
      clientId: 'app-1',
      directoryId: '72f9',
      jitParticipants: false,
      trustIdpMfa: true,
      clientSecret: 's3cret',
    });
    req.flush({
      ...SETTINGS,
      enabled: true,
      issuer: 'https://login.microsoftonline.com/72f9/v2.0',
      clientId: 'app-1',
      directoryId: '72f9',
      trustIdpMfa: true,
      clientSecretSet: true,
    });
    await settle();
    expect(el.textContent).toContain('Saved.');
    expect((el.querySelector('input[name="clientSecret"]') as HTMLInputElement).placeholder).toContain('stored');

    // saving again without typing a secret keeps the stored one (no clientSecret sent)
    (el.querySelector('button[type="submit"]') as HTMLButtonElement).click();
    const again = http.expectOne('/api/admin/sso');
    expect('clientSecret' in again.request.body).toBe(false);
    again.flush(
      {
        code: 'validation_failed',
        message: 'The issuer must be an https address',
        errors: [{ field: 'issuer', messages: ['must start with https://'] }],
      },
      { status: 400, statusText: 'Bad Request' },
    );
    await settle();
    expect(el.querySelector('[role="alert"]')?.textContent).toContain('must start with https://');
  });

  it('after a failed save the form keeps what was typed', async () => {
    type('clientId', 'typed-not-saved');
    await settle();
    (el.querySelector('button[type="submit"]') as HTMLButtonElement).click();
    http
      .expectOne('/api/admin/sso')
      .flush({ code: 'unavailable', message: 'Try again in a moment' }, { status: 503, statusText: 'x' });
    await settle();
    expect(el.querySelector('[role="alert"]')?.textContent).toContain('Try again in a moment');
    expect((el.querySelector('input[name="clientId"]') as HTMLInputElement).value).toBe('typed-not-saved');
  });
});

describe('SsoSettingsPage that cannot load', () => {
  it('says why and tries again', async () => {
    await TestBed.configureTestingModule({
      imports: [SsoSettingsPage],
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting()],
    }).compileComponents();
    const fixture = TestBed.createComponent(SsoSettingsPage);
    const http = TestBed.inject(HttpTestingController);
    const el: HTMLElement = fixture.nativeElement;
    const settle = async () => {
      for (let i = 0; i < 3; i++) {
        await new Promise((r) => setTimeout(r, 5));
        TestBed.tick();
      }
    };
    fixture.detectChanges();
    await settle();
    http
      .expectOne('/api/admin/sso')
      .flush({ code: 'unavailable', message: 'Try again in a moment' }, { status: 503, statusText: 'x' });
    await settle();
    Array.from(el.querySelectorAll('button'))
      .find((b) => b.textContent?.includes('Try again'))!
      .click();
    await settle();
    http.expectOne('/api/admin/sso').flush(SETTINGS);
    await settle();
    expect(el.textContent).toContain('https://rehearse.example/api/auth/sso/callback');
    http.verify();
  });
});
