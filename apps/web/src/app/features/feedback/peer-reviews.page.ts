import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink } from '@angular/router';
import { FeedbackApi } from '@rehearse/web/data-access';
import { LoadState } from '../../core/load-state';

/** The peer reviews handed to the trainee: to do (soonest due first), then done. */
@Component({
  selector: 'rh-peer-reviews',
  imports: [DatePipe, LoadState, MatButtonModule, RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      <h1 i18n>Peer reviews</h1>
      <rh-load-state [of]="items" label="Loading peer reviews" i18n-label />
      @if (items.hasValue()) {
        @let list = items.value();
        <ul class="plain">
          @for (a of list; track a.answerId) {
            <li class="card row">
              <span class="grow"><strong>{{ a.participantName }}</strong> — {{ a.courseTitle }}: {{ a.exerciseTitle }}
                <span class="muted">@if (a.state === 'published') { <ng-container i18n>· done</ng-container> } @else if (a.dueAt) {<ng-container i18n> · due {{ a.dueAt | date: 'mediumDate' }} </ng-container>}</span></span>
              <a mat-stroked-button [routerLink]="['/review', a.answerId]">@if (a.state === 'published') {<ng-container i18n>Open</ng-container>} @else if (a.state === 'draft') {<ng-container i18n>Continue</ng-container>} @else {<ng-container i18n>Review</ng-container>}</a>
            </li>
          } @empty { <li i18n class="card empty">No peer reviews for you right now. When someone in your group shares an answer, you may be asked.</li> }
        </ul>
      }
    </section>
  `,
  styles: `.row { display: flex; gap: 12px; align-items: center; } .grow { flex: 1; }`,
})
export class PeerReviewsPage {
  private readonly api = inject(FeedbackApi);
  protected readonly items = rxResource({ stream: () => this.api.peerReviews() });
}
