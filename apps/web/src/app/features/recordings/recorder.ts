import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  inject,
  input,
  LOCALE_ID,
  OnDestroy,
  OnInit,
  output,
  signal,
  viewChild,
} from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { firstValueFrom } from 'rxjs';
import type { AnswerSummary, LearnerExercise } from '@rehearse/shared/contracts';
import { HeldUpload, RecordingsApi, toProblem, UploadHandle } from '@rehearse/web/data-access';
import { formatDate } from '@angular/common';
import { formatClock } from './clock';
import { KeptRecordings } from './kept-recordings';
import { SessionStore } from '../../core/session.store';
import { SessionTimeout } from '../../core/session-timeout';

/** How often a recording under way keeps its session at most (or every half of a shorter idle timeout). */
export const KEEP_SESSION_EVERY_MS = 4 * 60_000;

type Stage = 'idle' | 'setup' | 'prompt' | 'countdown' | 'recording' | 'review' | 'uploading';

/** Seconds of recording without a single piece from the browser's recorder before the page says so. */
export const STALLED_AFTER_SECONDS = 4;
const NOTHING_YET = $localize`Nothing has been recorded so far: your browser's recorder sends nothing. Stop and try again, try another browser, or upload a recording instead.`;

const ACCEPT = '.webm,.mp4,.mov,.m4a,.mp3,.wav,.ogg,video/*,audio/*';

/** The first container this browser can record, for video or audio only. */
export function recorderMimeType(audioOnly: boolean, supported: (t: string) => boolean): string {
  const candidates = audioOnly
    ? ['audio/webm;codecs=opus', 'audio/webm', 'audio/mp4', 'audio/ogg;codecs=opus']
    : ['video/webm;codecs=vp9,opus', 'video/webm;codecs=vp8,opus', 'video/webm', 'video/mp4'];
  return candidates.find((t) => supported(t)) ?? '';
}

/** What went wrong with camera or microphone, in words a trainee can act on. */
export function deviceProblem(e: unknown): string {
  const name = (e as { name?: string })?.name;
  if (name === 'NotAllowedError' || name === 'SecurityError')
    return $localize`Access to your camera or microphone was denied. Allow it in the browser (the icon in the address bar), then try again — or upload a recording instead.`;
  if (name === 'NotFoundError' || name === 'OverconstrainedError')
    return $localize`No camera or microphone was found. Connect one and try again — or upload a recording instead.`;
  if (name === 'NotReadableError')
    return $localize`Your camera or microphone is in use by another application. Close it and try again.`;
  return $localize`The camera or microphone could not be started. Try again, or upload a recording instead.`;
}

/**
 * Records an answer in the browser: camera and microphone choice, live preview with a level
 * meter, the prompt, a countdown of the preparation time, a capped recording with a timer,
 * review and re-record, then a resumable upload with progress. Or upload an existing file.
 */
@Component({
  selector: 'rh-recorder',
  imports: [FormsModule, MatButtonModule, MatFormFieldModule, MatProgressBarModule, MatSelectModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @let e = exercise();
    <div class="recorder" [class.audio-only]="audioOnly()">
      @switch (stage()) {
        @case ('idle') {
          @if (kept(); as k) {
            <div class="kept stack" role="status">
              <span i18n>Your recording of {{ clock(k.seconds) }} from {{ keptAt() }} was not sent. This browser kept it.</span>
              <div class="row">
                <button i18n mat-flat-button type="button" (click)="reviewKept()">Review and send it</button>
                <button i18n mat-button type="button" (click)="discardKept()">Discard it</button>
              </div>
            </div>
          }
          <div class="row">
            <button mat-flat-button type="button" (click)="setup()">@if (audioOnly()) {<ng-container i18n>Set up my microphone</ng-container>} @else {<ng-container i18n>Set up camera and microphone</ng-container>}</button>
            <span i18n class="muted">or</span>
            <label class="file">
              <span i18n class="mat-mdc-button">Upload a recording</span>
              <input i18n-aria-label type="file" [accept]="accept" (change)="chooseFile($event)" aria-label="Upload a recording file" />
            </label>
          </div>
        }
        @case ('uploading') {
          <div role="status" aria-live="polite" class="stack">
            <span>{{ uploadLabel() }}</span>
            <mat-progress-bar i18n-aria-label mode="determinate" [value]="uploadProgress()" aria-label="Upload progress" />
            <span class="muted small">{{ uploadProgress() }}%</span>
            <!-- once every byte is on the server it is being stored: nothing is left to cancel -->
            @if (!storing()) { <div><button i18n mat-button type="button" (click)="cancelUpload()">Cancel</button></div> }
          </div>
        }
      }
      @if (stage() === 'setup' || stage() === 'prompt' || stage() === 'countdown' || stage() === 'recording') {
        <div class="live">
          @if (!audioOnly()) { <video i18n-aria-label #preview class="preview" autoplay muted playsinline aria-label="Camera preview"></video> }
          <div i18n-aria-label class="meter" role="meter" aria-label="Microphone level" aria-valuemin="0" aria-valuemax="100" [attr.aria-valuenow]="level()">
            <div class="bar" [style.width.%]="level()"></div>
          </div>
        </div>
      }
      @if (stage() === 'setup') {
        <div class="row devices">
          @if (!audioOnly()) {
            <mat-form-field appearance="outline">
              <mat-label i18n>Camera</mat-label>
              <mat-select [(ngModel)]="cameraId" (selectionChange)="setup()" name="camera">
                @for (d of cameras(); track d.deviceId) { <mat-option [value]="d.deviceId">@if (d.label) { {{ d.label }} } @else {<ng-container i18n>Camera {{ $index + 1 }}</ng-container>}</mat-option> }
              </mat-select>
            </mat-form-field>
          }
          <mat-form-field appearance="outline">
            <mat-label i18n>Microphone</mat-label>
            <mat-select [(ngModel)]="micId" (selectionChange)="setup()" name="mic">
              @for (d of mics(); track d.deviceId) { <mat-option [value]="d.deviceId">@if (d.label) { {{ d.label }} } @else {<ng-container i18n>Microphone {{ $index + 1 }}</ng-container>}</mat-option> }
            </mat-select>
          </mat-form-field>
        </div>
        <div class="row">
          <button mat-flat-button type="button" (click)="begin()">@if (e.promptMediaId) {<ng-container i18n>Play the prompt, then record</ng-container>} @else {<ng-container i18n>Start ({{ e.preparationSeconds }} s to prepare)</ng-container>}</button>
          <button i18n mat-button type="button" (click)="reset()">Cancel</button>
        </div>
      }
      @if (stage() === 'prompt' && e.promptMediaId) {
        <video i18n-aria-label class="prompt-media" autoplay controls [src]="api.promptUrl(e.promptMediaId)" (ended)="countdown()" (progress)="sessionTimeout.heard()" aria-label="Prompt"></video>
        <button i18n mat-button type="button" (click)="countdown()">Skip to my answer</button>
      }
      @if (stage() === 'countdown') {
        <p i18n class="big" role="timer" aria-live="assertive">Recording starts in {{ remaining() }} s</p>
        <button i18n mat-button type="button" (click)="record()">Start now</button>
      }
      @if (stage() === 'recording') {
        <p i18n class="big rec" role="timer" aria-live="off"><span class="dot" aria-hidden="true"></span> Recording {{ clock(elapsed()) }} / {{ clock(e.maxAnswerSeconds) }}</p>
        <mat-progress-bar i18n-aria-label mode="determinate" [value]="(elapsed() / e.maxAnswerSeconds) * 100" aria-label="Time used" />
        <button i18n mat-flat-button type="button" (click)="stop()">Stop</button>
      }
      @if (stage() === 'review' && reviewUrl(); as url) {
        @if (audioOnly()) { <audio i18n-aria-label controls [src]="url" aria-label="Review your answer"></audio> }
        @else { <video i18n-aria-label class="preview" controls [src]="url" aria-label="Review your answer"></video> }
        <div class="row">
          <button i18n mat-flat-button type="button" (click)="submitRecording()">Submit this answer</button>
          <button i18n mat-button type="button" (click)="rerecord()">Record again</button>
        </div>
      }
      @if (message(); as m) { <p class="error-text" role="alert">{{ m }}</p> }
    </div>
  `,
  styles: `
    .recorder { display: grid; gap: 12px; margin: 12px 0; }
    .row { display: flex; gap: 12px; align-items: center; flex-wrap: wrap; }
    .stack { display: grid; gap: 6px; max-width: 640px; }
    .preview, .prompt-media { width: 100%; max-width: 640px; background: #000; border-radius: 8px; }
    .meter { height: 8px; max-width: 640px; background: var(--mat-sys-surface-variant); border-radius: 4px; overflow: hidden; }
    .bar { height: 100%; background: var(--mat-sys-primary); transition: width 80ms linear; }
    .big { font-size: 1.3em; font-weight: 500; }
    .rec .dot { display: inline-block; width: 12px; height: 12px; border-radius: 50%; background: #c62828; margin-right: 6px; }
    .file input { position: absolute; opacity: 0; width: 1px; height: 1px; }
    .file span { cursor: pointer; text-decoration: underline; }
    .file:focus-within span { outline: 2px solid var(--mat-sys-primary); }
    .small { font-size: .85em; }
    .kept { padding: 12px; border-radius: 8px; background: var(--mat-sys-surface-container-high); }
  `,
})
export class Recorder implements OnInit, OnDestroy {
  readonly courseId = input.required<string>();
  readonly exercise = input.required<LearnerExercise>();
  readonly submitted = output<AnswerSummary>();
  protected readonly api = inject(RecordingsApi);
  protected readonly accept = ACCEPT;
  protected readonly stage = signal<Stage>('idle');
  protected readonly message = signal<string | null>(null);
  protected readonly cameras = signal<MediaDeviceInfo[]>([]);
  protected readonly mics = signal<MediaDeviceInfo[]>([]);
  protected readonly level = signal(0);
  protected readonly remaining = signal(0);
  protected readonly elapsed = signal(0);
  protected readonly uploadProgress = signal(0);
  protected readonly uploadLabel = signal($localize`Uploading your answer…`);
  /** the answer is on the server and being checked and stored (a Cancel would no longer stop it) */
  protected readonly storing = signal(false);
  protected readonly reviewUrl = signal<string | null>(null);
  /** a recording this browser kept that was never sent (a closed tab, a crash, a lost connection) */
  protected readonly kept = signal<{ seconds: number; startedAt: number } | null>(null);
  private readonly keep = inject(KeptRecordings);
  private readonly session = inject(SessionStore);
  /** the prompt's loading keeps the session too, and a long recording keeps it itself */
  protected readonly sessionTimeout = inject(SessionTimeout);
  private readonly locale = inject(LOCALE_ID);
  protected cameraId = '';
  protected micId = '';
  private readonly preview = viewChild<ElementRef<HTMLVideoElement>>('preview');
  private stream: MediaStream | null = null;
  private audio: AudioContext | null = null;
  private meterFrame = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  private recorder: MediaRecorder | null = null;
  private blob: Blob | null = null;
  private uploading: UploadHandle | null = null;
  /** an answer the server has whole but could not store for now: submitted again by its id */
  private readonly held = new HeldUpload();

  protected audioOnly(): boolean {
    return this.exercise().answerType === 'audio';
  }

  protected readonly clock = formatClock;

  /** when the kept recording was made, as the page writes a moment */
  protected keptAt(): string {
    const k = this.kept();
    return k ? formatDate(k.startedAt, 'd MMM, HH:mm', this.locale) : '';
  }

  /** whose recording of which exercise this browser keeps */
  private keptKey(): string {
    return `${this.session.me()?.id ?? 'nobody'}:${this.courseId()}:${this.exercise().id}`;
  }

  ngOnInit(): void {
    void this.keep.find(this.keptKey()).then((t) => this.kept.set(t && { seconds: t.seconds, startedAt: t.startedAt }));
  }

  /** The kept recording, to review and send like one just made. */
  async reviewKept(): Promise<void> {
    const take = await this.keep.find(this.keptKey());
    this.kept.set(null);
    if (!take) return;
    this.discardReview();
    this.blob = take.blob;
    this.reviewUrl.set(URL.createObjectURL(take.blob));
    this.stage.set('review');
  }

  discardKept(): void {
    this.kept.set(null);
    void this.keep.discard(this.keptKey());
  }

  /** Opens (or re-opens, after a device change) camera and microphone. */
  async setup(): Promise<void> {
    this.message.set(null);
    this.stopStream();
    if (!navigator.mediaDevices?.getUserMedia) {
      this.message.set(
        $localize`This browser cannot record here (a secure https connection is needed). Upload a recording instead.`,
      );
      return;
    }
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({
        audio: this.micId ? { deviceId: { exact: this.micId } } : true,
        video: this.audioOnly()
          ? false
          : this.cameraId
            ? { deviceId: { exact: this.cameraId } }
            : { width: { ideal: 1280 }, height: { ideal: 720 } },
      });
    } catch (e) {
      this.message.set(deviceProblem(e));
      this.stage.set('idle');
      return;
    }
    const devices = await navigator.mediaDevices.enumerateDevices();
    this.cameras.set(devices.filter((d) => d.kind === 'videoinput'));
    this.mics.set(devices.filter((d) => d.kind === 'audioinput'));
    this.cameraId = this.stream.getVideoTracks()[0]?.getSettings().deviceId ?? this.cameraId;
    this.micId = this.stream.getAudioTracks()[0]?.getSettings().deviceId ?? this.micId;
    this.stage.set('setup');
    queueMicrotask(() => {
      const v = this.preview()?.nativeElement;
      if (v && this.stream) v.srcObject = this.stream;
    });
    this.startMeter(this.stream);
  }

  private startMeter(stream: MediaStream): void {
    this.audio = new AudioContext();
    const analyser = this.audio.createAnalyser();
    analyser.fftSize = 1024;
    this.audio.createMediaStreamSource(stream).connect(analyser);
    const data = new Float32Array(analyser.fftSize);
    const tick = () => {
      analyser.getFloatTimeDomainData(data);
      let sum = 0;
      for (const v of data) sum += v * v;
      this.level.set(Math.min(100, Math.round(Math.sqrt(sum / data.length) * 300)));
      this.meterFrame = requestAnimationFrame(tick);
    };
    tick();
  }

  begin(): void {
    if (this.exercise().promptMediaId) this.stage.set('prompt');
    else this.countdown();
  }

  countdown(): void {
    const seconds = this.exercise().preparationSeconds;
    if (seconds <= 0) return this.record();
    this.stage.set('countdown');
    this.remaining.set(seconds);
    this.clearTimer();
    this.timer = setInterval(() => {
      this.remaining.update((n) => n - 1);
      if (this.remaining() <= 0) this.record();
    }, 1000);
  }

  record(): void {
    this.clearTimer();
    if (!this.stream) return;
    const mimeType = recorderMimeType(this.audioOnly(), (t) => MediaRecorder.isTypeSupported(t));
    const chunks: Blob[] = [];
    this.recorder = new MediaRecorder(this.stream, mimeType ? { mimeType } : undefined);
    // kept in the browser as it comes, so that a closed tab or a crash loses nothing
    const key = this.keptKey();
    this.kept.set(null);
    void this.keep.begin({ key, mimeType: this.recorder.mimeType || mimeType, startedAt: Date.now() });
    let received = 0;
    this.recorder.ondataavailable = (ev) => {
      if (!ev.data.size) return;
      received += ev.data.size;
      if (this.message() === NOTHING_YET) this.message.set(null);
      chunks.push(ev.data);
      void this.keep.append(key, ev.data);
    };
    this.recorder.onstop = () => {
      this.stopStream();
      // a browser that recorded nothing (a known failure of some browsers' recorders) says so now,
      // not after an upload of nothing
      if (received === 0) {
        void this.keep.discard(key);
        this.message.set(
          $localize`Your browser recorded nothing. Set up your camera and microphone again and record once more, try another browser, or upload a recording instead.`,
        );
        this.stage.set('idle');
        return;
      }
      void this.keep.finish(key, Math.round(this.elapsed()));
      this.blob = new Blob(chunks, { type: this.recorder?.mimeType || mimeType });
      this.reviewUrl.set(URL.createObjectURL(this.blob));
      this.stage.set('review');
    };
    this.recorder.start(1000);
    this.stage.set('recording');
    this.elapsed.set(0);
    const started = Date.now();
    let kept = started;
    // (half the idle timeout, where that is shorter)
    const keepEvery = Math.min(KEEP_SESSION_EVERY_MS, (this.session.me()?.session?.idleMinutes ?? 30) * 30_000);
    this.timer = setInterval(() => {
      this.elapsed.set((Date.now() - started) / 1000);
      // recording makes no request until it is sent: a long answer keeps its session every few
      // minutes, so that it does not end while the person speaks (SESSION_IDLE_MINUTES)
      if (Date.now() - kept >= keepEvery) {
        kept = Date.now();
        void this.sessionTimeout.keep().catch(() => undefined);
      }
      // a piece comes every second: none after a few is a recorder that is stuck
      if (received === 0 && this.elapsed() >= STALLED_AFTER_SECONDS && !this.message()) this.message.set(NOTHING_YET);
      if (this.elapsed() >= this.exercise().maxAnswerSeconds) this.stop();
    }, 200);
  }

  stop(): void {
    this.clearTimer();
    if (this.recorder?.state === 'recording') this.recorder.stop();
  }

  rerecord(): void {
    this.discardReview();
    void this.keep.discard(this.keptKey());
    void this.setup();
  }

  reset(): void {
    this.clearTimer();
    this.stopStream();
    this.discardReview();
    this.stage.set('idle');
  }

  async submitRecording(): Promise<void> {
    if (!this.blob) return;
    const ext = this.blob.type.includes('mp4') ? 'mp4' : this.blob.type.includes('ogg') ? 'ogg' : 'webm';
    await this.send(this.blob, `answer.${ext}`);
  }

  async chooseFile(ev: Event): Promise<void> {
    const input = ev.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (file) await this.send(file, file.name);
  }

  private async send(file: Blob, name: string): Promise<void> {
    this.message.set(null);
    this.stage.set('uploading');
    this.uploadProgress.set(0);
    try {
      const answer = await this.held.send(file, {
        upload: () => {
          this.storing.set(false);
          this.uploadLabel.set($localize`Uploading your answer…`);
          return (this.uploading = this.api.upload(
            file,
            'answer',
            name,
            (f) => this.uploadProgress.set(Math.round(f * 100)),
            this.session.me()?.id,
          ));
        },
        submit: (uploadId) => firstValueFrom(this.api.submitAnswer(this.courseId(), this.exercise().id, uploadId)),
        storing: () => {
          // every byte is on the server (sent now, or kept from the last try)
          this.uploadProgress.set(100);
          this.storing.set(true);
          this.uploadLabel.set($localize`Checking and storing it securely…`);
        },
        discard: (uploadId) => void firstValueFrom(this.api.discardUpload(uploadId)).catch(() => undefined),
      });
      // sent: the browser need not keep it (a file chosen from the disk was never kept)
      if (this.blob === file) void this.keep.discard(this.keptKey());
      this.discardReview();
      this.stage.set('idle');
      this.submitted.emit(answer);
    } catch (e) {
      this.message.set(toProblem(e).message);
      this.stage.set(this.blob ? 'review' : 'idle');
    } finally {
      this.uploading = null;
      this.storing.set(false);
    }
  }

  cancelUpload(): void {
    this.uploading?.abort();
    this.uploading = null;
    this.stage.set(this.blob ? 'review' : 'idle');
  }

  private discardReview(): void {
    const url = this.reviewUrl();
    if (url) URL.revokeObjectURL(url);
    this.reviewUrl.set(null);
    this.blob = null;
  }

  private clearTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private stopStream(): void {
    cancelAnimationFrame(this.meterFrame);
    void this.audio?.close().catch(() => undefined);
    this.audio = null;
    for (const t of this.stream?.getTracks() ?? []) t.stop();
    this.stream = null;
    this.level.set(0);
  }

  ngOnDestroy(): void {
    this.reset();
    this.uploading?.abort();
  }
}
