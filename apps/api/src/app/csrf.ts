import type { NextFunction, Request, Response } from 'express';
import { AppConfig, SecretBox } from '@rehearse/server/core';
import { issueCsrfToken } from '@rehearse/server/accounts';
import { sendError } from './http-errors';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
const NO_SESSION_PATHS = ['/api/health', '/api/docs'];

/**
 * The path as the router sees it: Express matches routes case-insensitively, ignores a trailing
 * slash and decodes percent-encoded segments, so every path rule here does the same.
 */
export function routedPath(req: Request): string {
  let path = req.path;
  try {
    path = decodeURIComponent(path);
  } catch {
    // a malformed escape: keep it encoded; the router answers 400 or 404 for it
  }
  return path.toLowerCase().replace(/\/{2,}/g, '/');
}

/** Whether the request is for the API (`/api` and below, as the router matches), not the web app's files and routes. */
export function isApiPath(req: Request): boolean {
  return /^\/api(\/|$)/.test(routedPath(req));
}

/** Where mail programs POST to stop an e-mail (RFC 8058 one-click), as `routedPath` writes it. */
export const ONE_CLICK_UNSUBSCRIBE = '/api/mail/unsubscribe';

/**
 * A mail program's one-click unsubscribe (RFC 8058): a POST from the mail provider's servers, with
 * no session, no token and a form body (`List-Unsubscribe=One-Click`). Its signed query is what
 * authorises it (an HMAC of one person and one kind of e-mail; it can only turn that e-mail off),
 * so a cross-site copy of it can do nothing its sender could not do by posting it themselves. The
 * one exception to the CSRF check and to JSON bodies; the route's own path under the router's rules
 * (case, a trailing slash, escapes), nothing below it.
 */
export function isOneClickUnsubscribe(req: Request): boolean {
  return req.method === 'POST' && routedPath(req).replace(/\/$/, '') === ONE_CLICK_UNSUBSCRIBE;
}

/**
 * CSRF defence in depth for every state-changing request, whatever its path, case, trailing slash
 * or encoding (only GET, HEAD and OPTIONS pass without a check, and a mail program's one-click
 * unsubscribe, `isOneClickUnsubscribe`; no route changes state on GET, HEAD or OPTIONS):
 * 1. browsers' Sec-Fetch-Site must not be cross-site, and an Origin header must be our own
 *    (`Origin: null` is refused);
 * 2. a synchroniser token bound to the session must be echoed in X-XSRF-TOKEN.
 */
export function csrfMiddleware(config: AppConfig) {
  const ownOrigin = new URL(config.PUBLIC_URL).origin;
  return (req: Request, res: Response, next: NextFunction): void => {
    if (SAFE.has(req.method)) {
      const path = routedPath(req);
      if (
        path.startsWith('/api/') &&
        !NO_SESSION_PATHS.some((p) => path.startsWith(p)) &&
        req.session &&
        !req.session.csrfToken
      )
        issueCsrfToken(req, res, config);
      return next();
    }
    if (isOneClickUnsubscribe(req)) return next();
    const site = req.headers['sec-fetch-site'];
    const origin = req.headers.origin;
    if (site === 'cross-site' || (origin !== undefined && origin !== ownOrigin)) {
      return sendError(req, res, 403, 'csrf_failed', 'Cross-site requests are not accepted');
    }
    const sent = req.headers['x-xsrf-token'];
    const expected = req.session?.csrfToken;
    if (typeof sent !== 'string' || !expected || !SecretBox.equal(sent, expected)) {
      return sendError(
        req,
        res,
        403,
        'csrf_failed',
        'The security token is missing or stale; reload the page and try again',
      );
    }
    next();
  };
}

/** Headers some frameworks honour to act on another method than the one sent. Rehearse honours none. */
const METHOD_OVERRIDES = ['x-http-method-override', 'x-http-method', 'x-method-override'];

/** Refuses any request that asks for a method override: the method sent is the method routed. */
export function noMethodOverride(req: Request, res: Response, next: NextFunction): void {
  if (METHOD_OVERRIDES.some((h) => req.headers[h] !== undefined)) {
    return sendError(req, res, 400, 'malformed_request', 'Method overrides are not accepted: send the method itself');
  }
  next();
}
