import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { UNSUBSCRIBE_TOPICS, type UnsubscribeTopic } from '@rehearse/shared/contracts';
import { AccountApi, type ApiProblem, toProblem } from '@rehearse/web/data-access';

/** What each kind of e-mail is called on the page. */
const WHAT: Record<UnsubscribeTopic, string> = {
  feedback_published: $localize`the e-mails that tell you feedback on one of your answers was published`,
  peer_reviews: $localize`the e-mails about colleagues’ answers given to you to review, and their reminders`,
  course_due: $localize`the reminders of courses of yours that are due soon`,
  coach_digest: $localize`the morning e-mail about the answers waiting for your feedback`,
};

/**
 * An e-mail's stop link (`/unsubscribe?u=…&t=…&s=…`): which e-mails it stops, then one button that
 * stops them (a button, not the visit itself: mail scanners open links too). No sign-in: the link
 * is signed for one person and one kind of e-mail. They are turned on again on the account page.
 */
@Component({
  selector: 'rh-unsubscribe',
  imports: [RouterLink, MatButtonModule, MatProgressBarModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page narrow">
      <div class="card">
        @if (done()) {
          <h1 i18n>These e-mails are stopped</h1>
          <p i18n>You will no longer receive {{ what() }}.</p>
          <p i18n class="muted">You can turn them on again on your account page.</p>
          <a i18n mat-flat-button routerLink="/account">Go to my account</a>
        } @else if (what() && !invalid()) {
          <h1 i18n>Stop these e-mails?</h1>
          <p i18n>You will no longer receive {{ what() }}.</p>
          <p i18n class="muted">Sign-in codes and messages about your account and your data still come. You can choose which e-mails you receive on your account page.</p>
          @if (busy()) { <mat-progress-bar i18n-aria-label mode="indeterminate" aria-label="Stopping the e-mails" /> }
          @if (problem(); as p) { <p class="error-text" role="alert">{{ p.message }}</p> }
          <div><button i18n mat-flat-button type="button" [disabled]="busy()" (click)="stop()">Stop these e-mails</button></div>
        } @else {
          <h1 i18n>This link does not work</h1>
          <p class="error-text" role="alert">{{ invalid()?.message ?? incomplete }}</p>
          <p i18n class="muted">Choose which e-mails you receive on your account page.</p>
          <a i18n routerLink="/account">Go to my account</a>
        }
      </div>
    </section>
  `,
  styles: `.narrow { max-width: 460px; }`,
})
export class UnsubscribePage {
  /** the link's query: the person, the kind of e-mail, the signature */
  readonly u = input<string>();
  readonly t = input<string>();
  readonly s = input<string>();
  private readonly api = inject(AccountApi);

  protected readonly incomplete = $localize`The link is incomplete: open it from the e-mail again, or copy all of it.`;
  private readonly topic = computed(() => {
    const t = this.t();
    return (UNSUBSCRIBE_TOPICS as readonly string[]).includes(t ?? '') ? (t as UnsubscribeTopic) : null;
  });
  /** what the link stops; null: not a link this page knows */
  protected readonly what = computed(() => {
    const topic = this.topic();
    return topic && this.u() && this.s() ? WHAT[topic] : null;
  });
  protected readonly busy = signal(false);
  protected readonly done = signal(false);
  protected readonly problem = signal<ApiProblem | null>(null);
  /** the server's answer that the link is not valid (404) or malformed (400) */
  protected readonly invalid = computed(() => {
    const p = this.problem();
    return p && (p.status === 404 || p.status === 400) ? p : null;
  });

  async stop(): Promise<void> {
    const topic = this.topic();
    const u = this.u();
    const s = this.s();
    if (!topic || !u || !s) return;
    this.busy.set(true);
    this.problem.set(null);
    try {
      await firstValueFrom(this.api.stopByLink({ u, t: topic, s }));
      this.done.set(true);
    } catch (e) {
      this.problem.set(toProblem(e));
    } finally {
      this.busy.set(false);
    }
  }
}
