import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Permission } from '@rehearse/shared/contracts';
import type { Actor } from './actor';
import { unauthenticated } from '@rehearse/server/core';

export const PERMISSION_KEY = 'rehearse:permission';
export const PUBLIC_KEY = 'rehearse:public';

/** The permission a route requires. Every route declares one, or @Public(). */
export const RequirePermission = (permission: Permission) => SetMetadata(PERMISSION_KEY, permission);

/** A route anyone may call (sign-in, health). Still throttled and CSRF-checked. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** The authenticated actor of the request. */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const actor = ctx.switchToHttp().getRequest<{ actor?: Actor }>().actor;
  if (!actor) throw unauthenticated();
  return actor;
});
