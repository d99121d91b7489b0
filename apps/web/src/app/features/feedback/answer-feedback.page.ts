import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  input,
  LOCALE_ID,
  signal,
  viewChild,
} from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { DatePipe, DecimalPipe, formatNumber } from '@angular/common';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import type { AiMetric, AiMetricText, AiReport, Review, RubricCriterion } from '@rehearse/shared/contracts';
import { FeedbackApi, problemText, toProblem } from '@rehearse/web/data-access';
import { loadedValue, LoadState } from '../../core/load-state';
import { SessionStore } from '../../core/session.store';
import { activeLocale } from '../../core/locale';
import { AnswerMedia, mmss, TimelineMarker } from './answer-media';
import { AttemptsChart, PaceChart } from './charts';
import { AnswerViewers } from './answer-viewers';
import { StackedTable } from '../../core/stacked-table';
import { ARIA } from '../../core/labels';

const SOURCE_LABEL: Record<Review['source'], string> = {
  coach: $localize`Coach`,
  peer: $localize`Peer`,
  self: $localize`You`,
};

/**
 * All feedback on one answer: the recording with every comment on one timeline, the rubric
 * result per source, the AI report with charts, the attempts at the same exercise side by
 * side, and each exercise of the course with its baseline against its final attempt. The trainee can share the answer with their group when the exercise allows peers.
 */
@Component({
  selector: 'rh-answer-feedback-page',
  imports: [
    StackedTable,
    DatePipe,
    DecimalPipe,
    MatButtonModule,
    LoadState,
    RouterLink,
    AnswerMedia,
    PaceChart,
    AttemptsChart,
    AnswerViewers,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      <rh-load-state
        [of]="feedback"
        label="Loading the feedback"
        i18n-label
        failed="Could not load the feedback"
        i18n-failed
        notFound="No such answer, or it is not yours to see."
        i18n-notFound
      />
      @if (fb(); as f) {
        <h1 i18n>Feedback: {{ f.answer.exerciseTitle }}</h1>
        <p i18n class="muted">@if (mine()) {Your answer} @else { {{ f.participantName }} } · attempt {{ f.answer.attempt }} · {{ f.answer.submittedAt | date: 'mediumDate' }}</p>

        @if (f.selfAssessmentPending) {
          <div class="card notice" role="status">
            <p i18n>Assess yourself first: the feedback from others appears once you have submitted your self-assessment.</p>
            <a i18n mat-flat-button [routerLink]="['/review', f.answer.id]">Assess myself</a>
          </div>
        }

        @if (f.answer.recording; as r) {
          <rh-answer-media #media [recording]="r" [markers]="markers()" />
        } @else if (f.answer.text) {
          <div class="card answer-text">{{ f.answer.text }}</div>
        }

        @if (comments().length) {
          <!-- every comment to read, in the answer's order: the timeline's marks say where, these say what -->
          <div class="card">
            <h2 i18n>Comments</h2>
            <ul class="plain comments">
              @for (c of comments(); track $index) {
                <li [class.now]="sayingNow(c.at)">
                  @if (f.answer.recording) {
                    <button mat-button type="button" class="at" (click)="media()?.seek(c.at)" [attr.aria-label]="aria.playFrom(mmss(c.at))">{{ mmss(c.at) }}</button>
                  }
                  <!-- the spaces written out: the template drops those between elements, and the words would run together -->
                  <span class="grow"><strong>{{ c.who }}:</strong>{{ ' ' }}@if (c.tag) {<span class="chip">{{ c.tag }}</span>{{ ' ' }}}@if (c.ai) {<span i18n class="chip ai">AI</span>{{ ' ' }}}{{ c.text }}</span>
                </li>
              }
            </ul>
          </div>
        }

        @if (mine() && f.peersAllowed) {
          <div class="card">
            @if (f.share; as s) {
              <p i18n>Shared with {{ s.groupName }} on {{ s.sharedAt | date: 'mediumDate' }} · {{ s.reviewsPublished }} of {{ s.reviewersAssigned }} peer reviews in.</p>
            } @else {
              <p i18n>This exercise welcomes feedback from your group. Sharing shows this answer to its participants while the course is open.</p>
              @if (shareError()) { <p class="error-text" role="alert">{{ shareError() }}</p> }
              <button i18n mat-stroked-button type="button" (click)="share()" [disabled]="sharing()">Share with my group</button>
            }
          </div>
        }

        <div class="card">
          <h2 i18n>Rubric</h2>
          @if (f.reviews.length === 0) {
            <p i18n class="muted empty">No feedback yet. You get an e-mail when it arrives.</p>
          } @else if (criteria().length) {
            <table class="rubric" rhStacked>
              <thead><tr><th i18n scope="col">Criterion</th>@for (r of f.reviews; track r.id) { <th scope="col">{{ label(r) }}</th> }</tr></thead>
              <tbody>
                @for (c of criteria(); track c.id) {
                  <tr><th scope="row">{{ c.title }}</th>@for (r of f.reviews; track r.id) {
                      <!-- the score with what it stands for, to read (a tooltip is out of reach on a phone) -->
                      @let score = scoreOf(r, c);
                      <td><strong>{{ score ?? '—' }}</strong>@if (descriptor(c, score); as d) {<span class="descriptor">{{ d }}</span>}</td>
                    }</tr>
                }
                <tr class="total"><th i18n scope="row">Weighted total</th>@for (r of f.reviews; track r.id) { <td>{{ (r.total | number: '1.0-2') ?? '—' }}</td> }</tr>
              </tbody>
            </table>
          }
          @for (r of f.reviews; track r.id) {
            @if (r.summary) { <p><strong>{{ label(r) }}:</strong> {{ r.summary }}</p> }
          }
        </div>

        @if (report(); as rep) {
          <div class="card">
            <h2 i18n>AI coach</h2>
            @if (rep.noSpeech) {
              <p i18n class="muted">No speech was detected, so the AI coach has nothing to measure.</p>
            } @else {
              <rh-pace-chart [report]="rep" />
            }
            <ul class="plain metrics">
              @for (m of rep.metrics; track m.id) {
                @let w = words(rep, m);
                <li [class]="m.verdict">
                  <strong>{{ w.label }}</strong>
                  @if (m.value !== null) { <span> {{ m.value | number: '1.0-1' }} {{ w.unit }}</span> }
                  @if (w.threshold) { <span i18n class="muted"> (aim: {{ w.threshold }})</span> }
                  <span class="verdict">@if (m.verdict === 'pass') {✓} @else if (m.verdict === 'attention') {<ng-container i18n>needs attention</ng-container>}</span>
                  <div class="muted small">{{ w.explanation }}</div>
                </li>
              }
            </ul>
          </div>
        } @else if (reportError()) {
          <p class="muted">{{ reportError() }}</p>
        }

        @if (f.attempts.length > 1) {
          <div class="card">
            <h2 i18n>Progress across attempts</h2>
            <rh-attempts-chart [attempts]="f.attempts" />
            <table class="attempts" rhStacked>
              <thead><tr><th i18n scope="col">Attempt</th><th i18n scope="col">Coach</th><th i18n scope="col">Self</th><th i18n scope="col">Peers</th><th i18n scope="col">Pace (wpm)</th><th i18n scope="col">Fillers / min</th></tr></thead>
              <tbody>
                @for (a of f.attempts; track a.answerId) {
                  <tr [class.current]="a.answerId === f.answer.id">
                    <td><a [routerLink]="['/answers', a.answerId]">{{ a.attempt }}</a></td>
                    <td>{{ (a.coachTotal | number: '1.0-2') ?? '—' }}</td><td>{{ (a.selfTotal | number: '1.0-2') ?? '—' }}</td><td>{{ (a.peerTotal | number: '1.0-2') ?? '—' }}</td>
                    <td>{{ (a.wpm | number: '1.0-2') ?? '—' }}</td><td>{{ (a.fillersPerMinute | number: '1.0-2') ?? '—' }}</td>
                  </tr>
                }
              </tbody>
            </table>
          </div>
        }

        @if (f.courseProgress.length) {
          <div class="card">
            <h2 i18n>Baseline against final in this course</h2>
            <p i18n class="muted small">Per exercise, the first attempt against the latest.</p>
            <table class="course-progress" rhStacked>
              <thead><tr><th i18n scope="col">Exercise</th><th i18n scope="col">Attempts</th><th i18n scope="col">Coach</th><th i18n scope="col">Pace (wpm)</th><th i18n scope="col">Fillers / min</th></tr></thead>
              <tbody>
                @for (p of f.courseProgress; track p.exerciseId) {
                  <tr [class.current]="p.exerciseId === f.answer.exerciseId">
                    <th scope="row"><a [routerLink]="['/answers', p.final.answerId]">{{ p.exerciseTitle }}</a></th>
                    <td>{{ p.attempts }}</td>
                    <td>{{ change(p.baseline.coachTotal, p.final.coachTotal, p.attempts) }}</td>
                    <td>{{ change(p.baseline.wpm, p.final.wpm, p.attempts) }}</td>
                    <td>{{ change(p.baseline.fillersPerMinute, p.final.fillersPerMinute, p.attempts) }}</td>
                  </tr>
                }
              </tbody>
            </table>
          </div>
        }
        @if (mine()) {
          <div class="card"><rh-answer-viewers [answerId]="f.answer.id" /></div>
        }
      }
    </section>
  `,
  styles: `
    table { border-collapse: collapse; width: 100%; }
    th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--mat-sys-outline-variant); }
    tr.total th, tr.total td { font-weight: 600; }
    .rubric .descriptor { display: block; font-size: .85em; color: var(--mat-sys-on-surface-variant); }
    tr.current { background: var(--mat-sys-secondary-container); }
    .metrics li { margin: 8px 0; }
    .metrics .verdict { margin-left: .5em; }
    .metrics li.attention .verdict { color: #c62828; }
    .metrics li.pass .verdict { color: #2e7d32; }
    .answer-text { white-space: pre-wrap; }
    .comments li { display: flex; gap: 8px; align-items: baseline; padding: 2px 4px; border-radius: 6px; }
    .comments li.now { background: var(--mat-sys-secondary-container); }
    /* a comment's words keep a width of their own beside its time */
    .comments .grow { flex: 1 1 12em; }
    .chip { display: inline-block; padding: 0 6px; border-radius: 6px; background: var(--mat-sys-surface-container-high); font-size: .9em; }
    .chip.ai { color: #a84300; }
    .small { font-size: .85em; }
  `,
})
export class AnswerFeedbackPage {
  /** A metric's words in the reader's language (reports made before translations were stored stay English). */
  protected words(report: AiReport, m: AiMetric): AiMetricText {
    return report.translations?.[activeLocale()]?.[m.id] ?? m;
  }

  readonly id = input.required<string>();
  private readonly api = inject(FeedbackApi);
  private readonly session = inject(SessionStore);
  /** figures written the reader's way ("4,5" in Dutch) */
  private readonly locale = inject(LOCALE_ID);
  /**
   * The answer's feedback, loaded again whenever the route's id changes (a link to another attempt
   * keeps this page and changes the id); a response for an id left behind is dropped.
   */
  protected readonly feedback = rxResource({
    params: () => this.id(),
    stream: ({ params: id }) => this.api.feedback(id),
  });
  protected readonly fb = loadedValue(this.feedback);
  /**
   * The recording whose AI report the page shows: when the exercise asks for one and it is
   * transcribed. A computed of its own, so a new copy of the same feedback (after sharing) does not
   * load the report again.
   */
  private readonly reportedRecording = computed(() => {
    const f = this.fb();
    const rec = f?.answer.recording;
    return rec && rec.status === 'transcribed' && f.answer.exercise.feedback.includes('ai') ? rec.id : undefined;
  });
  private readonly assessment = rxResource({
    params: () => this.reportedRecording(),
    stream: ({ params: recordingId }) => this.api.assessment(recordingId),
  });
  protected readonly report = loadedValue(this.assessment);
  protected readonly reportError = computed(() => {
    const e = this.assessment.error();
    return e ? $localize`The AI report is not available: ${toProblem(e).message}` : null;
  });
  protected readonly sharing = signal(false);
  protected readonly shareError = signal<string | null>(null);
  protected readonly mmss = mmss;

  protected readonly mine = computed(() => !!this.fb() && this.fb()?.participantId === this.session.me()?.id);
  protected readonly criteria = computed<RubricCriterion[]>(() => this.fb()?.answer.exercise.rubric?.criteria ?? []);
  /** every reviewer's comments, in the answer's order (a tie in the reviews' order) */
  protected readonly comments = computed(() =>
    (this.fb()?.reviews ?? [])
      .flatMap((r) =>
        r.comments.map((c) => ({ at: c.at, who: this.label(r), tag: c.tag, ai: !!c.aiFinding, text: c.text })),
      )
      .sort((a, b) => a.at - b.at),
  );
  protected readonly media = viewChild<AnswerMedia>('media');
  /** a comment about what is playing now (the three seconds from its moment) is marked while it plays */
  protected sayingNow(at: number): boolean {
    const t = this.media()?.time() ?? -1;
    return t >= at && t < at + 3 && t > 0;
  }
  protected readonly aria = ARIA;
  protected readonly markers = computed<TimelineMarker[]>(() => {
    const f = this.fb();
    if (!f) return [];
    const comments = f.reviews.flatMap((r) =>
      r.comments.map((c) => ({
        at: c.at,
        label: $localize`${this.label(r)}:reviewer:: ${c.text}:comment:`,
        kind: (c.aiFinding ? 'ai-accepted' : r.source) as TimelineMarker['kind'],
      })),
    );
    const rep = this.report();
    const found = rep
      ? [
          ...rep.fillers.map((x) => ({
            at: x.start,
            label: $localize`Filler “${x.filler}:filler:”`,
            kind: 'ai' as const,
          })),
          ...rep.pauses.map((p) => ({ at: p.start, label: $localize`Pause of ${p.seconds} s`, kind: 'ai' as const })),
        ]
      : [];
    return [...comments, ...found];
  });

  label(r: Review): string {
    return r.source === 'peer' && r.reviewerName ? $localize`Peer ${r.reviewerName}:name:` : SOURCE_LABEL[r.source];
  }

  scoreOf(r: Review, c: RubricCriterion): number | null {
    return r.scores[c.id] ?? null;
  }

  /** "3 → 4.5 (+1.5)" for a baseline and a final figure; one figure when there is one attempt. */
  change(baseline: number | null, final: number | null, attempts: number): string {
    const show = (n: number | null) => (n === null ? '—' : formatNumber(n, this.locale, '1.0-1'));
    if (attempts < 2) return show(final);
    const delta = baseline !== null && final !== null ? Math.round((final - baseline) * 10) / 10 : null;
    return `${show(baseline)} → ${show(final)}${delta === null ? '' : ` (${delta > 0 ? '+' : ''}${show(delta)})`}`;
  }

  descriptor(c: RubricCriterion, score: number | null): string {
    return c.levels.find((l) => l.score === score)?.descriptor ?? '';
  }

  async share(): Promise<void> {
    this.sharing.set(true);
    this.shareError.set(null);
    try {
      this.feedback.value.set(await firstValueFrom(this.api.share(this.id())));
    } catch (e) {
      this.shareError.set(problemText(toProblem(e)));
    } finally {
      this.sharing.set(false);
    }
  }
}
