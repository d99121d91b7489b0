import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideRouter } from '@angular/router';
import type { RecordingSummary } from '@rehearse/shared/contracts';
import { RecordingPage } from './recording.page';
import { button, settle } from '../../../testing/page-testing';

const recording = (id: string): RecordingSummary => ({
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
});

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
