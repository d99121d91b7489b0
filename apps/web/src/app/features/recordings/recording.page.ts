import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { RouterLink } from '@angular/router';
import { RecordingsApi } from '@rehearse/web/data-access';
import { DateTimePipe } from '../../core/date-time.pipe';
import { ARIA } from '../../core/labels';
import { LoadState } from '../../core/load-state';
import { SessionStore } from '../../core/session.store';
import { RecordingPlayer } from './recording-player';

/**
 * One recording (a coach's or administrator's view, e.g. from a search hit), opened at ?t=seconds,
 * with the answer it belongs to: whose, which exercise of which course, which attempt, and the
 * ways on from there (the answer's review for a coach, its feedback, the person's page for an
 * administrator).
 */
@Component({
  selector: 'rh-recording-page',
  imports: [DateTimePipe, LoadState, RecordingPlayer, RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      @if (recording.hasValue()) {
        @let a = recording.value().answer;
        @if (a.participantId === meId()) { <h1 i18n>Your answer to “{{ a.exerciseTitle }}”</h1> }
        @else { <h1 i18n>{{ a.participantName }}’s answer to “{{ a.exerciseTitle }}”</h1> }
        <p class="muted context">
          <ng-container i18n>{{ a.courseTitle }} · attempt {{ a.attempt }} · submitted {{ a.submittedAt | dateTime }}</ng-container>
        </p>
        <nav class="links" i18n-aria-label aria-label="This answer">
          @if (canReview()) { <a i18n [routerLink]="['/review', a.answerId]">Review this answer</a> }
          <a i18n [routerLink]="['/answers', a.answerId]">Feedback on this answer</a>
          @if (canOpenPerson()) { <a i18n [routerLink]="['/admin/users', a.participantId]">{{ a.participantName }}’s page</a> }
        </nav>
        @if (a.participantId === meId()) { <rh-recording-player [recording]="recording.value()" [startAt]="start()" mediaLabel="Your recording" i18n-mediaLabel /> }
        @else { <rh-recording-player [recording]="recording.value()" [startAt]="start()" [mediaLabel]="aria.recordingOf(a.participantName)" /> }
      } @else {
        <h1 i18n>Recording</h1>
      }
      <rh-load-state
        [of]="recording"
        label="Loading the recording"
        i18n-label
        notFound="No such recording, or it is not yours to see."
        i18n-notFound
      />
    </section>
  `,
  styles: `
    .context { margin-top: -8px; }
    .links { display: flex; flex-wrap: wrap; gap: 8px 20px; margin-bottom: 12px; }
  `,
})
export class RecordingPage {
  protected readonly aria = ARIA;
  readonly id = input.required<string>();
  readonly t = input<string | undefined>(undefined);
  private readonly api = inject(RecordingsApi);
  private readonly session = inject(SessionStore);
  protected readonly meId = computed(() => this.session.me()?.id ?? null);
  /** a coach goes on to the answer's review (the review page checks the answer is theirs) */
  protected readonly canReview = computed(() => this.session.can('coaching.read'));
  /** an administrator goes on to the person's page (their licence, groups and privacy log) */
  protected readonly canOpenPerson = computed(() => this.session.can('users.read'));
  /** the recording of the route's id: another id (a link from one hit to the next) loads that one */
  protected readonly recording = rxResource({
    params: () => this.id(),
    stream: ({ params: id }) => this.api.recording(id),
  });

  protected readonly start = computed<number | null>(() => {
    const t = this.t();
    const n = Number(t);
    return t !== undefined && Number.isFinite(n) && n >= 0 ? n : null;
  });
}
