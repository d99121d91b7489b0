import { permissionsFor, type TenantRole } from '@rehearse/shared/contracts';
import type { Actor } from '../lib/actor';

/**
 * Test support (the medium tier): the actor a request of this person would resolve to, with the
 * permissions of their roles — what AccessService.resolveActor builds from the session.
 */
export function testActor(userId: string, tenantId: string | null, roles: TenantRole[], isSuperuser = false): Actor {
  return {
    userId,
    tenantId,
    name: 'Test Actor',
    email: 'actor@medium.test',
    roles,
    isSuperuser,
    permissions: permissionsFor(roles, isSuperuser),
    impersonatorId: null,
    impersonationId: null,
  };
}
