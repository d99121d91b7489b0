import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideRouter } from '@angular/router';
import type { LearnerCourse, LearnerExercise } from '@rehearse/shared/contracts';
import { LearnerCoursePage } from './course.page';

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
});
