/*
 * The account routes' response shapes, each implementing its contract in @rehearse/shared/contracts.
 * Their OpenAPI schemas come from these declarations through @nestjs/swagger's compiler plugin
 * (npm run openapi:metadata): a property's type, optionality, nullability and enum are the
 * TypeScript declaration's, its description the doc comment.
 */
import type {
  AccountActivityAction,
  AccountActivityDetails,
  AccountActivityEntry,
  ActiveSession,
  ImpersonationInfo,
  ImpersonationRecord,
  ImportResult,
  ImportRowError,
  InvitationInfo,
  EmailChangeInfo,
  EmailChangeStatus,
  MailPreferencesSetting,
  PasswordResetInfo,
  PendingEmailChange,
  PasswordResetRequested,
  SessionsEnded,
  Licence,
  Locale,
  Me,
  SessionTimes,
  PasswordRules,
  Permission,
  AccountSso,
  SsoAvailability,
  SsoSettings,
  Page,
  SuperuserReport,
  SuperuserSummary,
  TenantRole,
  TotpSetup,
  LicencesSet,
  TrustedDevice,
  UserDetail,
  InvitationStatus,
  UserStatus,
  UserSummary,
} from '@rehearse/shared/contracts';
import { ApiProperty } from '@nestjs/swagger';

export class ImpersonationInfoDto implements ImpersonationInfo {
  /** @example '7b6b2d72-8810-42c0-a234-369ab083601f' */
  id!: string;
  /** @example '8e67bb26-b358-42ed-a0fe-552ed6fb832f' */
  superuserId!: string;
  /** @example 'Support desk (Linus)' */
  superuserName!: string;
  /** @example 'Ticket 4711: the participant cannot see her feedback' */
  reason!: string;
  /** @example '2026-11-30T10:15:00.000Z' */
  expiresAt!: string;
}

export class SessionTimesDto implements SessionTimes {
  /**
   * the session ends after this many minutes without a request (SESSION_IDLE_MINUTES; each request
   * pushes that on, at most once a minute)
   * @example 30
   */
  idleMinutes!: number;
  /**
   * the session ends then whatever happens (SESSION_ABSOLUTE_HOURS after signing in)
   * @example '2026-11-30T21:15:00.000Z'
   */
  endsAt!: string;
}

export class MeDto implements Me {
  /** @example '12dea96f-ec20-4935-a6ab-75692c994959' */
  id!: string;
  /** @example 'ada.lovelace@northwind.example' */
  email!: string;
  /** @example 'Ada Lovelace' */
  name!: string;
  /** @example '+31 20 123 4567' */
  phone!: string | null;
  /** @example 'b32c3765-e5dc-497e-b259-7c99fcaee9af' */
  tenantId!: string | null;
  /** @example 'Northwind Sales' */
  tenantName!: string | null;
  roles!: TenantRole[];
  /** @example false */
  isSuperuser!: boolean;
  totpEnabled!: boolean;
  /** the language chosen on the account; null: the browser decides */
  locale!: Locale | null;
  permissions!: Permission[];
  impersonation!: ImpersonationInfoDto | null;
  /** how long this session lasts, so that a page can warn before it ends */
  session!: SessionTimesDto;
}

export class OrganisationChoiceDto {
  /** @example 'northwind' */
  slug!: string;
  /** @example 'Northwind Sales' */
  name!: string;
}

export class LoginResultDto {
  status!: 'signed_in' | 'mfa_required' | 'choose_organisation';
  me?: MeDto;
  method?: 'email' | 'totp';
  alternatives?: ('email' | 'totp')[];
  /** the organisations this address and password open; sign in again naming one */
  organisations?: OrganisationChoiceDto[];
}

export class LicenceOutDto implements Licence {
  /** @example '2026-01-01' */
  startsOn!: string;
  /** @example '2026-12-31' */
  expiresOn!: string;
}

export class UserSummaryDto implements UserSummary {
  /** @example '12dea96f-ec20-4935-a6ab-75692c994959' */
  id!: string;
  /** @example 'ada.lovelace@northwind.example' */
  email!: string;
  /** @example 'Ada Lovelace' */
  name!: string;
  /** @example '+31 20 123 4567' */
  phone!: string | null;
  status!: UserStatus;
  roles!: TenantRole[];
  licence!: LicenceOutDto | null;
  /** @example '2026-09-01T08:00:00.000Z' */
  createdAt!: string;
}

export class InvitationStatusDto implements InvitationStatus {
  /**
   * When the link was e-mailed (the mail server took it); null: not yet, it goes out by itself
   * @example '2026-12-05T09:14:00.000Z'
   */
  sentAt!: string | null;
  /** @example '2026-12-12T09:14:00.000Z' */
  expiresAt!: string;
}

export class UserDetailDto extends UserSummaryDto implements UserDetail {
  /** @example '2026-11-29T16:02:00.000Z' */
  lastSignInAt!: string | null;
  totpEnabled!: boolean;
  /** the open invitation of a person still invited; null for everyone else */
  invitation!: InvitationStatusDto | null;
}

export class UserPageDto {
  items!: UserSummaryDto[];
  /** @example 132 */
  total!: number;
  /** @example 1 */
  page!: number;
  /** @example 25 */
  pageSize!: number;
}

export class SuperuserUserDto extends UserSummaryDto {
  /** @example 'Northwind Sales' */
  tenantName!: string;
}

export class SuperuserUserPageDto {
  items!: SuperuserUserDto[];
  /** @example 132 */
  total!: number;
  /** @example 1 */
  page!: number;
  /** @example 25 */
  pageSize!: number;
}

export class ImportRowErrorDto implements ImportRowError {
  /** @example 3 */
  row!: number;
  /** @example 'email' */
  field!: string;
  /** @example 'email must be an email' */
  message!: string;
}

export class ImportResultDto implements ImportResult {
  /** @example 12 */
  created!: number;
  errors!: ImportRowErrorDto[];
}

export class LicencesSetDto implements LicencesSet {
  /**
   * of the people asked for, those whose licence changed (the others had it already)
   * @example 24
   */
  changed!: number;
}

export class TrustedDeviceDto implements TrustedDevice {
  /** @example 'f3a929b3-364b-471a-881f-4f7cda0b4559' */
  id!: string;
  /** @example 'Firefox on Linux' */
  label!: string;
  /** @example '2026-09-01T08:00:00.000Z' */
  createdAt!: string;
  /** @example '2026-11-29T16:02:00.000Z' */
  lastUsedAt!: string | null;
  /** @example '2026-11-30T10:15:00.000Z' */
  expiresAt!: string;
  current!: boolean;
}

export class SessionsEndedDto implements SessionsEnded {
  /** @example 2 */
  ended!: number;
}

export class ActiveSessionDto implements ActiveSession {
  /** @example 'a3f9c2' */
  id!: string;
  /** @example '2026-09-01T08:00:00.000Z' */
  createdAt!: string;
  /** @example '2026-11-30T09:14:12.000Z' */
  lastSeenAt!: string;
  /** @example 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0' */
  userAgent!: string;
  /**
   * the browser the user-agent string names, null when it names none
   * @example 'Firefox'
   */
  browser!: string | null;
  /**
   * the system it names, null when it names none
   * @example 'Linux'
   */
  os!: string | null;
  /** @example '192.0.2.44' */
  ip!: string;
  current!: boolean;
}

export class TotpSetupDto implements TotpSetup {
  /** @example 'JBSWY3DPEHPK3PXP' */
  secret!: string;
  /** @example 'otpauth://totp/Rehearse:ada.lovelace%40northwind.example?secret=JBSWY3DPEHPK3PXP&issuer=Rehearse' */
  otpauthUrl!: string;
  /** @example 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==' */
  qrDataUrl!: string;
}

export class PasswordRulesDto implements PasswordRules {
  /** @example 12 */
  minLength!: number;
  /** @example 1024 */
  maxLength!: number;
  requireComplexity!: boolean;
}

export class InvitationInfoDto implements InvitationInfo {
  /** @example 'ada.lovelace@northwind.example' */
  email!: string;
  /** @example 'Ada Lovelace' */
  name!: string;
  /** @example 'Northwind Sales' */
  tenantName!: string;
  passwordRules!: PasswordRulesDto;
}

export class PasswordResetInfoDto implements PasswordResetInfo {
  /** @example 'ada.lovelace@northwind.example' */
  email!: string;
  /** @example 'Ada Lovelace' */
  name!: string;
  /** @example 'Northwind Sales' */
  tenantName!: string;
  passwordRules!: PasswordRulesDto;
  /** @example '2026-12-03T10:30:00.000Z' */
  expiresAt!: string;
}

export class PasswordResetRequestedDto implements PasswordResetRequested {
  /** @example 'If this address belongs to an account, a link to choose a new password is on its way to it. It works once, for a short time; check your spam folder too.' */
  message!: string;
}

export class PendingEmailChangeDto implements PendingEmailChange {
  /** @example 'ada.lovelace@northwind.example' */
  email!: string;
  /** @example '2026-12-04T10:30:00.000Z' */
  expiresAt!: string;
}

export class EmailChangeStatusDto implements EmailChangeStatus {
  pending!: PendingEmailChangeDto | null;
}

export class EmailChangeInfoDto implements EmailChangeInfo {
  /** @example 'ada.lovelace@northwind.example' */
  email!: string;
  /** @example 'Ada Lovelace' */
  name!: string;
  /** @example 'Northwind Sales' */
  tenantName!: string | null;
  /** @example '2026-12-04T10:30:00.000Z' */
  expiresAt!: string;
}

export class ImpersonationRecordDto implements ImpersonationRecord {
  /** @example '7b6b2d72-8810-42c0-a234-369ab083601f' */
  id!: string;
  /** @example '8e67bb26-b358-42ed-a0fe-552ed6fb832f' */
  superuserId!: string;
  /** @example 'Support desk (Linus)' */
  superuserName!: string;
  /** @example '12dea96f-ec20-4935-a6ab-75692c994959' */
  targetUserId!: string;
  /**
   * the person acted as; null once they have been erased
   * @example 'Ada Lovelace'
   */
  targetUserName!: string | null;
  /** @example 'Northwind Sales' */
  tenantName!: string | null;
  /**
   * why; null once erased with the person it was about
   * @example 'Ticket 4711: the participant cannot see her feedback'
   */
  reason!: string | null;
  /** @example '2026-11-30T09:10:00.000Z' */
  startedAt!: string;
  /** @example '2026-11-30T10:15:00.000Z' */
  expiresAt!: string;
  /** @example '2026-11-30T09:40:00.000Z' */
  endedAt!: string | null;
}

export class ImpersonationPageDto implements Page<ImpersonationRecord> {
  items!: ImpersonationRecordDto[];
  /** @example 37 */
  total!: number;
  /** @example 1 */
  page!: number;
  /** @example 25 */
  pageSize!: number;
}

export class SuperuserSummaryDto implements SuperuserSummary {
  /** @example '12dea96f-ec20-4935-a6ab-75692c994959' */
  id!: string;
  /** @example 'ada.lovelace@northwind.example' */
  email!: string;
  /** @example 'Alan Turing' */
  name!: string;
  totpEnabled!: boolean;
  status!: UserStatus;
  /**
   * impersonations they started in the period
   * @example 12
   */
  impersonationCount!: number;
}

export class SuperuserReportDto implements SuperuserReport {
  /** @example '2026-10-01T00:00:00+02:00' */
  from!: string | null;
  /** @example '2027-01-01T00:00:00+01:00' */
  before!: string | null;
  superusers!: SuperuserSummaryDto[];
  /**
   * impersonations started in the period, by any superuser
   * @example 37
   */
  impersonationCount!: number;
}

export class CsrfTokenDto {
  /** @example 'Zt1mXq0v3yJH6kP9sR2uW5nC8aE4bD7g' */
  token!: string;
}

export class SsoAvailabilityDto implements SsoAvailability {
  /** @example 'northwind' */
  slug!: string;
  /** @example 'Northwind Sales' */
  tenantName!: string;
  enabled!: boolean;
}

export class AccountSsoDto implements AccountSso {
  offered!: boolean;
  /** @example '2026-11-02T09:14:00.000Z' */
  linkedAt!: string | null;
  /** @example '2026-12-01T08:02:11.000Z' */
  lastUsedAt!: string | null;
}

export class SsoSettingsOutDto implements SsoSettings {
  enabled!: boolean;
  /** @example 'https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0' */
  issuer!: string;
  /** @example '0f3c1a52-7be4-4d0a-9c61-2f8e5b7d4a90' */
  clientId!: string;
  /** a secret is stored; it is never shown again */
  clientSecretSet!: boolean;
  /** @example '72f988bf-86f1-41af-91ab-2d7cd011db47' */
  directoryId!: string;
  jitParticipants!: boolean;
  trustIdpMfa!: boolean;
  /**
   * register this redirect URI with the identity provider
   * @example 'https://rehearse.northwind.example/api/auth/sso/callback'
   */
  redirectUri!: string;
}

export class MailPreferencesDto implements MailPreferencesSetting {
  /**
   * e-mailed when feedback on one of their answers is published
   * @example true
   */
  feedbackPublished!: boolean;
  /**
   * e-mailed when a peer's answer is given to them to review, and reminded while it waits
   * @example true
   */
  peerReviews!: boolean;
  /**
   * e-mailed when a course of theirs is due soon and they have not answered all of it
   * @example false
   */
  courseDue!: boolean;
  /** how many days before a course's due date its reminder comes; null: this installation sends none */
  @ApiProperty({ type: 'integer', nullable: true, minimum: 1, maximum: 30, example: 3 })
  courseDueDays!: number | null;
}

/** A licence's first and last day, as the account activity records a change of it. */
export class ActivityLicenceDto {
  /** @example '2026-09-01' */
  startsOn!: string;
  /** @example '2027-08-31' */
  expiresOn!: string;
}

/** The course of an enrolment, with its title at the time. */
export class ActivityCourseDto {
  /** @example '9b2e7c1a-3d4f-4a5b-8c6d-7e8f9a0b1c2d' */
  id!: string;
  /** @example 'Handling complaints on the phone' */
  title!: string;
}

/** The group of a membership change or an enrolment, with its name at the time. */
export class ActivityGroupDto {
  /** @example '4f1c2d3e-5a6b-4c7d-8e9f-0a1b2c3d4e5f' */
  id!: string;
  /** @example 'Sales North' */
  name!: string;
}

export class AccountActivityDetailsDto implements AccountActivityDetails {
  /**
   * the roles given (invited, imported) or after the change
   * @example ['participant', 'coach']
   */
  roles?: TenantRole[];
  /**
   * the roles before the change
   * @example ['participant']
   */
  previousRoles?: TenantRole[];
  /** the licence given or after the change (null: none) */
  licence?: ActivityLicenceDto | null;
  /** the licence before the change (null: none) */
  previousLicence?: ActivityLicenceDto | null;
  /** the group of a membership change or of a group's enrolment, with its name then */
  group?: ActivityGroupDto;
  /** the course of an enrolment, with its title then */
  course?: ActivityCourseDto;
  /**
   * as what the person is (or was) in the group
   * @example 'participant'
   */
  membership?: 'participant' | 'coach';
  /**
   * whether a request to keep recordings was granted
   * @example true
   */
  granted?: boolean;
  /**
   * an erasure's deletion receipt
   * @example '7babc233-de26-4b19-aad1-b9c278128d5c'
   */
  receiptId?: string;
  /**
   * the settings a change of the organisation's settings touched
   * @example ['enabled', 'issuer']
   */
  settings?: string[];
  /**
   * the end of the organisation's agreement after the change (null: none)
   * @example '2027-03-31'
   */
  endsOn?: string | null;
  /**
   * the end of the organisation's agreement before the change (null: none)
   * @example '2026-12-31'
   */
  previousEndsOn?: string | null;
}

export class AccountActivityEntryDto implements AccountActivityEntry {
  /** @example '1042' */
  id!: string;
  /** @example '2026-11-30T09:15:00.000Z' */
  at!: string;
  /** @example 'user.roles_changed' */
  action!: AccountActivityAction;
  /**
   * who made the change (null: erased since)
   * @example 'c63c8ec7-f6e2-4088-b407-6f269e863af5'
   */
  actorId!: string | null;
  /** @example 'Grace Hopper' */
  actorName!: string | null;
  /** @example 'administrator' */
  actorRole!: string;
  /**
   * the operator's support, acting as the administrator (null: the administrator themselves)
   * @example '8e67bb26-b358-42ed-a0fe-552ed6fb832f'
   */
  impersonatorId!: string | null;
  /** @example 'Support desk (Linus)' */
  impersonatorName!: string | null;
  /**
   * whose account changed (null: an organisation's setting, or a person erased)
   * @example '12dea96f-ec20-4935-a6ab-75692c994959'
   */
  subjectId!: string | null;
  /** @example 'Ada Lovelace' */
  subjectName!: string | null;
  details!: AccountActivityDetailsDto;
  /**
   * whether the group the details name is still in the organisation (set only where they name one)
   * @example true
   */
  groupExists?: boolean;
}

export class AccountActivityPageDto implements Page<AccountActivityEntry> {
  items!: AccountActivityEntryDto[];
  /** @example 132 */
  total!: number;
  /** @example 1 */
  page!: number;
  /** @example 25 */
  pageSize!: number;
  /** set where counting stopped early: `total` is then "at least" */
  totalIsLowerBound?: boolean;
}
