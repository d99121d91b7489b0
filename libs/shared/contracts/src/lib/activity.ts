import type { TenantRole } from './roles';

/**
 * What an organisation's account activity records: the changes its administrators (or the
 * operator's support acting as one) made to its people's accounts and to its settings.
 */
export const ACCOUNT_ACTIVITY_ACTIONS = [
  /** a person invited (one by one; `roles`, `licence`) */
  'user.invited',
  /** a person invited from a CSV file (`roles`) */
  'user.imported',
  /** an account made at the person's first sign-in with the organisation's single sign-on (`roles`; made by the person) */
  'user.created_at_sign_in',
  /** a new invitation link sent (the old one stops working) */
  'user.invitation_sent',
  /** roles changed (`previousRoles` → `roles`) */
  'user.roles_changed',
  /** licence set or changed (`previousLicence` → `licence`) */
  'user.licence_changed',
  'user.deactivated',
  'user.reactivated',
  /** a person erased for good (no person named: `receiptId`, the deletion receipt) */
  'user.erased',
  /** a request to keep recordings after the licence decided (`granted`) */
  'user.keep_request_decided',
  /** a person added to a group (`group`, `membership`) */
  'group.member_added',
  /** a person taken out of a group (`group`, `membership`) */
  'group.member_removed',
  /** a person (`course`) or a group (`course`, `group`; no person named) enrolled in a course */
  'enrolment.added',
  /** a person's (`course`) or a group's (`course`, `group`) enrolment in a course ended */
  'enrolment.ended',
  /** single sign-on settings changed (`settings`: which) */
  'organisation.sso_changed',
  /** the retention settings changed (`settings`: which) */
  'organisation.retention_changed',
  /** the operator's superuser registered the organisation (`passwordComplexity`: whether it asks for complex passwords) */
  'organisation.created',
  /** the operator set, moved or cleared the end of the organisation's agreement (`previousEndsOn` → `endsOn`) */
  'organisation.agreement_changed',
  /**
   * the operator accepted the organisation's privacy log as it is after the nightly check found it
   * changed or cut short (`reason`, `brokenAtId`; made by no person: `actorRole` `operator`)
   */
  'organisation.privacy_log_accepted',
] as const;
export type AccountActivityAction = (typeof ACCOUNT_ACTIVITY_ACTIONS)[number];

export interface LicencePeriod {
  startsOn: string;
  expiresOn: string;
}

/** What a change was, beyond its action: only what the action names is set. */
export interface AccountActivityDetails {
  /** the roles given (invited, imported) or after the change */
  roles?: TenantRole[];
  /** the roles before the change */
  previousRoles?: TenantRole[];
  /** the licence given or after the change */
  licence?: LicencePeriod | null;
  /** the licence before the change (null: none) */
  previousLicence?: LicencePeriod | null;
  /** the group of a membership change or of a group's enrolment, with its name then */
  group?: { id: string; name: string };
  /** the course of an enrolment, with its title then */
  course?: { id: string; title: string };
  /** as what the person is (or was) in the group */
  membership?: 'participant' | 'coach';
  /** whether a keep request was granted */
  granted?: boolean;
  /** the erasure's deletion receipt */
  receiptId?: string;
  /** the settings a change of the organisation's settings touched */
  settings?: string[];
  /** the end of the organisation's agreement after the change (null: none) */
  endsOn?: string | null;
  /** the end of the organisation's agreement before the change (null: none) */
  previousEndsOn?: string | null;
  /** whether the organisation asks its people for passwords with upper- and lower-case letters, digits and symbols */
  passwordComplexity?: boolean;
  /** why the operator did it */
  reason?: string;
  /** the privacy log's entry the check had found changed, or up to which entries were gone */
  brokenAtId?: string;
}

/** One change in the organisation's accounts, with the names of the people in it. */
export interface AccountActivityEntry {
  id: string;
  at: string;
  action: AccountActivityAction;
  /** who made the change (null: erased since, or the operator with no person: `actorRole` `operator`) */
  actorId: string | null;
  actorName: string | null;
  actorRole: string;
  /** the operator's support, acting as the administrator */
  impersonatorId: string | null;
  impersonatorName: string | null;
  /** whose account changed (null: an organisation's setting, or a person erased) */
  subjectId: string | null;
  subjectName: string | null;
  details: AccountActivityDetails;
  /** whether the group the details name is still in the organisation (set only where they name one) */
  groupExists?: boolean;
}
