import {
  ChangeDetectionStrategy,
  Component,
  computed,
  ElementRef,
  effect,
  inject,
  input,
  signal,
  viewChild,
} from '@angular/core';
import { firstValueFrom } from 'rxjs';
import { RecordingSummary, TranscriptView, TranscriptWordView } from '@rehearse/shared/contracts';
import { engineName, recogniserAccuracy } from '../../core/labels';
import { RecordingsApi, toProblem } from '@rehearse/web/data-access';
import { MediaTrouble } from '../recordings/media-trouble';
import { RecordingPlayer } from '../recordings/recording-player';

/** A point on the answer's timeline: a comment, an AI finding, a pause … */
export interface TimelineMarker {
  at: number;
  label: string;
  kind: 'coach' | 'peer' | 'self' | 'ai' | 'ai-accepted' | 'draft';
}

/**
 * m:ss, the whole seconds gone by, as the browser's media controls write them: the timeline's
 * length and a comment's moment read the same as the player beside them (10.6 s is 0:10 in both).
 */
export function mmss(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** Index of the word being spoken at `t`: the last word started by then, while it lasts; −1 in a gap. */
export function spokenWordAt(words: readonly { start: number; end: number }[], t: number): number {
  for (let i = words.length - 1; i >= 0; i--) {
    if (words[i].start <= t) return t < words[i].end + 0.05 ? i : -1;
  }
  return -1;
}

/** A passage of the transcript (a segment of the engine's) and its words, each with its place among all the words. */
export interface Passage {
  start: number;
  words: { i: number; word: TranscriptWordView }[];
}

/**
 * The words in the transcript's passages: each word goes to the passage its middle falls in (the
 * engine times words and segments separately, so a word may start a moment before its segment).
 * Without segments the words make one passage. Without word times (an engine that gave only its
 * passages) each passage's text is its words, all at the passage's time: shown and playable from
 * the passage, none highlighted as spoken (their places lie past the transcript's words).
 */
export function passagesOf(t: Pick<TranscriptView, 'segments' | 'words'>): Passage[] {
  if (!t.words.length) {
    let i = 0;
    return t.segments
      .map((s) => ({
        start: s.start,
        words: s.text
          .split(/\s+/)
          .filter(Boolean)
          .map((text) => ({ i: i++, word: { start: s.start, end: s.end, text, confidence: null } })),
      }))
      .filter((p) => p.words.length > 0);
  }
  const segments = t.segments.length ? t.segments : [{ start: t.words[0]?.start ?? 0 }];
  const passages: Passage[] = segments.map((s) => ({ start: s.start, words: [] }));
  let k = 0;
  t.words.forEach((word, i) => {
    const middle = (word.start + word.end) / 2;
    while (k + 1 < segments.length && middle >= segments[k + 1].start) k++;
    passages[k].words.push({ i, word });
  });
  return passages.filter((p) => p.words.length > 0);
}

/**
 * The answer's video or audio with its transcript beside it and a timeline of markers under it
 * (clicking one seeks). The transcript is a button per passage (role and keys; drawn as running
 * text), so a keyboard reaches it in a few stops and each target is large; the word being spoken is
 * highlighted, and clicking a word plays from that word (Enter or Space on a passage plays from the
 * passage).
 * Until the recording is transcribed, the processing player stands in.
 */
@Component({
  selector: 'rh-answer-media',
  imports: [RecordingPlayer, MediaTrouble],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @let r = recording();
    @if (r.status !== 'transcribed') {
      <rh-recording-player [recording]="r" />
    } @else {
      <div class="media-and-transcript">
        <div class="media">
          @if (r.kind === 'video') {
            <video i18n-aria-label #media controls preload="metadata" [src]="api.contentUrl(r.id)" (timeupdate)="tick()" (loadedmetadata)="loaded()" aria-label="The answer"></video>
            <rh-media-trouble [media]="media" [recordingId]="r.id" />
          } @else {
            <audio i18n-aria-label #media controls preload="metadata" [src]="api.contentUrl(r.id)" (timeupdate)="tick()" (loadedmetadata)="loaded()" aria-label="The answer"></audio>
            <rh-media-trouble [media]="media" [recordingId]="r.id" />
          }
          <div i18n-aria-label class="timeline" role="group" aria-label="Timeline of comments and findings">
            <div class="playhead" [style.left.%]="percent(time())"></div>
            @for (m of markers(); track $index) {
              <button type="button" class="marker" [class]="'marker ' + m.kind" [style.left.%]="percent(m.at)" [attr.aria-label]="mmss(m.at) + ' ' + m.label" [title]="mmss(m.at) + ' ' + m.label" (click)="seek(m.at)"></button>
            }
          </div>
          <p class="muted small">{{ mmss(time()) }} / {{ mmss(duration()) }}</p>
        </div>
        <div i18n-aria-label class="transcript" aria-label="Transcript">
          @if (transcript(); as t) {
            @if (t.noSpeech) {
              <p i18n class="muted">No speech detected in this recording.</p>
            } @else {
              <p class="words">
                <!-- spaces between the words and the passages: they are read, copied and announced as words.
                     A passage is a button to assistive technology and the keyboard, drawn as the text it is: a
                     <button> is a box of its own (inline-block), so each passage began a new line and a
                     sentence the engine cut in two ("… sorry your order" | "is late again.") read as two -->
                @for (p of passages(); track $index) {
                  <span class="passage" role="button" tabindex="0" (click)="playFrom($event, p)" (keydown.enter)="playFrom($event, p)" (keydown.space)="$event.preventDefault(); playFrom($event, p)">@for (w of p.words; track w.i) {<span class="word" [attr.data-word]="w.i" [class.current]="w.i === current()" [class.unsure]="unsure(w.word)" [attr.title]="unsure(w.word) ? unsureTitle : null">{{ w.word.text }}</span>{{ ' ' }}}</span>{{ ' ' }}
                }
              </p>
              <p i18n class="muted small engine">Transcribed on this installation by {{ engineName(t.engine) }} ({{ t.model }}): {{ accuracy(t) }}</p>
              <!-- what the dotted words mean, to read where there is no pointer to rest on them -->
              @if (anyUnsure()) { <p i18n class="muted small unsure-note">Words underlined with dots: the recogniser was not sure of them.</p> }
            }
          } @else if (error()) {
            <p class="error-text" role="alert">{{ error() }}</p>
          } @else {
            <p i18n class="muted">Loading the transcript…</p>
          }
        </div>
      </div>
    }
  `,
  styles: `
    .media-and-transcript { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 16px; align-items: start; }
    @media (max-width: 800px) { .media-and-transcript { grid-template-columns: 1fr; } }
    video { width: 100%; background: #000; border-radius: 8px; }
    audio { width: 100%; }
    .timeline { position: relative; height: 22px; margin-top: 6px; background: var(--mat-sys-surface-container-high); border-radius: 4px; }
    .playhead { position: absolute; top: 0; bottom: 0; width: 2px; background: var(--mat-sys-primary); }
    .marker { position: absolute; top: 3px; width: 10px; height: 16px; margin-left: -5px; border: 0; border-radius: 3px; cursor: pointer; padding: 0; }
    .marker.coach { background: #1565c0; } .marker.peer { background: #6a1b9a; } .marker.self { background: #2e7d32; }
    .marker.ai { background: transparent; border: 2px dashed #ef6c00; } .marker.ai-accepted { background: #ef6c00; } .marker.draft { background: #90a4ae; }
    .transcript { max-height: 360px; overflow: auto; line-height: 1.9; }
    .passage { border-radius: 4px; cursor: pointer; box-decoration-break: clone; -webkit-box-decoration-break: clone; }
    .passage:focus-visible { background: var(--mat-sys-secondary-container); outline: 2px solid var(--mat-sys-primary); outline-offset: 1px; }
    .word { border-radius: 3px; }
    .word:hover { background: var(--mat-sys-secondary-container); }
    .word.current { background: var(--mat-sys-primary-container); }
    .word.unsure { text-decoration: underline dotted; text-underline-offset: 3px; }
    .small { font-size: .85em; }
  `,
})
export class AnswerMedia {
  protected readonly unsureTitle = $localize`The recogniser was not sure of this word`;
  readonly recording = input.required<RecordingSummary>();
  readonly markers = input<TimelineMarker[]>([]);
  protected readonly api = inject(RecordingsApi);
  readonly time = signal(0);
  protected readonly duration = signal(0);
  protected readonly transcript = signal<TranscriptView | null>(null);
  protected readonly error = signal<string | null>(null);
  private readonly media = viewChild<ElementRef<HTMLMediaElement>>('media');
  protected readonly mmss = mmss;
  /** the word being spoken now: the last one started, while it lasts (a later word wins where they touch) */
  protected readonly current = computed(() => spokenWordAt(this.transcript()?.words ?? [], this.time()));
  /** some word the recogniser gave little confidence: the transcript says what its dots mean */
  protected readonly anyUnsure = computed(() => (this.transcript()?.words ?? []).some((w) => this.unsure(w)));
  protected readonly passages = computed(() => {
    const t = this.transcript();
    return t ? passagesOf(t) : [];
  });

  constructor() {
    effect(() => {
      const r = this.recording();
      this.duration.set(r.durationSeconds ?? 0);
      if (r.status === 'transcribed') void this.load(r.id);
    });
  }

  private async load(id: string): Promise<void> {
    try {
      this.transcript.set(await firstValueFrom(this.api.transcript(id)));
    } catch (e) {
      this.error.set(toProblem(e).message);
    }
  }

  /** a word the recogniser gave little confidence (where it gives one) */
  unsure(w: { confidence: number | null }): boolean {
    return w.confidence !== null && w.confidence < 0.5;
  }

  protected readonly engineName = engineName;

  accuracy(t: TranscriptView): string {
    return recogniserAccuracy(t.engine, t.model);
  }

  percent(at: number): number {
    const d = this.duration();
    return d > 0 ? Math.min(100, Math.max(0, (at / d) * 100)) : 0;
  }

  tick(): void {
    this.time.set(this.media()?.nativeElement.currentTime ?? 0);
  }

  loaded(): void {
    const d = this.media()?.nativeElement.duration;
    if (d && Number.isFinite(d)) this.duration.set(d);
  }

  seek(seconds: number): void {
    const el = this.media()?.nativeElement;
    this.time.set(seconds);
    if (!el) return;
    el.currentTime = seconds;
    void el.play().catch(() => undefined);
  }

  /** A click on a word plays from that word; on the passage around it (or Enter), from the passage. */
  playFrom(event: Event, passage: Passage): void {
    const target = event.target instanceof Element ? event.target.closest<HTMLElement>('[data-word]') : null;
    const word = target ? this.transcript()?.words[Number(target.dataset['word'])] : undefined;
    this.seek(word ? word.start : passage.start);
  }

  /**
   * Stops the answer where it is, for a comment about this moment: true when it was playing (the
   * caller resumes it with play() once the comment is added).
   */
  hold(): boolean {
    const el = this.media()?.nativeElement;
    if (!el || el.paused) return false;
    el.pause();
    this.tick();
    return true;
  }

  play(): void {
    void this.media()
      ?.nativeElement.play()
      .catch(() => undefined);
  }

  /** the moment a new comment goes to */
  now(): number {
    return Math.round(this.time() * 10) / 10;
  }
}
