import { ChangeDetectionStrategy, Component, inject, input, OnDestroy, OnInit, signal } from '@angular/core';
import { DatePipe, DecimalPipe } from '@angular/common';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { firstValueFrom } from 'rxjs';
import type { DataExport } from '@rehearse/shared/contracts';
import { LifecycleApi, problemText, toProblem } from '@rehearse/web/data-access';
import { DateTimePipe } from '../../core/date-time.pipe';

/** How often a building export is polled for its progress. */
export const EXPORT_POLL_MS = 1000;

/**
 * Data exports of one person (yourself, or for an administrator the person on the page): start
 * one, follow its progress, download it while it lasts.
 */
@Component({
  selector: 'rh-data-exports',
  imports: [DateTimePipe, DatePipe, DecimalPipe, MatButtonModule, MatProgressBarModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="card exports">
      @if (userId() === 'organisation') {
        <h2 i18n>Export everything of the organisation</h2>
        <p i18n class="muted">One ZIP with the organisation's courses, rubrics, groups, enrolments, receipts and privacy log, and a folder per person with their data, recordings and transcripts. Make one before the end of your agreement. Downloading it is recorded in everyone's privacy log.</p>
      } @else {
        <h2>@if (userId()) {<ng-container i18n>Export this person’s data</ng-container>} @else {<ng-container i18n>Download my data</ng-container>}</h2>
        <p i18n class="muted">One ZIP with everything@if (userId()) { about this person} @else { about you}: the data as JSON, recordings, transcripts, feedback and who looked at the data. It is built in the background and can be downloaded for 7 days@if (userId()) {; downloading it is recorded in their privacy log}.</p>
      }
      @if (error()) { <p class="error-text" role="alert">{{ error() }}</p> }
      <button i18n mat-flat-button type="button" (click)="start()" [disabled]="busy() || building()">Make an export</button>
      <ul class="plain">
        @for (e of exports(); track e.id) {
          <li>
            {{ e.createdAt | dateTime }} ·
            @switch (e.state) {
              @case ('ready') { <a i18n [href]="api.downloadUrl(e.id)" download>Download ({{ (e.sizeBytes ?? 0) / 1048576 | number: '1.1-1' }} MB)</a><span i18n class="muted"> until {{ e.expiresAt | date: 'mediumDate' }}</span> }
              <!-- the server's reason is a technical one, in English: said as such, after what to do -->
              @case ('failed') { <span i18n class="error-text">failed. Make a new export; if that fails too, pass on this reason:</span>{{ ' ' }}<span class="muted" data-reason>{{ e.error }}</span> }
              @case ('expired') {
                <!-- an export withdrawn before its time says why (the server's own words are English) -->
                @if (e.withdrawn === 'erasure') { <span i18n class="muted" data-withdrawn>withdrawn: someone in it was erased since. Make a new export.</span> }
                @else if (e.withdrawn === 'licence') { <span i18n class="muted" data-withdrawn>withdrawn: a licence ended since it was made, hiding answers in it. Make a new export: it leaves them out.</span> }
                @else { <span i18n class="muted">expired</span> }
              }
              @default { <span i18n>being built… {{ e.progress }} %</span> <mat-progress-bar i18n-aria-label mode="determinate" [value]="e.progress" aria-label="Export progress" /> }
            }
          </li>
        }
      </ul>
    </div>
  `,
})
export class DataExports implements OnInit, OnDestroy {
  /** a person's id (administrators), 'organisation' (everything of it), or empty: the signed-in user's own exports */
  readonly userId = input<string | undefined>(undefined);
  protected readonly api = inject(LifecycleApi);
  protected readonly exports = signal<DataExport[]>([]);
  protected readonly error = signal<string | null>(null);
  protected readonly busy = signal(false);
  private timer: ReturnType<typeof setTimeout> | null = null;

  protected building(): boolean {
    return this.exports().some((e) => e.state === 'queued' || e.state === 'building');
  }

  async ngOnInit(): Promise<void> {
    try {
      this.exports.set(await firstValueFrom(this.api.exports(this.userId())));
      this.poll();
    } catch (e) {
      this.error.set(problemText(toProblem(e)));
    }
  }

  ngOnDestroy(): void {
    if (this.timer) clearTimeout(this.timer);
  }

  async start(): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      const e = await firstValueFrom(this.api.startExport(this.userId()));
      this.exports.update((list) => [e, ...list]);
      this.poll();
    } catch (e) {
      this.error.set(problemText(toProblem(e)));
    } finally {
      this.busy.set(false);
    }
  }

  /** Follows the exports being built until they are done. */
  private poll(): void {
    if (this.timer) clearTimeout(this.timer);
    if (!this.building()) return;
    this.timer = setTimeout(async () => {
      const updated = await Promise.all(
        this.exports().map((e) =>
          e.state === 'queued' || e.state === 'building'
            ? firstValueFrom(this.api.exportStatus(e.id)).catch(() => e)
            : Promise.resolve(e),
        ),
      );
      this.exports.set(updated);
      this.poll();
    }, EXPORT_POLL_MS);
  }
}
