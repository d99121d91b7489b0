import { ComponentFixture, TestBed } from '@angular/core/testing';
import { LOCALE_ID, provideZonelessChangeDetection } from '@angular/core';
import { registerLocaleData } from '@angular/common';
import localeNl from '@angular/common/locales/nl';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideRouter } from '@angular/router';
import type { AiReport, AnswerFeedback, Me, Review } from '@rehearse/shared/contracts';
import { SessionStore } from '../../core/session.store';
import { AnswerFeedbackPage } from './answer-feedback.page';
import { PaceChart } from './charts';
import { AnswerMedia } from './answer-media';
import { By } from '@angular/platform-browser';
import { button, settle } from '../../../testing/page-testing';
import { TRANSCRIBED_RECORDING } from '../../../testing/recording';

const RUBRIC = {
  id: 'r',
  title: 'R',
  description: '',
  criteria: [
    {
      id: 'c1',
      title: 'Empathy',
      description: '',
      weight: 1,
      levels: [1, 3, 5].map((score) => ({ score, descriptor: `Empathy ${score}` })),
    },
  ],
};
const RECORDING = { ...TRANSCRIBED_RECORDING, engine: 'pocketsphinx', model: 'en-us' };
const review = (source: Review['source'], score: number, extra: Partial<Review> = {}): Review => ({
  id: `rv-${source}`,
  answerId: 'a1',
  source,
  state: 'published',
  reviewerId: 'x',
  reviewerName: source === 'peer' ? 'Sam' : 'Coach',
  scores: { c1: score },
  total: score,
  summary: `${source} summary`,
  comments: [],
  revision: 2,
  dueAt: null,
  publishedAt: '2026-11-21T10:00:00Z',
  updatedAt: '2026-11-21T10:00:00Z',
  ...extra,
});
const feedback = (extra: Partial<AnswerFeedback> = {}): AnswerFeedback => ({
  answer: {
    id: 'a1',
    courseId: 'k',
    courseVersion: 1,
    exerciseId: 'e',
    exerciseTitle: 'On the phone',
    attempt: 2,
    answerType: 'audio',
    text: null,
    submittedAt: '2026-11-20T10:00:00Z',
    recording: RECORDING,
    exercise: {
      id: 'e',
      title: 'On the phone',
      instructionsHtml: '',
      prompt: null,
      promptMediaId: null,
      answerType: 'audio',
      preparationSeconds: 0,
      maxAnswerSeconds: 60,
      attemptsAllowed: 3,
      attemptsUsed: 2,
      testKind: 'practice',
      feedback: ['coach', 'peer', 'ai', 'self'],
      rubric: RUBRIC,
      answered: true,
      feedbackReceived: true,
    },
  } as AnswerFeedback['answer'],
  participantId: 'me',
  participantName: 'Pim',
  selfAssessmentPending: false,
  reviews: [],
  share: null,
  peersAllowed: true,
  attempts: [
    {
      answerId: 'a0',
      attempt: 1,
      submittedAt: '',
      coachTotal: 2,
      selfTotal: 3,
      peerTotal: null,
      wpm: 190,
      fillersPerMinute: 6,
    },
    {
      answerId: 'a1',
      attempt: 2,
      submittedAt: '',
      coachTotal: 4,
      selfTotal: 3,
      peerTotal: 5,
      wpm: 150,
      fillersPerMinute: 2,
    },
  ],
  courseProgress: [
    {
      exerciseId: 'e0',
      exerciseTitle: 'The angry customer',
      attempts: 1,
      baseline: {
        answerId: 't1',
        attempt: 1,
        submittedAt: '',
        coachTotal: 3,
        selfTotal: null,
        peerTotal: null,
        wpm: null,
        fillersPerMinute: null,
      },
      final: {
        answerId: 't1',
        attempt: 1,
        submittedAt: '',
        coachTotal: 3,
        selfTotal: null,
        peerTotal: null,
        wpm: null,
        fillersPerMinute: null,
      },
    },
    {
      exerciseId: 'e',
      exerciseTitle: 'On the phone',
      attempts: 2,
      baseline: {
        answerId: 'a0',
        attempt: 1,
        submittedAt: '',
        coachTotal: 2,
        selfTotal: 3,
        peerTotal: null,
        wpm: 190,
        fillersPerMinute: 6,
      },
      final: {
        answerId: 'a1',
        attempt: 2,
        submittedAt: '',
        coachTotal: 4,
        selfTotal: 3,
        peerTotal: 5,
        wpm: 150,
        fillersPerMinute: 2,
      },
    },
  ],
  ...extra,
});
const REPORT = {
  noSpeech: false,
  language: 'en',
  durationSeconds: 12,
  speakingSeconds: 9,
  wordCount: 24,
  metrics: [
    {
      id: 'speaking_rate',
      label: 'Speaking rate',
      value: 150,
      unit: 'wpm',
      threshold: '120–170 wpm',
      verdict: 'pass',
      explanation: 'A comfortable pace.',
    },
    {
      id: 'fillers',
      label: 'Filler words',
      value: 6,
      unit: 'per minute',
      threshold: 'at most 4 per minute',
      verdict: 'attention',
      explanation: 'Try fewer fillers.',
    },
  ],
  paceOverTime: [
    { start: 0, end: 10, wpm: 150 },
    { start: 10, end: 12, wpm: 120 },
  ],
  fillers: [{ start: 2, end: 2.3, filler: 'um' }],
  pauses: [{ start: 5, end: 7, seconds: 2, source: 'both' }],
  keyPhrases: [],
  avoidPhrases: [],
  sentiment: null,
  loudness: null,
} as unknown as AiReport;

describe('AnswerFeedbackPage', () => {
  let fixture: ComponentFixture<AnswerFeedbackPage>;
  let http: HttpTestingController;
  let el: HTMLElement;
  // the page's resources are pending tasks until their requests are answered, so whenStable would

  beforeEach(async () => {
    await TestBed.configureTestingModule({
      imports: [AnswerFeedbackPage],
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    }).compileComponents();
    TestBed.inject(SessionStore).set({
      id: 'me',
      name: 'Pim',
      permissions: ['courses.learn', 'feedback.read'],
      roles: ['participant'],
    } as unknown as Me);
    fixture = TestBed.createComponent(AnswerFeedbackPage);
    fixture.componentRef.setInput('id', 'a1');
    http = TestBed.inject(HttpTestingController);
    el = fixture.nativeElement;
    fixture.detectChanges();
  });
  afterEach(() => {
    // who has seen the answer is answer-viewers.spec.ts's concern (the test below checks it is asked)
    http.match((r) => r.url === '/api/account/privacy-log');
    // the player's video (no such file under Karma) fails, and the player asks the API why:
    // media-trouble.spec.ts's concern
    http.match((r) => r.url.endsWith('/content') && r.headers.get('Range') === 'bytes=0-0');
    http.verify();
  });

  const answerWith = async (f: AnswerFeedback) => {
    http.expectOne('/api/answers/a1/feedback').flush(f);
    await settle();
    http.expectOne('/api/recordings/rec1/assessment').flush(REPORT);
    await settle();
    http.match('/api/recordings/rec1/transcript').forEach((r) =>
      r.flush({
        recordingId: 'rec1',
        engine: 'pocketsphinx',
        model: 'en-us',
        language: 'en',
        text: 'hello there',
        noSpeech: false,
        audioSeconds: 12,
        segments: [],
        words: [
          { start: 0.5, end: 0.9, text: 'hello', confidence: null },
          { start: 1, end: 1.4, text: 'there', confidence: null },
        ],
        createdAt: '',
      }),
    );
    await settle();
  };

  it('asks for the self-assessment first and shows no feedback from others', async () => {
    await answerWith(feedback({ selfAssessmentPending: true }));
    expect(el.querySelector('.notice')?.textContent).toContain('Assess yourself first');
    expect(el.querySelector('.notice a')?.getAttribute('href')).toBe('/review/a1');
    expect(el.querySelector('.empty')?.textContent).toContain('No feedback yet');
  });

  it('shows the rubric per source, the AI report with a pace chart, and attempt against attempt', async () => {
    await answerWith(
      feedback({
        reviews: [
          review('coach', 5, { comments: [{ at: 3, text: 'Nice', tag: 'empathy', aiFinding: null }] }),
          review('peer', 3),
        ],
      }),
    );
    const head = Array.from(el.querySelectorAll('.rubric thead th')).map((t) => t.textContent?.trim());
    expect(head).toEqual(['Criterion', 'Coach', 'Peer Sam']);
    // each score with what it stands for, to read: no tooltip
    const cells = Array.from(el.querySelectorAll('.rubric tbody tr:first-child td')).map((td) => [
      td.querySelector('strong')?.textContent,
      td.querySelector('.descriptor')?.textContent,
    ]);
    expect(cells).toEqual([
      ['5', 'Empathy 5'],
      ['3', 'Empathy 3'],
    ]);
    expect(el.textContent).toContain('needs attention');
    const chart = fixture.debugElement.query((d) => d.componentInstance instanceof PaceChart)
      .componentInstance as PaceChart;
    expect(chart.drawn?.data.datasets.map((d) => d.data.length)).toEqual([2, 1, 1]);
    expect(el.querySelectorAll('.attempts tbody tr').length).toBe(2);
    expect(el.querySelector('.attempts tr.current')?.textContent).toContain('150');
    // baseline against final per exercise of the course, the current exercise marked
    const rows = Array.from(el.querySelectorAll('.course-progress tbody tr')).map((r) =>
      Array.from(r.children).map((c) => c.textContent?.trim()),
    );
    expect(rows).toEqual([
      ['The angry customer', '1', '3', '—', '—'],
      ['On the phone', '2', '2 → 4 (+2)', '190 → 150 (-40)', '6 → 2 (-4)'],
    ]);
    expect(el.querySelector('.course-progress tr.current')?.textContent).toContain('On the phone');
    // the coach's comment and the AI's filler and pause are on the one timeline
    expect(el.querySelectorAll('.timeline .marker').length).toBe(3);
  });

  it("lists every reviewer's comments to read, in the answer's order; a comment's time plays the answer from there", async () => {
    await answerWith(
      feedback({
        reviews: [
          review('coach', 5, {
            comments: [
              { at: 7.5, text: 'Filler “um”', tag: null, aiFinding: 'filler:0' },
              { at: 3, text: 'Nice', tag: 'empathy', aiFinding: null },
            ],
          }),
          review('peer', 3, { comments: [{ at: 5, text: 'Good opening', tag: null, aiFinding: null }] }),
        ],
      }),
    );
    const items = Array.from(el.querySelectorAll('.comments li')).map((li) => [
      li.querySelector('button')?.textContent?.trim(),
      li.querySelector('.grow')?.textContent,
    ]);
    // (the words as the page writes them: a space between the reviewer, the tag and the comment)
    expect(items).toEqual([
      ['0:03', 'Coach: empathy Nice'],
      ['0:05', 'Peer Sam: Good opening'],
      ['0:07', 'Coach: AI Filler “um”'],
    ]);
    const player = fixture.debugElement.query(By.directive(AnswerMedia)).componentInstance as AnswerMedia;
    const seek = spyOn(player, 'seek');
    el.querySelector<HTMLButtonElement>('.comments button[aria-label="Play from 0:05"]')?.click();
    expect(seek).toHaveBeenCalledWith(5);
    // while the answer plays, the comment about that moment is marked
    player.time.set(6.2);
    await settle();
    expect(Array.from(el.querySelectorAll('.comments li.now')).map((li) => li.textContent)).toEqual([
      jasmine.stringContaining('Good opening'),
    ]);
    player.time.set(11);
    await settle();
    expect(el.querySelectorAll('.comments li.now').length).toBe(0);
  });

  it('has no comments card when nobody commented', async () => {
    await answerWith(feedback({ reviews: [review('coach', 5)] }));
    expect(el.querySelector('.comments')).toBeNull();
  });

  it('shows the trainee who has seen their own answer, and nobody else that list', async () => {
    await answerWith(feedback());
    const asked = http.expectOne((r) => r.url === '/api/account/privacy-log');
    expect(asked.request.params.get('answerId')).toBe('a1');
    expect(el.querySelector('rh-answer-viewers')).not.toBeNull();
    // a coach opening the same answer: it is not theirs, so not their log
    fixture.componentRef.setInput('id', 'a2');
    await settle();
    http.expectOne('/api/answers/a2/feedback').flush({ ...feedback(), participantId: 'someone-else' });
    await settle();
    http.match(() => true);
    expect(el.querySelector('rh-answer-viewers')).toBeNull();
  });

  it('follows a link to another attempt: shows that answer, never the one left behind', async () => {
    await answerWith(feedback());
    expect(el.textContent).toContain('attempt 2');
    const first: AnswerFeedback = feedback();
    const attempt = (id: string, n: number) =>
      feedback({ answer: { ...first.answer, id, attempt: n, recording: null } });
    // the router changes the id input of the page it keeps
    fixture.componentRef.setInput('id', 'a0');
    await settle();
    const slow = http.expectOne('/api/answers/a0/feedback');
    expect(el.querySelector('mat-progress-bar')).not.toBeNull();
    expect(el.textContent).not.toContain('attempt 2');
    // and on again before that answer came: the request for a0 is dropped
    fixture.componentRef.setInput('id', 'a3');
    await settle();
    expect(slow.cancelled).toBeTrue();
    http.expectOne('/api/answers/a3/feedback').flush(attempt('a3', 3));
    await settle();
    expect(el.textContent).toContain('attempt 3');
  });

  it('offers to try again when the feedback cannot be loaded', async () => {
    http
      .expectOne('/api/answers/a1/feedback')
      .flush(
        { statusCode: 500, code: 'internal', message: 'Something broke' },
        { status: 500, statusText: 'Server Error' },
      );
    await settle();
    expect(el.textContent).toContain('Could not load the feedback');
    button(el, 'Try again').click();
    await settle();
    await answerWith(feedback());
    expect(el.textContent).toContain('attempt 2');
  });

  it('shares the answer with the group', async () => {
    await answerWith(feedback());
    const share = Array.from(el.querySelectorAll('button')).find((b) =>
      b.textContent?.includes('Share with my group'),
    )!;
    share.click();
    const req = http.expectOne('/api/my/answers/a1/share');
    expect(req.request.method).toBe('POST');
    req.flush(
      feedback({
        share: {
          groupId: 'g',
          groupName: 'Team G',
          sharedAt: '2026-11-22T10:00:00Z',
          reviewersAssigned: 2,
          reviewsPublished: 0,
        },
      }),
    );
    await settle();
    expect(el.textContent).toContain('Shared with Team G');
    expect(el.textContent).toContain('0 of 2 peer reviews in');
  });
});

describe('AnswerFeedbackPage in Dutch', () => {
  it('writes the baseline-against-final figures the Dutch way ("190,5", not "190.5")', async () => {
    registerLocaleData(localeNl);
    await TestBed.configureTestingModule({
      imports: [AnswerFeedbackPage],
      providers: [
        provideZonelessChangeDetection(),
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        { provide: LOCALE_ID, useValue: 'nl' },
      ],
    }).compileComponents();
    const page = TestBed.createComponent(AnswerFeedbackPage).componentInstance;
    expect(page.change(190.5, 154.6, 2)).toBe('190,5 → 154,6 (-35,9)');
    expect(page.change(2.25, 4.75, 2)).toBe('2,3 → 4,8 (+2,5)');
    expect(page.change(null, 17.9, 1)).toBe('17,9');
  });
});
