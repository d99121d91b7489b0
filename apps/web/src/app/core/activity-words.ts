import { formatDate } from '@angular/common';
import type {
  AccountActivityAction,
  AccountActivityEntry,
  LicencePeriod,
  TenantRole,
} from '@rehearse/shared/contracts';
import { ROLE_NAMES } from './labels';

/** Each kind of change, as the filter of the account activity lists it. */
export const ACTIVITY_KINDS: Record<AccountActivityAction, string> = {
  'user.invited': $localize`:a kind of change to accounts:Invited`,
  'user.imported': $localize`:a kind of change to accounts:Invited from a CSV file`,
  'user.created_at_sign_in': $localize`:a kind of change to accounts:Made at the first single sign-on`,
  'user.invitation_sent': $localize`:a kind of change to accounts:New invitation links`,
  'user.roles_changed': $localize`:a kind of change to accounts:Roles changed`,
  'user.licence_changed': $localize`:a kind of change to accounts:Licences changed`,
  'user.deactivated': $localize`:a kind of change to accounts:Deactivated`,
  'user.reactivated': $localize`:a kind of change to accounts:Reactivated`,
  'user.erased': $localize`:a kind of change to accounts:Erased`,
  'user.keep_request_decided': $localize`:a kind of change to accounts:Requests to keep recordings decided`,
  'group.member_added': $localize`:a kind of change to accounts:Added to a group`,
  'group.member_removed': $localize`:a kind of change to accounts:Removed from a group`,
  'enrolment.added': $localize`:a kind of change to accounts:Enrolled in a course`,
  'enrolment.ended': $localize`:a kind of change to accounts:Enrolments ended`,
  'organisation.sso_changed': $localize`:a kind of change to accounts:Single sign-on settings`,
  'organisation.retention_changed': $localize`:a kind of change to accounts:Retention settings`,
  'organisation.created': $localize`:a kind of change to accounts:Organisation registered`,
  'organisation.agreement_changed': $localize`:a kind of change to accounts:End of the agreement`,
  'organisation.privacy_log_accepted': $localize`:a kind of change to accounts:Privacy log accepted after a finding`,
};

/** The settings a change of the organisation's settings names, in words. */
const SETTINGS: Record<string, string> = {
  enabled: $localize`:a single sign-on setting:on or off`,
  issuer: $localize`:a single sign-on setting:issuer`,
  clientId: $localize`:a single sign-on setting:client ID`,
  clientSecret: $localize`:a single sign-on setting:client secret`,
  directoryId: $localize`:a single sign-on setting:directory ID`,
  jitParticipants: $localize`:a single sign-on setting:new participants at their first sign-in`,
  trustIdpMfa: $localize`:a single sign-on setting:the directory's second factor`,
  deleteAfterDays: $localize`:a retention setting:days until recordings are deleted`,
  noticeDays: $localize`:a retention setting:days of notice`,
  keepPolicy: $localize`:a retention setting:how requests to keep recordings are decided`,
  keepDays: $localize`:a retention setting:days recordings are kept on request`,
};

const roleList = (roles: readonly TenantRole[] | undefined) => (roles ?? []).map((r) => ROLE_NAMES[r] ?? r).join(', ');
const settingList = (names: readonly string[] | undefined) => (names ?? []).map((n) => SETTINGS[n] ?? n).join(', ');

/**
 * What a change of the account activity was, in a sentence of the reader's language; `day` writes
 * a licence's day (yyyy-MM-dd) the reader's way.
 */
export function describeActivity(
  e: Pick<AccountActivityEntry, 'action' | 'details'>,
  day: (iso: string) => string,
): string {
  const d = e.details;
  const period = (l: LicencePeriod) =>
    $localize`:a licence's first and last day:${day(l.startsOn)}:first: – ${day(l.expiresOn)}:last:`;
  const group = d.group?.name ?? '';
  const course = d.course?.title ?? '';
  const asCoach = d.membership === 'coach';
  switch (e.action) {
    case 'user.invited':
      return d.licence
        ? $localize`Invited as ${roleList(d.roles)}:roles:, with a licence for ${period(d.licence)}:period:`
        : $localize`Invited as ${roleList(d.roles)}:roles:`;
    case 'user.imported':
      return $localize`Invited from a CSV file as ${roleList(d.roles)}:roles:`;
    case 'user.created_at_sign_in':
      return $localize`Account made at the first sign-in with the organisation's single sign-on, as ${roleList(d.roles)}:roles:`;
    case 'user.invitation_sent':
      return $localize`Sent a new invitation link (the one before stopped working)`;
    case 'user.roles_changed':
      return $localize`Changed the roles from ${roleList(d.previousRoles)}:before: to ${roleList(d.roles)}:after:`;
    case 'user.licence_changed':
      if (!d.licence) return ACTIVITY_KINDS[e.action];
      return d.previousLicence
        ? $localize`Changed the licence from ${period(d.previousLicence)}:before: to ${period(d.licence)}:after:`
        : $localize`Gave a licence for ${period(d.licence)}:period:`;
    case 'user.deactivated':
      return $localize`Deactivated the account (every session ended)`;
    case 'user.reactivated':
      return $localize`Reactivated the account`;
    case 'user.erased':
      return $localize`Erased a person for good (deletion receipt ${(d.receiptId ?? '').slice(0, 8)}:receipt:)`;
    case 'user.keep_request_decided':
      return d.granted
        ? $localize`Granted the request to keep recordings after the licence`
        : $localize`Declined the request to keep recordings after the licence`;
    case 'group.member_added':
      return asCoach
        ? $localize`Added to the group ${group}:group: as a coach`
        : $localize`Added to the group ${group}:group: as a participant`;
    case 'group.member_removed':
      return asCoach
        ? $localize`Removed from the group ${group}:group: as a coach`
        : $localize`Removed from the group ${group}:group: as a participant`;
    case 'enrolment.added':
      return d.group
        ? $localize`Enrolled the group ${group}:group: in the course ${course}:course:`
        : $localize`Enrolled in the course ${course}:course:`;
    case 'enrolment.ended':
      return d.group
        ? $localize`Ended the group ${group}:group:'s enrolment in the course ${course}:course:`
        : $localize`Ended the enrolment in the course ${course}:course:`;
    case 'organisation.sso_changed':
      return $localize`Changed the single sign-on settings: ${settingList(d.settings)}:settings:`;
    case 'organisation.retention_changed':
      return $localize`Changed the retention settings: ${settingList(d.settings)}:settings:`;
    case 'organisation.created':
      return d.passwordComplexity
        ? $localize`Registered the organisation, whose passwords must mix upper- and lower-case letters, digits and symbols`
        : $localize`Registered the organisation`;
    case 'organisation.agreement_changed':
      if (!d.endsOn)
        return $localize`Took away the end of the organisation's agreement (it was to end on ${day(d.previousEndsOn ?? '')}:before:)`;
      return d.previousEndsOn
        ? $localize`Moved the end of the organisation's agreement from ${day(d.previousEndsOn)}:before: to ${day(d.endsOn)}:after:`
        : $localize`Set the end of the organisation's agreement: ${day(d.endsOn)}:after:`;
    case 'organisation.privacy_log_accepted':
      return $localize`Accepted the privacy log as it is after the nightly check found it changed or cut short at entry ${d.brokenAtId ?? ''}:entry:: “${d.reason ?? ''}:reason:”`;
    default:
      return String(e.action);
  }
}

/** `describeActivity` with a licence's or agreement's days written the way `locale` writes a date. */
export function describeActivityIn(e: Pick<AccountActivityEntry, 'action' | 'details'>, locale: string): string {
  return describeActivity(e, (day) => formatDate(`${day}T12:00:00`, 'mediumDate', locale));
}
