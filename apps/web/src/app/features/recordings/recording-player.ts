import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  effect,
  inject,
  input,
  LOCALE_ID,
  OnDestroy,
  signal,
  viewChild,
} from '@angular/core';
import { formatNumber } from '@angular/common';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { firstValueFrom, Subscription } from 'rxjs';
import { RECORDING_STAGES, RecordingStatus, RecordingSummary, TranscriptView } from '@rehearse/shared/contracts';
import { ARIA, engineName, recogniserAccuracy } from '../../core/labels';
import { RecordingsApi, toProblem } from '@rehearse/web/data-access';
import { MediaTrouble } from './media-trouble';

const STAGE_LABEL: Record<RecordingStatus, string> = {
  queued: $localize`Waiting for the transcriber`,
  probing: $localize`Checking the recording`,
  extracting: $localize`Extracting the sound`,
  transcribing: $localize`Transcribing`,
  indexing: $localize`Indexing the transcript`,
  transcribed: $localize`Transcribed`,
  failed: $localize`Processing failed`,
  ready: $localize`Ready`,
  deleted: $localize`Deleted`,
};

/** Plays a recording (ranged requests, so seeking is instant), follows its processing live, shows captions and the transcript. */
@Component({
  selector: 'rh-recording-player',
  imports: [MatProgressBarModule, MediaTrouble],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @let r = recording();
    <div class="player">
      @if (r.status === 'deleted') {
        <p i18n class="card muted deleted" role="status">This recording was deleted after the licence expired. The answer and its feedback remain.</p>
      } @else {
      @if (r.kind === 'video') {
        <video #media controls preload="metadata" [src]="api.contentUrl(r.id)" (loadedmetadata)="seekToStart()" [attr.aria-label]="mediaLabel()">
          @if (status() === 'transcribed') { <track i18n-label kind="captions" srclang="en" label="Transcript" default [src]="api.captionsUrl(r.id)" /> }
        </video>
        <rh-media-trouble [media]="media" [recordingId]="r.id" />
      } @else {
        <audio #media controls preload="metadata" [src]="api.contentUrl(r.id)" (loadedmetadata)="seekToStart()" [attr.aria-label]="mediaLabel()"></audio>
        <rh-media-trouble [media]="media" [recordingId]="r.id" />
      }
      @if (status() === 'failed') {
        <p class="error-text" role="alert">@if (failure()) { {{ failure() }} } @else {<ng-container i18n>The recording could not be processed.</ng-container>}</p>
      } @else if (status() !== 'transcribed') {
        <div class="stage" role="status" aria-live="polite">
          <span>{{ label(status()) }}…</span>
          <mat-progress-bar mode="determinate" [value]="progress()" [attr.aria-label]="label(status())" />
        </div>
      } @else if (transcript(); as t) {
        <p i18n class="muted small engine">Transcribed on this installation by {{ engineName(t.engine) }} ({{ t.model }}): {{ accuracy(t.engine, t.model) }}</p>
        @if (t.noSpeech) {
          <p i18n class="muted">No speech detected in this recording.</p>
        } @else {
          <p class="transcript">
            <!-- a passage is a button to assistive technology and the keyboard, drawn as running text with a
                 space after it (a <button> is a box of its own: each passage began a new line, so a sentence
                 the engine cut in two read as two) -->
            @for (s of t.segments; track $index) {
              <span class="segment" role="button" tabindex="0" (click)="seek(s.start)" (keydown.enter)="seek(s.start)" (keydown.space)="$event.preventDefault(); seek(s.start)" [attr.aria-label]="aria.playSegment(s.text.trim(), seconds(s.start))">{{ s.text.trim() }}</span>{{ ' ' }}
            }
          </p>
        }
      } @else if (transcriptError()) {
        <p class="error-text" role="alert">{{ transcriptError() }}</p>
      }
      }
    </div>
  `,
  styles: `
    video { width: 100%; max-width: 640px; background: #000; border-radius: 8px; }
    audio { width: 100%; max-width: 640px; }
    .stage { max-width: 640px; display: grid; gap: 4px; margin: 8px 0; }
    .transcript { line-height: 1.8; }
    .segment { border-radius: 4px; cursor: pointer; box-decoration-break: clone; -webkit-box-decoration-break: clone; }
    .segment:hover, .segment:focus-visible { background: var(--mat-sys-secondary-container); }
    .segment:focus-visible { outline: 2px solid var(--mat-sys-primary); outline-offset: 1px; }
    .small { font-size: .85em; }
  `,
})
export class RecordingPlayer implements OnDestroy {
  protected readonly aria = ARIA;
  protected readonly engineName = engineName;
  /** what to expect of the recogniser that made a transcript (measured by npm run bench:asr) */
  protected accuracy(engine: string, model: string): string {
    return recogniserAccuracy(engine, model);
  }
  readonly recording = input.required<RecordingSummary>();
  /** what the player is called to a screen reader: whose recording it is, where the page knows */
  readonly mediaLabel = input($localize`The recording`);
  /** seconds to start at (a search hit's moment) */
  readonly startAt = input<number | null>(null);
  protected readonly api = inject(RecordingsApi);
  /** the reader's way of writing a segment's start ("12,5" in Dutch), for its spoken label */
  private readonly locale = inject(LOCALE_ID);
  protected readonly seconds = (s: number) => formatNumber(s, this.locale, '1.1-1');
  protected readonly status = signal<RecordingStatus>('queued');
  protected readonly failure = signal<string | null>(null);
  protected readonly transcript = signal<TranscriptView | null>(null);
  protected readonly transcriptError = signal<string | null>(null);
  private readonly media = viewChild<ElementRef<HTMLMediaElement>>('media');
  private watching: Subscription | null = null;

  constructor() {
    effect(() => {
      const r = this.recording();
      this.status.set(r.status);
      this.failure.set(r.failureMessage);
      this.watching?.unsubscribe();
      if (r.status === 'transcribed') void this.loadTranscript(r.id);
      else if (r.status !== 'failed' && r.status !== 'deleted') {
        this.watching = this.api.watch(r.id).subscribe((e) => {
          this.status.set(e.status);
          this.failure.set(e.failureMessage);
          if (e.status === 'transcribed') void this.loadTranscript(r.id);
        });
      }
    });
  }

  label(s: RecordingStatus): string {
    return STAGE_LABEL[s];
  }

  progress(): number {
    const i = (RECORDING_STAGES as readonly string[]).indexOf(this.status());
    return i < 0 ? 0 : Math.round(((i + 0.5) / RECORDING_STAGES.length) * 100);
  }

  private async loadTranscript(id: string): Promise<void> {
    try {
      this.transcript.set(await firstValueFrom(this.api.transcript(id)));
    } catch (e) {
      this.transcriptError.set(toProblem(e).message);
    }
  }

  seekToStart(): void {
    const t = this.startAt();
    if (t !== null) this.seek(t);
  }

  seek(seconds: number): void {
    const el = this.media()?.nativeElement;
    if (!el) return;
    el.currentTime = seconds;
    void el.play().catch(() => undefined);
  }

  ngOnDestroy(): void {
    this.watching?.unsubscribe();
  }
}
