import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import type { NextFunction, Request, Response } from 'express';
import type { FieldError } from '@rehearse/shared/contracts';
import { AppError, correlationIdOf, requestLocale, translateApiMessage } from '@rehearse/server/core';
import { routedPath } from './csrf';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** A UTF-16 surrogate without its partner: not text, and PostgreSQL refuses it in JSON. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string cannot be stored as text, or null when it can. */
export function textProblem(s: string): string | null {
  if (s.includes('\u0000')) return 'must not contain a NUL character';
  if (LONE_SURROGATE.test(s)) return 'must be valid Unicode text (it holds an unpaired surrogate)';
  return null;
}

/**
 * How deep a body or query may nest: deeper than any request the API takes (a course file, the
 * deepest, nests 7 levels: course, modules, an exercise, its AI settings, a criterion link, its
 * metrics), far less than a walk of it could overflow the stack with. JSON.parse reads any depth
 * (it does not recurse), but the code after it does: this walk did, and class-transformer does, and
 * a body of 5,000 nested objects, sent by anyone, stopped the API (RangeError: Maximum call stack
 * size exceeded, uncaught).
 */
export const MAX_NESTING = 32;
/**
 * The most items an array of a request may hold: above every `@ArrayMaxSize` of a request class
 * (the largest, a group's participants, is 2,000; a test holds them to it), so no request the API
 * takes is refused here. Checked while the body is walked, before a validator reads it: every
 * constraint of a field is checked, its `@ArrayMaxSize` and those that look at each item alike,
 * so a 2 MB body of 250,000 items cost each of them that many checks.
 */
export const MAX_ARRAY_ITEMS = 5000;
/**
 * The most fields an object of a request may hold, for the same reason: class-transformer, which
 * makes the request classes of a body, keeps each of an object's keys once with `indexOf` (time
 * quadratic in them), and validation named every field it did not know: a participant's profile
 * change with 150,000 unknown fields held the API's thread for 45 s and answered 10 MB. The
 * largest objects the API takes are maps of an answer's AI findings, far below it.
 */
export const MAX_OBJECT_FIELDS = 5000;

/**
 * The first field of a parsed body or query that no handler should see: a prototype-pollution key
 * (JSON.parse keeps them as own keys), a key or string that is not storable text, or a value
 * nested deeper than MAX_NESTING. A walk with a stack of its own, in the body's order.
 */
export function findUnsafeValue(value: unknown, path = ''): FieldError | null {
  /** what is left to look at: a value, where it is, how deep, and the key it is under */
  const todo: { value: unknown; path: string; depth: number; key?: string }[] = [{ value, path, depth: 0 }];
  for (let next = todo.pop(); next; next = todo.pop()) {
    const { value: v, path: here, depth, key } = next;
    if (key !== undefined) {
      if (FORBIDDEN_KEYS.has(key)) return { field: here, messages: [`${here} is not an accepted field`] };
      const keyProblem = textProblem(key);
      // the field name itself is not printable as sent: name it by its printable part
      if (keyProblem)
        return {
          field: [...here].map((ch) => (textProblem(ch) ? '?' : ch)).join(''),
          messages: [`a field name ${keyProblem}`],
        };
    }
    if (typeof v === 'string') {
      const problem = textProblem(v);
      if (problem) return { field: here || 'body', messages: [`${here || 'the value'} ${problem}`] };
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth >= MAX_NESTING) return { field: here || 'body', messages: [`${here} is nested too deeply`] };
    if (Array.isArray(v) && v.length > MAX_ARRAY_ITEMS)
      return { field: here || 'body', messages: [`${here || 'the body'} has more than ${MAX_ARRAY_ITEMS} items`] };
    const keys = Object.keys(v);
    if (!Array.isArray(v) && keys.length > MAX_OBJECT_FIELDS)
      return { field: here || 'body', messages: [`${here || 'the body'} has more than ${MAX_OBJECT_FIELDS} fields`] };
    // pushed last to first, so that they are looked at first to last
    for (let i = keys.length - 1; i >= 0; i--)
      todo.push({
        value: (v as Record<string, unknown>)[keys[i]],
        path: here ? `${here}.${keys[i]}` : keys[i],
        depth: depth + 1,
        key: keys[i],
      });
  }
  return null;
}

/**
 * Where the organisation's identity provider sends the browser back (as `routedPath` writes it):
 * a page load, not a call of the web app, so what it cannot read goes back to the sign-in page
 * with its reason (as SsoController does), not to a page of JSON.
 */
const SSO_CALLBACK = '/api/auth/sso/callback';

function refuse(req: Request, res: Response, error: FieldError): void {
  if (req.method === 'GET' && routedPath(req).replace(/\/$/, '') === SSO_CALLBACK)
    return res.redirect(302, '/login?sso_error=provider');
  const locale = requestLocale(req);
  res.status(400).json({
    statusCode: 400,
    code: 'validation_failed',
    message: translateApiMessage(locale, 'The request is not valid'),
    correlationId: correlationIdOf(req),
    errors: [{ field: error.field, messages: error.messages.map((m) => translateApiMessage(locale, m)) }],
  });
}

/**
 * Runs after the JSON parser: a 400 naming the field for anything in the path, the query or the
 * body that must never reach a handler or PostgreSQL (NUL, unpaired surrogates, prototype keys).
 */
export function rejectUnsafeInput(req: Request, res: Response, next: NextFunction): void {
  let path = req.path;
  try {
    path = decodeURIComponent(path);
  } catch {
    // malformed escapes: the router answers them
  }
  const inPath = textProblem(path);
  if (inPath) return refuse(req, res, { field: 'path', messages: [`the address ${inPath}`] });
  const inQuery = findUnsafeValue(req.query);
  if (inQuery) return refuse(req, res, inQuery);
  const inBody = findUnsafeValue(req.body);
  if (inBody) return refuse(req, res, inBody);
  next();
}

/**
 * A route that reads no body refuses one: a JSON body sent to it is an unknown field as a whole
 * (validation forbids unknown fields everywhere else). Keys in Nest's route-argument metadata are
 * "<paramtype>:<index>"; the body's paramtype is 3 (RouteParamtypes.BODY).
 */
@Injectable()
export class BodyOnlyWhereReadGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<Request>();
    const body: unknown = req.body;
    const empty =
      body === undefined ||
      body === null ||
      (typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length === 0);
    if (empty || !req.is('application/json')) return true;
    const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), context.getHandler().name) ??
      {}) as Record<string, unknown>;
    const readsBody = Object.keys(args).some((k) => k.split(':')[0] === String(RouteParamtypes.BODY));
    if (readsBody) return true;
    throw new AppError(400, 'validation_failed', 'The request is not valid', [
      { field: 'body', messages: ['this request takes no body'] },
    ]);
  }
}
