import { ANSWER_TYPE_NAMES } from '../../core/labels';
import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { DatePipe } from '@angular/common';
import { FormsModule } from '@angular/forms';
import { ActivatedRoute, RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { firstValueFrom, forkJoin, map, Observable } from 'rxjs';
import type { AnswerSummary, LearnerCourse, LearnerExercise } from '@rehearse/shared/contracts';
import { ApiProblem, AuthoringApi, LearningApi, toProblem } from '@rehearse/web/data-access';
import { LoadState } from '../../core/load-state';
import { DateTimePipe } from '../../core/date-time.pipe';
import { RubricTable } from './rubric-table';
import { Recorder } from '../recordings/recorder';
import { RecordingPlayer } from '../recordings/recording-player';

const FEEDBACK_WORDS: Record<string, string> = {
  coach: $localize`your coach`,
  peer: $localize`peers in your group`,
  self: $localize`your self-assessment`,
  ai: $localize`the AI coach`,
};
const KIND: Record<string, string> = {
  practice: $localize`Practice`,
  baseline: $localize`Baseline test`,
  final: $localize`Final test`,
};

interface CourseView {
  id: string;
  preview: boolean;
  groupId: string | undefined;
}

/** A course as the trainee takes it; also the author's preview (preview=true reads the draft). */
@Component({
  selector: 'rh-learner-course',
  imports: [
    DatePipe,
    DateTimePipe,
    FormsModule,
    RouterLink,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    LoadState,
    RubricTable,
    Recorder,
    RecordingPlayer,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      @if (preview()) {
        <p i18n class="card preview" role="note">Preview of the draft, as a trainee will see it. <a [routerLink]="['/authoring/courses', id()]">Back to the editor</a></p>
      } @else if (groupId()) {
        <p i18n class="card preview" role="note">The course as your group's trainees see it. <a routerLink="/coaching">Back to my groups</a></p>
      } @else {
        <a i18n routerLink="/learn">← My courses</a>
      }
      <rh-load-state
        [of]="loaded"
        label="Loading the course"
        i18n-label
        notFound="No such course, or it is not one of yours."
        i18n-notFound
      />
      @if (reloadProblem(); as p) {
        <p class="card error-text" role="alert">{{ p.message }}</p>
      }
      @if (course(); as c) {
        <h1>{{ c.title }}</h1>
        <div class="muted" [innerHTML]="c.description"></div>
        @if (asTraineesSeeIt()) {
          <!-- the reader is not the trainee: no count of their own answers ("0 of 4 answered") -->
          <p i18n>{c.exercisesTotal, plural, =1 {1 exercise} other {{{ c.exercisesTotal }} exercises}}@if (c.dueOn) { · due {{ c.dueOn | date: 'mediumDate' }} }</p>
        } @else {
          <p i18n>{{ c.exercisesAnswered }} of {{ c.exercisesTotal }} exercises answered @if (c.dueOn) { · due {{ c.dueOn | date: 'mediumDate' }} }</p>
        }
        @for (m of c.modules; track m.id) {
          <h2>{{ m.title }} @if (!asTraineesSeeIt()) { <span class="muted small">{{ m.answered }}/{{ m.total }}</span> }</h2>
          @for (e of m.exercises; track e.id) {
            <article class="card exercise" [attr.aria-labelledby]="'ex-' + e.id">
              <div class="row">
                <h3 [id]="'ex-' + e.id">{{ e.title }}</h3>
                <span class="chip">{{ kind(e) }}</span>
                <span class="chip">{{ answerTypes[e.answerType] }}</span>
                <span class="spacer"></span>
                @if (asTraineesSeeIt()) {
                  <span i18n class="muted">{e.attemptsAllowed, plural, =1 {1 attempt} other {up to {{ e.attemptsAllowed }} attempts}}</span>
                } @else {
                  <span i18n class="muted">attempt {{ e.attemptsUsed }} of {{ e.attemptsAllowed }}</span>
                }
              </div>
              <div class="instructions" [innerHTML]="e.instructionsHtml"></div>
              @if (e.prompt) { <blockquote class="prompt">“{{ e.prompt }}”</blockquote> }
              <p i18n class="muted small">Preparation {{ e.preparationSeconds }} s · answer at most {{ e.maxAnswerSeconds }} s · {{ feedbackFrom(e) }}</p>
              @if (e.rubric) { <details><summary i18n>How this is scored: {{ e.rubric.title }}</summary><rh-rubric-table [rubric]="e.rubric" /></details> }
              @if (!preview() && !groupId()) {
                @if (e.answerType === 'text') {
                  @if (e.attemptsUsed < e.attemptsAllowed) {
                    <form class="stack" (ngSubmit)="answer(e)">
                      <mat-form-field appearance="outline">
                        <mat-label i18n>Your answer</mat-label>
                        <textarea matInput rows="4" [(ngModel)]="drafts[e.id]" [name]="'answer-' + e.id" maxlength="20000" required></textarea>
                      </mat-form-field>
                      @if (answerError()?.[0] === e.id) { <p class="error-text" role="alert">{{ answerError()?.[1] }}</p> }
                      <div><button i18n mat-flat-button type="submit" [disabled]="busy() === e.id || !drafts[e.id]?.trim()">Submit answer</button></div>
                    </form>
                  } @else {
                    <p i18n class="muted">You have used all attempts.</p>
                  }
                } @else if (e.attemptsUsed < e.attemptsAllowed) {
                  <rh-recorder [courseId]="id()" [exercise]="e" (submitted)="recorded($event)" />
                } @else {
                  <p i18n class="muted">You have used all attempts.</p>
                }
              }
              @for (a of answersFor(e.id); track a.id) {
                <div class="answer">
                  <strong i18n>Attempt {{ a.attempt }}</strong><span i18n class="muted"> · {{ a.submittedAt | dateTime }} · version {{ a.courseVersion }}</span>
                  @if (a.text) { <p class="answer-text">{{ a.text }}</p> }
                  @if (a.recording; as r) { <rh-recording-player [recording]="r" mediaLabel="Your recording" i18n-mediaLabel /> }
                  @if (!preview() && !groupId()) { <p><a i18n mat-stroked-button [routerLink]="['/answers', a.id]">Feedback and progress</a></p> }
                </div>
              }
            </article>
          } @empty {
            <p i18n class="muted">No exercises in this module yet.</p>
          }
        }
      }
    </section>
  `,
  styles: `
    .chip { background: var(--mat-sys-secondary-container); border-radius: 12px; padding: 2px 10px; font-size: .85em; }
    .prompt { border-left: 4px solid var(--mat-sys-tertiary); margin: 8px 0; padding: 4px 12px; font-style: italic; }
    .answer { border-top: 1px solid var(--mat-sys-outline-variant); padding-top: 8px; margin-top: 8px; }
    .answer-text { white-space: pre-wrap; }
    .preview { background: var(--mat-sys-tertiary-container); }
    .small { font-size: .85em; }
    h3 { margin: 0; }
  `,
})
export class LearnerCoursePage {
  protected readonly answerTypes = ANSWER_TYPE_NAMES;
  readonly id = input.required<string>();
  readonly preview = input(false);
  /** set when a coach looks at a course of one of their groups */
  readonly groupId = input<string | undefined>(undefined);
  /** an author's preview or a coach's look at a group's course: the course, without anyone's answers */
  protected readonly asTraineesSeeIt = computed(() => this.preview() || this.groupId() !== undefined);
  private readonly api = inject(LearningApi);
  private readonly authoring = inject(AuthoringApi);
  private readonly route = inject(ActivatedRoute);
  /**
   * The course and your answers in it, loaded again when the route's id changes (or the preview or
   * group view is asked for); a response for an id left behind is dropped.
   */
  protected readonly loaded = rxResource<{ course: LearnerCourse; answers: AnswerSummary[] }, CourseView>({
    params: () => ({ id: this.id(), preview: this.preview(), groupId: this.groupId() }),
    stream: ({ params: v }) => this.fetch(v),
  });
  protected readonly course = computed<LearnerCourse | null>(() =>
    this.loaded.hasValue() ? this.loaded.value().course : null,
  );
  protected readonly answers = computed<AnswerSummary[]>(() =>
    this.loaded.hasValue() ? this.loaded.value().answers : [],
  );
  /** the course could not be brought up to date after an answer (the answer itself was saved) */
  protected readonly reloadProblem = signal<ApiProblem | null>(null);
  protected readonly busy = signal<string | null>(null);
  protected readonly answerError = signal<[string, string] | null>(null);
  protected drafts: Record<string, string> = {};
  /** the text of each exercise being sent, with its submission's id (kept for sending it again after a failure) */
  private sending: Record<string, { text: string; id: string }> = {};

  /** "feedback from your coach, a self-assessment and the AI coach", in words */
  feedbackFrom(e: LearnerExercise): string {
    const words = e.feedback.map((f) => FEEDBACK_WORDS[f] ?? f);
    if (words.length === 0) return $localize`no feedback`;
    const last = words[words.length - 1];
    const list = words.length === 1 ? last : $localize`${words.slice(0, -1).join(', ')}:others: and ${last}:last:`;
    return $localize`feedback: ${list}:list:`;
  }

  kind(e: LearnerExercise): string {
    return KIND[e.testKind] ?? e.testKind;
  }

  answersFor(exerciseId: string): AnswerSummary[] {
    return this.answers().filter((a) => a.exerciseId === exerciseId);
  }

  constructor() {
    // a link to one exercise (the home page's "next exercise") scrolls to it once the course is shown
    effect(() => {
      if (!this.course()) return;
      const fragment = untracked(() => this.route.snapshot.fragment);
      if (fragment) setTimeout(() => document.getElementById(fragment)?.scrollIntoView({ block: 'start' }));
    });
  }

  private fetch(v: CourseView): Observable<{ course: LearnerCourse; answers: AnswerSummary[] }> {
    if (v.preview) return this.authoring.preview(v.id).pipe(map((course) => ({ course, answers: [] })));
    if (v.groupId) return this.api.coachedCourse(v.groupId, v.id).pipe(map((course) => ({ course, answers: [] })));
    return forkJoin({ course: this.api.myCourse(v.id), answers: this.api.myAnswers(v.id) });
  }

  /** An answer was saved: it joins the list, and the course's counts come fresh from the server. */
  private async saved(answer: AnswerSummary): Promise<void> {
    this.loaded.update((v) => v && { ...v, answers: [...v.answers, answer] });
    this.reloadProblem.set(null);
    try {
      const course = await firstValueFrom(this.api.myCourse(this.id()));
      this.loaded.update((v) => v && { ...v, course });
    } catch (err) {
      this.reloadProblem.set(toProblem(err));
    }
  }

  recorded(answer: AnswerSummary): Promise<void> {
    return this.saved(answer);
  }

  async answer(e: LearnerExercise): Promise<void> {
    const text = this.drafts[e.id]?.trim();
    if (!text) return;
    this.busy.set(e.id);
    this.answerError.set(null);
    // one id per text sent: the same text sent again after a failure (its answer may have been made
    // and lost on the way) is the same submission, so the server makes no second attempt of it
    const sending = this.sending[e.id]?.text === text ? this.sending[e.id] : { text, id: crypto.randomUUID() };
    this.sending[e.id] = sending;
    try {
      const saved = await firstValueFrom(this.api.answerText(this.id(), e.id, text, sending.id));
      this.drafts[e.id] = '';
      delete this.sending[e.id];
      await this.saved(saved);
    } catch (err) {
      this.answerError.set([e.id, toProblem(err).message]);
    } finally {
      this.busy.set(null);
    }
  }
}
