import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideRouter, Router } from '@angular/router';
import type { Page, ReviewQueueCourse, ReviewQueueItem } from '@rehearse/shared/contracts';
import { settle } from '../../../testing/page-testing';
import { ReviewQueuePage } from './review-queue.page';

const item = (n: number, course: 'k1' | 'k2'): ReviewQueueItem => ({
  answerId: `a${n}`,
  participantId: `p${n}`,
  participantName: `Participant ${n}`,
  groupName: 'Team',
  courseId: course,
  courseTitle: course === 'k1' ? 'Handling complaints' : 'Sales calls',
  exerciseTitle: 'The late delivery',
  attempt: 1,
  answerType: 'video',
  submittedAt: '2026-11-20T12:00:00Z',
  dueOn: null,
  drafted: false,
});
const page = (items: ReviewQueueItem[]): Page<ReviewQueueItem> => ({
  items,
  total: items.length,
  page: 1,
  pageSize: 25,
});
const text = (el: Element | null) => el?.textContent?.replace(/\s+/g, ' ').trim();

describe('ReviewQueuePage (the coach’s queue, all courses or one)', () => {
  let fixture: ComponentFixture<ReviewQueuePage>;
  let http: HttpTestingController;
  let el: HTMLElement;
  const asked = () => http.expectOne((r) => r.url === '/api/coaching/reviews');
  /** the queue's courses, each with how many wait (one course only: no choice to offer) */
  const courses = (list: ReviewQueueCourse[] = [{ courseId: 'k1', courseTitle: 'Handling complaints', waiting: 2 }]) =>
    http.expectOne('/api/coaching/reviews/courses').flush(list);

  beforeEach(async () => {
    await TestBed.configureTestingModule({
      imports: [ReviewQueuePage],
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    }).compileComponents();
    fixture = TestBed.createComponent(ReviewQueuePage);
    http = TestBed.inject(HttpTestingController);
    el = fixture.nativeElement;
  });
  afterEach(() => http.verify());

  it('lists every course’s answers; a course’s name leads to its answers alone', async () => {
    fixture.detectChanges();
    await settle();
    const all = asked();
    expect(all.request.params.has('courseId')).toBeFalse();
    all.flush(page([item(1, 'k1'), item(2, 'k2')]));
    courses();
    await settle();
    expect(el.querySelector('.filter')).toBeNull();
    // one course waiting: nothing to choose between
    expect(el.querySelector('.course-choice')).toBeNull();
    const link = Array.from(el.querySelectorAll('tbody a')).find((a) => a.textContent?.trim() === 'Sales calls');
    expect(link?.getAttribute('href')).toBe('/?courseId=k2');
    expect(link?.getAttribute('title')).toBe('Only the answers to Sales calls');
  });

  it('with ?courseId= asks for that course’s answers, says so, and offers all courses again', async () => {
    fixture.componentRef.setInput('courseId', 'k2');
    fixture.detectChanges();
    await settle();
    const one = asked();
    expect(one.request.params.get('courseId')).toBe('k2');
    expect(one.request.params.get('page')).toBe('1');
    one.flush(page([item(2, 'k2')]));
    courses([]);
    await settle();
    expect(text(el.querySelector('.filter'))).toBe('Only the answers to Sales calls. Show all courses');
    expect(el.querySelector('.filter a')?.getAttribute('href')).toBe('/coaching/reviews');
    // the course's name is not a link to where the reader already is
    expect(Array.from(el.querySelectorAll('tbody a')).map((a) => text(a))).toEqual(['Review']);
    // another course chosen: asked again from page one
    fixture.componentRef.setInput('courseId', 'k1');
    await settle();
    const other = asked();
    expect([other.request.params.get('courseId'), other.request.params.get('page')]).toEqual(['k1', '1']);
    other.flush(page([]));
    await settle();
    expect(text(el.querySelector('.filter'))).toBe('Only the answers to one course. Show all courses');
    expect(text(el.querySelector('.empty'))).toBe('Nothing from this course is waiting for your feedback.');
  });

  it('offers the courses that wait, with how many, and shows the one chosen alone', async () => {
    const navigate = spyOn(TestBed.inject(Router), 'navigate').and.resolveTo(true);
    fixture.detectChanges();
    await settle();
    asked().flush(page([item(1, 'k1'), item(2, 'k2')]));
    courses([
      { courseId: 'k1', courseTitle: 'Handling complaints', waiting: 1_018 },
      { courseId: 'k2', courseTitle: 'Sales calls', waiting: 3 },
    ]);
    await settle();
    expect(text(el.querySelector('.course-choice mat-label'))).toBe('Course');
    // a large organisation's count, its thousands grouped
    expect(text(el.querySelector('.course-choice .mat-mdc-select-value'))).toBe('All courses (1,021 waiting)');
    (el.querySelector('.course-choice .mat-mdc-select-trigger') as HTMLElement).click();
    await settle();
    const options = Array.from(document.querySelectorAll('mat-option'));
    expect(options.map((o) => text(o))).toEqual([
      'All courses (1,021 waiting)',
      'Handling complaints (1,018 waiting)',
      'Sales calls (3 waiting)',
    ]);
    (options[2] as HTMLElement).click();
    await settle();
    expect(navigate).toHaveBeenCalledWith([], { queryParams: { courseId: 'k2' }, scroll: 'manual' });
    // the address chose it: its answers alone, the choice showing it, its name from the course list
    fixture.componentRef.setInput('courseId', 'k2');
    await settle();
    asked().flush(page([]));
    await settle();
    expect(text(el.querySelector('.course-choice .mat-mdc-select-value'))).toBe('Sales calls (3 waiting)');
    expect(text(el.querySelector('.filter'))).toBe('Only the answers to Sales calls. Show all courses');
    // all of them again
    (el.querySelector('.course-choice .mat-mdc-select-trigger') as HTMLElement).click();
    await settle();
    (document.querySelectorAll('mat-option')[0] as HTMLElement).click();
    await settle();
    expect(navigate).toHaveBeenCalledWith([], { queryParams: { courseId: null }, scroll: 'manual' });
  });
});
