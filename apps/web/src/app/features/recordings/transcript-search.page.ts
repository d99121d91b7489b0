import { ChangeDetectionStrategy, Component, computed, inject, input, linkedSignal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { DecimalPipe } from '@angular/common';
import { FormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { Page, TranscriptSearchHit } from '@rehearse/shared/contracts';
import { RecordingsApi } from '@rehearse/web/data-access';
import { LoadState } from '../../core/load-state';
import { SessionStore } from '../../core/session.store';
import { DateTimePipe } from '../../core/date-time.pipe';
import { formatClock } from './clock';
import { engineName } from '../../core/labels';

/** Splits a snippet into plain and matched parts («» mark matches); rendered as text, never HTML. */
export function snippetParts(snippet: string): { text: string; match: boolean }[] {
  return snippet
    .split(/(«[^»]*»)/)
    .filter(Boolean)
    .map((p) => (p.startsWith('«') ? { text: p.slice(1, -1), match: true } : { text: p, match: false }));
}

interface SearchRequest {
  q: string;
  page: number;
}

/** Coaches and administrators search the transcripts they may see; each hit opens the recording at its moment. */
@Component({
  selector: 'rh-transcript-search',
  imports: [
    DateTimePipe,
    DecimalPipe,
    FormsModule,
    RouterLink,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    LoadState,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      <h1 i18n>Search transcripts</h1>
      <form class="row" (ngSubmit)="search(1)" role="search">
        <mat-form-field appearance="outline" class="grow">
          <mat-label i18n>Words or "a phrase"</mat-label>
          <input matInput name="q" [ngModel]="text()" (ngModelChange)="text.set($event)" minlength="2" maxlength="200" required />
        </mat-form-field>
        <button i18n mat-flat-button type="submit" [disabled]="text().trim().length < 2">Search</button>
      </form>
      <rh-load-state [of]="results" label="Searching" i18n-label />
      @if (results.hasValue()) {
        @let r = results.value();
        <p class="muted" role="status">
          @if (r.totalIsLowerBound) {<ng-container i18n> More than {{ r.total | number }} passages found: the most relevant of the newest are shown first. Add words to narrow the search. </ng-container>}
          @else { {{ r.total | number }} @if (r.total === 1) {<ng-container i18n>passage found</ng-container>} @else {<ng-container i18n>passages found</ng-container>} }
        </p>
        @for (h of r.items; track h.recordingId + h.start) {
          <article class="card hit">
            <a i18n [routerLink]="['/recordings', h.recordingId]" [queryParams]="{ t: h.start.toFixed(1) }">{{ h.participantName }} · {{ h.exerciseTitle }} at {{ clock(h.start) }}</a>
            <p class="snippet">@for (p of parts(h.snippet); track $index) { @if (p.match) { <mark>{{ p.text }}</mark> } @else { {{ p.text }} } }</p>
            <span class="muted small">{{ h.courseTitle }} · {{ h.submittedAt | dateTime }} · {{ engineName(h.engine) }}</span>
            @if (canReview()) {
              <a i18n class="review small" [routerLink]="['/review', h.answerId]">Review this answer</a>
            }
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
    .review { margin-left: 12px; }
  `,
})
export class TranscriptSearchPage {
  private readonly api = inject(RecordingsApi);
  private readonly router = inject(Router);
  /** a coach goes from a passage to the answer's review (the review page checks the answer is theirs) */
  private readonly session = inject(SessionStore);
  protected readonly canReview = computed(() => this.session.can('coaching.read'));
  /** ?q= in the address: a search that can be bookmarked and shared (it runs on opening) */
  readonly q = input<string | undefined>(undefined);
  protected readonly text = linkedSignal(() => this.q() ?? '');
  /** the search on screen: the address's, or the one just asked for (a page of it) */
  private readonly request = linkedSignal<string | undefined, SearchRequest | undefined>({
    source: this.q,
    computation: (q) => {
      const t = q?.trim();
      return t && t.length >= 2 ? { q: t, page: 1 } : undefined;
    },
    equal: (a, b) => a?.q === b?.q && a?.page === b?.page,
  });
  /** the hits: a newer search or page replaces the one before it, whose late answer is dropped */
  protected readonly results = rxResource({
    params: () => this.request(),
    stream: ({ params: r }) => this.api.search(r.q, r.page),
  });
  protected readonly parts = snippetParts;

  protected readonly clock = formatClock;
  protected readonly engineName = engineName;

  pages(r: Page<TranscriptSearchHit>): number {
    return Math.max(1, Math.ceil(r.total / r.pageSize));
  }

  search(page: number): void {
    const q = this.text().trim();
    if (q.length < 2) return;
    this.request.set({ q, page });
    // the words in the address (a reload shows the same results); the page stays where it is scrolled
    void this.router.navigate([], { queryParams: { q }, replaceUrl: true, scroll: 'manual' });
  }
}
