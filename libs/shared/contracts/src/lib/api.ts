import { TenantRole, UserStatus } from './roles';
import type { Locale } from './locale';
import { Permission } from './permissions';

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
  /** Set where counting stopped early: `total` is then a lower bound ("10,000 or more"). */
  totalIsLowerBound?: boolean;
}

export type LoginResult =
  | { status: 'signed_in'; me: Me }
  | { status: 'mfa_required'; method: 'email' | 'totp'; alternatives: ('email' | 'totp')[] }
  /** the address and password open accounts in several organisations: sign in again naming one */
  | { status: 'choose_organisation'; organisations: { slug: string; name: string }[] };

export interface ImpersonationInfo {
  id: string;
  superuserId: string;
  superuserName: string;
  reason: string;
  expiresAt: string;
}

export interface Me {
  id: string;
  email: string;
  name: string;
  phone: string | null;
  tenantId: string | null;
  tenantName: string | null;
  roles: TenantRole[];
  isSuperuser: boolean;
  totpEnabled: boolean;
  /** the language chosen on the account; null: the browser's language */
  locale: Locale | null;
  permissions: Permission[];
  impersonation: ImpersonationInfo | null;
  /** how long this session lasts, so the web app can warn before it ends */
  session: SessionTimes;
}

/**
 * A session's limits: it ends after `idleMinutes` without a request (each request pushes that on,
 * at most once a minute), and at `endsAt` whatever happens (SESSION_ABSOLUTE_HOURS after signing in).
 */
export interface SessionTimes {
  idleMinutes: number;
  endsAt: string;
}

export interface Licence {
  startsOn: string;
  expiresOn: string;
}

export interface UserSummary {
  id: string;
  email: string;
  name: string;
  phone: string | null;
  status: UserStatus;
  roles: TenantRole[];
  licence: Licence | null;
  createdAt: string;
}

/** An invited person's open invitation: when its link was e-mailed (null: not yet; it goes out by itself) and until when it works. */
export interface InvitationStatus {
  sentAt: string | null;
  expiresAt: string;
}

export interface UserDetail extends UserSummary {
  lastSignInAt: string | null;
  totpEnabled: boolean;
  /** the open invitation of a person still invited; null for everyone else */
  invitation: InvitationStatus | null;
}

export interface ImportRowError {
  row: number;
  field: string;
  message: string;
}

export interface ImportResult {
  created: number;
  errors: ImportRowError[];
}

/** One licence for several people at once (`PUT /api/admin/users/licences`): a year's renewal, a group's. */
export interface SetLicences {
  /** the organisation's people (at most 1,000) */
  userIds: string[];
  licence: { startsOn: string; expiresOn: string };
}

export interface LicencesSet {
  /** of the people asked for, those whose licence changed (the others had it already) */
  changed: number;
}

export interface PrivacyLogEntry {
  id: string;
  at: string;
  tenantId: string | null;
  actorId: string | null;
  actorName: string | null;
  actorRole: string;
  subjectId: string;
  subjectName: string | null;
  objectType: string;
  objectId: string;
  action: string;
  impersonatorId: string | null;
  impersonatorName: string | null;
  /**
   * why the operator's support acted as the person: an impersonation's start (`action`
   * `impersonation_start`, `objectType` `impersonation`); null for any other row, and once erased
   */
  supportReason: string | null;
}

/**
 * A person's own log as they read it ("who looked at my data"): the looks of one kind at one
 * object by one person on one day (UTC) are one entry, the newest look's row with how many there
 * were and when the first was. The organisation's log lists every row.
 */
export interface PrivacyLogLooks extends PrivacyLogEntry {
  /** how many looks the entry stands for (1 or more) */
  count: number;
  /** the first of them (`at` is the last) */
  firstAt: string;
}

/**
 * The last check of an organisation's privacy log for changes made outside the application: the
 * worker recomputes the log's hash chains every day.
 */
export interface PrivacyLogIntegrity {
  /** when it was last checked (null: not yet) */
  checkedAt: string | null;
  /**
   * how many entries that check read (up to the first changed one; `removed`: how many the check
   * before had read up to `brokenAtId`, which every check counts again until the operator clears it)
   */
  entriesChecked: number;
  /**
   * what the check found: `changed` (an entry changed, or one missing from the middle of its chain:
   * `brokenAtId` is the first entry out of its chain) or `removed` (entries read by the check before
   * are gone: `brokenAtId` is the last entry that check read); null: every entry intact, or not checked
   */
  broken: 'changed' | 'removed' | null;
  brokenAtId: string | null;
}

export interface TrustedDevice {
  id: string;
  label: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string;
  current: boolean;
}

/** How many of one's other sessions were ended. */
export interface SessionsEnded {
  ended: number;
}

export interface ActiveSession {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  userAgent: string;
  /** the browser the user-agent string names ("Chrome"), null when it names none */
  browser: string | null;
  /** the system it names ("Android"), null when it names none */
  os: string | null;
  ip: string;
  current: boolean;
}

export interface TotpSetup {
  secret: string;
  otpauthUrl: string;
  qrDataUrl: string;
}

export interface InvitationInfo {
  email: string;
  name: string;
  tenantName: string;
  passwordRules: PasswordRules;
}

/** What a password reset link is for: whose password, in which organisation, and its rules. */
export interface PasswordResetInfo {
  email: string;
  name: string;
  tenantName: string;
  passwordRules: PasswordRules;
  /** when the link stops working */
  expiresAt: string;
}

/** The answer to a request for a reset link: the same whether or not the address has an account. */
export interface PasswordResetRequested {
  message: string;
}

/** A change of one's own e-mail address waiting for the new address to confirm it (by the link mailed to it). */
export interface PendingEmailChange {
  /** the new address, not yet used for anything but the link */
  email: string;
  /** when the link stops working */
  expiresAt: string;
}

/** The person's change of address in progress, if any. */
export interface EmailChangeStatus {
  pending: PendingEmailChange | null;
}

/** What an e-mail change link is for: whose account, in which organisation, the address it confirms. */
export interface EmailChangeInfo {
  /** the new address, the one the link was mailed to */
  email: string;
  name: string;
  /** null for the operator's staff, who belong to no organisation */
  tenantName: string | null;
  expiresAt: string;
}

/**
 * The e-mails a person may stop, each on until they turn it off. Sign-in codes and notices about
 * their account or their data (a new sign-in, a licence ending, an export ready) always come.
 */
export interface MailPreferences {
  /** feedback on one of their answers was published (by a coach or a peer) */
  feedbackPublished: boolean;
  /** a peer's answer to review was given to them, and the reminders while it waits */
  peerReviews: boolean;
  /** a course of theirs is due soon and they have not answered all of it */
  courseDue: boolean;
}

/**
 * The kinds of e-mail a signed link from one of them stops (`/unsubscribe?u=…&t=…&s=…`): the three
 * above and the coach's morning e-mail.
 */
export const UNSUBSCRIBE_TOPICS = ['feedback_published', 'peer_reviews', 'course_due', 'coach_digest'] as const;
export type UnsubscribeTopic = (typeof UNSUBSCRIBE_TOPICS)[number];

/** The person's e-mails, and what the installation sends of them. */
export interface MailPreferencesSetting extends MailPreferences {
  /** how many days before a course's due date its reminder comes; null: this installation sends none */
  courseDueDays: number | null;
}

export interface PasswordRules {
  minLength: number;
  maxLength: number;
  requireComplexity: boolean;
}

export interface ImpersonationRecord {
  id: string;
  superuserId: string;
  superuserName: string;
  /** the person acted as: a random id that resolves to no one once they are erased */
  targetUserId: string;
  /** null: the person has been erased (their impersonations stay in the operator's review) */
  targetUserName: string | null;
  tenantName: string | null;
  /** null: erased with the person it was about */
  reason: string | null;
  startedAt: string;
  expiresAt: string;
  endedAt: string | null;
}

/** A superuser, with how many impersonations they started in the report's period. */
export interface SuperuserSummary {
  id: string;
  email: string;
  name: string;
  totpEnabled: boolean;
  status: UserStatus;
  impersonationCount: number;
}

/**
 * The operator's review of its support staff over a period (a quarter, as the support page asks
 * for): every superuser, and how many impersonations each started in it. The impersonations
 * themselves come a page at a time (`GET /superuser/impersonations`) or as CSV.
 */
export interface SuperuserReport {
  /** the period's first moment (inclusive), as asked; null: from the first impersonation */
  from: string | null;
  /** the moment after the period (exclusive), as asked; null: up to now */
  before: string | null;
  superusers: SuperuserSummary[];
  /** impersonations started in the period, by any superuser (one who is no longer a superuser too) */
  impersonationCount: number;
}

export interface HealthReport {
  status: 'ok' | 'degraded';
  checks: Record<string, { status: 'up' | 'down'; detail?: string }>;
}
