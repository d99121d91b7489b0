import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideRouter } from '@angular/router';
import { UnsubscribePage } from './unsubscribe.page';
import { button, settle } from '../../../testing/page-testing';

const U = '8e67bb26-b358-42ed-a0fe-552ed6fb832f';
const S = 'ab'.repeat(32);

describe('UnsubscribePage', () => {
  let fixture: ComponentFixture<UnsubscribePage>;
  let http: HttpTestingController;
  let el: HTMLElement;

  async function open(query: Record<string, string | undefined>): Promise<void> {
    await TestBed.configureTestingModule({
      imports: [UnsubscribePage],
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    }).compileComponents();
    fixture = TestBed.createComponent(UnsubscribePage);
    for (const [k, v] of Object.entries(query)) fixture.componentRef.setInput(k, v);
    http = TestBed.inject(HttpTestingController);
    el = fixture.nativeElement;
    fixture.detectChanges();
    await settle();
  }
  afterEach(() => http.verify());

  const stopRequest = () => http.expectOne((r) => r.url === '/api/mail/unsubscribe');

  it('says which e-mails the link stops and stops nothing until the button is pressed; then says how to turn them on again', async () => {
    await open({ u: U, t: 'course_due', s: S });
    expect(el.querySelector('h1')?.textContent).toBe('Stop these e-mails?');
    expect(el.textContent).toContain('You will no longer receive the reminders of courses of yours that are due soon.');
    http.expectNone('/api/mail/unsubscribe');
    button(el, 'Stop these e-mails').click();
    await settle();
    const req = stopRequest();
    expect(req.request.method).toBe('POST');
    expect(req.request.body).toBeNull();
    expect(req.request.params.get('u')).toBe(U);
    expect(req.request.params.get('t')).toBe('course_due');
    expect(req.request.params.get('s')).toBe(S);
    req.flush(null, { status: 204, statusText: 'No Content' });
    await settle();
    expect(el.querySelector('h1')?.textContent).toBe('These e-mails are stopped');
    expect(el.textContent).toContain('You can turn them on again on your account page.');
    expect(el.querySelector('a[href="/account"]')).not.toBeNull();
  });

  it('a link the server does not know says so, with its reason and no button', async () => {
    await open({ u: U, t: 'coach_digest', s: S });
    expect(el.textContent).toContain('the morning e-mail about the answers waiting for your feedback');
    button(el, 'Stop these e-mails').click();
    await settle();
    stopRequest().flush(
      { statusCode: 404, code: 'not_found', message: 'This link is not valid (any more)' },
      { status: 404, statusText: 'Not Found' },
    );
    await settle();
    expect(el.querySelector('h1')?.textContent).toBe('This link does not work');
    expect(el.querySelector('[role=alert]')?.textContent).toContain('This link is not valid (any more)');
    expect(Array.from(el.querySelectorAll('button')).length).toBe(0);
  });

  it('a failure on the way keeps the question and the button, with what went wrong', async () => {
    await open({ u: U, t: 'feedback_published', s: S });
    button(el, 'Stop these e-mails').click();
    await settle();
    expect(el.querySelector('mat-progress-bar')).not.toBeNull();
    expect(button(el, 'Stop these e-mails').disabled).toBe(true);
    stopRequest().flush(
      { statusCode: 503, code: 'unavailable', message: 'The service is unavailable' },
      { status: 503, statusText: 'Unavailable' },
    );
    await settle();
    expect(el.querySelector('h1')?.textContent).toBe('Stop these e-mails?');
    expect(el.querySelector('[role=alert]')?.textContent).toContain('The service is unavailable');
    expect(button(el, 'Stop these e-mails').disabled).toBe(false);
  });

  it('a link cut short or of an unknown kind is said to be incomplete, and asks the server nothing', async () => {
    for (const query of [
      { u: U, t: 'peer_reviews', s: undefined },
      { u: undefined, t: 'peer_reviews', s: S },
      { u: U, t: 'newsletter', s: S },
    ]) {
      TestBed.resetTestingModule();
      await open(query);
      expect(el.querySelector('h1')?.textContent).toBe('This link does not work');
      expect(el.textContent).toContain('The link is incomplete');
      expect(el.querySelectorAll('button').length).toBe(0);
      http.expectNone('/api/mail/unsubscribe');
    }
  });
});
