import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import type { CourseSummary } from '@rehearse/shared/contracts';
import { CourseField } from './course-field';
import { SEARCH_PAUSE_MS } from '../../core/search-field';
import { settle } from '../../../testing/page-testing';

const course = (id: string, title: string) => ({ id, title }) as CourseSummary;

describe('CourseField', () => {
  let fixture: ComponentFixture<CourseField>;
  let http: HttpTestingController;
  let input: HTMLInputElement;

  beforeEach(async () => {
    await TestBed.configureTestingModule({
      imports: [CourseField],
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting()],
    }).compileComponents();
    fixture = TestBed.createComponent(CourseField);
    http = TestBed.inject(HttpTestingController);
    fixture.detectChanges();
    await settle();
    input = fixture.nativeElement.querySelector('input');
  });
  afterEach(() => http.verify());

  const options = () => Array.from(document.querySelectorAll('mat-option')) as HTMLElement[];
  const answerAll = () => {
    for (const r of http.match((r) => r.url === '/api/admin/courses'))
      if (!r.cancelled) r.flush({ items: [], total: 0, page: 1, pageSize: 20 });
  };

  it('finds published courses by title on the server, picks one, and empties when the page clears the choice', async () => {
    expect(http.match((r) => r.url === '/api/admin/courses').length).toBe(0);
    input.dispatchEvent(new Event('focus'));
    await settle();
    http
      .expectOne((r) => r.url === '/api/admin/courses' && !r.params.has('q'))
      .flush({ items: [course('c1', 'Calm calls')], total: 140, page: 1, pageSize: 20 });
    input.value = 'objection';
    input.dispatchEvent(new Event('input'));
    await settle();
    await new Promise((r) => setTimeout(r, SEARCH_PAUSE_MS + 50));
    await settle();
    // a course beyond any first page of the catalogue
    const asked = http.expectOne((r) => r.url === '/api/admin/courses' && r.params.get('q') === 'objection');
    expect(asked.request.params.get('pageSize')).toBe('20');
    asked.flush({ items: [course('c140', 'Price objections')], total: 1, page: 1, pageSize: 20 });
    await settle();
    input.dispatchEvent(new Event('focusin'));
    await settle();
    options()
      .find((o) => o.textContent?.includes('Price objections'))!
      .click();
    await settle();
    expect(fixture.componentInstance.courseId()).toBe('c140');
    expect(input.value).toBe('Price objections');
    answerAll();
    // the page enrolled and clears its choice: the field says nothing is chosen again
    fixture.componentInstance.courseId.set(null);
    await settle();
    expect(input.value).toBe('');
    await new Promise((r) => setTimeout(r, SEARCH_PAUSE_MS + 50));
    answerAll();
  });
});
