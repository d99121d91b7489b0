import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideRouter } from '@angular/router';
import { TranscriptSearchPage } from './transcript-search.page';

describe('TranscriptSearchPage', () => {
  let fixture: ComponentFixture<TranscriptSearchPage>;
  let http: HttpTestingController;
  const settle = async () => {
    await new Promise((r) => setTimeout(r));
    await fixture.whenStable();
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
  });

  it('without ?q= it waits for the person to search', async () => {
    fixture.detectChanges();
    await settle();
    http.expectNone('/api/transcripts/search');
    expect((fixture.nativeElement as HTMLElement).querySelector('.hit')).toBeNull();
  });
});
