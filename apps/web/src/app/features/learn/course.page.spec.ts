import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideRouter } from '@angular/router';
import type { LearnerCourse, LearnerExercise } from '@rehearse/shared/contracts';
import { LearnerCoursePage } from './course.page';
import { settle } from '../../../testing/page-testing';

const exercise = (id: string, feedback: LearnerExercise['feedback']): LearnerExercise => ({
  id,
  title: `Exercise ${id}`,
  instructionsHtml: '<p>Answer the customer.</p>',
  prompt: null,
  promptMediaId: null,
  answerType: 'text',
  preparationSeconds: 30,
  maxAnswerSeconds: 120,
  attemptsAllowed: 3,
  attemptsUsed: 0,
  testKind: 'practice',
  feedback,
  rubric: null,
  answered: false,
  feedbackReceived: false,
});

describe('LearnerCoursePage', () => {
  let fixture: ComponentFixture<LearnerCoursePage>;
  let http: HttpTestingController;

  beforeEach(async () => {
    await TestBed.configureTestingModule({
      imports: [LearnerCoursePage],
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    }).compileComponents();
    fixture = TestBed.createComponent(LearnerCoursePage);
    http = TestBed.inject(HttpTestingController);
    fixture.componentRef.setInput('id', 'c1');
    fixture.detectChanges();
  });
  afterEach(() => http.verify());

  it('says in words who gives feedback on each exercise', async () => {
    const course: LearnerCourse = {
      id: 'c1',
      title: 'Complaints',
      description: '',
      language: 'en',
      version: 1,
      exercisesTotal: 3,
      exercisesAnswered: 0,
      feedbackReceived: 0,
      startsOn: null,
      dueOn: null,
      hasCover: false,
      modules: [
        {
          id: 'm1',
          title: 'Calls',
          answered: 0,
          total: 3,
          exercises: [exercise('a', ['coach', 'ai']), exercise('b', ['self', 'peer', 'ai']), exercise('c', [])],
        },
      ],
    };
    http.expectOne('/api/my/courses/c1').flush(course);
    http.expectOne('/api/my/courses/c1/answers').flush([]);
    await new Promise((r) => setTimeout(r));
    await fixture.whenStable();
    const text = ((fixture.nativeElement as HTMLElement).textContent ?? '').replace(/\s+/g, ' ');
    expect(text).toContain('feedback: your coach and the AI coach');
    expect(text).toContain('feedback: your self-assessment, peers in your group and the AI coach');
    expect(text).toContain('no feedback');
    expect(text).not.toContain('coach, ai');
  });
  it('shows a coach the course of a group as its trainees see it, with no count of the coach’s own answers', async () => {
    const el = fixture.nativeElement as HTMLElement;
    // the trainee's page first (the fixture's), then the coach's view of group g1's course
    http.expectOne('/api/my/courses/c1').flush(titled('c1', 'Complaints'));
    http.expectOne('/api/my/courses/c1/answers').flush([]);
    fixture.componentRef.setInput('groupId', 'g1');
    await settle();
    http.expectOne('/api/coaching/groups/g1/courses/c1').flush({
      ...titled('c1', 'Complaints'),
      exercisesTotal: 4,
      dueOn: '2027-02-02',
      modules: [
        {
          id: 'm1',
          title: 'Before you start',
          answered: 0,
          total: 2,
          exercises: [exercise('a', ['coach']), { ...exercise('b', ['coach']), attemptsAllowed: 1 }],
        },
      ],
    });
    await settle();
    const text = (el.textContent ?? '').replace(/\s+/g, ' ');
    expect(text).toContain("The course as your group's trainees see it.");
    expect(text).toContain('4 exercises · due 2 Feb 2027');
    expect(text).toContain('up to 3 attempts');
    expect(text).toContain('1 attempt');
    expect(text).not.toContain('answered');
    expect(text).not.toContain('attempt 0 of');
    expect(el.querySelector('h2')?.textContent?.trim()).toBe('Before you start');
  });

  const titled = (id: string, title: string): LearnerCourse => ({
    id,
    title,
    description: '',
    language: 'en',
    version: 1,
    exercisesTotal: 0,
    exercisesAnswered: 0,
    feedbackReceived: 0,
    startsOn: null,
    dueOn: null,
    hasCover: false,
    modules: [],
  });

  it('follows the route to another course: shows that one, never the one left behind', async () => {
    const el = fixture.nativeElement as HTMLElement;
    http.expectOne('/api/my/courses/c1').flush(titled('c1', 'Complaints'));
    http.expectOne('/api/my/courses/c1/answers').flush([]);
    await settle();
    expect(el.querySelector('h1')?.textContent).toContain('Complaints');
    fixture.componentRef.setInput('id', 'c2');
    await settle();
    const slow = http.expectOne('/api/my/courses/c2');
    http.expectOne('/api/my/courses/c2/answers');
    expect(el.querySelector('mat-progress-bar')).not.toBeNull();
    expect(el.textContent).not.toContain('Complaints');
    fixture.componentRef.setInput('id', 'c3');
    await settle();
    expect(slow.cancelled).toBeTrue();
    http.expectOne('/api/my/courses/c3').flush(titled('c3', 'Negotiation'));
    http.expectOne('/api/my/courses/c3/answers').flush([]);
    await settle();
    expect(el.querySelector('h1')?.textContent).toContain('Negotiation');
  });

  it('says so when the course is not one of yours', async () => {
    const el = fixture.nativeElement as HTMLElement;
    http
      .expectOne('/api/my/courses/c1')
      .flush({ statusCode: 404, code: 'not_found', message: 'Not found' }, { status: 404, statusText: 'Not Found' });
    http.expectOne('/api/my/courses/c1/answers');
    await settle();
    expect(el.querySelector('[role=alert]')?.textContent).toContain('No such course, or it is not one of yours.');
  });
});
