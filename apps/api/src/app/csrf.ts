import type { NextFunction, Request, Response } from 'express';
import { AppConfig, SecretBox } from '@rehearse/server/core';
import { issueCsrfToken } from '@rehearse/server/accounts';
import { sendError } from './http-errors';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
const NO_SESSION_PATHS = ['/api/health', '/api/docs'];

/**
 * CSRF defence in depth for every state-changing /api request:
 * 1. browsers' Sec-Fetch-Site must not be cross-site, and an Origin header must be our own
 *    (`Origin: null` is refused);
 * 2. a synchroniser token bound to the session must be echoed in X-XSRF-TOKEN.
 */
export function csrfMiddleware(config: AppConfig) {
  const ownOrigin = new URL(config.PUBLIC_URL).origin;
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!req.path.startsWith('/api/')) return next();
    if (SAFE.has(req.method)) {
      if (!NO_SESSION_PATHS.some((p) => req.path.startsWith(p)) && req.session && !req.session.csrfToken) issueCsrfToken(req, res, config);
      return next();
    }
    const site = req.headers['sec-fetch-site'];
    const origin = req.headers.origin;
    if (site === 'cross-site' || (origin !== undefined && origin !== ownOrigin)) {
      return sendError(req, res, 403, 'csrf_failed', 'Cross-site requests are not accepted');
    }
    const sent = req.headers['x-xsrf-token'];
    const expected = req.session?.csrfToken;
    if (typeof sent !== 'string' || !expected || !SecretBox.equal(sent, expected)) {
      return sendError(req, res, 403, 'csrf_failed', 'The security token is missing or stale; reload the page and try again');
    }
    next();
  };
}
