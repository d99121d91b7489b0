/* Response schemas for the OpenAPI document. Each class mirrors an interface in @rehearse/shared/contracts. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ActiveSession,
  ImpersonationInfo,
  ImpersonationRecord,
  ImportResult,
  ImportRowError,
  InvitationInfo,
  Licence,
  Locale,
  LOCALES,
  Me,
  PasswordRules,
  PERMISSIONS,
  Permission,
  PrivacyLogEntry,
  SuperuserReport,
  TENANT_ROLES,
  TenantRole,
  TotpSetup,
  TrustedDevice,
  USER_STATUSES,
  UserDetail,
  UserStatus,
  UserSummary,
} from '@rehearse/shared/contracts';

export class ImpersonationInfoDto implements ImpersonationInfo {
  @ApiProperty() id!: string;
  @ApiProperty() superuserId!: string;
  @ApiProperty() superuserName!: string;
  @ApiProperty() reason!: string;
  @ApiProperty() expiresAt!: string;
}

export class MeDto implements Me {
  @ApiProperty() id!: string;
  @ApiProperty() email!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true }) phone!: string | null;
  @ApiProperty({ type: String, nullable: true }) tenantId!: string | null;
  @ApiProperty({ type: String, nullable: true }) tenantName!: string | null;
  @ApiProperty({ enum: TENANT_ROLES, isArray: true }) roles!: TenantRole[];
  @ApiProperty() isSuperuser!: boolean;
  @ApiProperty() totpEnabled!: boolean;
  @ApiProperty({
    enum: LOCALES,
    nullable: true,
    description: 'the language chosen on the account; null: the browser decides',
  })
  locale!: Locale | null;
  @ApiProperty({ enum: PERMISSIONS, isArray: true }) permissions!: Permission[];
  @ApiProperty({ type: ImpersonationInfoDto, nullable: true }) impersonation!: ImpersonationInfo | null;
}

export class OrganisationChoiceDto {
  @ApiProperty() slug!: string;
  @ApiProperty() name!: string;
}

export class LoginResultDto {
  @ApiProperty({ enum: ['signed_in', 'mfa_required', 'choose_organisation'] }) status!:
    'signed_in' | 'mfa_required' | 'choose_organisation';
  @ApiPropertyOptional({ type: MeDto }) me?: Me;
  @ApiPropertyOptional({ enum: ['email', 'totp'] }) method?: 'email' | 'totp';
  @ApiPropertyOptional({ enum: ['email', 'totp'], isArray: true }) alternatives?: ('email' | 'totp')[];
  @ApiPropertyOptional({
    type: [OrganisationChoiceDto],
    description: 'the organisations this address and password open; sign in again naming one',
  })
  organisations?: OrganisationChoiceDto[];
}

export class LicenceOutDto implements Licence {
  @ApiProperty() startsOn!: string;
  @ApiProperty() expiresOn!: string;
}

export class UserSummaryDto implements UserSummary {
  @ApiProperty() id!: string;
  @ApiProperty() email!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true }) phone!: string | null;
  @ApiProperty({ enum: USER_STATUSES }) status!: UserStatus;
  @ApiProperty({ enum: TENANT_ROLES, isArray: true }) roles!: TenantRole[];
  @ApiProperty({ type: LicenceOutDto, nullable: true }) licence!: Licence | null;
  @ApiProperty() createdAt!: string;
}

export class UserDetailDto extends UserSummaryDto implements UserDetail {
  @ApiProperty({ type: String, nullable: true }) lastSignInAt!: string | null;
  @ApiProperty() totpEnabled!: boolean;
}

export class UserPageDto {
  @ApiProperty({ type: UserSummaryDto, isArray: true }) items!: UserSummary[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class SuperuserUserDto extends UserSummaryDto {
  @ApiProperty() tenantName!: string;
}

export class SuperuserUserPageDto {
  @ApiProperty({ type: SuperuserUserDto, isArray: true }) items!: SuperuserUserDto[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class ImportRowErrorDto implements ImportRowError {
  @ApiProperty() row!: number;
  @ApiProperty() field!: string;
  @ApiProperty() message!: string;
}

export class ImportResultDto implements ImportResult {
  @ApiProperty() created!: number;
  @ApiProperty({ type: ImportRowErrorDto, isArray: true }) errors!: ImportRowError[];
}

export class PrivacyLogEntryDto implements PrivacyLogEntry {
  @ApiProperty() id!: string;
  @ApiProperty() at!: string;
  @ApiProperty({ type: String, nullable: true }) tenantId!: string | null;
  @ApiProperty({ type: String, nullable: true }) actorId!: string | null;
  @ApiProperty({ type: String, nullable: true }) actorName!: string | null;
  @ApiProperty() actorRole!: string;
  @ApiProperty() subjectId!: string;
  @ApiProperty({ type: String, nullable: true }) subjectName!: string | null;
  @ApiProperty() objectType!: string;
  @ApiProperty() objectId!: string;
  @ApiProperty() action!: string;
  @ApiProperty({ type: String, nullable: true }) impersonatorId!: string | null;
  @ApiProperty({ type: String, nullable: true }) impersonatorName!: string | null;
}

export class PrivacyLogPageDto {
  @ApiProperty({ type: PrivacyLogEntryDto, isArray: true }) items!: PrivacyLogEntry[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class TrustedDeviceDto implements TrustedDevice {
  @ApiProperty() id!: string;
  @ApiProperty() label!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ type: String, nullable: true }) lastUsedAt!: string | null;
  @ApiProperty() expiresAt!: string;
  @ApiProperty() current!: boolean;
}

export class ActiveSessionDto implements ActiveSession {
  @ApiProperty() id!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty() lastSeenAt!: string;
  @ApiProperty() userAgent!: string;
  @ApiProperty() ip!: string;
  @ApiProperty() current!: boolean;
}

export class TotpSetupDto implements TotpSetup {
  @ApiProperty() secret!: string;
  @ApiProperty() otpauthUrl!: string;
  @ApiProperty() qrDataUrl!: string;
}

export class PasswordRulesDto implements PasswordRules {
  @ApiProperty() minLength!: number;
  @ApiProperty() maxLength!: number;
  @ApiProperty() requireComplexity!: boolean;
}

export class InvitationInfoDto implements InvitationInfo {
  @ApiProperty() email!: string;
  @ApiProperty() name!: string;
  @ApiProperty() tenantName!: string;
  @ApiProperty({ type: PasswordRulesDto }) passwordRules!: PasswordRules;
}

export class ImpersonationRecordDto implements ImpersonationRecord {
  @ApiProperty() id!: string;
  @ApiProperty() superuserId!: string;
  @ApiProperty() superuserName!: string;
  @ApiProperty() targetUserId!: string;
  @ApiProperty() targetUserName!: string;
  @ApiProperty({ type: String, nullable: true }) tenantName!: string | null;
  @ApiProperty() reason!: string;
  @ApiProperty() startedAt!: string;
  @ApiProperty() expiresAt!: string;
  @ApiProperty({ type: String, nullable: true }) endedAt!: string | null;
}

export class SuperuserSummaryDto {
  @ApiProperty() id!: string;
  @ApiProperty() email!: string;
  @ApiProperty() name!: string;
  @ApiProperty() totpEnabled!: boolean;
  @ApiProperty({ enum: USER_STATUSES }) status!: UserStatus;
}

export class SuperuserReportDto implements SuperuserReport {
  @ApiProperty({ type: SuperuserSummaryDto, isArray: true }) superusers!: SuperuserReport['superusers'];
  @ApiProperty({ type: ImpersonationRecordDto, isArray: true }) impersonations!: ImpersonationRecord[];
}

export class CsrfTokenDto {
  @ApiProperty() token!: string;
}

export class HealthCheckDto {
  @ApiProperty({ enum: ['up', 'down'] }) status!: 'up' | 'down';
  @ApiPropertyOptional() detail?: string;
}

export class LivenessDto {
  @ApiProperty({ enum: ['ok'] }) status!: 'ok';
}

export class HealthReportDto {
  @ApiProperty({ enum: ['ok', 'degraded'] }) status!: 'ok' | 'degraded';
  @ApiProperty({ type: 'object', additionalProperties: { $ref: '#/components/schemas/HealthCheckDto' } })
  checks!: Record<string, HealthCheckDto>;
}
