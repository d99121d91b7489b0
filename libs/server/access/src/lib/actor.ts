import type { Locale, Permission, TenantRole } from '@rehearse/shared/contracts';

/** The authenticated caller of a request, rebuilt from the database on every request. */
export interface Actor {
  userId: string;
  tenantId: string | null;
  name: string;
  email: string;
  roles: TenantRole[];
  isSuperuser: boolean;
  permissions: Set<Permission>;
  /** set while a superuser acts as this user */
  impersonatorId: string | null;
  impersonationId: string | null;
  /** read with the actor on each request (GET /api/auth/me answers from it) */
  profile?: { phone: string | null; totpEnabled: boolean; tenantName: string | null; locale: Locale | null };
}

export function actorRoleLabel(actor: Actor): string {
  if (actor.impersonatorId) return `superuser-as-${actor.roles.join('+') || 'user'}`;
  if (actor.isSuperuser) return 'superuser';
  return actor.roles.join('+') || 'user';
}
