import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideRouter } from '@angular/router';
import type { AnswerSummary, LearnerCourse, LearnerExercise } from '@rehearse/shared/contracts';
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

/** Course c1 ("Complaints"), one module of these exercises. */
const courseOf = (exercises: LearnerExercise[]): LearnerCourse => ({
  id: 'c1',
  title: 'Complaints',
  description: '',
  language: 'en',
  version: 1,
  exercisesTotal: exercises.length,
  exercisesAnswered: 0,
  feedbackReceived: 0,
  startsOn: null,
  dueOn: null,
  hasCover: false,
  modules: [{ id: 'm1', title: 'Calls', answered: 0, total: exercises.length, exercises }],
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
    const course = courseOf([exercise('a', ['coach', 'ai']), exercise('b', ['self', 'peer', 'ai']), exercise('c', [])]);
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

  it('sends a text again after a failure as the same submission (a lost answer is not made twice), a new text as a new one', async () => {
    const course = courseOf([exercise('a', ['coach'])]);
    http.expectOne('/api/my/courses/c1').flush(course);
    http.expectOne('/api/my/courses/c1/answers').flush([]);
    await settle();
    const el = fixture.nativeElement as HTMLElement;
    const write = async (text: string) => {
      const area = el.querySelector('textarea') as HTMLTextAreaElement;
      area.value = text;
      area.dispatchEvent(new Event('input'));
      await settle();
      (el.querySelector('form button[type=submit]') as HTMLButtonElement).click();
      await settle();
      return http.expectOne((r) => r.method === 'POST' && r.url === '/api/my/courses/c1/exercises/a/text-answers');
    };
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    // the connection drops: the answer may have been made
    const first = await write('I am sorry, let me check your order.');
    expect(first.request.body.text).toBe('I am sorry, let me check your order.');
    expect(first.request.body.submissionId).toMatch(uuid);
    first.error(new ProgressEvent('error'), { status: 0, statusText: '' });
    await settle();
    // sent again: the same submission
    const again = await write('I am sorry, let me check your order.');
    expect(again.request.body.submissionId).toBe(first.request.body.submissionId);
    again.flush(
      { status: 503, code: 'unavailable', message: 'The service is unavailable' },
      { status: 503, statusText: 'Unavailable' },
    );
    await settle();
    // the text changed: another submission
    const changed = await write('I am sorry. Let me check your order now.');
    expect(changed.request.body.submissionId).toMatch(uuid);
    expect(changed.request.body.submissionId).not.toBe(first.request.body.submissionId);
    const answered: AnswerSummary = {
      id: 'n1',
      courseId: 'c1',
      courseVersion: 1,
      exerciseId: 'a',
      exerciseTitle: 'Exercise a',
      attempt: 1,
      answerType: 'text',
      text: 'I am sorry. Let me check your order now.',
      submittedAt: '2026-12-07T09:00:00.000Z',
      exercise: exercise('a', ['coach']),
      recording: null,
    };
    changed.flush(answered);
    await settle();
    http.expectOne('/api/my/courses/c1').flush(course);
    await settle();
    // the next text, even the same words, is a new answer: a new submission
    const next = await write('I am sorry. Let me check your order now.');
    expect(next.request.body.submissionId).toMatch(uuid);
    expect(next.request.body.submissionId).not.toBe(changed.request.body.submissionId);
    next.flush({ ...answered, id: 'n2', attempt: 2 });
    await settle();
    http.expectOne('/api/my/courses/c1').flush(course);
    await settle();
  });
});
