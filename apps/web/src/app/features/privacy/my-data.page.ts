import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, linkedSignal, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import type { MyRetention } from '@rehearse/shared/contracts';
import { LifecycleApi, problemText, toProblem } from '@rehearse/web/data-access';
import { LoadState } from '../../core/load-state';
import { DataExports } from './data-exports';

/**
 * What happens to the user's data: their licence, whether their answers are hidden, when their
 * recordings will be deleted, and the button to ask to keep them during the notice period.
 */
@Component({
  selector: 'rh-my-data',
  imports: [DatePipe, LoadState, MatButtonModule, RouterLink, DataExports],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      <h1 i18n>My data</h1>
      <rh-load-state [of]="loaded" label="Loading" i18n-label />
      @if (status(); as s) {
        <div class="card">
          <h2 i18n>Licence</h2>
          @if (!s.licenceExpiresOn) {
            <p i18n>Your organisation has not set an end date for your licence.</p>
          } @else if (s.hidden) {
            <p i18n role="status"><strong>Your licence expired on {{ s.licenceExpiresOn | date: 'mediumDate' }}.</strong> Your answers, recordings and feedback are hidden from everyone, you included, until your administrator extends it.</p>
          } @else {
            <p i18n>Your licence runs until {{ s.licenceExpiresOn | date: 'mediumDate' }}.</p>
          }
        </div>
        <div class="card">
          <h2 i18n>Recordings</h2>
          @if (s.mediaDeletedAt) {
            <p i18n>Your recordings were deleted on {{ s.mediaDeletedAt | date: 'mediumDate' }}: the videos, their sound, transcripts and captions. Your organisation keeps a receipt.</p>
            @if (s.receiptId) {
              <p><a i18n mat-stroked-button [href]="receiptUrl(s.receiptId)">Download the receipt, signed</a></p>
              <p i18n class="muted small">Signed by this installation: you, or anyone you give it to, can check that it came from here and was not changed, with the installation's public key at <code>/api/receipts/keys</code>.</p>
              <p><a i18n routerLink="/receipts/check">Check a receipt</a></p>
            }
          }
          @if (s.deletionDueOn) {
            <p i18n class="due" role="status">{s.recordings, plural, =1 {Your recording} other {Your {{ s.recordings }} recordings}} will be deleted on <strong>{{ s.deletionDueOn | date: 'mediumDate' }}</strong>.</p>
            @if (s.keep; as k) {
              @switch (k.status) {
                @case ('requested') { <p i18n>You asked to keep them on {{ k.requestedAt | date: 'mediumDate' }}. Your administrators decide; nothing is deleted meanwhile.</p> }
                @case ('approved') { <p i18n>Your request to keep them was granted: they stay until {{ k.until }}.</p> }
                @case ('declined') { <p i18n>Your request to keep them was declined.</p> }
              }
            } @else if (s.mayAskToKeep) {
              <p>@if (s.keepPolicy === 'automatic') {<ng-container i18n>If you want to keep them, say so: they are then kept longer.</ng-container>} @else {<ng-container i18n>If you want to keep them, ask: your administrators decide.</ng-container>}</p>
              @if (error()) { <p class="error-text" role="alert">{{ error() }}</p> }
              <button i18n mat-flat-button type="button" (click)="keep()" [disabled]="busy()">Keep my recordings</button>
            } @else {
              <p i18n class="muted">You can ask to keep them once the notice period begins; you will get an e-mail.</p>
            }
          } @else if (!s.mediaDeletedAt) {
            <p i18n class="muted">Nothing of yours is scheduled for deletion.</p>
          }
        </div>
        <rh-data-exports />
        <p i18n><a routerLink="/account">Who looked at my data</a> is on your account page.</p>
      }
    </section>
  `,
})
export class MyDataPage {
  private readonly api = inject(LifecycleApi);
  protected readonly loaded = rxResource({ stream: () => this.api.mine() });
  /** the receipt of the deletion of my recordings, signed by the installation (named by the server) */
  protected receiptUrl(id: string): string {
    return this.api.signedOwnReceiptUrl(id);
  }
  /** what happens to my recordings: as loaded, then as a request to keep them answered */
  protected readonly status = linkedSignal<MyRetention | null>(() =>
    this.loaded.hasValue() ? this.loaded.value() : null,
  );
  protected readonly error = signal<string | null>(null);
  protected readonly busy = signal(false);

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
