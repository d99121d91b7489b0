import { UNLOAD_TARGET } from '../../core/unsaved-work';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideRouter } from '@angular/router';
import type { AnswerSummary, ReviewComment, ReviewContext } from '@rehearse/shared/contracts';
import { By } from '@angular/platform-browser';
import { AnswerMedia } from './answer-media';
import { settle } from '../../../testing/page-testing';
import { AUTOSAVE_DELAY_MS, ReviewPage } from './review.page';
import { TRANSCRIBED_RECORDING as RECORDING } from '../../../testing/recording';

const EMPATHY = {
  id: 'c1',
  title: 'Empathy',
  description: 'Acknowledges feelings',
  weight: 2,
  levels: [1, 2, 3, 4, 5].map((score) => ({ score, descriptor: `Empathy level ${score}` })),
};
const STRUCTURE = {
  id: 'c2',
  title: 'Structure',
  description: '',
  weight: 1,
  levels: [1, 3, 5].map((score) => ({ score, descriptor: `Structure level ${score}` })),
};
const ANSWER = {
  id: 'a1',
  courseId: 'k1',
  courseVersion: 1,
  exerciseId: 'e1',
  exerciseTitle: 'The angry customer',
  attempt: 1,
  answerType: 'text',
  text: 'I understand. Let me check.',
  submittedAt: '2026-11-20T10:00:00Z',
  recording: null,
  exercise: {
    id: 'e1',
    title: 'The angry customer',
    instructionsHtml: '',
    prompt: 'My order is late!',
    promptMediaId: null,
    answerType: 'text',
    preparationSeconds: 0,
    maxAnswerSeconds: 60,
    attemptsAllowed: 1,
    attemptsUsed: 1,
    testKind: 'practice',
    feedback: ['coach'],
    rubric: null,
    answered: true,
    feedbackReceived: false,
  },
} as unknown as AnswerSummary;
const CONTEXT: ReviewContext = {
  answer: ANSWER,
  participantId: 'u1',
  participantName: 'Pim',
  role: 'coach',
  criteria: [EMPATHY, STRUCTURE],
  markerTags: ['empathy', 'interrupts'],
  review: null,
  aiMarkers: [{ key: 'filler:0', kind: 'filler', at: 1.5, end: 1.8, label: 'Filler “um”', decision: 'proposed' }],
  aiProposed: [{ criterionId: 'c2', score: 3, basis: ['fillers', 'pauses'], passed: 1 }],
  otherReviews: [],
};

describe('ReviewPage', () => {
  let fixture: ComponentFixture<ReviewPage>;
  let http: HttpTestingController;
  let el: HTMLElement;
  const radio = (label: string) =>
    Array.from(el.querySelectorAll<HTMLInputElement>('mat-radio-button input')).find((i) =>
      i.closest('mat-radio-button')?.textContent?.includes(label),
    )!;
  const button = (text: string) =>
    Array.from(el.querySelectorAll<HTMLButtonElement>('button')).find((b) => b.textContent?.trim() === text)!;

  // the tab's closing, heard on a target of the test's own (Karma takes one on its window for a reload)
  const tab = new EventTarget();
  beforeEach(async () => {
    await TestBed.configureTestingModule({
      imports: [ReviewPage],
      providers: [
        provideZonelessChangeDetection(),
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        { provide: AUTOSAVE_DELAY_MS, useValue: 0 },
        { provide: UNLOAD_TARGET, useValue: tab },
      ],
    }).compileComponents();
    fixture = TestBed.createComponent(ReviewPage);
    fixture.componentRef.setInput('id', 'a1');
    http = TestBed.inject(HttpTestingController);
    el = fixture.nativeElement;
    fixture.detectChanges();
    await settle();
    http.expectOne('/api/answers/a1/review').flush(CONTEXT);
    await settle();
  });
  afterEach(() => http.verify());

  it('shows every criterion with its level descriptors, the AI suggestion and the weighted total', async () => {
    expect(el.querySelector('h1')?.textContent).toContain('Coach review: The angry customer');
    expect(el.textContent).toContain('Empathy level 4');
    expect(el.textContent).toContain('Structure level 5');
    // and what it rests on: how many of the measurements linked to the criterion were within their aims, and which
    expect(el.querySelector('.ai-hint')?.textContent?.trim()).toBe(
      'AI suggests 3: 1 of 2 linked measurements within their aims (filler words, pauses); your score counts',
    );
    expect(el.querySelector('.total')?.textContent).toContain('—');
    radio('Empathy level 4').click();
    radio('Structure level 5').click();
    await settle();
    expect(el.querySelector('.total')?.textContent).toContain('4.33');
    // both changes autosave: the first save has no revision, the next one names it
    const first = http.expectOne((r) => r.method === 'PUT' && r.url === '/api/answers/a1/review');
    expect(first.request.body.revision).toBeUndefined();
    first.flush({ ...first.request.body, id: 'r1', revision: 1, state: 'draft' });
    await settle();
    const rest = http.match((r) => r.method === 'PUT');
    for (const r of rest) {
      expect(r.request.body.revision).toBe(1);
      r.flush({ id: 'r1', revision: 2, state: 'draft' });
    }
    await settle();
    expect(el.querySelector('[role=status]')?.textContent).toContain('Draft saved');
  });

  it('adds a tagged comment, decides on an AI finding and saves both', async () => {
    const input = el.querySelector<HTMLInputElement>('input[name=comment]')!;
    expect(fixture.componentInstance.hasUnsavedWork()).toBeFalse();
    input.value = 'Good acknowledgement';
    input.dispatchEvent(new Event('input'));
    await settle();
    // written and not added yet: leaving would lose it, so the app's guard and the browser ask first
    expect(fixture.componentInstance.hasUnsavedWork()).toBeTrue();
    const closing = new Event('beforeunload', { cancelable: true });
    tab.dispatchEvent(closing);
    expect(closing.defaultPrevented).toBeTrue();
    button('Add').click();
    await settle();
    expect(el.querySelector('.comments')?.textContent).toContain('Good acknowledgement');
    button('Accept').click();
    await settle();
    const saves = http.match((r) => r.method === 'PUT');
    expect(saves.length).toBeGreaterThan(0);
    const last = saves[saves.length - 1].request.body;
    saves.forEach((s, i) => s.flush({ id: 'r1', revision: i + 1, state: 'draft' }));
    await settle();
    http.match((r) => r.method === 'PUT').forEach((s) => s.flush({ id: 'r1', revision: 9, state: 'draft' }));
    expect(last.comments).toEqual([{ at: 0, text: 'Good acknowledgement', tag: null, aiFinding: null }]);
    expect(el.textContent).toContain('accepted');
  });

  it('a comment keeps the moment its writing began: the answer stops at the first letter and plays on once it is added', async () => {
    // the same page for a recorded answer, its player standing in for the browser's playback
    fixture.componentRef.setInput('id', 'a3');
    TestBed.tick();
    http
      .expectOne('/api/answers/a3/review')
      .flush({ ...CONTEXT, answer: { ...ANSWER, id: 'a3', answerType: 'audio', text: null, recording: RECORDING } });
    await settle();
    http
      .expectOne('/api/recordings/rec1/transcript')
      .flush({ words: [], segments: [], engine: 'whisper.cpp', model: 'ggml-tiny.en.bin', language: 'en' });
    await settle();
    const audio = el.querySelector<HTMLAudioElement>('audio')!;
    let playing = true;
    let position = 4.2;
    Object.defineProperty(audio, 'paused', { get: () => !playing });
    Object.defineProperty(audio, 'currentTime', { get: () => position, set: (v: number) => (position = v) });
    audio.pause = () => void (playing = false);
    audio.play = () => ((playing = true), Promise.resolve());
    audio.dispatchEvent(new Event('timeupdate'));
    await settle();
    const input = el.querySelector<HTMLInputElement>('input[name=comment]')!;
    input.value = 'G';
    input.dispatchEvent(new Event('input'));
    await settle();
    expect(playing).toBeFalse();
    expect(el.querySelector('mat-label')?.textContent).toContain('Comment at 0:04');
    // writing takes a while: an answer still playing would be 5 s further on by the time it is added
    if (playing) position += 5;
    audio.dispatchEvent(new Event('timeupdate'));
    input.value = 'Good acknowledgement of the delay';
    input.dispatchEvent(new Event('input'));
    await settle();
    button('Add').click();
    await settle();
    expect(playing).toBeTrue();
    const saves = http.match((r) => r.method === 'PUT');
    expect(saves[saves.length - 1].request.body.comments).toEqual([
      { at: 4.2, text: 'Good acknowledgement of the delay', tag: null, aiFinding: null },
    ]);
    saves.forEach((r, i) => r.flush({ id: 'r1', revision: i + 1, state: 'draft' }));
    await settle();
    // a comment begun while the answer stands still leaves it still
    playing = false;
    input.value = 'Pause here';
    input.dispatchEvent(new Event('input'));
    await settle();
    button('Add').click();
    await settle();
    expect(playing).toBeFalse();
    http.match((r) => r.method === 'PUT').forEach((r) => r.flush({ id: 'r1', revision: 9, state: 'draft' }));
    // (the test's audio has nothing to play: its player asks why, as it would of a real failure)
    http.match('/api/recordings/rec1/content').forEach((r) => r.flush(''));
  });

  it("changes a comment's words and tag in place, keeping its moment; Escape or Cancel leaves them; an open change goes with Publish", async () => {
    const draft = {
      ...CONTEXT,
      review: {
        id: 'r1',
        answerId: 'a1',
        source: 'coach',
        state: 'draft',
        reviewerId: 'c1',
        reviewerName: 'Cora',
        scores: { c1: 4, c2: 5 },
        total: 4.33,
        summary: '',
        comments: [
          { at: 2.4, text: 'Good acknowlegement', tag: 'empathy', aiFinding: null },
          { at: 7, text: 'Interrupts', tag: null, aiFinding: null },
        ],
        revision: 3,
        dueAt: null,
        publishedAt: null,
        updatedAt: '2026-11-21T10:00:00Z',
      } as ReviewContext['review'],
    };
    fixture.componentRef.setInput('id', 'a4');
    TestBed.tick();
    http.expectOne('/api/answers/a4/review').flush({ ...draft, answer: { ...ANSWER, id: 'a4' } });
    await settle();
    const editButton = (at: string) =>
      el.querySelector<HTMLButtonElement>(`button[aria-label="Edit comment at ${at}"]`)!;
    const editInput = () => el.querySelector<HTMLInputElement>('input[name=editComment]');
    editButton('0:02').click();
    await settle();
    expect(editInput()?.value).toBe('Good acknowlegement');
    expect(document.activeElement).toBe(editInput());
    editInput()!.value = 'Good acknowledgement';
    editInput()!.dispatchEvent(new Event('input'));
    await settle();
    // its tag too: the organisation's tags to choose from
    (el.querySelector('mat-select[name=editTag]') as HTMLElement).click();
    await settle();
    (
      Array.from(document.querySelectorAll('mat-option')).find(
        (o) => o.textContent?.trim() === 'interrupts',
      ) as HTMLElement
    ).click();
    await settle();
    button('Save').click();
    await settle();
    expect(editInput()).toBeNull();
    const saved = http.expectOne((r) => r.method === 'PUT');
    expect(saved.request.body.revision).toBe(3);
    expect(saved.request.body.comments).toEqual([
      { at: 2.4, text: 'Good acknowledgement', tag: 'interrupts', aiFinding: null },
      { at: 7, text: 'Interrupts', tag: null, aiFinding: null },
    ]);
    saved.flush({ id: 'r1', revision: 4, state: 'draft' });
    await settle();
    // Escape leaves the words as they were, and nothing is saved
    editButton('0:07').click();
    await settle();
    editInput()!.value = 'Interrupts twice';
    editInput()!.dispatchEvent(new Event('input'));
    editInput()!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    await settle();
    expect(editInput()).toBeNull();
    expect(el.querySelector('.comments')?.textContent).toContain('Interrupts');
    expect(el.querySelector('.comments')?.textContent).not.toContain('twice');
    http.expectNone((r) => r.method === 'PUT');
    // a change still open when the coach publishes is part of what is published
    editButton('0:07').click();
    await settle();
    editInput()!.value = 'Interrupts the customer twice';
    editInput()!.dispatchEvent(new Event('input'));
    await settle();
    button('Publish feedback').click();
    await settle();
    const last = http.expectOne((r) => r.method === 'PUT');
    expect(last.request.body.comments[1]).toEqual({
      at: 7,
      text: 'Interrupts the customer twice',
      tag: null,
      aiFinding: null,
    });
    last.flush({ id: 'r1', revision: 5, state: 'draft' });
    await settle();
    http
      .expectOne('/api/answers/a4/review/publish')
      .flush({ ...draft.review, comments: last.request.body.comments, revision: 6, state: 'published' });
    await settle();
    expect(el.querySelector('.comments')?.textContent).toContain('Interrupts the customer twice');
    expect(el.querySelector('button[aria-label^="Edit comment"]')).toBeNull();
    // (the next answer waiting: the next test's concern)
    http.expectOne((r) => r.url === '/api/coaching/reviews').flush({ items: [], total: 0, page: 1, pageSize: 2 });
  });

  it('shows what the trainee and their peers noted, each comment at its moment and on the timeline', async () => {
    const other = (source: 'self' | 'peer', comments: ReviewComment[]) =>
      ({
        id: `r-${source}`,
        answerId: 'a6',
        source,
        state: 'published',
        reviewerId: source,
        reviewerName: source === 'peer' ? 'Sam' : 'Pim',
        scores: {},
        total: 3,
        summary: `${source} summary`,
        comments,
        revision: 1,
        dueAt: null,
        publishedAt: '2026-11-21T10:00:00Z',
        updatedAt: '2026-11-21T10:00:00Z',
      }) as ReviewContext['otherReviews'][number];
    fixture.componentRef.setInput('id', 'a6');
    TestBed.tick();
    http.expectOne('/api/answers/a6/review').flush({
      ...CONTEXT,
      answer: { ...ANSWER, id: 'a6', answerType: 'audio', text: null, recording: RECORDING },
      otherReviews: [
        other('self', [{ at: 4, text: 'I rushed here', tag: null, aiFinding: null }]),
        other('peer', [{ at: 9.5, text: 'Good close', tag: 'empathy', aiFinding: null }]),
      ],
    });
    await settle();
    http
      .match('/api/recordings/rec1/transcript')
      .forEach((r) =>
        r.flush({ words: [], segments: [], engine: 'whisper.cpp', model: 'ggml-tiny.en.bin', language: 'en' }),
      );
    await settle();
    const rows = Array.from(el.querySelectorAll('.others li')).map((li) => [
      li.querySelector('button')?.textContent?.trim(),
      li.querySelector('.grow')?.textContent,
    ]);
    expect(rows).toEqual([
      ['0:04', 'I rushed here'],
      ['0:09', 'empathy Good close'],
    ]);
    const marks = Array.from(el.querySelectorAll('.timeline .marker')).map((m) => m.getAttribute('aria-label'));
    expect(marks).toContain('0:04 Self-assessment: I rushed here');
    expect(marks).toContain('0:09 Peer Sam: Good close');
    const player = fixture.debugElement.query(By.directive(AnswerMedia)).componentInstance as AnswerMedia;
    const seek = spyOn(player, 'seek');
    el.querySelector<HTMLButtonElement>('.others button[aria-label="Play from 0:09"]')?.click();
    expect(seek).toHaveBeenCalledWith(9.5);
    http.match('/api/recordings/rec1/content').forEach((r) => r.flush(''));
  });

  it('a review refused says why and leads home; one the server could not load offers to try again', async () => {
    fixture.componentRef.setInput('id', 'a7');
    TestBed.tick();
    http
      .expectOne('/api/answers/a7/review')
      .flush(
        { code: 'conflict', message: 'This exercise does not take feedback from coaches' },
        { status: 409, statusText: 'Conflict' },
      );
    await settle();
    expect(el.querySelector('[role=alert]')?.textContent).toContain(
      'This exercise does not take feedback from coaches',
    );
    expect(el.querySelector('button')).toBeNull();
    expect(el.querySelector('a[href="/"]')?.textContent).toContain('Back to your home page');
    fixture.componentRef.setInput('id', 'a8');
    TestBed.tick();
    http
      .expectOne('/api/answers/a8/review')
      .flush({ code: 'unavailable', message: 'Try again in a moment' }, { status: 503, statusText: 'Unavailable' });
    await settle();
    button('Try again').click();
    await settle();
    http.expectOne('/api/answers/a8/review').flush({ ...CONTEXT, answer: { ...ANSWER, id: 'a8' } });
    await settle();
    expect(el.querySelector('h1')?.textContent).toContain('Coach review');
  });

  it('an answer that is not there, or an id mistyped, says so once in the page’s words (the heading and the server’s “Answer not found” said it twice)', async () => {
    fixture.componentRef.setInput('id', 'a9');
    TestBed.tick();
    http
      .expectOne('/api/answers/a9/review')
      .flush({ code: 'not_found', message: 'Answer not found' }, { status: 404, statusText: 'Not Found' });
    await settle();
    expect(el.querySelector('h1')?.textContent?.trim()).toBe('Answer not found');
    expect(el.querySelector('[role=alert]')?.textContent?.trim()).toBe('No such answer, or it is not yours to review.');
    fixture.componentRef.setInput('id', 'not-an-id');
    TestBed.tick();
    http.expectOne('/api/answers/not-an-id/review').flush(
      {
        code: 'validation_failed',
        message: 'The request is not valid',
        errors: [{ field: 'id', messages: ['id must be a UUID'] }],
      },
      { status: 400, statusText: 'Bad Request' },
    );
    await settle();
    expect(el.querySelector('h1')?.textContent?.trim()).toBe('Answer not found');
    expect(el.textContent).not.toContain('The request is not valid');
    expect(el.querySelector('a[href="/"]')?.textContent).toContain('Back to your home page');
  });

  it('tells the reviewer when the draft changed elsewhere and offers to reload', async () => {
    radio('Empathy level 2').click();
    await settle();
    http
      .expectOne((r) => r.method === 'PUT')
      .flush({ statusCode: 409, code: 'conflict', message: 'stale' }, { status: 409, statusText: 'Conflict' });
    await settle();
    expect(el.querySelector('[role=status]')?.textContent).toContain('changed elsewhere');
    button('Reload').click();
    await settle();
    http.expectOne('/api/answers/a1/review').flush(CONTEXT);
    await settle();
    expect(el.querySelector('[role=status]')?.textContent?.trim()).toBe('');
  });

  it('following a link to another answer shows that one; what was not saved yet goes to the answer it was made on', async () => {
    radio('Empathy level 3').click();
    // another answer before the autosave ran: the change is saved at once, to the first answer
    fixture.componentRef.setInput('id', 'a2');
    TestBed.tick();
    const saved = http.expectOne((r) => r.method === 'PUT');
    await settle();
    expect(saved.request.url).toBe('/api/answers/a1/review');
    expect(saved.request.body.scores).toEqual({ c1: 3 });
    const other = {
      ...CONTEXT,
      answer: { ...ANSWER, id: 'a2', exerciseTitle: 'The second call' },
      participantName: 'Rik',
      review: null,
    };
    http.expectOne('/api/answers/a2/review').flush(other);
    // the first answer's save answers after the second answer is on screen: it changes nothing there
    saved.flush({ id: 'r1', revision: 1, state: 'draft' });
    await settle();
    expect(el.querySelector('h1')?.textContent).toContain('Coach review: The second call');
    expect(el.textContent).toContain('Rik');
    expect(el.querySelector('.total')?.textContent).toContain('—');
    expect(el.querySelector('[role=status]')?.textContent?.trim()).toBe('');
    // a change here saves to the second answer, as a first save (no revision)
    radio('Empathy level 5').click();
    await settle();
    const next = http.expectOne((r) => r.method === 'PUT');
    expect(next.request.url).toBe('/api/answers/a2/review');
    expect(next.request.body.revision).toBeUndefined();
    next.flush({ id: 'r2', revision: 1, state: 'draft' });
    await settle();
  });

  /** Scores every criterion, lets the autosaves answer, and publishes (answered as published). */
  const publishNow = async () => {
    radio('Empathy level 5').click();
    radio('Structure level 5').click();
    await settle();
    http.match((r) => r.method === 'PUT').forEach((r) => r.flush({ id: 'r1', revision: 1, state: 'draft' }));
    await settle();
    http.match((r) => r.method === 'PUT').forEach((r) => r.flush({ id: 'r1', revision: 2, state: 'draft' }));
    await settle();
    button('Publish feedback').click();
    await settle();
    http
      .expectOne((r) => r.url.endsWith('/review/publish'))
      .flush({ id: 'r1', revision: 3, state: 'published', comments: [] });
    await settle();
  };

  it("once published, offers the next answer waiting in the coach's queue (of the course the queue showed), or says none waits", async () => {
    const item = (answerId: string, participantName: string) => ({
      answerId,
      participantId: 'p',
      participantName,
      groupName: null,
      courseId: 'k1',
      courseTitle: 'Calls',
      exerciseTitle: 'The second call',
      attempt: 1,
      answerType: 'audio',
      submittedAt: '2026-11-20T10:00:00Z',
      dueOn: null,
      drafted: false,
    });
    await publishNow();
    // the queue's first answer alone: the queue logs a look at each answer it lists
    http
      .expectOne(
        (r) =>
          r.url === '/api/coaching/reviews' &&
          r.params.get('page') === '1' &&
          r.params.get('pageSize') === '1' &&
          !r.params.has('courseId'),
      )
      .flush({ items: [item('a9', 'Rik')], total: 1, page: 1, pageSize: 1 });
    await settle();
    const next = Array.from(el.querySelectorAll<HTMLAnchorElement>('.next a')).map((a) => [
      a.textContent?.trim(),
      a.getAttribute('href'),
    ]);
    expect(next).toEqual([
      ['Next answer: Rik, The second call', '/review/a9'],
      ['Back to the queue', '/coaching/reviews'],
    ]);
    // from one course's queue: the next of that course, and back to it
    fixture.componentRef.setInput('courseId', 'k1');
    fixture.componentRef.setInput('id', 'a5');
    TestBed.tick();
    http.expectOne('/api/answers/a5/review').flush({ ...CONTEXT, answer: { ...ANSWER, id: 'a5' } });
    await settle();
    expect(el.querySelector('.next')).toBeNull();
    await publishNow();
    http
      .expectOne((r) => r.url === '/api/coaching/reviews' && r.params.get('courseId') === 'k1')
      .flush({ items: [], total: 0, page: 1, pageSize: 2 });
    await settle();
    expect(el.querySelector('.next')?.textContent).toContain('Nothing else is waiting for your feedback.');
    expect(el.querySelector('.next a')?.getAttribute('href')).toBe('/coaching/reviews?courseId=k1');
  });

  it("a peer's published review leads back to their peer reviews (no coach's queue is asked)", async () => {
    fixture.componentRef.setInput('id', 'a10');
    TestBed.tick();
    http.expectOne('/api/answers/a10/review').flush({ ...CONTEXT, role: 'peer', answer: { ...ANSWER, id: 'a10' } });
    await settle();
    await publishNow();
    expect(el.querySelector('.next a')?.getAttribute('href')).toBe('/peer-reviews');
    http.expectNone((r) => r.url === '/api/coaching/reviews');
  });

  it('shows why publishing was refused', async () => {
    radio('Empathy level 5').click();
    await settle();
    http.expectOne((r) => r.method === 'PUT').flush({ id: 'r1', revision: 1, state: 'draft' });
    await settle();
    button('Publish feedback').click();
    await settle();
    http.expectOne('/api/answers/a1/review/publish').flush(
      {
        statusCode: 400,
        code: 'validation_failed',
        message: 'Score every criterion before publishing',
        errors: [{ field: 'scores.c2', messages: ['“Structure” needs a score'] }],
      },
      { status: 400, statusText: 'Bad Request' },
    );
    await settle();
    expect(el.querySelector('[role=alert]')?.textContent).toContain('“Structure” needs a score');
  });

  it('a published review says which AI findings were used: accepted, dismissed, or left undecided and not used', async () => {
    const published: ReviewContext = {
      ...CONTEXT,
      aiMarkers: [
        { key: 'filler:0', kind: 'filler', at: 1.5, end: 1.8, label: 'Filler “um”', decision: 'accepted' },
        { key: 'pause:0', kind: 'pause', at: 3, end: 5.5, label: 'Pause of 2.5 s', decision: 'proposed' },
      ],
      review: {
        id: 'r1',
        answerId: 'a1',
        source: 'coach',
        state: 'published',
        reviewerId: 'c1',
        reviewerName: 'Cora',
        scores: { c1: 4, c2: 5 },
        total: 4.33,
        summary: 'Well done.',
        comments: [{ at: 1.5, text: 'Filler “um”', tag: null, aiFinding: 'filler:0' }],
        revision: 3,
        dueAt: null,
        publishedAt: '2026-11-21T10:00:00Z',
        updatedAt: '2026-11-21T10:00:00Z',
      } as ReviewContext['review'],
    };
    fixture.componentRef.setInput('id', 'a3');
    TestBed.tick();
    await settle();
    http.expectOne('/api/answers/a3/review').flush(published);
    await settle();
    const rows = Array.from(el.querySelectorAll('.ai-row')).map((r) =>
      Array.from(r.children)
        .map((c) => c.textContent?.trim())
        .join(' '),
    );
    expect(rows).toEqual(['0:01 Filler “um” accepted', '0:03 Pause of 2.5 s not used']);
    // nothing left to decide
    expect(el.querySelector('.ai-row button:not(:first-child)')).toBeNull();
  });
});
