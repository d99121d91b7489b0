/*
 * The account routes' response shapes, each implementing its contract in @rehearse/shared/contracts.
 * Their OpenAPI schemas come from these declarations through @nestjs/swagger's compiler plugin
 * (npm run openapi:metadata): a property's type, optionality, nullability and enum are the
 * TypeScript declaration's, its description the doc comment.
 */
import type {
  ActiveSession,
  ImpersonationInfo,
  ImpersonationRecord,
  ImportResult,
  ImportRowError,
  InvitationInfo,
  Licence,
  Locale,
  Me,
  PasswordRules,
  Permission,
  SsoAvailability,
  SsoSettings,
  SuperuserReport,
  TenantRole,
  TotpSetup,
  TrustedDevice,
  UserDetail,
  UserStatus,
  UserSummary,
} from '@rehearse/shared/contracts';

export class ImpersonationInfoDto implements ImpersonationInfo {
  id!: string;
  superuserId!: string;
  superuserName!: string;
  reason!: string;
  expiresAt!: string;
}

export class MeDto implements Me {
  id!: string;
  email!: string;
  name!: string;
  phone!: string | null;
  tenantId!: string | null;
  tenantName!: string | null;
  roles!: TenantRole[];
  isSuperuser!: boolean;
  totpEnabled!: boolean;
  /** the language chosen on the account; null: the browser decides */
  locale!: Locale | null;
  permissions!: Permission[];
  impersonation!: ImpersonationInfoDto | null;
}

export class OrganisationChoiceDto {
  slug!: string;
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
  startsOn!: string;
  expiresOn!: string;
}

export class UserSummaryDto implements UserSummary {
  id!: string;
  email!: string;
  name!: string;
  phone!: string | null;
  status!: UserStatus;
  roles!: TenantRole[];
  licence!: LicenceOutDto | null;
  createdAt!: string;
}

export class UserDetailDto extends UserSummaryDto implements UserDetail {
  lastSignInAt!: string | null;
  totpEnabled!: boolean;
}

export class UserPageDto {
  items!: UserSummaryDto[];
  total!: number;
  page!: number;
  pageSize!: number;
}

export class SuperuserUserDto extends UserSummaryDto {
  tenantName!: string;
}

export class SuperuserUserPageDto {
  items!: SuperuserUserDto[];
  total!: number;
  page!: number;
  pageSize!: number;
}

export class ImportRowErrorDto implements ImportRowError {
  row!: number;
  field!: string;
  message!: string;
}

export class ImportResultDto implements ImportResult {
  created!: number;
  errors!: ImportRowErrorDto[];
}

export class TrustedDeviceDto implements TrustedDevice {
  id!: string;
  label!: string;
  createdAt!: string;
  lastUsedAt!: string | null;
  expiresAt!: string;
  current!: boolean;
}

export class ActiveSessionDto implements ActiveSession {
  id!: string;
  createdAt!: string;
  lastSeenAt!: string;
  userAgent!: string;
  ip!: string;
  current!: boolean;
}

export class TotpSetupDto implements TotpSetup {
  secret!: string;
  otpauthUrl!: string;
  qrDataUrl!: string;
}

export class PasswordRulesDto implements PasswordRules {
  minLength!: number;
  maxLength!: number;
  requireComplexity!: boolean;
}

export class InvitationInfoDto implements InvitationInfo {
  email!: string;
  name!: string;
  tenantName!: string;
  passwordRules!: PasswordRulesDto;
}

export class ImpersonationRecordDto implements ImpersonationRecord {
  id!: string;
  superuserId!: string;
  superuserName!: string;
  targetUserId!: string;
  targetUserName!: string;
  tenantName!: string | null;
  reason!: string;
  startedAt!: string;
  expiresAt!: string;
  endedAt!: string | null;
}

export class SuperuserSummaryDto {
  id!: string;
  email!: string;
  name!: string;
  totpEnabled!: boolean;
  status!: UserStatus;
}

export class SuperuserReportDto implements SuperuserReport {
  superusers!: SuperuserSummaryDto[];
  impersonations!: ImpersonationRecordDto[];
}

export class CsrfTokenDto {
  token!: string;
}

export class SsoAvailabilityDto implements SsoAvailability {
  slug!: string;
  tenantName!: string;
  enabled!: boolean;
}

export class SsoSettingsOutDto implements SsoSettings {
  enabled!: boolean;
  issuer!: string;
  clientId!: string;
  /** a secret is stored; it is never shown again */
  clientSecretSet!: boolean;
  directoryId!: string;
  jitParticipants!: boolean;
  trustIdpMfa!: boolean;
  /** register this redirect URI with the identity provider */
  redirectUri!: string;
}
