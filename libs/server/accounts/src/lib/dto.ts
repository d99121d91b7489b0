import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
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
  @ApiProperty({ example: 'admin@demo.rehearse.local' })
  @IsString()
  @MaxLength(254)
  @Transform(trim)
  email!: string;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  password!: string;

  @ApiPropertyOptional({
    description:
      "the organisation's short name, when the same address and password open accounts in several (the answer was choose_organisation)",
  })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{0,62}$/)
  organisation?: string;
}

export class MfaDto {
  @ApiProperty({ example: '123456' })
  @IsString()
  @Matches(/^\d{6}$/, { message: 'code must be 6 digits' })
  code!: string;

  @ApiPropertyOptional({ description: 'Remember this device for 90 days' })
  @IsOptional()
  @IsBoolean()
  trustDevice?: boolean;
}

export class LicenceDto {
  @ApiProperty({ example: '2026-01-01' })
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'startsOn must be a date YYYY-MM-DD' })
  startsOn!: string;

  @ApiProperty({ example: '2026-12-31' })
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'expiresOn must be a date YYYY-MM-DD' })
  expiresOn!: string;
}

export class InviteUserDto {
  @ApiProperty()
  @IsEmail({}, { message: 'email must be a valid e-mail address' })
  @MaxLength(254)
  @Transform(trim)
  email!: string;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Transform(trim)
  name!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Matches(PHONE, { message: 'phone must be a phone number' })
  @Transform(trim)
  phone?: string;

  @ApiProperty({ enum: TENANT_ROLES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(4)
  @ArrayUnique()
  @IsIn(TENANT_ROLES, { each: true })
  roles!: TenantRole[];

  @ApiPropertyOptional({ type: LicenceDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => LicenceDto)
  licence?: LicenceDto;
}

export class UpdateRolesDto {
  @ApiProperty({ enum: TENANT_ROLES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(4)
  @ArrayUnique()
  @IsIn(TENANT_ROLES, { each: true })
  roles!: TenantRole[];
}

export class ImportUsersDto {
  @ApiProperty({ description: 'CSV text with a header row: name,email,role[,phone]' })
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
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ enum: TENANT_ROLES })
  @IsOptional()
  @IsIn(TENANT_ROLES)
  role?: TenantRole;

  @ApiPropertyOptional({ enum: ['invited', 'active', 'deactivated'] })
  @IsOptional()
  @IsIn(['invited', 'active', 'deactivated'])
  status?: 'invited' | 'active' | 'deactivated';
}

export class PrivacyLogQuery extends PageQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('4')
  subjectId?: string;
}

export class SubjectQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('4')
  subjectId?: string;
}

export class UpdateProfileDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Transform(trim)
  name?: string;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsString()
  @Matches(PHONE, { message: 'phone must be a phone number' })
  @Transform(trim)
  phone?: string;

  /** the language of the web app, the e-mails and the AI coach's explanations */
  @ApiPropertyOptional({ enum: LOCALES })
  @IsOptional()
  @IsIn(LOCALES)
  locale?: Locale;
}

export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  currentPassword!: string;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  newPassword!: string;
}

export class ChangeEmailDto {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  password!: string;

  @ApiProperty()
  @IsEmail({}, { message: 'email must be a valid e-mail address' })
  @MaxLength(254)
  @Transform(trim)
  email!: string;
}

export class PasswordConfirmDto {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  password!: string;
}

export class TotpCodeDto {
  @ApiProperty()
  @IsString()
  @Matches(/^\d{6}$/, { message: 'code must be 6 digits' })
  code!: string;
}

export class AcceptInvitationDto {
  @ApiProperty()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{20,100}$/, { message: 'token is not valid' })
  token!: string;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  password!: string;
}

export class StartImpersonationDto {
  @ApiProperty()
  @IsUUID('4')
  userId!: string;

  @ApiProperty({ minLength: 10, description: 'Why you need to act as this user (kept for the quarterly review)' })
  @IsString()
  @MinLength(10)
  @MaxLength(1000)
  @Transform(trim)
  reason!: string;
}

export class SuperuserUsersQuery extends PageQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;
}

export class IdParam {
  @ApiProperty()
  @IsUUID('4', { message: 'id must be a UUID' })
  id!: string;
}

export class TokenParam {
  @ApiProperty()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{20,100}$/, { message: 'token is not valid' })
  token!: string;
}

export class SsoSettingsDto {
  @ApiProperty()
  @IsBoolean()
  enabled!: boolean;

  @ApiProperty({ description: 'e.g. https://login.microsoftonline.com/<directory id>/v2.0' })
  @IsUrl({ require_tld: false, protocols: ['https', 'http'], require_protocol: true })
  @MaxLength(300)
  issuer!: string;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  clientId!: string;

  @ApiPropertyOptional({ description: 'leave out to keep the stored secret' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  clientSecret?: string;

  @ApiProperty({ description: 'the Entra directory (tenant) id' })
  @IsString()
  @Matches(/^[A-Za-z0-9-]{1,64}$/)
  directoryId!: string;

  @ApiProperty()
  @IsBoolean()
  jitParticipants!: boolean;

  @ApiProperty()
  @IsBoolean()
  trustIdpMfa!: boolean;
}

export class SlugParam {
  @ApiProperty()
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{0,62}$/, { message: 'slug is not valid' })
  slug!: string;
}
