import { ChangeDetectionStrategy, Component, inject, OnInit, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import type { MyRetention } from '@rehearse/shared/contracts';
import { ApiProblem, LifecycleApi, problemText, toProblem } from '@rehearse/web/data-access';
import { DataExports } from './data-exports';

/**
 * What happens to the user's data: their licence, whether their answers are hidden, when their
 * recordings will be deleted, and the button to ask to keep them during the notice period.
 */
@Component({
  selector: 'rh-my-data',
  imports: [MatButtonModule, MatProgressBarModule, RouterLink, DataExports],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      <h1>My data</h1>
      @if (status(); as s) {
        <div class="card">
          <h2>Licence</h2>
          @if (!s.licenceExpiresOn) {
            <p>Your organisation has not set an end date for your licence.</p>
          } @else if (s.hidden) {
            <p role="status"><strong>Your licence expired on {{ s.licenceExpiresOn }}.</strong> Your answers, recordings and feedback are hidden from everyone, you included, until your administrator extends it.</p>
          } @else {
            <p>Your licence runs until {{ s.licenceExpiresOn }}.</p>
          }
        </div>
        <div class="card">
          <h2>Recordings</h2>
          @if (s.mediaDeletedAt) {
            <p>Your recordings were deleted on {{ s.mediaDeletedAt.slice(0, 10) }}: the videos, their sound, transcripts and captions. Your organisation keeps a receipt.</p>
          }
          @if (s.deletionDueOn) {
            <p class="due" role="status">Your {{ s.recordings }} recording(s) will be deleted on <strong>{{ s.deletionDueOn }}</strong>.</p>
            @if (s.keep; as k) {
              @switch (k.status) {
                @case ('requested') { <p>You asked to keep them on {{ k.requestedAt?.slice(0, 10) }}. Your administrators decide; nothing is deleted meanwhile.</p> }
                @case ('approved') { <p>Your request to keep them was granted: they stay until {{ k.until }}.</p> }
                @case ('declined') { <p>Your request to keep them was declined.</p> }
              }
            } @else if (s.mayAskToKeep) {
              <p>{{ s.keepPolicy === 'automatic' ? 'If you want to keep them, say so: they are then kept longer.' : 'If you want to keep them, ask: your administrators decide.' }}</p>
              @if (error()) { <p class="error-text" role="alert">{{ error() }}</p> }
              <button mat-flat-button type="button" (click)="keep()" [disabled]="busy()">Keep my recordings</button>
            } @else {
              <p class="muted">You can ask to keep them once the notice period begins; you will get an e-mail.</p>
            }
          } @else if (!s.mediaDeletedAt) {
            <p class="muted">Nothing of yours is scheduled for deletion.</p>
          }
        </div>
        <rh-data-exports />
        <p><a routerLink="/account">Who looked at my data</a> is on your account page.</p>
      } @else if (problem(); as p) {
        <p class="card error-text" role="alert">{{ p.message }}</p>
        <button mat-stroked-button type="button" (click)="load()">Try again</button>
      } @else {
        <mat-progress-bar mode="indeterminate" aria-label="Loading" />
      }
    </section>
  `,
})
export class MyDataPage implements OnInit {
  private readonly api = inject(LifecycleApi);
  protected readonly status = signal<MyRetention | null>(null);
  protected readonly problem = signal<ApiProblem | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly busy = signal(false);

  async ngOnInit(): Promise<void> {
    await this.load();
  }

  async load(): Promise<void> {
    this.problem.set(null);
    try {
      this.status.set(await firstValueFrom(this.api.mine()));
    } catch (e) {
      this.problem.set(toProblem(e));
    }
  }

  async keep(): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      this.status.set(await firstValueFrom(this.api.askToKeep()));
    } catch (e) {
      this.error.set(problemText(toProblem(e)));
    } finally {
      this.busy.set(false);
    }
  }
}
