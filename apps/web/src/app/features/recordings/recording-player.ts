import {
  ChangeDetectionStrategy,
  Component,
  computed,
  ElementRef,
  effect,
  inject,
  input,
  OnDestroy,
  signal,
  viewChild,
} from '@angular/core';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { firstValueFrom, Subscription } from 'rxjs';
import { RECORDING_STAGES, RecordingStatus, RecordingSummary, TranscriptView } from '@rehearse/shared/contracts';
import { RecordingsApi, toProblem } from '@rehearse/web/data-access';
import { MediaTrouble } from './media-trouble';
import { SessionTimeout } from '../../core/session-timeout';
import { spokenWordAt, TranscriptText } from './transcript-text';

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

/**
 * Plays a recording (ranged requests, so seeking is instant), follows its processing live, shows
 * captions and the transcript as the review and the feedback show it (the word being spoken
 * highlighted, the words the recogniser was unsure of marked; a click plays from a word).
 */
@Component({
  selector: 'rh-recording-player',
  imports: [MatProgressBarModule, MediaTrouble, TranscriptText],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @let r = recording();
    <div class="player">
      @if (r.status === 'deleted') {
        <p i18n class="card muted deleted" role="status">This recording was deleted after the licence expired. The answer and its feedback remain.</p>
      } @else {
      @if (r.kind === 'video') {
        <video #media controls preload="metadata" [src]="api.contentUrl(r.id)" (loadedmetadata)="seekToStart()" (timeupdate)="tick()" (progress)="sessionTimeout.heard()" [attr.aria-label]="mediaLabel()">
          @if (status() === 'transcribed') { <track i18n-label kind="captions" srclang="en" label="Transcript" default [src]="api.captionsUrl(r.id)" /> }
        </video>
        <rh-media-trouble [media]="media" [recordingId]="r.id" />
      } @else {
        <audio #media controls preload="metadata" [src]="api.contentUrl(r.id)" (loadedmetadata)="seekToStart()" (timeupdate)="tick()" (progress)="sessionTimeout.heard()" [attr.aria-label]="mediaLabel()"></audio>
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
        <div class="transcript"><rh-transcript-text [transcript]="t" [current]="current()" (playAt)="seek($event)" /></div>
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
  `,
})
export class RecordingPlayer implements OnDestroy {
  readonly recording = input.required<RecordingSummary>();
  /** what the player is called to a screen reader: whose recording it is, where the page knows */
  readonly mediaLabel = input($localize`The recording`);
  /** seconds to start at (a search hit's moment) */
  readonly startAt = input<number | null>(null);
  protected readonly api = inject(RecordingsApi);
  /** the video's loading is the session's requests too: the session timeout hears of them */
  protected readonly sessionTimeout = inject(SessionTimeout);
  protected readonly status = signal<RecordingStatus>('queued');
  protected readonly failure = signal<string | null>(null);
  protected readonly transcript = signal<TranscriptView | null>(null);
  protected readonly transcriptError = signal<string | null>(null);
  /** where the recording is playing, in seconds */
  readonly time = signal(0);
  /** the word being spoken now (−1: none) */
  protected readonly current = computed(() => spokenWordAt(this.transcript()?.words ?? [], this.time()));
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

  tick(): void {
    this.time.set(this.media()?.nativeElement.currentTime ?? 0);
  }

  seek(seconds: number): void {
    const el = this.media()?.nativeElement;
    this.time.set(seconds);
    if (!el) return;
    el.currentTime = seconds;
    void el.play().catch(() => undefined);
  }

  ngOnDestroy(): void {
    this.watching?.unsubscribe();
  }
}
