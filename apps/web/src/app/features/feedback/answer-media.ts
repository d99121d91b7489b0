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
import { RecordingSummary, TranscriptView } from '@rehearse/shared/contracts';
import { RecordingsApi, toProblem } from '@rehearse/web/data-access';
import { MediaTrouble } from '../recordings/media-trouble';
import { SessionTimeout } from '../../core/session-timeout';
import { RecordingPlayer } from '../recordings/recording-player';
import { spokenWordAt, TranscriptText } from '../recordings/transcript-text';

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
  imports: [RecordingPlayer, MediaTrouble, TranscriptText],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @let r = recording();
    @if (r.status !== 'transcribed') {
      <rh-recording-player [recording]="r" />
    } @else {
      <div class="media-and-transcript">
        <div class="media">
          @if (r.kind === 'video') {
            <video i18n-aria-label #media controls preload="metadata" [src]="api.contentUrl(r.id)" (timeupdate)="tick()" (progress)="sessionTimeout.heard()" (loadedmetadata)="loaded()" aria-label="The answer"></video>
            <rh-media-trouble [media]="media" [recordingId]="r.id" />
          } @else {
            <audio i18n-aria-label #media controls preload="metadata" [src]="api.contentUrl(r.id)" (timeupdate)="tick()" (progress)="sessionTimeout.heard()" (loadedmetadata)="loaded()" aria-label="The answer"></audio>
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
            <rh-transcript-text [transcript]="t" [current]="current()" (playAt)="seek($event)" />
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
    .small { font-size: .85em; }
  `,
})
export class AnswerMedia {
  readonly recording = input.required<RecordingSummary>();
  readonly markers = input<TimelineMarker[]>([]);
  protected readonly api = inject(RecordingsApi);
  /** the video's loading is the session's requests too: the session timeout hears of them */
  protected readonly sessionTimeout = inject(SessionTimeout);
  readonly time = signal(0);
  protected readonly duration = signal(0);
  protected readonly transcript = signal<TranscriptView | null>(null);
  protected readonly error = signal<string | null>(null);
  private readonly media = viewChild<ElementRef<HTMLMediaElement>>('media');
  protected readonly mmss = mmss;
  /** the word being spoken now: the last one started, while it lasts (a later word wins where they touch) */
  protected readonly current = computed(() => spokenWordAt(this.transcript()?.words ?? [], this.time()));

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
