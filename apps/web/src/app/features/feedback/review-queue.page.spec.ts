import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideRouter } from '@angular/router';
import type { Page, ReviewQueueItem } from '@rehearse/shared/contracts';
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
    await settle();
    expect(el.querySelector('.filter')).toBeNull();
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
});
