import { type HoldsUnsavedWork, warnBeforeUnload } from '../../core/unsaved-work';
import {
  AI_METRIC_NAMES,
  ANSWER_TYPE_NAMES,
  ARIA,
  COURSE_STATUS_NAMES,
  FEEDBACK_SOURCE_NAMES,
  TEST_KIND_NAMES,
  VERSION_STATE_NAMES,
} from '../../core/labels';
import { ChangeDetectionStrategy, Component, computed, inject, input, linkedSignal, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { DatePipe } from '@angular/common';
import { FormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import {
  CdkDrag,
  CdkDragDrop,
  CdkDragHandle,
  CdkDropList,
  CdkDropListGroup,
  moveItemInArray,
  transferArrayItem,
} from '@angular/cdk/drag-drop';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { firstValueFrom } from 'rxjs';
import {
  ANSWER_TYPES,
  COURSE_LANGUAGES,
  CourseContent,
  CourseDetail,
  ExerciseContent,
  FEEDBACK_SOURCES,
  FeedbackSource,
  ModuleContent,
  Rubric,
  TEST_KINDS,
  AI_METRICS,
  AiMetricId,
  PEER_DEFAULTS,
  PeerReviewSettings,
  RubricCriterion,
} from '@rehearse/shared/contracts';
import { ApiProblem, AuthoringApi, HeldUpload, RecordingsApi, toProblem } from '@rehearse/web/data-access';
import { allPages } from '../../core/all-pages';
import { loadedValue, LoadState } from '../../core/load-state';
import { FilePick } from '../../core/file-pick';
import { SessionStore } from '../../core/session.store';

/** A deep copy of the content to edit: the draft, else the published version. */
function editableCopy(detail: CourseDetail | null): CourseContent | null {
  const source = detail?.draft?.content ?? detail?.published?.content ?? null;
  return source ? (JSON.parse(JSON.stringify(source)) as CourseContent) : null;
}

export function newExercise(): ExerciseContent {
  return {
    id: crypto.randomUUID(),
    title: $localize`New exercise`,
    instructions: '',
    prompt: null,
    answerType: 'video',
    preparationSeconds: 30,
    maxAnswerSeconds: 120,
    attemptsAllowed: 3,
    testKind: 'practice',
    feedback: ['coach'],
    rubricId: null,
    ai: {
      language: 'en',
      keyPhrases: [],
      avoidPhrases: [],
      wpmMin: 130,
      wpmMax: 175,
      maxFillersPerMinute: 4,
      targetDurationSeconds: null,
    },
  };
}

/** The course editor: a drag-and-drop tree of modules and exercises, an exercise form, publishing. */
@Component({
  selector: 'rh-course-editor',
  imports: [
    FilePick,
    DatePipe,
    FormsModule,
    RouterLink,
    CdkDropList,
    CdkDropListGroup,
    CdkDrag,
    CdkDragHandle,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    LoadState,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './course-editor.page.html',
  styles: `
    .layout { display: grid; grid-template-columns: minmax(340px, 1fr) minmax(0, 1.2fr); gap: 16px; align-items: start; }
    @media (max-width: 900px) { .layout { grid-template-columns: minmax(0, 1fr); } } /* (1fr would grow to an exercise's whole title) */
    .module { border: 1px solid var(--mat-sys-outline-variant); border-radius: 8px; padding: 8px; margin-bottom: 8px; background: var(--mat-sys-surface); }
    .exercise { display: flex; gap: 8px; align-items: center; padding: 6px 8px; border-radius: 6px; cursor: pointer; background: var(--mat-sys-surface-container-low); margin: 4px 0; }
    .exercise.selected { outline: 2px solid var(--mat-sys-primary); }
    .handle { cursor: grab; user-select: none; padding: 0 4px; }
    .drop-empty { min-height: 32px; border: 1px dashed var(--mat-sys-outline-variant); border-radius: 6px; }
    .cdk-drag-preview { box-shadow: var(--mat-sys-level3); }
    .cdk-drag-placeholder { opacity: .3; }
    .status { font-weight: 600; }
    .dirty { color: var(--mat-sys-tertiary); }
    .grow { flex: 1; min-width: 0; }
    /* the course's title fills the row beside its state, or takes a line of its own when it is long */
    .title { flex: 1 1 auto; }
    .mini { min-width: 28px; padding: 0 6px; }
    .module .row, .exercise { flex-wrap: nowrap; gap: 2px; }
    .title-input { font: inherit; font-weight: 600; border: 1px solid transparent; border-radius: 4px; padding: 4px; background: transparent; color: inherit; }
    .title-input:hover, .title-input:focus { border-color: var(--mat-sys-outline); }
    .exercise-title { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    .prompt-preview { width: 100%; max-width: 360px; border-radius: 8px; background: #000; }
    .label { font-weight: 500; }
    .cover { width: 160px; height: 100px; object-fit: cover; border-radius: 8px; }
  `,
})
export class CourseEditorPage implements HoldsUnsavedWork {
  protected readonly courseStatus = COURSE_STATUS_NAMES;
  protected readonly answerTypeNames = ANSWER_TYPE_NAMES;
  protected readonly testKindNames = TEST_KIND_NAMES;
  protected readonly feedbackNames = FEEDBACK_SOURCE_NAMES;
  protected readonly metricNames = AI_METRIC_NAMES;
  protected readonly versionStates = VERSION_STATE_NAMES;
  protected readonly aria = ARIA;
  readonly id = input.required<string>();
  private readonly api = inject(AuthoringApi);
  private readonly router = inject(Router);
  protected readonly answerTypes = ANSWER_TYPES;
  protected readonly testKinds = TEST_KINDS;
  protected readonly feedbackSources = FEEDBACK_SOURCES;
  protected readonly languages = COURSE_LANGUAGES;
  /** each language named in itself, as people look for their own */
  protected readonly languageNames: Record<string, string> = {
    en: 'English',
    nl: 'Nederlands',
    de: 'Deutsch',
    fr: 'Français',
    es: 'Español',
    pt: 'Português',
  };
  protected readonly aiMetrics = AI_METRICS;

  /**
   * The course of the route's id. Another id (Duplicate opens the copy in this same page) loads
   * that course and starts over: its content, selection, notices and unsaved state are its own.
   */
  protected readonly loaded = rxResource({
    params: () => this.id(),
    stream: ({ params: id }) => this.api.course(id),
  });
  private readonly loadedCourse = loadedValue(this.loaded);
  /** the course as last answered by the server (loads, saves, cover changes) */
  protected readonly detail = linkedSignal<CourseDetail | null>(() => this.loadedCourse());
  /** the content being edited: a copy of the draft (or the published version) */
  protected readonly content = linkedSignal<CourseContent | null>(() => editableCopy(this.loadedCourse()));
  /** the whole rubric library (not only its first page): exercises choose from it and show their rubric's criteria */
  private readonly rubricList = rxResource({
    stream: () => allPages((page, pageSize) => this.api.rubrics({ page, pageSize })),
  });
  protected readonly rubrics = computed<Rubric[]>(() =>
    this.rubricList.hasValue() ? this.rubricList.value().items.filter((r) => !r.archived) : [],
  );
  protected readonly selectedId = linkedSignal<string, string | null>({ source: this.id, computation: () => null });
  protected readonly dirty = linkedSignal<CourseDetail | null, boolean>({
    source: this.loadedCourse,
    computation: () => false,
  });
  protected readonly busy = signal(false);
  /** what a prompt may be: the recording formats the pipeline reads */
  protected readonly promptTypes = '.webm,.mp4,.mov,.m4a,.mp3,.wav,.ogg,video/*,audio/*';
  protected readonly problem = linkedSignal<string, ApiProblem | null>({ source: this.id, computation: () => null });
  protected readonly notice = linkedSignal<string, string | null>({ source: this.id, computation: () => null });
  protected readonly coverVersion = signal(0);
  protected readonly recordings = inject(RecordingsApi);
  private readonly session = inject(SessionStore);
  protected readonly promptUpload = signal<number | null>(null);
  protected readonly promptError = signal<string | null>(null);
  protected changeSummary = '';
  /** changes to the course not saved yet */
  hasUnsavedWork(): boolean {
    return this.dirty();
  }

  constructor() {
    // the browser asks before the tab closes with changes not saved (the route's guard asks inside the app)
    warnBeforeUnload(() => this.hasUnsavedWork());
  }
  protected readonly editable = computed(() => !!this.detail()?.draft && this.detail()?.status !== 'archived');
  protected readonly selected = computed(() => {
    const id = this.selectedId();
    for (const m of this.content()?.modules ?? []) for (const e of m.exercises) if (e.id === id) return e;
    return null;
  });

  /** After a conflict: the course as it is now on the server (unsaved changes are dropped). */
  reload(): void {
    this.problem.set(null);
    this.loaded.reload();
  }

  private apply(detail: CourseDetail): void {
    this.detail.set(detail);
    this.content.set(editableCopy(detail));
    this.dirty.set(false);
  }

  /** a prompt the server has whole but could not store for now: submitted again by its id */
  private readonly heldPrompt = new HeldUpload();

  /** Uploads a prompt video or audio (resumable) and references it from the exercise; saved with the draft. */
  async uploadPrompt(e: ExerciseContent, file: File): Promise<void> {
    this.promptError.set(null);
    this.promptUpload.set(0);
    try {
      const media = await this.heldPrompt.send(file, {
        upload: () =>
          this.recordings.upload(
            file,
            'prompt',
            file.name,
            (f) => this.promptUpload.set(Math.round(f * 100)),
            this.session.me()?.id,
          ),
        submit: (uploadId) => firstValueFrom(this.recordings.uploadPrompt(this.id(), uploadId)),
        discard: (uploadId) => void firstValueFrom(this.recordings.discardUpload(uploadId)).catch(() => undefined),
      });
      e.promptMediaId = media.id;
      this.touch();
    } catch (err) {
      this.promptError.set(toProblem(err).message);
    } finally {
      this.promptUpload.set(null);
    }
  }

  /** Marks the working copy changed and re-renders. */
  touch(): void {
    this.dirty.set(true);
    const c = this.content();
    if (c) this.content.set({ ...c });
  }

  addModule(): void {
    this.content()?.modules.push({
      id: crypto.randomUUID(),
      title: $localize`Module ${(this.content()?.modules.length ?? 0) + 1}:number:`,
      exercises: [],
    });
    this.touch();
  }

  removeModule(m: ModuleContent): void {
    const c = this.content();
    if (!c) return;
    if (
      m.exercises.length &&
      !confirm(
        m.exercises.length === 1
          ? $localize`Delete "${m.title}:title:" and its exercise?`
          : $localize`Delete "${m.title}:title:" and its ${m.exercises.length}:count: exercises?`,
      )
    )
      return;
    c.modules = c.modules.filter((x) => x !== m);
    this.touch();
  }

  addExercise(m: ModuleContent): void {
    const e = newExercise();
    e.ai.language = this.content()?.language ?? 'en';
    m.exercises.push(e);
    this.selectedId.set(e.id);
    this.touch();
  }

  removeExercise(m: ModuleContent, e: ExerciseContent): void {
    if (!confirm($localize`Delete the exercise "${e.title}"?`)) return;
    m.exercises = m.exercises.filter((x) => x !== e);
    if (this.selectedId() === e.id) this.selectedId.set(null);
    this.touch();
  }

  dropModule(event: CdkDragDrop<ModuleContent[]>): void {
    const c = this.content();
    if (!c || event.previousIndex === event.currentIndex) return;
    moveItemInArray(c.modules, event.previousIndex, event.currentIndex);
    this.touch();
  }

  dropExercise(event: CdkDragDrop<ExerciseContent[]>): void {
    if (event.previousContainer === event.container) {
      if (event.previousIndex === event.currentIndex) return;
      moveItemInArray(event.container.data, event.previousIndex, event.currentIndex);
    } else {
      transferArrayItem(event.previousContainer.data, event.container.data, event.previousIndex, event.currentIndex);
    }
    this.touch();
  }

  /** Keyboard alternative to dragging. */
  move<T>(list: T[], index: number, delta: number): void {
    const to = index + delta;
    if (to < 0 || to >= list.length) return;
    moveItemInArray(list, index, to);
    this.touch();
  }

  toggleFeedback(e: ExerciseContent, source: FeedbackSource, on: boolean): void {
    e.feedback = on ? [...new Set([...e.feedback, source])] : e.feedback.filter((f) => f !== source);
    this.touch();
  }

  /** the criteria of the exercise's rubric (from the library), for peer criteria and AI links */
  criteriaOf(e: ExerciseContent): RubricCriterion[] {
    return this.rubrics().find((r) => r.id === e.rubricId)?.criteria ?? [];
  }

  /** what the form shows: the exercise's peer settings or the defaults (without changing the exercise) */
  peerOf(e: ExerciseContent): PeerReviewSettings {
    return e.peerReview ?? { reviewers: PEER_DEFAULTS.reviewers, dueDays: PEER_DEFAULTS.dueDays, criterionIds: [] };
  }

  private peer(e: ExerciseContent): PeerReviewSettings {
    e.peerReview ??= { reviewers: PEER_DEFAULTS.reviewers, dueDays: PEER_DEFAULTS.dueDays, criterionIds: [] };
    return e.peerReview;
  }

  setPeer(e: ExerciseContent, key: 'reviewers' | 'dueDays', v: unknown): void {
    const n = Number(v);
    if (Number.isInteger(n) && n > 0) this.peer(e)[key] = n;
    this.touch();
  }

  setPeerCriteria(e: ExerciseContent, ids: string[]): void {
    this.peer(e).criterionIds = ids;
    this.touch();
  }

  linkedMetrics(e: ExerciseContent, criterionId: string): AiMetricId[] {
    return e.ai.criterionLinks?.find((l) => l.criterionId === criterionId)?.metrics ?? [];
  }

  setLinks(e: ExerciseContent, criterionId: string, metrics: AiMetricId[]): void {
    const rest = (e.ai.criterionLinks ?? []).filter((l) => l.criterionId !== criterionId);
    e.ai.criterionLinks = metrics.length ? [...rest, { criterionId, metrics }] : rest;
    this.touch();
  }

  phrases(list: string[]): string {
    return list.join('\n');
  }

  setPhrases(e: ExerciseContent, key: 'keyPhrases' | 'avoidPhrases', text: string): void {
    e.ai[key] = text
      .split('\n')
      .map((s) => s.trim())
      .filter(Boolean);
    this.touch();
  }

  numberOrNull(v: unknown): number | null {
    return v === '' || v === null || v === undefined ? null : Number(v);
  }

  save(): Promise<void> {
    return this.run(async () => {
      const d = this.detail();
      const c = this.content();
      if (!d?.draft || !c) return;
      this.apply(await firstValueFrom(this.api.saveDraft(this.id(), d.draft.revision, c)));
      this.notice.set($localize`Draft saved.`);
    });
  }

  startDraft(): Promise<void> {
    return this.run(async () => this.apply(await firstValueFrom(this.api.startDraft(this.id()))));
  }

  publish(): Promise<void> {
    return this.run(async () => {
      if (this.dirty()) await this.save();
      if (this.problem()) return;
      this.apply(await firstValueFrom(this.api.publish(this.id(), this.changeSummary.trim())));
      this.changeSummary = '';
      this.notice.set(
        $localize`Published version ${this.detail()?.publishedVersion}. Trainees see it now; earlier answers keep the version they answered.`,
      );
    });
  }

  duplicate(): Promise<void> {
    return this.run(async () => {
      const copy = await firstValueFrom(this.api.duplicate(this.id()));
      await this.router.navigate(['/authoring/courses', copy.id]);
    });
  }

  setArchived(archived: boolean): Promise<void> {
    return this.run(async () => this.apply(await firstValueFrom(this.api.setArchived(this.id(), archived))));
  }

  exportUrl(): string {
    return this.api.exportUrl(this.id());
  }

  coverUrl(): string {
    return `/api/courses/${encodeURIComponent(this.id())}/cover?v=${this.coverVersion()}`;
  }

  async uploadCover(file: File): Promise<void> {
    await this.run(async () => {
      if (file.size > 512 * 1024) throw new Error($localize`The image must be at most 512 KB.`);
      const dataUrl = await new Promise<string>((resolve, reject) => {
        const reader = new FileReader();
        reader.onload = () => resolve(String(reader.result));
        reader.onerror = () => reject(new Error($localize`The file could not be read.`));
        reader.readAsDataURL(file);
      });
      const detail = await firstValueFrom(this.api.setCover(this.id(), dataUrl));
      this.detail.set(detail);
      this.coverVersion.update((v) => v + 1);
    });
  }

  removeCover(): Promise<void> {
    return this.run(async () => this.detail.set(await firstValueFrom(this.api.removeCover(this.id()))));
  }

  private async run(fn: () => Promise<void>): Promise<void> {
    this.busy.set(true);
    this.problem.set(null);
    this.notice.set(null);
    try {
      await fn();
    } catch (e) {
      this.problem.set(toProblem(e));
    } finally {
      this.busy.set(false);
    }
  }
}
