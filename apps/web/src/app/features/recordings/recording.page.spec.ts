import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideRouter } from '@angular/router';
import type { Me, RecordingDetail } from '@rehearse/shared/contracts';
import { SessionStore } from '../../core/session.store';
import { RecordingPage } from './recording.page';
import { button, settle } from '../../../testing/page-testing';

const recording = (id: string): RecordingDetail => ({
  id,
  kind: 'audio',
  contentType: 'audio/wav',
  sizeBytes: 10,
  durationSeconds: 12,
  status: 'ready',
  failure: null,
  failureMessage: null,
  createdAt: '2026-11-21T10:00:00Z',
  transcribedAt: null,
  engine: null,
  model: null,
  answer: {
    answerId: `a-${id}`,
    participantId: 'p1',
    participantName: 'Pim de Vries',
    courseId: 'c1',
    courseTitle: 'Handling objections',
    exerciseId: 'e1',
    exerciseTitle: 'The price is too high',
    attempt: 2,
    // noon UTC: the 21st in every time zone the browser may run in
    submittedAt: '2026-11-21T12:00:00Z',
  },
});

/** the page's text with its whitespace collapsed, as a reader sees it */
const text = (el: Element | null) => el?.textContent?.replace(/\s+/g, ' ').trim();

describe('RecordingPage (one loading pattern: rh-load-state over a resource of the route id)', () => {
  let fixture: ComponentFixture<RecordingPage>;
  let http: HttpTestingController;
  let el: HTMLElement;
  /** the player's own requests (live status, transcript) are not this page's concern */
  const playerRequests = () =>
    http.match((r) => r.url !== '/api/recordings/r1' && !/\/api\/recordings\/r\d$/.test(r.url));

  beforeEach(async () => {
    await TestBed.configureTestingModule({
      imports: [RecordingPage],
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    }).compileComponents();
    fixture = TestBed.createComponent(RecordingPage);
    fixture.componentRef.setInput('id', 'r1');
    http = TestBed.inject(HttpTestingController);
    el = fixture.nativeElement;
    fixture.detectChanges();
    await settle();
  });

  it('shows a progress bar, then the recording; another id loads that one and drops the one left behind', async () => {
    expect(el.querySelector('rh-load-state mat-progress-bar')?.getAttribute('aria-label')).toBe(
      'Loading the recording',
    );
    http.expectOne('/api/recordings/r1').flush(recording('r1'));
    await settle();
    expect(el.querySelector('rh-load-state mat-progress-bar')).toBeNull();
    expect(el.querySelector('rh-recording-player')).not.toBeNull();
    playerRequests();
    // a link from one search hit to the next keeps the page and changes its id
    fixture.componentRef.setInput('id', 'r2');
    await settle();
    const slow = http.expectOne('/api/recordings/r2');
    expect(el.querySelector('rh-load-state mat-progress-bar')).not.toBeNull();
    expect(el.querySelector('rh-recording-player')).toBeNull();
    fixture.componentRef.setInput('id', 'r3');
    await settle();
    expect(slow.cancelled).toBeTrue();
    http.expectOne('/api/recordings/r3').flush(recording('r3'));
    await settle();
    expect(el.querySelector('rh-recording-player')).not.toBeNull();
    playerRequests();
  });

  it('names whose answer it is, to which exercise of which course, and leads on from it', async () => {
    expect(text(el.querySelector('h1'))).toBe('Recording');
    http.expectOne('/api/recordings/r1').flush(recording('r1'));
    await settle();
    playerRequests();
    expect(text(el.querySelector('h1'))).toBe('Pim de Vries’s answer to “The price is too high”');
    expect(text(el.querySelector('.context'))).toMatch(
      /^Handling objections · attempt 2 · submitted 21 Nov 2026, \d\d?:\d\d(\s?[AP]M)?$/,
    );
    const links = () => Array.from(el.querySelectorAll('nav.links a')).map((a) => [text(a), a.getAttribute('href')]);
    // someone who neither coaches nor administers: the answer's feedback only (its page checks the answer is theirs)
    expect(links()).toEqual([['Feedback on this answer', '/answers/a-r1']]);
    // the player says whose recording it is to a screen reader (it said "Your recording" to a coach)
    expect(el.querySelector('audio')?.getAttribute('aria-label')).toBe('Pim de Vries’s recording');
  });

  it('calls the owner’s own answer theirs', async () => {
    TestBed.inject(SessionStore).set({ id: 'p1', permissions: ['recordings.read'] } as unknown as Me);
    http.expectOne('/api/recordings/r1').flush(recording('r1'));
    await settle();
    playerRequests();
    expect(text(el.querySelector('h1'))).toBe('Your answer to “The price is too high”');
    expect(el.querySelector('audio')?.getAttribute('aria-label')).toBe('Your recording');
  });

  it("offers a coach the answer's review, and an administrator the person's page", async () => {
    TestBed.inject(SessionStore).set({
      id: 'c',
      permissions: ['recordings.read', 'coaching.read', 'users.read'],
    } as unknown as Me);
    http.expectOne('/api/recordings/r1').flush(recording('r1'));
    await settle();
    playerRequests();
    const links = Array.from(el.querySelectorAll('nav.links a')).map((a) => [text(a), a.getAttribute('href')]);
    expect(links).toEqual([
      ['Review this answer', '/review/a-r1'],
      ['Feedback on this answer', '/answers/a-r1'],
      ['Pim de Vries’s page', '/admin/users/p1'],
    ]);
  });

  it('says so when there is no such recording (404), without a pointless retry', async () => {
    http
      .expectOne('/api/recordings/r1')
      .flush({ statusCode: 404, code: 'not_found', message: 'Not found' }, { status: 404, statusText: 'Not Found' });
    await settle();
    expect(el.querySelector('[role=alert]')?.textContent).toContain('No such recording, or it is not yours to see.');
    expect(Array.from(el.querySelectorAll('button')).some((b) => b.textContent?.includes('Try again'))).toBeFalse();
  });

  it('shows the server’s message and tries again on request', async () => {
    http
      .expectOne('/api/recordings/r1')
      .flush(
        { statusCode: 503, code: 'unavailable', message: 'The service is briefly unavailable' },
        { status: 503, statusText: 'Service Unavailable' },
      );
    await settle();
    expect(el.querySelector('[role=alert]')?.textContent).toContain('The service is briefly unavailable');
    button(el, 'Try again').click();
    await settle();
    expect(el.querySelector('rh-load-state mat-progress-bar')).not.toBeNull();
    http.expectOne('/api/recordings/r1').flush(recording('r1'));
    await settle();
    expect(el.querySelector('rh-recording-player')).not.toBeNull();
    playerRequests();
  });
});
