import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideRouter } from '@angular/router';
import type { Me } from '@rehearse/shared/contracts';
import { SessionStore } from '../../core/session.store';
import { TranscriptSearchPage } from './transcript-search.page';
import { settle } from '../../../testing/page-testing';

describe('TranscriptSearchPage', () => {
  let fixture: ComponentFixture<TranscriptSearchPage>;
  let http: HttpTestingController;
  const hits = (q: string, page = 1, total = 1) => ({
    items: [
      {
        recordingId: `r-${q}`,
        answerId: 'a1',
        participantId: 'p1',
        participantName: `Hit for ${q}`,
        courseId: 'c1',
        courseTitle: 'Complaints',
        exerciseId: 'e1',
        exerciseTitle: 'Baseline',
        start: 1,
        end: 2,
        snippet: `«${q}»`,
        submittedAt: '2026-11-09T10:00:00Z',
        engine: 'whisper.cpp',
      },
    ],
    total,
    page,
    pageSize: 20,
  });
  const typeAndSearch = async (text: string) => {
    const el: HTMLElement = fixture.nativeElement;
    const input = el.querySelector<HTMLInputElement>('input[name="q"]')!;
    input.value = text;
    input.dispatchEvent(new Event('input'));
    await settle();
    el.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await settle();
  };

  beforeEach(async () => {
    await TestBed.configureTestingModule({
      imports: [TranscriptSearchPage],
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    }).compileComponents();
    fixture = TestBed.createComponent(TranscriptSearchPage);
    http = TestBed.inject(HttpTestingController);
  });
  afterEach(() => http.verify());

  it('runs the search in the address (?q=) on opening and shows the hits', async () => {
    fixture.componentRef.setInput('q', 'late order');
    fixture.detectChanges();
    const req = http.expectOne((r) => r.url === '/api/transcripts/search');
    expect(req.request.params.get('q')).toBe('late order');
    req.flush({
      items: [
        {
          recordingId: 'r1',
          answerId: 'a1',
          participantId: 'p1',
          participantName: 'Pim',
          courseId: 'c1',
          courseTitle: 'Complaints',
          exerciseId: 'e1',
          exerciseTitle: 'Baseline',
          start: 3.2,
          end: 5,
          snippet: 'your «order» is late',
          submittedAt: '2026-11-09T10:00:00Z',
          engine: 'whisper.cpp',
        },
      ],
      total: 1,
      page: 1,
      pageSize: 20,
    });
    await settle();
    const el: HTMLElement = fixture.nativeElement;
    expect((el.querySelector('input[name="q"]') as HTMLInputElement).value).toBe('late order');
    expect(el.querySelector('.hit a')?.textContent).toContain('Pim · Baseline at 0:03');
    // the engine by the name people know it by, as the answer's page writes it
    expect(el.querySelector('.hit')?.textContent).toContain('· Whisper');
    expect(el.querySelector('.hit')?.textContent).not.toContain('whisper.cpp');
    // the count's words apart (the template's whitespace between them once collapsed: "1 passagefound")
    expect(el.querySelector('[role=status]')?.textContent?.replace(/\s+/g, ' ').trim()).toBe('1 passage found');
    // an administrator who coaches nobody is offered no review
    expect(el.querySelector('.hit a.review')).toBeNull();
  });

  it("offers a coach the answer's review beside each passage", async () => {
    TestBed.inject(SessionStore).set({
      id: 'c',
      permissions: ['transcripts.search', 'coaching.read'],
    } as unknown as Me);
    fixture = TestBed.createComponent(TranscriptSearchPage);
    fixture.componentRef.setInput('q', 'order');
    fixture.detectChanges();
    http.expectOne((r) => r.url === '/api/transcripts/search').flush(hits('order'));
    await settle();
    const review = (fixture.nativeElement as HTMLElement).querySelector('.hit a.review');
    expect(review?.textContent?.trim()).toBe('Review this answer');
    expect(review?.getAttribute('href')).toBe('/review/a1');
  });

  it('without ?q= it waits for the person to search', async () => {
    fixture.detectChanges();
    await settle();
    http.expectNone('/api/transcripts/search');
    expect((fixture.nativeElement as HTMLElement).querySelector('.hit')).toBeNull();
  });

  it('a newer search replaces an older one whose answer comes later', async () => {
    fixture.detectChanges();
    await settle();
    await typeAndSearch('refund');
    const older = http.expectOne((r) => r.url === '/api/transcripts/search' && r.params.get('q') === 'refund');
    await typeAndSearch('delivery');
    expect(older.cancelled).toBeTrue();
    http
      .expectOne((r) => r.url === '/api/transcripts/search' && r.params.get('q') === 'delivery')
      .flush(hits('delivery'));
    await settle();
    const el: HTMLElement = fixture.nativeElement;
    expect(el.querySelector('.hit a')?.textContent).toContain('Hit for delivery');
    expect(el.textContent).not.toContain('Hit for refund');
  });

  it('pages through the hits of the same search, and shows why a search failed', async () => {
    fixture.componentRef.setInput('q', 'order');
    fixture.detectChanges();
    await settle();
    http.expectOne((r) => r.url === '/api/transcripts/search').flush(hits('order', 1, 45));
    await settle();
    const el: HTMLElement = fixture.nativeElement;
    Array.from(el.querySelectorAll('button'))
      .find((b) => b.textContent?.trim() === 'Next')!
      .click();
    await settle();
    const second = http.expectOne((r) => r.url === '/api/transcripts/search');
    expect(second.request.params.get('page')).toBe('2');
    second.flush(
      { statusCode: 503, code: 'unavailable', message: 'Try again in a moment' },
      { status: 503, statusText: 'x' },
    );
    await settle();
    expect(el.querySelector('[role=alert]')?.textContent).toContain('Try again in a moment');
  });
});
