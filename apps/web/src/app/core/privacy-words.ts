import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { PrivacyLogEntry } from '@rehearse/shared/contracts';

/** What a privacy-log row says happened, in words people read (the row keeps the codes). */
const OBJECTS: Record<string, string> = {
  user_profile: $localize`:an object in the privacy log:profile`,
  group_member: $localize`group membership`,
  answer: $localize`:an object in the privacy log:answer`,
  transcript: $localize`:an object in the privacy log:transcript`,
  recording: $localize`:an object in the privacy log:recording`,
  ai_report: $localize`AI report`,
  feedback: $localize`:an object in the privacy log:feedback`,
  review: $localize`:an object in the privacy log:review`,
  course_progress: $localize`course progress`,
  data_export: $localize`data export`,
  account: $localize`:an object in the privacy log:account`,
  sso_identity: $localize`sign-in identity`,
  account_history: $localize`:an object in the privacy log:account's history`,
};

const ACTIONS: Record<string, (object: string) => string> = {
  view: (o) => $localize`Opened the ${o}`,
  list: (o) => $localize`Saw the ${o} in a list`,
  search: (o) => $localize`Found the ${o} in a search`,
  download: (o) => $localize`Downloaded the ${o}`,
  play: (o) => $localize`Played the ${o}`,
  captions: () => $localize`Read the captions`,
  review: (o) => $localize`Reviewed the ${o}`,
  impersonation_start: () => $localize`Signed in as this person (support)`,
  unlinked: (o) => $localize`Unlinked the ${o}`,
};

export function describeRead(action: string, objectType: string): string {
  const object = OBJECTS[objectType] ?? objectType.replace(/_/g, ' ');
  const say = ACTIONS[action];
  if (say) return say(object);
  const text = `${action.replace(/_/g, ' ')} ${object}`;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Where the object of a privacy-log row opens (an answer and its feedback, a recording and its
 * transcript or AI report), so that "Played the recording" says which one; null for objects with
 * no page. The page checks again that the reader may see it.
 */
export function privacyObjectLink(objectType: string, objectId: string): string[] | null {
  switch (objectType) {
    case 'answer':
    case 'feedback':
      return ['/answers', objectId];
    case 'recording':
    case 'transcript':
    case 'ai_report':
      return ['/recordings', objectId];
    default:
      return null;
  }
}

/**
 * What a privacy-log row says happened, linked to the object when it has a page; the operator's
 * support signing in as the person says why (the reason they gave).
 */
@Component({
  selector: 'rh-privacy-read',
  imports: [RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `@if (link(); as l) {<a [routerLink]="l">{{ text() }}</a>} @else {{{ text() }}}@if (entry().supportReason; as why) {<span i18n="the reason the operator's support gave for signing in as the person|">, because: “{{ why }}”</span>}`,
})
export class PrivacyRead {
  readonly entry = input.required<
    Pick<PrivacyLogEntry, 'action' | 'objectType' | 'objectId'> & Partial<Pick<PrivacyLogEntry, 'supportReason'>>
  >();
  protected readonly text = computed(() => describeRead(this.entry().action, this.entry().objectType));
  protected readonly link = computed(() => privacyObjectLink(this.entry().objectType, this.entry().objectId));
}
