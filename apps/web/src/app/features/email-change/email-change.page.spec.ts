import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideRouter } from '@angular/router';
import type { EmailChangeInfo } from '@rehearse/shared/contracts';
import { EmailChangePage } from './email-change.page';
import { button, settle } from '../../../testing/page-testing';
import { ME } from '../../core/session.store.spec';

const TOKEN = 'tok_'.repeat(8);
const INFO: EmailChangeInfo = {
  email: 'pim.new@demo.test',
  name: 'Pim',
  tenantName: 'Demo',
  expiresAt: '2026-12-05T10:30:00.000Z',
};

describe('EmailChangePage', () => {
  let fixture: ComponentFixture<EmailChangePage>;
  let http: HttpTestingController;
  let el: HTMLElement;

  beforeEach(async () => {
    document.cookie = 'XSRF-TOKEN=test; path=/';
    await TestBed.configureTestingModule({
      imports: [EmailChangePage],
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    }).compileComponents();
    fixture = TestBed.createComponent(EmailChangePage);
    fixture.componentRef.setInput('token', TOKEN);
    http = TestBed.inject(HttpTestingController);
    el = fixture.nativeElement;
    fixture.detectChanges();
  });
  afterEach(() => http.verify());

  it('names the address and the account, and changes nothing until the button is pressed', async () => {
    http.expectOne(`/api/auth/email-change/${TOKEN}`).flush(INFO);
    await settle();
    expect(el.textContent).toContain('Make pim.new@demo.test the e-mail address of Pim at Demo?');
    http.expectNone('/api/auth/email-change/confirm');
    button(el, 'Confirm this address').click();
    await settle();
    const req = http.expectOne('/api/auth/email-change/confirm');
    expect(req.request.method).toBe('POST');
    expect(req.request.body).toEqual({ token: TOKEN });
    req.flush(null, { status: 204, statusText: 'No Content' });
    await settle();
    // is this browser signed in? (not here: the way on is to sign in)
    http.expectOne('/api/auth/me').flush({ message: 'Please sign in' }, { status: 401, statusText: 'Unauthorized' });
    await settle();
    expect(el.textContent).toContain('Your e-mail address is changed');
    expect(el.textContent).toContain('pim.new@demo.test');
    expect(el.querySelector('a[href="/login"]')).not.toBeNull();
    expect(el.querySelector('a[href="/account"]')).toBeNull();
  });

  it('says why when the address was taken meanwhile, and keeps the button', async () => {
    http.expectOne(`/api/auth/email-change/${TOKEN}`).flush({
      email: 'desk@platform.test',
      name: 'Support desk',
      tenantName: null,
      expiresAt: '2026-12-05T10:30:00.000Z',
    });
    await settle();
    expect(el.textContent).toContain('Make desk@platform.test the e-mail address of Support desk?');
    button(el, 'Confirm this address').click();
    await settle();
    http
      .expectOne('/api/auth/email-change/confirm')
      .flush(
        { code: 'conflict', message: 'This e-mail address is already in use' },
        { status: 409, statusText: 'Conflict' },
      );
    await settle();
    expect(el.querySelector('[role=alert]')?.textContent).toContain('already in use');
    expect(button(el, 'Confirm this address').disabled).toBe(false);
  });

  it('explains a link that no longer works', async () => {
    http
      .expectOne(`/api/auth/email-change/${TOKEN}`)
      .flush(
        { code: 'invalid_token', message: 'This link to confirm an e-mail address is not valid any more.' },
        { status: 404, statusText: 'Not Found' },
      );
    await settle();
    expect(el.textContent).toContain('This link does not work');
    expect(el.textContent).toContain('not valid any more');
  });

  it('in a browser signed in to the account, leads back to it with the new address', async () => {
    http.expectOne(`/api/auth/email-change/${TOKEN}`).flush(INFO);
    await settle();
    button(el, 'Confirm this address').click();
    await settle();
    http.expectOne('/api/auth/email-change/confirm').flush(null, { status: 204, statusText: 'No Content' });
    await settle();
    http.expectOne('/api/auth/me').flush({ ...ME, email: 'pim.new@demo.test' });
    await settle();
    expect(el.querySelector('a[href="/account"]')?.textContent).toContain('Go to my account');
    expect(el.querySelector('a[href="/login"]')).toBeNull();
  });
});
