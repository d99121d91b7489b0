import type { EntityManager } from 'typeorm';
import type { LicencePeriod, TenantRole, UserSummary } from '@rehearse/shared/contracts';
import { TENANT_ROLES } from '@rehearse/shared/contracts';
import { badRequest, notFound } from '@rehearse/server/core';
import type { LicenceDto } from './dto';
import type { LicencesRepository } from './licences.repository';
import type { AdministeredUser, UserAdministrationRepository } from './user-administration.repository';

/**
 * What the administration of people (UsersService) and their registration (UserRegistrationService)
 * share: a person as the administrators' lists show them, read or locked for a change, and their
 * roles and licence checked and written within the caller's transaction.
 */

export function toSummary(r: AdministeredUser): UserSummary {
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    phone: r.phone,
    status: r.status as UserSummary['status'],
    roles: (r.roles ?? []) as TenantRole[],
    licence: r.starts_on && r.expires_on ? { startsOn: r.starts_on, expiresOn: r.expires_on } : null,
    createdAt: r.created_at.toISOString(),
  };
}

/** The organisation's person, or 404. */
export async function administered(
  users: UserAdministrationRepository,
  m: EntityManager,
  tenantId: string,
  id: string,
): Promise<AdministeredUser> {
  const row = await users.administered(tenantId, id, m);
  if (!row) throw notFound('User');
  return row;
}

/** The person, locked until the transaction ends: one change to them at a time. */
export async function lockedForChange(
  users: UserAdministrationRepository,
  m: EntityManager,
  tenantId: string,
  id: string,
): Promise<AdministeredUser> {
  if (!(await users.lockForChange(tenantId, id, m))) throw notFound('User');
  return administered(users, m, tenantId, id);
}

/** Sets the person's roles (at least one). */
export async function setRolesIn(
  users: UserAdministrationRepository,
  m: EntityManager,
  tenantId: string,
  userId: string,
  roles: TenantRole[],
): Promise<void> {
  if (!roles.length) throw badRequest('validation_failed', 'At least one role is required');
  await users.setRoles(tenantId, userId, roles, m);
}

/** Sets the person's licence (its end not before its start). */
export async function setLicenceIn(
  licences: LicencesRepository,
  m: EntityManager,
  tenantId: string,
  userId: string,
  l: LicenceDto,
): Promise<void> {
  checkLicence(l);
  await licences.upsert(tenantId, userId, l.startsOn, l.expiresOn, m);
}

/** Refuses a licence that would end before it starts (400, naming `licence.expiresOn`). */
export function checkLicence(l: LicenceDto): void {
  if (l.expiresOn < l.startsOn) {
    throw badRequest('validation_failed', 'The licence cannot expire before it starts', [
      { field: 'licence.expiresOn', messages: ['must not be before startsOn'] },
    ]);
  }
}

/** Roles in the one order they are listed everywhere, each once. */
export function inOrder(roles: readonly TenantRole[]): TenantRole[] {
  return TENANT_ROLES.filter((r) => roles.includes(r));
}

export function licencePeriod(l: LicenceDto): LicencePeriod;
export function licencePeriod(l: LicenceDto | undefined): LicencePeriod | null;
export function licencePeriod(l: LicenceDto | undefined): LicencePeriod | null {
  return l ? { startsOn: l.startsOn, expiresOn: l.expiresOn } : null;
}
