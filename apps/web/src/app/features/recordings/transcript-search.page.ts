import { ChangeDetectionStrategy, Component, inject, input, OnInit, signal } from '@angular/core';
import { DatePipe, DecimalPipe } from '@angular/common';
import { FormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { firstValueFrom } from 'rxjs';
import type { Page, TranscriptSearchHit } from '@rehearse/shared/contracts';
import { RecordingsApi, toProblem } from '@rehearse/web/data-access';
import { formatClock } from './clock';

/** Splits a snippet into plain and matched parts («» mark matches); rendered as text, never HTML. */
export function snippetParts(snippet: string): { text: string; match: boolean }[] {
  return snippet
    .split(/(«[^»]*»)/)
    .filter(Boolean)
    .map((p) => (p.startsWith('«') ? { text: p.slice(1, -1), match: true } : { text: p, match: false }));
}

/** Coaches and administrators search the transcripts they may see; each hit opens the recording at its moment. */
@Component({
  selector: 'rh-transcript-search',
  imports: [
    DatePipe,
    DecimalPipe,
    FormsModule,
    RouterLink,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      <h1 i18n>Search transcripts</h1>
      <form class="row" (ngSubmit)="search(1)" role="search">
        <mat-form-field appearance="outline" class="grow">
          <mat-label i18n>Words or "a phrase"</mat-label>
          <input matInput name="q" [(ngModel)]="text" minlength="2" maxlength="200" required />
        </mat-form-field>
        <button i18n mat-flat-button type="submit" [disabled]="text.trim().length < 2 || loading()">Search</button>
      </form>
      @if (loading()) { <mat-progress-bar i18n-aria-label mode="indeterminate" aria-label="Searching" /> }
      @if (error(); as e) { <p class="error-text" role="alert">{{ e }}</p> }
      @if (result(); as r) {
        <p class="muted" role="status">
          @if (r.totalIsLowerBound) {<ng-container i18n> More than {{ r.total | number }} passages found: the most relevant of the newest are shown first. Add words to narrow the search. </ng-container>}
          @else { {{ r.total | number }} @if (r.total === 1) {<ng-container i18n>passage</ng-container>} @else {<ng-container i18n>passages</ng-container>} <ng-container i18n>found</ng-container> }
        </p>
        @for (h of r.items; track h.recordingId + h.start) {
          <article class="card hit">
            <a i18n [routerLink]="['/recordings', h.recordingId]" [queryParams]="{ t: h.start.toFixed(1) }">{{ h.participantName }} · {{ h.exerciseTitle }} at {{ clock(h.start) }}</a>
            <p class="snippet">@for (p of parts(h.snippet); track $index) { @if (p.match) { <mark>{{ p.text }}</mark> } @else { {{ p.text }} } }</p>
            <span class="muted small">{{ h.courseTitle }} · {{ h.submittedAt | date: 'medium' }} · {{ h.engine }}</span>
          </article>
        } @empty {
          <p i18n class="muted">Nothing found. Try other words.</p>
        }
        @if (r.total > r.page * r.pageSize || r.page > 1) {
          <div class="row">
            <button i18n mat-button type="button" [disabled]="r.page <= 1" (click)="search(r.page - 1)">Previous</button>
            <span i18n>Page {{ r.page }} of {{ pages(r) }}{{ r.totalIsLowerBound ? '+' : '' }}</span>
            <button i18n mat-button type="button" [disabled]="r.page >= pages(r)" (click)="search(r.page + 1)">Next</button>
          </div>
        }
      }
    </section>
  `,
  styles: `
    .row { display: flex; gap: 12px; align-items: center; }
    .grow { flex: 1; }
    .hit { margin: 8px 0; }
    .snippet { margin: 4px 0; }
    .small { font-size: .85em; }
  `,
})
export class TranscriptSearchPage implements OnInit {
  private readonly api = inject(RecordingsApi);
  private readonly router = inject(Router);
  /** ?q= in the address: a search that can be bookmarked and shared (it runs on opening) */
  readonly q = input<string | undefined>(undefined);
  protected text = '';
  protected readonly loading = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly result = signal<Page<TranscriptSearchHit> | null>(null);
  protected readonly parts = snippetParts;

  protected readonly clock = formatClock;

  pages(r: Page<TranscriptSearchHit>): number {
    return Math.max(1, Math.ceil(r.total / r.pageSize));
  }

  ngOnInit(): void {
    const q = this.q();
    if (q) {
      this.text = q;
      void this.search(1, false);
    }
  }

  async search(page: number, remember = true): Promise<void> {
    if (this.text.trim().length < 2) return;
    if (remember) void this.router.navigate([], { queryParams: { q: this.text.trim() }, replaceUrl: true });
    this.loading.set(true);
    this.error.set(null);
    try {
      this.result.set(await firstValueFrom(this.api.search(this.text.trim(), page)));
    } catch (e) {
      this.error.set(toProblem(e).message);
    } finally {
      this.loading.set(false);
    }
  }
}
