import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { ListPermission, ObjectPermission, Permission } from '@rehearse/shared/contracts';
import type { Actor } from './actor';
import { unauthenticated } from '@rehearse/server/core';

export const PERMISSION_KEY = 'rehearse:permission';
export const PUBLIC_KEY = 'rehearse:public';
export const OBJECT_KEY = 'rehearse:object';
export const LIST_KEY = 'rehearse:list';

/** The permission a route requires. Every route declares one, or @Public(). */
export const RequirePermission = (permission: Permission) => SetMetadata(PERMISSION_KEY, permission);

/** The object a route acts on: an object permission and the route parameter that names the object. */
export interface ObjectRequirement {
  permission: ObjectPermission;
  param: string;
}

/**
 * Check 3 (and 4) for the object a route names: the access guard, after the role permission,
 * asks the access core whether the actor has a relation that allows `permission` on the object
 * whose id is the route parameter `param`, and answers 404 otherwise — before the handler runs.
 * The service checks again with the same core (it loads the object and needs the relation).
 */
export const RequireObject = (permission: ObjectPermission, param = 'id') =>
  SetMetadata(OBJECT_KEY, { permission, param } satisfies ObjectRequirement);

/**
 * Checks 3 and 4 for a list route: it shows only the objects to which the actor has a relation
 * that `permission` names (LIST_PERMISSIONS), and none hidden by an expired licence. Its service
 * reads the actor's scope from the access core (`AccessService.listScope` with the same permission);
 * the declaration puts the rule in the OpenAPI document and docs/routes.md.
 */
export const ListsObjects = (permission: ListPermission) => SetMetadata(LIST_KEY, permission);

/** A route anyone may call (sign-in, health). Still throttled and CSRF-checked. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** The authenticated actor of the request. */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const actor = ctx.switchToHttp().getRequest<{ actor?: Actor }>().actor;
  if (!actor) throw unauthenticated();
  return actor;
});
