import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { AppError, ArrayUnique, emailAsStored, IsOmittable, IsOneLine } from '@rehearse/server/core';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsEmail,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
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
import {
  ACCOUNT_ACTIVITY_ACTIONS,
  type AccountActivityAction,
  GROUP_FILTERS,
  type GroupFilterName,
  LICENCE_FILTERS,
  type LicenceFilterName,
  LOCALES,
  type Locale,
  type NewOrganisation,
  type SetLicences,
  TENANT_ROLES,
  TenantRole,
} from '@rehearse/shared/contracts';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const PHONE = /^\+?[0-9 ()./-]{6,40}$/;
/** an organisation's short name (its slug) */
export const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export class LoginDto {
  /** @example 'admin@demo.rehearse.local' */
  @IsString()
  @MaxLength(254)
  @Transform(emailAsStored)
  email!: string;

  /** @example 'correct horse battery' */
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  password!: string;

  /**
   * the organisation's short name, when the same address and password open accounts in several (the answer was choose_organisation)
   * @example 'northwind'
   */
  @IsOmittable()
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
  @IsOmittable()
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

/** The most people one licence change may name (a page of the list is at most 100). */
export const MAX_LICENCE_PEOPLE = 1000;

export class SetLicencesDto implements SetLicences {
  /**
   * the organisation's people (at most 1,000)
   * @example ['12dea96f-ec20-4935-a6ab-75692c994959','c63c8ec7-f6e2-4088-b407-6f269e863af5']
   */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_LICENCE_PEOPLE)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  userIds!: string[];

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => LicenceDto)
  licence!: LicenceDto;
}

export class InviteUserDto {
  /** @example 'ada.lovelace@northwind.example' */
  @IsEmail({}, { message: 'email must be a valid e-mail address' })
  @MaxLength(254)
  @Transform(emailAsStored)
  email!: string;

  /** @example 'Ada Lovelace' */
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Transform(trim)
  @IsOneLine()
  name!: string;

  /** @example '+31 20 123 4567' */
  @IsOmittable()
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

  @IsOmittable()
  @ValidateNested()
  @Type(() => LicenceDto)
  licence?: LicenceDto;
}

/** The first administrator of an organisation a superuser registers. */
export class NewAdministratorDto {
  /** @example 'Ann Admin' */
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Transform(trim)
  @IsOneLine()
  name!: string;

  /** @example 'ann@acme.example' */
  @IsEmail({}, { message: 'email must be a valid e-mail address' })
  @MaxLength(254)
  @Transform(emailAsStored)
  email!: string;

  /** the language of the invitation (until they choose their own); by default the superuser's */
  @IsOmittable()
  @IsIn(LOCALES)
  locale?: Locale;
}

/** An organisation a superuser registers, with its first administrator (invited by e-mail). */
export class NewOrganisationDto implements NewOrganisation {
  /** @example 'Acme Care' */
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Transform(trim)
  @IsOneLine()
  name!: string;

  /**
   * the short name people give at sign-in where their address opens accounts in several
   * organisations: lower-case letters, digits and dashes, starting and ending with a letter or digit
   * @example 'acme-care'
   */
  @IsString()
  @MaxLength(63)
  @Matches(SLUG, { message: 'slug must be lower-case letters, digits and dashes' })
  slug!: string;

  /** the organisation asks its people for passwords with upper- and lower-case letters, digits and symbols */
  @IsOmittable()
  @IsBoolean()
  requirePasswordComplexity?: boolean;

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => NewAdministratorDto)
  administrator!: NewAdministratorDto;
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
  /**
   * CSV text with a header row: name,email,role[,phone]
   * @example 'name,email,role,phone'
   */
  @IsString()
  @MinLength(1)
  @MaxLength(2_000_000)
  csv!: string;
}

export class PageQuery {
  /** @example 1 */
  @ApiPropertyOptional({ type: 'integer', default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100000)
  page = 1;

  /** @example 25 */
  @ApiPropertyOptional({ type: 'integer', default: 25 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  pageSize = 25;
}

export class ListUsersQuery extends PageQuery {
  /** @example 'price' */
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

  /**
   * whose licence has ended (their answers hidden), ends within LICENCE_WARNING_DAYS (30; people
   * not deactivated, as the administrator's home page counts them), or who have none
   * @example 'ending'
   */
  @IsOptional()
  @IsIn(LICENCE_FILTERS)
  licence?: LicenceFilterName;

  /**
   * participants in no group (not deactivated, as the administrator's home page counts them)
   * @example 'none'
   */
  @ApiPropertyOptional({ enum: ['none'] }) // a one-value enum, which the declaration's type cannot say
  @IsOptional()
  @IsIn(GROUP_FILTERS)
  group?: GroupFilterName;
}

export class MyPrivacyLogQuery extends PageQuery {
  /**
   * only the rows about this answer of yours and its recording (who has seen it)
   * @example '25dc282b-5a3d-4ba6-aa9a-777a856c65dd'
   */
  @IsOptional()
  @IsUUID('all')
  answerId?: string;
}

/** A moment with its offset from UTC, to the second or finer: `2026-03-01T00:00:00+01:00`, `2026-03-01T00:00:00Z`. */
const MOMENT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A period: from a moment (inclusive) to a moment (exclusive), each with its offset from UTC, so a
 * day or a quarter of the reader's own calendar is asked for exactly. Either end may be left open;
 * `period()` refuses one that ends before it begins.
 */
export class PeriodQuery {
  /**
   * from this moment on (inclusive; with its offset from UTC)
   * @example '2026-03-01T00:00:00+01:00'
   */
  @IsOptional()
  @Matches(MOMENT, { message: 'from must be a moment with its offset, as 2026-03-01T00:00:00+01:00' })
  @IsISO8601({ strict: true })
  from?: string;
  /**
   * before this moment (exclusive; with its offset from UTC)
   * @example '2026-04-01T00:00:00+02:00'
   */
  @IsOptional()
  @Matches(MOMENT, { message: 'before must be a moment with its offset, as 2026-04-01T00:00:00+02:00' })
  @IsISO8601({ strict: true })
  before?: string;
}

/** A period's ends as moments; a 400 naming `before` where it is not later than `from`. */
export function period(q: PeriodQuery): { from?: Date; before?: Date } {
  const from = q.from === undefined ? undefined : new Date(q.from);
  const before = q.before === undefined ? undefined : new Date(q.before);
  if (from && before && before.getTime() <= from.getTime())
    throw new AppError(400, 'validation_failed', 'The request is not valid', [
      { field: 'before', messages: ['before must be later than from'] },
    ]);
  return { from, before };
}

/**
 * Which rows of the organisation's privacy log: of one person's data, of one person's looks, of the
 * operator's support staff, of a period (whose rows come in the order of their time).
 */
export class SubjectQuery extends PeriodQuery {
  /**
   * only the looks at this person's data
   * @example '12dea96f-ec20-4935-a6ab-75692c994959'
   */
  @IsOptional()
  @IsUUID('all')
  subjectId?: string;
  /**
   * only the looks by this person
   * @example 'c63c8ec7-f6e2-4088-b407-6f269e863af5'
   */
  @IsOptional()
  @IsUUID('all')
  actorId?: string;
  /**
   * only the looks of the operator's support staff: a superuser acting as someone of the organisation,
   * or as themselves
   * @example 'support'
   */
  @ApiPropertyOptional({ enum: ['support'] }) // a one-value enum, which the declaration's type cannot say
  @IsOptional()
  @IsIn(['support'])
  by?: 'support';
}

/** Which of the organisation's account activity: the changes to one person's account, of one kind, or all. */
export class AccountActivityFilterQuery {
  /**
   * only the changes to this person's account
   * @example '12dea96f-ec20-4935-a6ab-75692c994959'
   */
  @IsOptional()
  @IsUUID('all')
  subjectId?: string;

  /**
   * only this kind of change
   * @example 'user.roles_changed'
   */
  @IsOptional()
  @IsIn(ACCOUNT_ACTIVITY_ACTIONS)
  action?: AccountActivityAction;
}

/** A page of the organisation's account activity, with the same filters as its CSV export. */
export class AccountActivityQuery extends IntersectionType(PageQuery, AccountActivityFilterQuery) {}

/** A page of the organisation's privacy log, with the same filters as its CSV export. */
export class PrivacyLogQuery extends IntersectionType(PageQuery, SubjectQuery) {}

export class UpdateProfileDto {
  /** @example 'Ada Lovelace' */
  @IsOmittable()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Transform(trim)
  @IsOneLine()
  name?: string;

  /** @example '+31 20 123 4567' */
  @IsOptional()
  @IsString()
  @Matches(PHONE, { message: 'phone must be a phone number' })
  @Transform(trim)
  phone?: string | null;

  /** the language of the web app, the e-mails and the AI coach's explanations */
  @IsOmittable()
  @IsIn(LOCALES)
  locale?: Locale;
}

export class ChangePasswordDto {
  /** @example 'correct horse battery' */
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  currentPassword!: string;

  /** @example 'a longer passphrase 2026' */
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  newPassword!: string;
}

export class ChangeEmailDto {
  /** @example 'correct horse battery' */
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  password!: string;

  /** @example 'ada.lovelace@northwind.example' */
  @IsEmail({}, { message: 'email must be a valid e-mail address' })
  @MaxLength(254)
  @Transform(emailAsStored)
  email!: string;
}

export class PasswordConfirmDto {
  /** @example 'correct horse battery' */
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  password!: string;
}

export class TotpCodeDto {
  /** @example '123456' */
  @IsString()
  @Matches(/^\d{6}$/, { message: 'code must be 6 digits' })
  code!: string;
}

export class AcceptInvitationDto {
  /** @example 'q2V8f3kT9xY7mZ1bN4cR6wA0' */
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{20,100}$/, { message: 'token is not valid' })
  token!: string;

  /** @example 'correct horse battery' */
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  password!: string;
}

export class StartImpersonationDto {
  /** @example '12dea96f-ec20-4935-a6ab-75692c994959' */
  @IsUUID('all')
  userId!: string;

  /**
   * Why you need to act as this user (kept for the quarterly review)
   * @example 'Ticket 4711: the participant cannot see her feedback'
   */
  @IsString()
  @MinLength(10)
  @MaxLength(1000)
  @Transform(trim)
  reason!: string;
}

export class SuperuserUsersQuery extends PageQuery {
  /**
   * what the name, address or organisation contains (spaces around it are not part of it)
   * @example 'price'
   */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Transform(trim)
  q?: string;
}

/** The operator's organisations, a page at a time: those whose name or slug contains `q`. */
export class OrganisationsQuery extends SuperuserUsersQuery {}

/** Which impersonations: of a period (by when they started), of one superuser. */
export class ImpersonationsFilter extends PeriodQuery {
  /**
   * only this superuser's
   * @example '8e67bb26-b358-42ed-a0fe-552ed6fb832f'
   */
  @IsOptional()
  @IsUUID('all')
  superuserId?: string;
}

/** A page of impersonations, with the same filters as their CSV export. */
export class ImpersonationsQuery extends IntersectionType(PageQuery, ImpersonationsFilter) {}

export class IdParam {
  /** @example '12dea96f-ec20-4935-a6ab-75692c994959' */
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
}

export class PasswordResetRequestDto {
  /** @example 'ada.lovelace@northwind.example' */
  @IsString()
  @MaxLength(254)
  @Transform(emailAsStored)
  @IsEmail({}, { message: 'email must be a valid e-mail address' })
  email!: string;
}

export class ResetPasswordDto {
  /** the token of the link in the e-mail @example 'q2V8f3kT9xY7mZ1bN4cR6wA0' */
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{20,100}$/, { message: 'token is not valid' })
  token!: string;

  /** @example 'correct horse battery' */
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  password!: string;
}

export class ConfirmEmailChangeDto {
  /** the token of the link mailed to the new address @example 'q2V8f3kT9xY7mZ1bN4cR6wA0' */
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{20,100}$/, { message: 'token is not valid' })
  token!: string;
}

export class TokenParam {
  /** @example 'q2V8f3kT9xY7mZ1bN4cR6wA0' */
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{20,100}$/, { message: 'token is not valid' })
  token!: string;
}

export class SsoSettingsDto {
  @IsBoolean()
  enabled!: boolean;

  /**
   * e.g. https://login.microsoftonline.com/<directory id>/v2.0
   * @example 'https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0'
   */
  @IsUrl({ require_tld: false, protocols: ['https', 'http'], require_protocol: true })
  @MaxLength(300)
  issuer!: string;

  /** @example '0f3c1a52-7be4-4d0a-9c61-2f8e5b7d4a90' */
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  clientId!: string;

  /**
   * leave out to keep the stored secret
   * @example 'kX9~Qw.example-secret'
   */
  @IsOmittable()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  clientSecret?: string;

  /**
   * the Entra directory (tenant) id
   * @example '72f988bf-86f1-41af-91ab-2d7cd011db47'
   */
  @IsString()
  @Matches(/^[A-Za-z0-9-]{1,64}$/)
  directoryId!: string;

  @IsBoolean()
  jitParticipants!: boolean;

  @IsBoolean()
  trustIdpMfa!: boolean;
}

export class SlugParam {
  /** @example 'northwind' */
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{0,62}$/, { message: 'slug is not valid' })
  slug!: string;
}

/** The e-mails a person turns off or on again; what is left out stays as it is. */
export class UpdateMailPreferencesDto {
  /**
   * e-mail me when feedback on one of my answers is published
   * @example false
   */
  @IsOmittable()
  @IsBoolean()
  feedbackPublished?: boolean;

  /**
   * e-mail me when a peer's answer is given to me to review, and remind me while it waits
   * @example true
   */
  @IsOmittable()
  @IsBoolean()
  peerReviews?: boolean;

  /**
   * e-mail me when a course of mine is due soon and I have not answered all of it
   * @example true
   */
  @IsOmittable()
  @IsBoolean()
  courseDue?: boolean;
}
