import { ChangeDetectionStrategy, Component, computed, inject, input, LOCALE_ID, output } from '@angular/core';
import { formatNumber } from '@angular/common';
import { TranscriptView, TranscriptWordView } from '@rehearse/shared/contracts';
import { ARIA, engineName, recogniserAccuracy } from '../../core/labels';

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

/** A word the recogniser gave little confidence (where it gives one). */
export function unsure(w: { confidence: number | null }): boolean {
  return w.confidence !== null && w.confidence < 0.5;
}

/**
 * A transcript as running text, the same wherever an answer's words are read (the review, the
 * feedback, the recording a search leads to, the trainee's own answer in a course): a button per
 * passage (role and keys; drawn as text, so a sentence the engine cut in two reads as one, and a
 * keyboard reaches it in a few stops), the word being spoken highlighted (`current`), the words
 * the recogniser was unsure of underlined with dots and what the dots mean said in words, and
 * who transcribed it with what to expect of them. A click on a word asks to play from that word;
 * on its passage, or Enter or Space, from the passage (`playAt`, in seconds).
 */
@Component({
  selector: 'rh-transcript-text',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @let t = transcript();
    @if (t.noSpeech) {
      <p i18n class="muted">No speech detected in this recording.</p>
    } @else {
      <p class="words">
        <!-- spaces between the words and the passages: they are read, copied and announced as words.
             A passage is a button to assistive technology and the keyboard, drawn as the text it is: a
             <button> is a box of its own (inline-block), so each passage began a new line and a
             sentence the engine cut in two ("… sorry your order" | "is late again.") read as two -->
        @for (p of passages(); track $index) {
          <span class="passage" role="button" tabindex="0" [attr.aria-label]="p.label" (click)="playFrom($event, p)" (keydown.enter)="playFrom($event, p)" (keydown.space)="$event.preventDefault(); playFrom($event, p)">@for (w of p.words; track w.i) {<span class="word" [attr.data-word]="w.i" [class.current]="w.i === current()" [class.unsure]="unsure(w.word)" [attr.title]="unsure(w.word) ? unsureTitle : null">{{ w.word.text }}</span>{{ ' ' }}}</span>{{ ' ' }}
        }
      </p>
      <p i18n class="muted small engine">Transcribed on this installation by {{ engineName(t.engine) }} ({{ t.model }}): {{ accuracy(t) }}</p>
      <!-- what the dotted words mean, to read where there is no pointer to rest on them -->
      @if (anyUnsure()) { <p i18n class="muted small unsure-note">Words underlined with dots: the recogniser was not sure of them.</p> }
    }
  `,
  styles: `
    .passage { border-radius: 4px; cursor: pointer; box-decoration-break: clone; -webkit-box-decoration-break: clone; }
    .passage:focus-visible { background: var(--mat-sys-secondary-container); outline: 2px solid var(--mat-sys-primary); outline-offset: 1px; }
    .word { border-radius: 3px; }
    .word:hover { background: var(--mat-sys-secondary-container); }
    .word.current { background: var(--mat-sys-primary-container); }
    .word.unsure { text-decoration: underline dotted; text-underline-offset: 3px; }
    .small { font-size: .85em; }
  `,
})
export class TranscriptText {
  readonly transcript = input.required<TranscriptView>();
  /** the place of the word being spoken among the transcript's words; −1: none */
  readonly current = input(-1);
  /** asks to play from this many seconds into the recording */
  readonly playAt = output<number>();
  protected readonly engineName = engineName;
  protected readonly unsure = unsure;
  protected readonly unsureTitle = $localize`The recogniser was not sure of this word`;
  /** the reader's way of writing a passage's start ("12,5" in Dutch), for its spoken label */
  private readonly locale = inject(LOCALE_ID);
  /** the passages, each with its spoken label (its words, and where it plays from), made once per transcript */
  protected readonly passages = computed(() =>
    passagesOf(this.transcript()).map((p) => ({
      ...p,
      label: ARIA.playSegment(p.words.map((w) => w.word.text).join(' '), formatNumber(p.start, this.locale, '1.1-1')),
    })),
  );
  /** some word the recogniser gave little confidence: the transcript says what its dots mean */
  protected readonly anyUnsure = computed(() => this.transcript().words.some(unsure));

  /** what to expect of the recogniser that made it (measured by npm run bench:asr) */
  protected accuracy(t: TranscriptView): string {
    return recogniserAccuracy(t.engine, t.model);
  }

  /** A click on a word plays from that word; on the passage around it (or Enter), from the passage. */
  protected playFrom(event: Event, passage: Passage): void {
    const target = event.target instanceof Element ? event.target.closest<HTMLElement>('[data-word]') : null;
    const word = target ? this.transcript().words[Number(target.dataset['word'])] : undefined;
    this.playAt.emit(word ? word.start : passage.start);
  }
}
