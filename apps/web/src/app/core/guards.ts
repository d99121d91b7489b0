import { inject } from '@angular/core';
import { CanActivateFn, Router } from '@angular/router';
import type { Permission } from '@rehearse/shared/contracts';
import { SessionStore } from './session.store';

// inject() only works before the first await: take what is needed up front.

export const signedInGuard: CanActivateFn = async (_route, state) => {
  const session = inject(SessionStore);
  const router = inject(Router);
  const me = await session.load().catch(() => null);
  return me ? true : router.createUrlTree(['/login'], { queryParams: { returnUrl: state.url } });
};

export const signedOutGuard: CanActivateFn = async () => {
  const session = inject(SessionStore);
  const router = inject(Router);
  const me = await session.load().catch(() => null);
  return me ? router.createUrlTree(['/']) : true;
};

export function permissionGuard(permission: Permission): CanActivateFn {
  return async () => {
    const session = inject(SessionStore);
    const router = inject(Router);
    await session.load().catch(() => null);
    return session.can(permission) ? true : router.createUrlTree(['/']);
  };
}
