import { inject } from '@angular/core';
import { CanActivateFn, Router } from '@angular/router';
import type { Permission } from '@rehearse/shared/contracts';
import { SessionStore } from './session.store';

export const signedInGuard: CanActivateFn = async (_route, state) => {
  const session = inject(SessionStore);
  const me = await session.load().catch(() => null);
  return me ? true : inject(Router).createUrlTree(['/login'], { queryParams: { returnUrl: state.url } });
};

export const signedOutGuard: CanActivateFn = async () => {
  const me = await inject(SessionStore).load().catch(() => null);
  return me ? inject(Router).createUrlTree(['/']) : true;
};

export function permissionGuard(permission: Permission): CanActivateFn {
  return async () => {
    const session = inject(SessionStore);
    await session.load().catch(() => null);
    return session.can(permission) ? true : inject(Router).createUrlTree(['/']);
  };
}
