import { UNLOAD_TARGET } from '../../core/unsaved-work';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideRouter, Router } from '@angular/router';
import type { CourseDetail } from '@rehearse/shared/contracts';
import { RecordingsApi, type UploadHandle } from '@rehearse/web/data-access';
import { CourseEditorPage, newExercise } from './course-editor.page';

function detail(): CourseDetail {
  const a = { ...newExercise(), id: 'e1', title: 'First' };
  const b = { ...newExercise(), id: 'e2', title: 'Second' };
  return {
    id: 'c1',
    title: 'Course',
    language: 'en',
    status: 'draft',
    hasDraft: true,
    publishedVersion: null,
    exerciseCount: 2,
    hasCover: false,
    updatedAt: '2026-11-22T00:00:00Z',
    draft: {
      versionId: 'v1',
      version: 1,
      revision: 7,
      content: {
        title: 'Course',
        description: '',
        language: 'en',
        modules: [
          { id: 'm1', title: 'Module one', exercises: [a, b] },
          { id: 'm2', title: 'Module two', exercises: [] },
        ],
      },
    },
    published: null,
    versions: [{ id: 'v1', version: 1, state: 'draft', changeSummary: null, publishedAt: null, publishedByName: null }],
  };
}

describe('CourseEditorPage', () => {
  let fixture: ComponentFixture<CourseEditorPage>;
  let http: HttpTestingController;
  let el: HTMLElement;
  const settle = async () => {
    await new Promise((r) => setTimeout(r));
    await fixture.whenStable();
  };
  const button = (label: string) => el.querySelector<HTMLButtonElement>(`button[aria-label="${label}"]`)!;
  const byText = (text: string) =>
    Array.from(el.querySelectorAll('button')).find((b) => b.textContent?.trim().startsWith(text))!;

  beforeEach(async () => {
    tab = new EventTarget();
    await TestBed.configureTestingModule({
      imports: [CourseEditorPage],
      providers: [
        provideZonelessChangeDetection(),
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        { provide: UNLOAD_TARGET, useValue: tab },
      ],
    }).compileComponents();
    fixture = TestBed.createComponent(CourseEditorPage);
    fixture.componentRef.setInput('id', 'c1');
    http = TestBed.inject(HttpTestingController);
    el = fixture.nativeElement;
    fixture.detectChanges();
    http.expectOne('/api/authoring/courses/c1').flush(detail());
    http.expectOne((r) => r.url === '/api/authoring/rubrics').flush({ items: [], total: 0, page: 1, pageSize: 100 });
    await settle();
  });
  afterEach(() => http.verify());

  /** the tab's closing, heard on a target of the test's own (Karma takes one on its window for a reload) */
  let tab: EventTarget;
  /** whether the browser would ask before the tab closes */
  const closingTheTabAsks = () => {
    const event = new Event('beforeunload', { cancelable: true });
    tab.dispatchEvent(event);
    return event.defaultPrevented;
  };

  it('reorders exercises with the keyboard and saves the new order with the draft revision', async () => {
    expect(Array.from(el.querySelectorAll('.exercise-title')).map((x) => x.textContent?.trim())).toEqual([
      'First',
      'Second',
    ]);
    button('Move Second up').click();
    await settle();
    expect(Array.from(el.querySelectorAll('.exercise-title')).map((x) => x.textContent?.trim())).toEqual([
      'Second',
      'First',
    ]);
    expect(el.textContent).toContain('unsaved changes');
    // leaving now would lose them: the app's guard and the browser ask first
    expect(fixture.componentInstance.hasUnsavedWork()).toBeTrue();
    expect(closingTheTabAsks()).toBeTrue();
    byText('Save draft').click();
    const req = http.expectOne('/api/authoring/courses/c1/draft');
    expect(req.request.method).toBe('PUT');
    expect(req.request.body.revision).toBe(7);
    expect(req.request.body.content.modules[0].exercises.map((e: { id: string }) => e.id)).toEqual(['e2', 'e1']);
    const saved = detail();
    saved.draft!.revision = 8;
    saved.draft!.content.modules[0].exercises.reverse();
    req.flush(saved);
    await settle();
    expect(el.textContent).toContain('Draft saved.');
    expect(el.textContent).not.toContain('unsaved changes');
    expect(fixture.componentInstance.hasUnsavedWork()).toBeFalse();
    expect(closingTheTabAsks()).toBeFalse();
  });

  it('explains a conflicting save and offers to reload', async () => {
    button('Move Second up').click();
    await settle();
    byText('Save draft').click();
    http
      .expectOne('/api/authoring/courses/c1/draft')
      .flush(
        { code: 'conflict', message: 'Someone else saved this course meanwhile' },
        { status: 409, statusText: 'Conflict' },
      );
    await settle();
    expect(el.querySelector('[role=alert]')?.textContent).toContain('Someone else saved this course meanwhile');
    expect(byText('Reload the course')).toBeTruthy();
  });

  it('adds a module and an exercise, and edits the selected exercise', async () => {
    byText('Add module').click();
    await settle();
    expect(el.querySelectorAll('.module').length).toBe(3);
    const addExercise = Array.from(el.querySelectorAll('button')).filter(
      (b) => b.textContent?.trim() === 'Add exercise',
    )[1];
    addExercise.click();
    await settle();
    expect(el.textContent).toContain('AI coach');
    const title = el.querySelector<HTMLInputElement>('input[name=title]')!;
    expect(title.value).toBe('New exercise');
    // the prompt's upload label reads as words (its parts were once glued: "Uploada video or audio file")
    expect(el.querySelector('.file-pick')?.textContent?.replace(/\s+/g, ' ')).toContain('Upload a video or audio file');
  });

  it('a prompt the server could not store for now is handed over again by its id, not uploaded again', async () => {
    const uploads = spyOn(TestBed.inject(RecordingsApi), 'upload').and.returnValue({
      done: Promise.resolve('upload-1'),
      abort: () => undefined,
    } as UploadHandle);
    const page = fixture.componentInstance as unknown as {
      uploadPrompt(e: unknown, f: File): Promise<void>;
      promptError(): string | null;
    };
    const exercise = detail().draft!.content.modules[0].exercises[0];
    // the same file chosen again from the disk is a new File with the same name, size and date
    const choose = () => new File(['prompt'], 'prompt.mp4', { type: 'video/mp4', lastModified: 1_765_000_000_000 });
    const first = page.uploadPrompt(exercise, choose());
    await settle();
    http
      .expectOne('/api/authoring/prompt-media')
      .flush(
        { code: 'unavailable', message: 'The server is short of disk space just now; try again later' },
        { status: 507, statusText: 'Insufficient Storage' },
      );
    await first;
    await settle();
    expect(page.promptError()).toContain('short of disk space');
    const second = page.uploadPrompt(exercise, choose());
    await settle();
    const again = http.expectOne('/api/authoring/prompt-media');
    expect(again.request.body).toEqual({ courseId: 'c1', uploadId: 'upload-1' });
    again.flush({ id: 'media-1' });
    await second;
    expect(uploads.calls.count()).toBe(1);
    expect(exercise.promptMediaId).toBe('media-1');
  });

  it('publishes with a change summary', async () => {
    const summary = el.querySelector<HTMLTextAreaElement>('textarea[name=summary]')!;
    summary.value = 'First version';
    summary.dispatchEvent(new Event('input'));
    await settle();
    byText('Publish version 1').click();
    const req = http.expectOne('/api/authoring/courses/c1/publish');
    expect(req.request.body).toEqual({ changeSummary: 'First version' });
    const published = detail();
    published.status = 'published';
    published.publishedVersion = 1;
    req.flush(published);
    await settle();
    expect(el.textContent).toContain('Published version 1');
  });

  it('sets peer review, self-assessment first and AI links on an exercise, and saves them with the draft', async () => {
    const addExercise = Array.from(el.querySelectorAll('button')).filter(
      (b) => b.textContent?.trim() === 'Add exercise',
    )[0];
    addExercise.click();
    await settle();
    expect(el.querySelector('input[name=peerN]')).toBeNull();
    el.querySelector<HTMLInputElement>('input[name=fb-peer]')!.click();
    el.querySelector<HTMLInputElement>('input[name=fb-self]')!.click();
    await settle();
    const n = el.querySelector<HTMLInputElement>('input[name=peerN]')!;
    expect(n.value).toBe('2');
    n.value = '3';
    n.dispatchEvent(new Event('input'));
    el.querySelector<HTMLInputElement>('input[name=selfFirst]')!.click();
    await settle();
    const editor = fixture.componentInstance;
    const exercise = editor['content']()!.modules[0].exercises[2];
    editor.setLinks(exercise, 'crit-1', ['fillers', 'pauses']);
    editor.setLinks(exercise, 'crit-2', ['sentiment']);
    editor.setLinks(exercise, 'crit-2', []);
    byText('Save draft').click();
    const req = http.expectOne('/api/authoring/courses/c1/draft');
    const saved = req.request.body.content.modules[0].exercises[2];
    expect(saved.feedback).toEqual(jasmine.arrayContaining(['peer', 'self']));
    expect(saved.peerReview).toEqual({ reviewers: 3, dueDays: 7, criterionIds: [] });
    expect(saved.selfAssessmentFirst).toBe(true);
    expect(saved.ai.criterionLinks).toEqual([{ criterionId: 'crit-1', metrics: ['fillers', 'pauses'] }]);
    req.flush(detail());
    await settle();
  });

  it('after Duplicate shows the copy, and saves go to the copy with its own revision', async () => {
    // the router keeps this page for /authoring/courses/<copy> and changes its id
    spyOn(TestBed.inject(Router), 'navigate').and.callFake(async (commands: readonly unknown[]) => {
      fixture.componentRef.setInput('id', commands[1] as string);
      return true;
    });
    button('Move Second up').click();
    await settle();
    byText('Duplicate').click();
    const copy = detail();
    copy.id = 'c2';
    copy.title = 'Course (copy)';
    copy.draft!.content.title = 'Course (copy)';
    copy.draft!.revision = 1;
    http.expectOne('/api/authoring/courses/c1/duplicate').flush(copy);
    // (the copy's request is a pending task until answered: whenStable would wait for this test)
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 5));
      TestBed.tick();
    }
    http.expectOne('/api/authoring/courses/c2').flush(copy);
    await settle();
    expect(el.querySelector('h1')?.textContent).toContain('Course (copy)');
    // the original's unsaved reordering stayed with the original
    expect(el.textContent).not.toContain('unsaved changes');
    expect(Array.from(el.querySelectorAll('.exercise-title')).map((x) => x.textContent?.trim())).toEqual([
      'First',
      'Second',
    ]);
    button('Move Second up').click();
    await settle();
    byText('Save draft').click();
    const req = http.expectOne('/api/authoring/courses/c2/draft');
    expect(req.request.body.revision).toBe(1);
    req.flush(copy);
    await settle();
  });
});

describe('CourseEditorPage that cannot load its course', () => {
  it('says so instead of an empty page, and loads again on request', async () => {
    await TestBed.configureTestingModule({
      imports: [CourseEditorPage],
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    }).compileComponents();
    const fixture = TestBed.createComponent(CourseEditorPage);
    fixture.componentRef.setInput('id', 'c1');
    const http = TestBed.inject(HttpTestingController);
    const el: HTMLElement = fixture.nativeElement;
    const settle = async () => {
      for (let i = 0; i < 3; i++) {
        await new Promise((r) => setTimeout(r, 5));
        TestBed.tick();
      }
    };
    fixture.detectChanges();
    http.expectOne((r) => r.url === '/api/authoring/rubrics').flush({ items: [], total: 0, page: 1, pageSize: 100 });
    http
      .expectOne('/api/authoring/courses/c1')
      .flush({ code: 'unavailable', message: 'Try again in a moment' }, { status: 503, statusText: 'x' });
    await settle();
    expect(el.querySelector('[role=alert]')?.textContent).toContain('Try again in a moment');
    Array.from(el.querySelectorAll('button'))
      .find((b) => b.textContent?.includes('Try again'))!
      .click();
    await settle();
    http.expectOne('/api/authoring/courses/c1').flush(detail());
    await settle();
    expect(el.querySelectorAll('.exercise-title').length).toBe(2);
    http.verify();
  });
});
