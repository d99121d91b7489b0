import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideRouter } from '@angular/router';
import { InvitationPage } from './invitation.page';
import { settle } from '../../../testing/page-testing';

describe('InvitationPage', () => {
  let fixture: ComponentFixture<InvitationPage>;
  let http: HttpTestingController;
  let el: HTMLElement;
  const type = (name: string, value: string) => {
    const input = el.querySelector<HTMLInputElement>(`input[formcontrolname=${name}]`)!;
    input.value = value;
    input.dispatchEvent(new Event('input'));
    input.dispatchEvent(new Event('blur'));
  };

  beforeEach(async () => {
    document.cookie = 'XSRF-TOKEN=test; path=/';
    await TestBed.configureTestingModule({
      imports: [InvitationPage],
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    }).compileComponents();
    fixture = TestBed.createComponent(InvitationPage);
    fixture.componentRef.setInput('token', 'tok_'.repeat(8));
    http = TestBed.inject(HttpTestingController);
    el = fixture.nativeElement;
    fixture.detectChanges();
  });
  afterEach(() => http.verify());

  it('explains a link that no longer works', async () => {
    http
      .expectOne(`/api/invitations/${'tok_'.repeat(8)}`)
      .flush(
        { code: 'invalid_token', message: 'This invitation link is not valid any more.' },
        { status: 404, statusText: 'Not Found' },
      );
    await settle();
    expect(el.textContent).toContain('This link does not work');
    expect(el.textContent).toContain('not valid any more');
  });

  it('says how to open a link cut short (its token malformed: a mail program broke the line), not “The request is not valid”', async () => {
    http.expectOne(`/api/invitations/${'tok_'.repeat(8)}`).flush(
      {
        code: 'validation_failed',
        message: 'The request is not valid',
        errors: [{ field: 'token', messages: ['token is not valid'] }],
      },
      { status: 400, statusText: 'Bad Request' },
    );
    await settle();
    expect(el.textContent).toContain('This link does not work');
    expect(el.textContent).toContain('This link is not complete. Open it again from the e-mail');
    expect(el.textContent).not.toContain('The request is not valid');
  });

  it('checks both passwords match before sending, then shows the server rules it broke', async () => {
    http.expectOne(`/api/invitations/${'tok_'.repeat(8)}`).flush({
      email: 'nina@x.test',
      name: 'Nina',
      tenantName: 'Demo',
      passwordRules: { minLength: 8, maxLength: 128, requireComplexity: false },
    });
    await settle();
    expect(el.textContent).toContain('Welcome, Nina');
    type('password', 'password1');
    type('confirm', 'password2');
    el.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await settle();
    expect(el.textContent).toContain('The two passwords differ.');
    http.expectNone('/api/invitations/accept');
    type('confirm', 'password1');
    el.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await settle();
    http.expectOne('/api/invitations/accept').flush(
      {
        code: 'weak_password',
        message: 'Choose a stronger password',
        errors: [{ field: 'password', messages: ['is one of the most commonly used passwords; choose another'] }],
      },
      { status: 400, statusText: 'Bad Request' },
    );
    await settle();
    expect(el.querySelector('[role=alert]')?.textContent).toContain(
      'The password is one of the most commonly used passwords',
    );
  });
});
