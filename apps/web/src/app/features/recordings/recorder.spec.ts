import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { HttpErrorResponse, provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import type { AnswerSummary, LearnerExercise, Me } from '@rehearse/shared/contracts';
import { RecordingsApi, type UploadHandle } from '@rehearse/web/data-access';
import { of, Subject, throwError } from 'rxjs';
import { deviceProblem, KEEP_SESSION_EVERY_MS, Recorder, recorderMimeType, STALLED_AFTER_SECONDS } from './recorder';
import { KeptRecordings } from './kept-recordings';
import { SessionStore } from '../../core/session.store';
import { button, settle } from '../../../testing/page-testing';
import { snippetParts } from './transcript-search.page';

describe('recorder helpers', () => {
  it('records video as WebM when the browser can, audio only for audio exercises', () => {
    const chromium = (t: string) => t.startsWith('video/webm') || t.startsWith('audio/webm');
    expect(recorderMimeType(false, chromium)).toBe('video/webm;codecs=vp9,opus');
    expect(recorderMimeType(true, chromium)).toBe('audio/webm;codecs=opus');
    const safari = (t: string) => t === 'video/mp4' || t === 'audio/mp4';
    expect(recorderMimeType(false, safari)).toBe('video/mp4');
    expect(recorderMimeType(true, safari)).toBe('audio/mp4');
    expect(recorderMimeType(false, () => false)).toBe('');
  });

  it('explains denied permission and missing devices in words a trainee can act on', () => {
    expect(deviceProblem({ name: 'NotAllowedError' })).toMatch(/denied.*Allow it/);
    expect(deviceProblem({ name: 'NotFoundError' })).toMatch(/No camera or microphone/);
    expect(deviceProblem({ name: 'NotReadableError' })).toMatch(/in use by another application/);
    expect(deviceProblem(new Error('x'))).toMatch(/could not be started/);
  });

  it('splits a search snippet into text and matches without interpreting markup', () => {
    expect(snippetParts('ask «not» what <b>your</b> «country»')).toEqual([
      { text: 'ask ', match: false },
      { text: 'not', match: true },
      { text: ' what <b>your</b> ', match: false },
      { text: 'country', match: true },
    ]);
    expect(snippetParts('')).toEqual([]);
  });
});

/** A browser's recorder as some behave: nothing until stopped, or pieces handed in by the test. */
class FakeRecorder {
  static last: FakeRecorder | null = null;
  static isTypeSupported = () => true;
  state: 'inactive' | 'recording' = 'inactive';
  readonly mimeType = 'audio/webm';
  ondataavailable: ((ev: { data: Blob }) => void) | null = null;
  onstop: (() => void) | null = null;
  /** what stopping hands over last (an empty piece: the recorder recorded nothing) */
  onStopData = new Blob([]);
  constructor() {
    FakeRecorder.last = this;
  }
  start(): void {
    this.state = 'recording';
  }
  stop(): void {
    this.state = 'inactive';
    this.ondataavailable?.({ data: this.onStopData });
    this.onstop?.();
  }
}

describe('Recorder: a browser whose recorder records nothing', () => {
  let fixture: ComponentFixture<Recorder>;
  let el: HTMLElement;
  const realRecorder = window.MediaRecorder;
  const exercise = {
    id: 'ex-1',
    title: 'On the phone',
    instructionsHtml: '',
    prompt: null,
    promptMediaId: null,
    answerType: 'audio',
    preparationSeconds: 0,
    maxAnswerSeconds: 20,
    attemptsAllowed: 3,
    attemptsUsed: 0,
    testKind: 'practice',
    feedback: [],
    rubric: null,
    answered: false,
    feedbackReceived: false,
  } as unknown as LearnerExercise;

  beforeEach(async () => {
    (window as unknown as { MediaRecorder: unknown }).MediaRecorder = FakeRecorder;
    spyOn(navigator.mediaDevices, 'getUserMedia').and.callFake(
      async () => new AudioContext().createMediaStreamDestination().stream,
    );
    spyOn(navigator.mediaDevices, 'enumerateDevices').and.resolveTo([]);
    await TestBed.configureTestingModule({
      imports: [Recorder],
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting()],
    }).compileComponents();
    TestBed.inject(SessionStore).set({ id: 'pim', name: 'Pim', roles: [], permissions: [] } as unknown as Me);
    fixture = TestBed.createComponent(Recorder);
    fixture.componentRef.setInput('courseId', 'course-1');
    fixture.componentRef.setInput('exercise', exercise);
    el = fixture.nativeElement;
    fixture.detectChanges();
    await settle();
    button(el, 'Set up my microphone').click();
    await settle();
  });
  afterEach(async () => {
    jasmine.clock().uninstall();
    fixture.destroy();
    (window as unknown as { MediaRecorder: unknown }).MediaRecorder = realRecorder;
    await TestBed.inject(KeptRecordings).clear();
  });

  const alert = () => el.querySelector('[role=alert]')?.textContent ?? '';
  /** Records a take of two seconds the browser gives sound for (the clock mocked from here on). */
  const recordWithSound = () => {
    jasmine.clock().install();
    jasmine.clock().mockDate(new Date());
    button(el, 'Start').click();
    TestBed.tick();
    (FakeRecorder.last as FakeRecorder).onStopData = new Blob(['sound'], { type: 'audio/webm' });
    jasmine.clock().tick(2000);
    button(el, 'Stop').click();
    TestBed.tick();
  };

  it('says so while recording when no piece came after a few seconds, and no longer once one comes', () => {
    jasmine.clock().install();
    jasmine.clock().mockDate(new Date());
    button(el, 'Start').click();
    TestBed.tick();
    expect(el.textContent).toContain('Recording');
    jasmine.clock().tick((STALLED_AFTER_SECONDS - 1) * 1000);
    TestBed.tick();
    expect(alert()).toBe('');
    jasmine.clock().tick(1200);
    TestBed.tick();
    expect(alert()).toContain('Nothing has been recorded so far');
    FakeRecorder.last?.ondataavailable?.({ data: new Blob(['sound']) });
    TestBed.tick();
    expect(alert()).toBe('');
  });

  it('a long recording keeps its session every few minutes, as it makes no request of its own until it is sent', () => {
    fixture.componentRef.setInput('exercise', { ...exercise, maxAnswerSeconds: 900 });
    const http = TestBed.inject(HttpTestingController);
    jasmine.clock().install();
    jasmine.clock().mockDate(new Date());
    button(el, 'Start').click();
    TestBed.tick();
    jasmine.clock().tick(KEEP_SESSION_EVERY_MS - 1000);
    http.expectNone('/api/auth/me');
    jasmine.clock().tick(1200);
    http.expectOne('/api/auth/me').flush({});
    jasmine.clock().tick(KEEP_SESSION_EVERY_MS);
    http.expectOne('/api/auth/me').flush({});
    button(el, 'Stop').click();
    TestBed.tick();
    jasmine.clock().tick(KEEP_SESSION_EVERY_MS * 2);
    http.expectNone('/api/auth/me');
  });

  it('a recording of nothing is said to be one when stopped, and is not offered for review or sent', () => {
    jasmine.clock().install();
    jasmine.clock().mockDate(new Date());
    button(el, 'Start').click();
    TestBed.tick();
    jasmine.clock().tick(3000);
    button(el, 'Stop').click();
    TestBed.tick();
    expect(alert()).toContain('Your browser recorded nothing.');
    expect(el.querySelector('audio')).toBeNull();
    expect(Array.from(el.querySelectorAll('button')).some((b) => b.textContent?.includes('Submit'))).toBe(false);
    expect(button(el, 'Set up my microphone')).toBeTruthy();
  });

  describe('a submission the server could not store for now', () => {
    const refusal = (status: number, message: string) =>
      throwError(
        () =>
          new HttpErrorResponse({
            status,
            error: { statusCode: status, code: status === 404 ? 'not_found' : 'unavailable', message },
          }),
      );
    const answer = { id: 'answer-1' } as unknown as AnswerSummary;
    let api: RecordingsApi;
    let uploads: jasmine.Spy;
    let submits: jasmine.Spy;
    let sent: AnswerSummary[];

    beforeEach(() => {
      api = TestBed.inject(RecordingsApi);
      let n = 0;
      uploads = spyOn(api, 'upload').and.callFake(
        () => ({ done: Promise.resolve(`upload-${++n}`), abort: () => undefined }) as UploadHandle,
      );
      submits = spyOn(api, 'submitAnswer');
      sent = [];
      fixture.componentInstance.submitted.subscribe((a) => sent.push(a));
      recordWithSound();
      jasmine.clock().uninstall();
    });

    it('is submitted again by its id, not sent again (a full disk, then stored)', async () => {
      const stored = new Subject<AnswerSummary>();
      submits.and.returnValues(refusal(507, 'The server is short of disk space just now; try again later'), stored);
      button(el, 'Submit').click();
      await settle();
      expect(alert()).toContain('The server is short of disk space just now');
      expect(button(el, 'Submit')).toBeTruthy();
      // handed over again: the whole file is on the server already
      button(el, 'Submit').click();
      await settle();
      expect(el.textContent).toContain('Checking and storing it securely…');
      expect(el.textContent).toContain('100%');
      // being stored: nothing left to cancel (a Cancel here stopped nothing and confused the page)
      expect(Array.from(el.querySelectorAll('button')).some((b) => b.textContent?.includes('Cancel'))).toBe(false);
      stored.next(answer);
      stored.complete();
      await settle();
      expect(uploads.calls.count()).toBe(1);
      expect(submits.calls.allArgs()).toEqual([
        ['course-1', 'ex-1', 'upload-1'],
        ['course-1', 'ex-1', 'upload-1'],
      ]);
      expect(sent).toEqual([answer]);
    });

    it('is given up on the server when another answer is sent instead (it stayed open until it expired)', async () => {
      submits.and.returnValues(refusal(503, 'The service is briefly unavailable'), of(answer));
      button(el, 'Submit').click();
      await settle();
      // a new take instead of the held one
      const recorder = fixture.componentInstance as unknown as { send(file: Blob, name: string): Promise<void> };
      const sending = recorder.send(new Blob(['another take'], { type: 'audio/webm' }), 'answer.webm');
      await settle();
      const discard = TestBed.inject(HttpTestingController).expectOne('/api/uploads/upload-1');
      expect(discard.request.method).toBe('DELETE');
      expect(discard.request.headers.get('Tus-Resumable')).toBe('1.0.0');
      discard.flush(null, { status: 204, statusText: 'No Content' });
      await sending;
      expect(submits.calls.allArgs().map((a) => a[2])).toEqual(['upload-1', 'upload-2']);
      expect(sent).toEqual([answer]);
    });

    it('is sent again when the server no longer has it; a refusal of the answer itself is not kept', async () => {
      submits.and.returnValues(
        refusal(503, 'The service is briefly unavailable'),
        refusal(404, 'No such upload'),
        refusal(409, 'No attempts left'),
        of(answer),
      );
      button(el, 'Submit').click();
      await settle();
      button(el, 'Submit').click();
      await settle();
      // the id first (404: gone), then the file again, refused for itself (409)
      expect(alert()).toContain('No attempts left');
      expect(uploads.calls.count()).toBe(2);
      button(el, 'Submit').click();
      await settle();
      expect(uploads.calls.count()).toBe(3);
      expect(submits.calls.allArgs().map((a) => a[2])).toEqual(['upload-1', 'upload-1', 'upload-2', 'upload-3']);
      expect(sent).toEqual([answer]);
    });
  });

  it('a recording with sound goes to review as before', () => {
    recordWithSound();
    expect(alert()).toBe('');
    expect(el.querySelector('audio[aria-label="Review your answer"]')).not.toBeNull();
  });
});
