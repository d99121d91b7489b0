import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideRouter } from '@angular/router';
import { PeerReviewsPage } from './peer-reviews.page';
import { button, settle } from '../../../testing/page-testing';

describe('PeerReviewsPage', () => {
  let fixture: ComponentFixture<PeerReviewsPage>;
  let http: HttpTestingController;
  let el: HTMLElement;

  beforeEach(async () => {
    await TestBed.configureTestingModule({
      imports: [PeerReviewsPage],
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    }).compileComponents();
    fixture = TestBed.createComponent(PeerReviewsPage);
    http = TestBed.inject(HttpTestingController);
    el = fixture.nativeElement;
    fixture.detectChanges();
    await settle();
  });
  afterEach(() => http.verify());

  it('loads, then lists the reviews handed to you; an empty list says what will come', async () => {
    expect(el.querySelector('mat-progress-bar')).not.toBeNull();
    http.expectOne('/api/my/peer-reviews').flush([
      {
        answerId: 'a1',
        courseTitle: 'Service',
        exerciseTitle: 'Late delivery',
        participantName: 'Rik',
        state: 'assigned',
        assignedAt: '2026-11-20T10:00:00Z',
        dueAt: '2026-11-27T10:00:00Z',
      },
    ]);
    await settle();
    expect(el.querySelector('mat-progress-bar')).toBeNull();
    expect(el.textContent).toContain('Rik');
    expect(el.querySelector('a')?.textContent).toContain('Review');
  });

  it('says there is nothing to do when the list is empty', async () => {
    http.expectOne('/api/my/peer-reviews').flush([]);
    await settle();
    expect(el.textContent).toContain('No peer reviews for you right now');
  });

  it('shows the failure and tries again', async () => {
    http
      .expectOne('/api/my/peer-reviews')
      .flush(
        { statusCode: 500, code: 'internal_error', message: 'Something went wrong' },
        { status: 500, statusText: 'x' },
      );
    await settle();
    expect(el.querySelector('[role=alert]')?.textContent).toContain('Something went wrong');
    button(el, 'Try again').click();
    await settle();
    http.expectOne('/api/my/peer-reviews').flush([]);
    await settle();
    expect(el.textContent).toContain('No peer reviews for you right now');
  });
});
