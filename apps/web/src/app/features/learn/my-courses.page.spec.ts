import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideRouter } from '@angular/router';
import { MyCoursesPage } from './my-courses.page';
import { button, settle } from '../../../testing/page-testing';

describe('MyCoursesPage', () => {
  let fixture: ComponentFixture<MyCoursesPage>;
  let http: HttpTestingController;

  beforeEach(async () => {
    await TestBed.configureTestingModule({
      imports: [MyCoursesPage],
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    }).compileComponents();
    fixture = TestBed.createComponent(MyCoursesPage);
    http = TestBed.inject(HttpTestingController);
    fixture.detectChanges();
  });
  afterEach(() => http.verify());

  it('shows progress and the due date of each course', async () => {
    http.expectOne('/api/my/courses').flush([
      {
        id: 'c1',
        title: 'Complaints',
        description: '<p>Calls</p>',
        language: 'en',
        version: 2,
        exercisesTotal: 4,
        exercisesAnswered: 1,
        feedbackReceived: 0,
        startsOn: null,
        dueOn: '2026-12-22',
        hasCover: false,
      },
    ]);
    await settle();
    const el: HTMLElement = fixture.nativeElement;
    expect(el.textContent).toContain('1 of 4 exercises answered');
    expect(el.textContent).toContain('due 22 Dec 2026');
    expect(el.querySelector('mat-progress-bar')?.getAttribute('aria-valuenow')).toBe('25');
  });

  it('says what to do when there is nothing yet', async () => {
    http.expectOne('/api/my/courses').flush([]);
    await settle();
    expect((fixture.nativeElement as HTMLElement).querySelector('.empty')?.textContent).toContain(
      'not enrolled in any course yet',
    );
  });

  it('shows the failure and tries again', async () => {
    http
      .expectOne('/api/my/courses')
      .flush(
        { statusCode: 503, code: 'unavailable', message: 'Try again in a moment' },
        { status: 503, statusText: 'x' },
      );
    await settle();
    const el: HTMLElement = fixture.nativeElement;
    expect(el.querySelector('[role=alert]')?.textContent).toContain('Try again in a moment');
    button(el, 'Try again').click();
    await settle();
    http.expectOne('/api/my/courses').flush([]);
    await settle();
    expect(el.querySelector('.empty')).not.toBeNull();
  });
});
