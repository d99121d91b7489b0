import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, OnInit, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import type { PeerAssignment } from '@rehearse/shared/contracts';
import { FeedbackApi, toProblem } from '@rehearse/web/data-access';

/** The peer reviews handed to the trainee: to do (soonest due first), then done. */
@Component({
  selector: 'rh-peer-reviews',
  imports: [DatePipe, MatButtonModule, MatProgressBarModule, RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      <h1 i18n>Peer reviews</h1>
      @if (error(); as e) {
        <p class="card error-text" role="alert">{{ e }}</p>
        <button i18n mat-stroked-button type="button" (click)="load()">Try again</button>
      } @else if (items(); as list) {
        <ul class="plain">
          @for (a of list; track a.answerId) {
            <li class="card row">
              <span class="grow"><strong>{{ a.participantName }}</strong> — {{ a.courseTitle }}: {{ a.exerciseTitle }}
                <span class="muted">@if (a.state === 'published') { <ng-container i18n>· done</ng-container> } @else if (a.dueAt) {<ng-container i18n> · due {{ a.dueAt | date: 'mediumDate' }} </ng-container>}</span></span>
              <a mat-stroked-button [routerLink]="['/review', a.answerId]">@if (a.state === 'published') {<ng-container i18n>Open</ng-container>} @else if (a.state === 'draft') {<ng-container i18n>Continue</ng-container>} @else {<ng-container i18n>Review</ng-container>}</a>
            </li>
          } @empty { <li i18n class="card empty">No peer reviews for you right now. When someone in your group shares an answer, you may be asked.</li> }
        </ul>
      } @else {
        <mat-progress-bar i18n-aria-label mode="indeterminate" aria-label="Loading peer reviews" />
      }
    </section>
  `,
  styles: `.row { display: flex; gap: 12px; align-items: center; } .grow { flex: 1; }`,
})
export class PeerReviewsPage implements OnInit {
  private readonly api = inject(FeedbackApi);
  protected readonly items = signal<PeerAssignment[] | null>(null);
  protected readonly error = signal<string | null>(null);

  ngOnInit(): Promise<void> {
    return this.load();
  }

  async load(): Promise<void> {
    this.error.set(null);
    try {
      this.items.set(await firstValueFrom(this.api.peerReviews()));
    } catch (e) {
      this.error.set(toProblem(e).message);
    }
  }
}
