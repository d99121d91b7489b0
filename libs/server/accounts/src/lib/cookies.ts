import type { CookieOptions } from 'express';
import type { AppConfig } from '@rehearse/server/core';

/** Cookie names: `__Host-` prefixed whenever served over HTTPS. */
export function cookieNames(config: Pick<AppConfig, 'secureCookies'>) {
  const prefix = config.secureCookies ? '__Host-' : '';
  return {
    session: `${prefix}rehearse.sid`,
    trustedDevice: `${prefix}rehearse.td`,
    xsrf: 'XSRF-TOKEN',
  };
}

/** Host-only (no Domain), path /, HttpOnly, SameSite=Lax, Secure over HTTPS. */
export function baseCookieOptions(config: Pick<AppConfig, 'secureCookies'>): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', secure: config.secureCookies, path: '/' };
}
