import { type HoldsUnsavedWork, warnBeforeUnload } from '../../core/unsaved-work';
import { AI_METRIC_NAMES, ARIA, DECISION_NAMES } from '../../core/labels';
import { DatePipe, DecimalPipe } from '@angular/common';
import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  ElementRef,
  inject,
  InjectionToken,
  Injector,
  input,
  OnDestroy,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatRadioModule } from '@angular/material/radio';
import { MatSelectModule } from '@angular/material/select';
import { RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import {
  AiMetricId,
  AiProposedScore,
  Review,
  ReviewComment,
  ReviewContext,
  ReviewQueueItem,
  ReviewSource,
  weightedScore,
} from '@rehearse/shared/contracts';
import { addressesNothing, ApiProblem, FeedbackApi, problemText, toProblem } from '@rehearse/web/data-access';
import { AnswerMedia, mmss, TimelineMarker } from './answer-media';
import { loadedValue, worthRetrying } from '../../core/load-state';

/** How long the review waits after the last change before it saves the draft. */
export const AUTOSAVE_DELAY_MS = new InjectionToken<number>('AUTOSAVE_DELAY_MS', { factory: () => 1200 });

type SaveState = 'idle' | 'pending' | 'saving' | 'saved' | 'error' | 'conflict';

const ROLE_TITLE: Record<ReviewSource, string> = {
  coach: $localize`Coach review`,
  peer: $localize`Peer review`,
  self: $localize`Self-assessment`,
};

/**
 * The review screen for coaches, peers and the trainee on themselves: the answer with its
 * transcript, time-coded comments with marker tags on a timeline, the AI's draft markers to accept
 * or dismiss (coaches), a score per criterion with its level descriptors and the weighted total,
 * a summary; the draft saves itself and is published with one click.
 */
@Component({
  selector: 'rh-review-page',
  imports: [
    DecimalPipe,
    DatePipe,
    FormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    MatRadioModule,
    MatSelectModule,
    RouterLink,
    AnswerMedia,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      @if (problem(); as p) {
        @if (addressesNothing(p)) {
          <h1 i18n>Answer not found</h1>
          <p i18n class="card error-text" role="alert">No such answer, or it is not yours to review.</p>
        } @else {
          <h1 i18n>Could not open the review</h1>
          <p class="card error-text" role="alert">{{ p.message }}</p>
        }
        @if (worthRetrying(p)) { <button i18n mat-stroked-button type="button" (click)="load()">Try again</button> }
        @else { <a i18n mat-stroked-button routerLink="/">Back to your home page</a> }
      } @else if (ctx(); as c) {
        <h1>{{ title(c.role) }}: {{ c.answer.exerciseTitle }}</h1>
        <p i18n class="muted">@if (c.role === 'self') { Your answer } @else { {{ c.participantName }} } · attempt {{ c.answer.attempt }} · {{ c.answer.submittedAt | date: 'mediumDate' }}</p>
        @if (c.answer.exercise.prompt) { <blockquote>{{ c.answer.exercise.prompt }}</blockquote> }

        @if (c.answer.recording; as r) {
          <rh-answer-media #media [recording]="r" [markers]="markers()" />
        } @else if (c.answer.text) {
          <div class="card answer-text">{{ c.answer.text }}</div>
        }

        <div class="status" role="status" aria-live="polite">
          @switch (save()) {
            @case ('saving') { <ng-container i18n>Saving…</ng-container> }
            @case ('pending') { <ng-container i18n>Unsaved changes</ng-container> }
            @case ('saved') { <ng-container i18n>Draft saved</ng-container> }
            @case ('error') { <span class="error-text">{{ saveError() }}</span> }
            @case ('conflict') { <span i18n class="error-text">This review was changed elsewhere.</span> <button i18n mat-button type="button" (click)="load()">Reload</button> }
          }
          @if (published()) { <strong i18n>Published</strong> }
        </div>

        <div class="columns">
          <div class="card">
            <h2 i18n>Comments</h2>
            @if (!published()) {
              <form class="comment-form" (ngSubmit)="addComment()">
                <mat-form-field class="grow">
                  <mat-label i18n>Comment at {{ mmss(commentAt()) }}</mat-label>
                  <input matInput name="comment" [(ngModel)]="newComment" (input)="typing()" maxlength="2000" />
                </mat-form-field>
                <mat-form-field class="tag">
                  <mat-label i18n>Tag</mat-label>
                  <mat-select name="tag" [(ngModel)]="newTag">
                    <mat-option i18n [value]="null">No tag</mat-option>
                    @for (t of c.markerTags; track t) { <mat-option [value]="t">{{ t }}</mat-option> }
                  </mat-select>
                </mat-form-field>
                <button i18n mat-stroked-button type="submit" [disabled]="!newComment.trim()">Add</button>
              </form>
            }
            <ul class="plain comments">
              @for (cm of comments(); track $index) {
                <li>
                  <button mat-button type="button" (click)="seek(cm.at)">{{ mmss(cm.at) }}</button>
                  @if (editingComment() === cm) {
                    <!-- its words and tag changed in place: the moment stays -->
                    <form class="grow edit-form" (ngSubmit)="saveComment(cm)">
                      <mat-form-field class="grow">
                        <mat-label i18n>Comment at {{ mmss(cm.at) }}</mat-label>
                        <input #editInput matInput name="editComment" [(ngModel)]="editText" maxlength="2000" (keydown.escape)="cancelEdit()" />
                      </mat-form-field>
                      <mat-form-field class="tag">
                        <mat-label i18n>Tag</mat-label>
                        <mat-select name="editTag" [(ngModel)]="editTag">
                          <mat-option i18n [value]="null">No tag</mat-option>
                          @for (t of tagsFor(c.markerTags, cm.tag); track t) { <mat-option [value]="t">{{ t }}</mat-option> }
                        </mat-select>
                      </mat-form-field>
                      <button i18n mat-stroked-button type="submit" [disabled]="!editText.trim()">Save</button>
                      <button i18n mat-button type="button" (click)="cancelEdit()">Cancel</button>
                    </form>
                  } @else {
                    <!-- the tag and the words in one run of text: a long comment wraps beside its time, under its tag -->
                    <span class="grow">@if (cm.tag) {<span class="chip">{{ cm.tag }}</span> }@if (cm.aiFinding) {<span i18n class="chip ai">AI</span> }{{ cm.text }}</span>
                    @if (!published()) {
                      <!-- together: on a phone they take the next line side by side -->
                      <span class="actions">
                        <button i18n mat-button type="button" (click)="editComment(cm)" [attr.aria-label]="aria.editComment(mmss(cm.at))">Edit</button>
                        <button i18n mat-button type="button" (click)="removeComment($index)" [attr.aria-label]="aria.removeComment(mmss(cm.at))">Remove</button>
                      </span>
                    }
                  }
                </li>
              } @empty { <li i18n class="muted empty">No comments yet. Write what you notice where it happens: the answer stops while you type, and the comment keeps that moment.</li> }
            </ul>

            @if (c.role === 'coach' && c.aiMarkers.length) {
              <h3 i18n>AI findings</h3>
              <p i18n class="muted small">Accepted findings are added to your comments when you publish; dismissed ones stay with you. Findings marked “check by listening” rest on words the recogniser may have misheard.</p>
              <ul class="plain">
                @for (m of c.aiMarkers; track m.key) {
                  <li class="ai-row">
                    <button mat-button type="button" (click)="seek(m.at)">{{ mmss(m.at) }}</button>
                    <span class="grow">{{ m.label }}@if (m.lowConfidence) { <span i18n class="check"> · check by listening</span> }</span>
                    <span class="muted small">{{ published() && decision(m.key) === 'proposed' ? notUsed : decisionNames[decision(m.key)] }}</span>
                    @if (!published()) {
                      <button mat-button type="button" (click)="decide(m.key, 'accepted')" [disabled]="decision(m.key) === 'accepted'">@if (m.lowConfidence) {<ng-container i18n>Confirm, I heard it</ng-container>} @else {<ng-container i18n>Accept</ng-container>}</button>
                      <button i18n mat-button type="button" (click)="decide(m.key, 'dismissed')" [disabled]="decision(m.key) === 'dismissed'">Dismiss</button>
                    }
                  </li>
                }
              </ul>
            }
          </div>

          <div class="card">
            <h2 i18n>Scores</h2>
            @for (cr of c.criteria; track cr.id) {
              <fieldset class="criterion">
                <legend>{{ cr.title }} <span i18n class="muted small">weight {{ cr.weight }}</span></legend>
                @if (cr.description) { <p class="muted small">{{ cr.description }}</p> }
                <!-- what the AI's score rests on: how many of the measurements linked to the criterion were within their aims, and which -->
                @if (proposal(cr.id); as p) { <p i18n class="small ai-hint">AI suggests {{ p.score }}: {{ p.passed }} of {{ p.basis.length }} linked measurements within their aims ({{ metricNames(p.basis) }}); your score counts</p> }
                <mat-radio-group [name]="'crit-' + cr.id" [ngModel]="scores()[cr.id]" (ngModelChange)="score(cr.id, $event)" [disabled]="published()" [attr.aria-label]="cr.title">
                  @for (l of cr.levels; track l.score) {
                    <mat-radio-button [value]="l.score"><strong>{{ l.score }}</strong> — {{ l.descriptor }}</mat-radio-button>
                  }
                </mat-radio-group>
              </fieldset>
            } @empty { <p i18n class="muted">This exercise has no rubric: write a summary or comments.</p> }
            @if (c.criteria.length) { <p i18n class="total">Weighted total: <strong>{{ (total() | number: '1.0-2') ?? '—' }}</strong></p> }
            @if (published()) {
              <!-- published: the summary as text to read, not a greyed-out field -->
              <h3 i18n>Summary</h3>
              <p class="published-summary">{{ summary() || '—' }}</p>
            } @else {
              <mat-form-field class="full">
                <mat-label i18n>Summary</mat-label>
                <textarea matInput rows="4" name="summary" [ngModel]="summary()" (ngModelChange)="summary.set($event); changed()" maxlength="5000"></textarea>
              </mat-form-field>
            }
            @if (publishError()) { <p class="error-text" role="alert">{{ publishError() }}</p> }
            @if (!published()) {
              <button mat-flat-button type="button" (click)="publish()" [disabled]="publishing()">@if (c.role === 'self') {<ng-container i18n>Submit my self-assessment</ng-container>} @else {<ng-container i18n>Publish feedback</ng-container>}</button>
            } @else if (c.role === 'self') {
              <a i18n mat-stroked-button [routerLink]="['/answers', c.answer.id]">See all feedback</a>
            } @else if (c.role === 'peer') {
              <div class="next"><a i18n mat-stroked-button routerLink="/peer-reviews">Back to your peer reviews</a></div>
            } @else if (c.role === 'coach' && nextUp() !== undefined) {
              <!-- published just now: on to the next answer waiting (of the course the queue showed) -->
              <div class="next">
                @if (nextUp(); as n) {
                  <a mat-flat-button [routerLink]="['/review', n.answerId]" [queryParams]="courseId() ? { courseId: courseId() } : {}"><ng-container i18n>Next answer: {{ n.participantName }}, {{ n.exerciseTitle }}</ng-container></a>
                } @else {
                  <p i18n>Nothing else is waiting for your feedback.</p>
                }
                <a i18n mat-button routerLink="/coaching/reviews" [queryParams]="courseId() ? { courseId: courseId() } : {}">Back to the queue</a>
              </div>
            }
          </div>
        </div>

        @if (c.otherReviews.length) {
          <div class="card">
            <h2 i18n>What others said</h2>
            @for (o of c.otherReviews; track o.id) {
              <p i18n><strong>@if (o.source === 'self') {Self-assessment} @else {Peer {{ o.reviewerName ?? '' }}}</strong> · total {{ (o.total | number: '1.0-2') ?? '—' }} — {{ o.summary }}</p>
              @if (o.comments.length) {
                <!-- their comments too, each at its moment (on the timeline as well) -->
                <ul class="plain comments others">
                  @for (cm of o.comments; track $index) {
                    <li>
                      @if (c.answer.recording) { <button mat-button type="button" (click)="seek(cm.at)" [attr.aria-label]="aria.playFrom(mmss(cm.at))">{{ mmss(cm.at) }}</button> }
                      <span class="grow">@if (cm.tag) {<span class="chip">{{ cm.tag }}</span>{{ ' ' }}}{{ cm.text }}</span>
                    </li>
                  }
                </ul>
              }
            }
          </div>
        }
      } @else {
        <mat-progress-bar i18n-aria-label mode="indeterminate" aria-label="Loading the review" />
      }
    </section>
  `,
  styles: `
    .check { color: #a84300; font-size: .9em; }
    .columns { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; align-items: start; }
    .columns > * { min-width: 0; }
    @media (max-width: 900px) { .columns { grid-template-columns: 1fr; } }
    .comment-form { display: flex; gap: 8px; align-items: baseline; flex-wrap: wrap; }
    .grow { flex: 1; } .tag { width: 160px; } .full { width: 100%; }
    .comments li, .ai-row { display: flex; gap: 8px; align-items: center; }
    /* a comment's or finding's words keep a width of their own: on a phone they take a line rather
       than a column a letter wide beside the row's buttons */
    .comments li .grow, .ai-row .grow { flex: 1 1 12em; }
    .next { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin-top: 8px; }
    .next p { margin: 0; }
    /* the next answer's name may take two lines on a phone: the button grows with it */
    .next .mat-mdc-unelevated-button { height: auto; min-height: 40px; padding-block: 8px; }
    .edit-form { display: flex; gap: 8px; align-items: baseline; flex-wrap: wrap; }
    .comments .actions { display: flex; margin-left: auto; }
    .criterion { border: 1px solid var(--mat-sys-outline-variant); border-radius: 8px; margin: 0 0 12px; }
    mat-radio-group { display: grid; gap: 4px; }
    /* a comment's tag (and the AI's mark) before its words, set apart from them */
    .chip { display: inline-block; margin-right: 6px; padding: 0 6px; border-radius: 6px; background: var(--mat-sys-surface-container-high); font-size: .9em; }
    .chip.ai, .ai-hint { color: #a84300; }
    .status { min-height: 24px; margin: 8px 0; }
    .answer-text { white-space: pre-wrap; }
    .published-summary { white-space: pre-wrap; margin-top: 0; }
    .small { font-size: .85em; }
    /* phones: last, so it wins over the widths above */
    @media (max-width: 600px) {
      .comments li, .ai-row { flex-wrap: wrap; }
      .comment-form .tag, .comment-form .grow, .edit-form .tag, .edit-form .grow { width: 100%; flex: 1 1 100%; }
      /* a finding's state stays beside its words; its buttons take the next line, and a line
         between findings says which buttons are whose */
      .ai-row .grow { flex-basis: 9em; }
      .ai-row { padding-bottom: 4px; border-bottom: 1px solid var(--mat-sys-outline-variant); }
    }
  `,
})
export class ReviewPage implements OnDestroy, HoldsUnsavedWork {
  protected readonly decisionNames = DECISION_NAMES;
  /** a finding the coach left undecided when publishing: it was not added to the comments */
  protected readonly notUsed = $localize`:an AI finding the coach left undecided when publishing the review:not used`;
  protected readonly aria = ARIA;
  protected readonly worthRetrying = worthRetrying;
  protected readonly addressesNothing = addressesNothing;
  readonly id = input.required<string>();
  /** ?courseId=: the queue showed one course's answers, and "next" stays in that course */
  readonly courseId = input<string | undefined>(undefined);
  /** after publishing: the next answer waiting (null: none), undefined until then */
  protected readonly nextUp = signal<ReviewQueueItem | null | undefined>(undefined);
  private readonly api = inject(FeedbackApi);
  private readonly delay = inject(AUTOSAVE_DELAY_MS);
  /** the answer to review and the reviewer's draft, for the id in the route (again when it changes) */
  protected readonly loaded = rxResource({ params: () => this.id(), stream: ({ params }) => this.api.context(params) });
  protected readonly ctx = loadedValue(this.loaded);
  protected readonly problem = computed<ApiProblem | null>(() =>
    this.loaded.status() === 'error' ? toProblem(this.loaded.error()) : null,
  );
  /** the answer the editable state below belongs to (what an autosave saves to) */
  private editing: string | null = null;
  protected readonly scores = signal<Record<string, number>>({});
  protected readonly summary = signal('');
  protected readonly comments = signal<ReviewComment[]>([]);
  protected readonly decisions = signal<Record<string, 'accepted' | 'dismissed'>>({});
  protected readonly save = signal<SaveState>('idle');
  protected readonly saveError = signal<string | null>(null);
  protected readonly publishError = signal<string | null>(null);
  protected readonly publishing = signal(false);
  protected readonly published = signal(false);
  private revision: number | undefined;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private saving: Promise<void> | null = null;
  protected newComment = '';
  /** the comment whose words are being changed */
  protected readonly editingComment = signal<ReviewComment | null>(null);
  protected editText = '';
  protected editTag: string | null = null;
  private readonly editInput = viewChild<ElementRef<HTMLInputElement>>('editInput');
  private readonly injector = inject(Injector);
  /** the answer was playing when the comment being written stopped it */
  private resumeAfterComment = false;
  protected newTag: string | null = null;
  private readonly media = viewChild<AnswerMedia>('media');
  protected readonly mmss = mmss;

  protected readonly total = computed(() => weightedScore(this.ctx()?.criteria ?? [], this.scores()));
  protected readonly markers = computed<TimelineMarker[]>(() => {
    const c = this.ctx();
    if (!c) return [];
    const own: TimelineMarker[] = this.comments().map((cm) => ({
      at: cm.at,
      label: cm.text,
      kind: cm.aiFinding ? 'ai-accepted' : c.role,
    }));
    const ai: TimelineMarker[] = c.aiMarkers
      .filter((m) => this.decision(m.key) !== 'dismissed')
      .map((m) => ({ at: m.at, label: m.label, kind: this.decision(m.key) === 'accepted' ? 'ai-accepted' : 'ai' }));
    // what the trainee (self-assessment) and their peers noted, where they noted it
    const others: TimelineMarker[] = c.otherReviews.flatMap((o) =>
      o.comments.map((cm) => ({
        at: cm.at,
        label: $localize`${this.otherName(o)}:reviewer:: ${cm.text}:comment:`,
        kind: o.source,
      })),
    );
    return [...own, ...ai, ...others];
  });

  /** whose review it is: the self-assessment, or the peer by name */
  otherName(o: Review): string {
    return o.source === 'self' ? $localize`Self-assessment` : $localize`Peer ${o.reviewerName ?? ''}:name:`;
  }

  title(role: ReviewSource): string {
    return ROLE_TITLE[role];
  }

  /**
   * Work that leaving would lose: a comment written and not added, or a comment's change not saved
   * (the review's own changes are saved as the page goes, or are on their way).
   */
  hasUnsavedWork(): boolean {
    return !this.published() && (!!this.newComment.trim() || this.editingComment() !== null);
  }

  constructor() {
    // the browser asks before the tab closes with such work, or with changes whose save has not
    // reached the server yet (the page's own save on leaving cannot finish once the tab is gone)
    warnBeforeUnload(() => this.hasUnsavedWork() || ['pending', 'saving', 'error'].includes(this.save()));
    // another answer in the route: what is still unsaved goes to the answer it was made on first
    effect(() => {
      this.id();
      untracked(() => {
        if (this.timer) void this.flush();
      });
    });
    // a context arrived (the first, another answer's, or the same again after Reload): the
    // editable state starts from its draft
    effect(() => {
      const c = this.ctx();
      if (c && this.loaded.status() === 'resolved') untracked(() => this.reset(c));
    });
  }

  /** Loads the review again (after a failure, or to see the draft as it was saved elsewhere). */
  load(): void {
    this.loaded.reload();
  }

  private reset(c: ReviewContext): void {
    const r = c.review;
    this.revision = r && r.state !== 'assigned' ? r.revision : undefined;
    this.scores.set(r?.scores ?? {});
    this.summary.set(r?.summary ?? '');
    this.comments.set(r?.comments ?? []);
    this.decisions.set(
      Object.fromEntries(
        c.aiMarkers
          .filter((m) => m.decision !== 'proposed')
          .map((m) => [m.key, m.decision as 'accepted' | 'dismissed']),
      ),
    );
    this.published.set(r?.state === 'published');
    this.save.set('idle');
    this.saveError.set(null);
    this.publishError.set(null);
    this.editing = c.answer.id;
    this.resumeAfterComment = false;
    this.nextUp.set(undefined);
    this.editingComment.set(null);
  }

  /** the AI's proposed score for the criterion, with what it rests on; null where it proposes none */
  proposal(criterionId: string): AiProposedScore | null {
    return this.ctx()?.aiProposed.find((p) => p.criterionId === criterionId) ?? null;
  }

  /** the measurements' names, in the reader's language ("pace, filler words and pauses" as a list) */
  metricNames(ids: readonly AiMetricId[]): string {
    return ids.map((id) => AI_METRIC_NAMES[id] ?? id).join(', ');
  }

  decision(key: string): 'proposed' | 'accepted' | 'dismissed' {
    return this.decisions()[key] ?? 'proposed';
  }

  commentAt(): number {
    return this.media()?.now() ?? 0;
  }

  seek(at: number): void {
    this.media()?.seek(at);
  }

  score(criterionId: string, value: number): void {
    this.scores.update((s) => ({ ...s, [criterionId]: value }));
    this.changed();
  }

  decide(key: string, d: 'accepted' | 'dismissed'): void {
    this.decisions.update((x) => ({ ...x, [key]: d }));
    this.changed();
  }

  /**
   * The first letter of a comment stops the answer (as a coach would pause to write), so the comment
   * keeps the moment it is about instead of the one its writing ends at; played again once added.
   */
  typing(): void {
    if (this.newComment.trim() && this.media()?.hold()) this.resumeAfterComment = true;
  }

  addComment(): void {
    const text = this.newComment.trim();
    if (!text) return;
    const at = this.commentAt();
    this.comments.update((list) =>
      [...list, { at, text, tag: this.newTag, aiFinding: null }].sort((a, b) => a.at - b.at),
    );
    this.newComment = '';
    this.newTag = null;
    if (this.resumeAfterComment) this.media()?.play();
    this.resumeAfterComment = false;
    this.changed();
  }

  /** The organisation's marker tags, and the comment's own where it is no longer one of them (kept unless changed). */
  tagsFor(tags: readonly string[], own: string | null): readonly string[] {
    return own && !tags.includes(own) ? [...tags, own] : tags;
  }

  /** Opens a comment's words and tag for a change in place (a typo, a better word, another tag), its moment kept. */
  editComment(comment: ReviewComment): void {
    this.editText = comment.text;
    this.editTag = comment.tag;
    this.editingComment.set(comment);
    afterNextRender(() => this.editInput()?.nativeElement.focus(), { injector: this.injector });
  }

  saveComment(comment: ReviewComment): void {
    const text = this.editText.trim();
    if (!text) return;
    const tag = this.editTag;
    this.comments.update((list) => list.map((cm) => (cm === comment ? { ...cm, text, tag } : cm)));
    this.editingComment.set(null);
    this.changed();
  }

  cancelEdit(): void {
    this.editingComment.set(null);
  }

  removeComment(i: number): void {
    const removed = this.comments()[i];
    this.comments.update((list) => list.filter((_, j) => j !== i));
    if (this.editingComment() === removed) this.editingComment.set(null);
    this.changed();
  }

  /** Schedules a save after the last change (autosave). */
  changed(): void {
    if (this.published() || this.save() === 'conflict') return;
    this.save.set('pending');
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), this.delay);
  }

  /** Saves now (one save at a time; a change during a save saves again after it). */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.saving) await this.saving;
    if (this.save() !== 'pending') return;
    this.saving = this.doSave();
    await this.saving;
    this.saving = null;
  }

  private async doSave(): Promise<void> {
    const answerId = this.editing;
    if (!answerId) return;
    this.save.set('saving');
    try {
      const r = await firstValueFrom(
        this.api.saveDraft(answerId, {
          revision: this.revision,
          scores: this.scores(),
          summary: this.summary(),
          comments: this.comments(),
          ...(this.ctx()?.role === 'coach' ? { aiDecisions: this.decisions() } : {}),
        }),
      );
      // (a save that ends after another answer was opened leaves that answer's state alone)
      if (this.editing !== answerId) return;
      this.revision = r.revision;
      if (this.save() === 'saving') this.save.set('saved');
    } catch (e) {
      if (this.editing !== answerId) return;
      const p = toProblem(e);
      if (p.status === 409) this.save.set('conflict');
      else {
        this.saveError.set(p.message);
        this.save.set('error');
      }
    }
  }

  async publish(): Promise<void> {
    this.publishError.set(null);
    // a comment's words still being changed go with it
    const open = this.editingComment();
    if (open !== null) {
      if (this.editText.trim()) this.saveComment(open);
      else this.cancelEdit();
    }
    this.publishing.set(true);
    try {
      if (this.revision === undefined || this.save() !== 'saved') {
        this.save.set('pending');
        await this.flush();
      }
      if (this.save() !== 'saved' || this.revision === undefined) return;
      const r = await firstValueFrom(this.api.publish(this.editing ?? this.id(), this.revision));
      this.revision = r.revision;
      this.comments.set(r.comments);
      this.published.set(true);
      if (this.ctx()?.role === 'coach') void this.findNext(this.editing ?? this.id());
    } catch (e) {
      this.publishError.set(problemText(toProblem(e)));
    } finally {
      this.publishing.set(false);
    }
  }

  /**
   * The answer waiting next in the coach's queue (of the course it showed, if one), to go on to:
   * the queue's first, asked for alone (the queue logs a look at each answer it lists, and only this
   * one is shown; the one just published left the queue with its publication). Nothing offered
   * where the queue cannot be read.
   */
  private async findNext(published: string): Promise<void> {
    try {
      const page = await firstValueFrom(this.api.queue(1, 1, this.courseId() || undefined));
      if (this.editing === published) this.nextUp.set(page.items.find((i) => i.answerId !== published) ?? null);
    } catch {
      // the link back to the queue is there all the same
      if (this.editing === published) this.nextUp.set(null);
    }
  }

  ngOnDestroy(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      void this.flush();
    }
  }
}
