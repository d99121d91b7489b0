/** Roles a user can hold inside one tenant. Superuser is a platform flag, not a tenant role. */
export const TENANT_ROLES = ['participant', 'coach', 'content_developer', 'administrator'] as const;
export type TenantRole = (typeof TENANT_ROLES)[number];

export const ROLE_LABELS: Record<TenantRole, string> = {
  participant: 'Participant',
  coach: 'Coach',
  content_developer: 'Content developer',
  administrator: 'Administrator',
};

export function isTenantRole(value: unknown): value is TenantRole {
  return typeof value === 'string' && (TENANT_ROLES as readonly string[]).includes(value);
}

export const USER_STATUSES = ['invited', 'active', 'deactivated'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];
