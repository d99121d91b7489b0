import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { LOCALES, type Locale, TENANT_ROLES, TenantRole } from '@rehearse/shared/contracts';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const PHONE = /^\+?[0-9 ()./-]{6,40}$/;

export class LoginDto {
  /** @example 'admin@demo.rehearse.local' */
  @IsString()
  @MaxLength(254)
  @Transform(trim)
  email!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  password!: string;

  /** the organisation's short name, when the same address and password open accounts in several (the answer was choose_organisation) */
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{0,62}$/)
  organisation?: string;
}

export class MfaDto {
  /** @example '123456' */
  @IsString()
  @Matches(/^\d{6}$/, { message: 'code must be 6 digits' })
  code!: string;

  /** Remember this device for 90 days */
  @IsOptional()
  @IsBoolean()
  trustDevice?: boolean;
}

export class LicenceDto {
  /** @example '2026-01-01' */
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'startsOn must be a date YYYY-MM-DD' })
  startsOn!: string;

  /** @example '2026-12-31' */
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'expiresOn must be a date YYYY-MM-DD' })
  expiresOn!: string;
}

export class InviteUserDto {
  @IsEmail({}, { message: 'email must be a valid e-mail address' })
  @MaxLength(254)
  @Transform(trim)
  email!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Transform(trim)
  name!: string;

  @IsOptional()
  @IsString()
  @Matches(PHONE, { message: 'phone must be a phone number' })
  @Transform(trim)
  phone?: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(4)
  @ArrayUnique()
  @IsIn(TENANT_ROLES, { each: true })
  roles!: TenantRole[];

  @IsOptional()
  @ValidateNested()
  @Type(() => LicenceDto)
  licence?: LicenceDto;
}

export class UpdateRolesDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(4)
  @ArrayUnique()
  @IsIn(TENANT_ROLES, { each: true })
  roles!: TenantRole[];
}

export class ImportUsersDto {
  /** CSV text with a header row: name,email,role[,phone] */
  @IsString()
  @MinLength(1)
  @MaxLength(2_000_000)
  csv!: string;
}

export class PageQuery {
  @ApiPropertyOptional({ default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100000)
  page = 1;

  @ApiPropertyOptional({ default: 25 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  pageSize = 25;
}

export class ListUsersQuery extends PageQuery {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @IsOptional()
  @IsIn(TENANT_ROLES)
  role?: TenantRole;

  @IsOptional()
  @IsIn(['invited', 'active', 'deactivated'])
  status?: 'invited' | 'active' | 'deactivated';
}

export class PrivacyLogQuery extends PageQuery {
  @IsOptional()
  @IsUUID('4')
  subjectId?: string;
}

export class SubjectQuery {
  @IsOptional()
  @IsUUID('4')
  subjectId?: string;
}

export class UpdateProfileDto {
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Transform(trim)
  name?: string;

  @IsOptional()
  @IsString()
  @Matches(PHONE, { message: 'phone must be a phone number' })
  @Transform(trim)
  phone?: string | null;

  /** the language of the web app, the e-mails and the AI coach's explanations */
  @IsOptional()
  @IsIn(LOCALES)
  locale?: Locale;
}

export class ChangePasswordDto {
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  currentPassword!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  newPassword!: string;
}

export class ChangeEmailDto {
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  password!: string;

  @IsEmail({}, { message: 'email must be a valid e-mail address' })
  @MaxLength(254)
  @Transform(trim)
  email!: string;
}

export class PasswordConfirmDto {
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  password!: string;
}

export class TotpCodeDto {
  @IsString()
  @Matches(/^\d{6}$/, { message: 'code must be 6 digits' })
  code!: string;
}

export class AcceptInvitationDto {
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{20,100}$/, { message: 'token is not valid' })
  token!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  password!: string;
}

export class StartImpersonationDto {
  @IsUUID('4')
  userId!: string;

  /** Why you need to act as this user (kept for the quarterly review) */
  @IsString()
  @MinLength(10)
  @MaxLength(1000)
  @Transform(trim)
  reason!: string;
}

export class SuperuserUsersQuery extends PageQuery {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;
}

export class IdParam {
  @IsUUID('4', { message: 'id must be a UUID' })
  id!: string;
}

export class TokenParam {
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{20,100}$/, { message: 'token is not valid' })
  token!: string;
}

export class SsoSettingsDto {
  @IsBoolean()
  enabled!: boolean;

  /** e.g. https://login.microsoftonline.com/<directory id>/v2.0 */
  @IsUrl({ require_tld: false, protocols: ['https', 'http'], require_protocol: true })
  @MaxLength(300)
  issuer!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(200)
  clientId!: string;

  /** leave out to keep the stored secret */
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  clientSecret?: string;

  /** the Entra directory (tenant) id */
  @IsString()
  @Matches(/^[A-Za-z0-9-]{1,64}$/)
  directoryId!: string;

  @IsBoolean()
  jitParticipants!: boolean;

  @IsBoolean()
  trustIdpMfa!: boolean;
}

export class SlugParam {
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{0,62}$/, { message: 'slug is not valid' })
  slug!: string;
}
