import { randomUUID } from 'node:crypto';
import { isUuid } from './validation';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { Options } from 'pino-http';

const CORRELATION_HEADER = 'x-correlation-id';
const VALID_ID = /^[A-Za-z0-9._-]{8,100}$/;

/** The correlation id of a request: the caller's (when well-formed) or a new one. */
export function correlationIdOf(req: IncomingMessage & { id?: unknown }): string {
  if (typeof req.id === 'string') return req.id;
  const given = req.headers[CORRELATION_HEADER];
  const id = typeof given === 'string' && VALID_ID.test(given) ? given : randomUUID();
  req.id = id;
  return id;
}

/** Fields that must never reach a log line. */
export const REDACTED_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-xsrf-token"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.code',
  '*.token',
];

const SERVER_ID = /^[a-f0-9]{32}$/;
/** Routes whose last segment is a single-use secret (invitation, password reset and e-mail change links, in the API and the web app). */
const SECRET_SEGMENT_AFTER = new Set(['invitations', 'invitation', 'password-reset', 'email-change']);
/** The segments after those that are the routes' own names, not secrets. */
const ROUTE_NAMES = new Set(['accept', 'complete', 'confirm']);

/**
 * A request's address as it may be logged: no query string (single-use tokens travel there), and
 * no path segment that could be a secret — the segment after /invitations/, /invitation/,
 * /password-reset/ or /email-change/, and
 * any long random-looking segment that is not a UUID or one of the server's own upload ids.
 */
export function loggableUrl(url: string): string {
  const path = String(url).split('?')[0].split('#')[0];
  const parts = path.split('/');
  return parts
    .map((part, i) => {
      if (i > 0 && SECRET_SEGMENT_AFTER.has(parts[i - 1].toLowerCase()) && part && !ROUTE_NAMES.has(part.toLowerCase()))
        return '[redacted]';
      if (isUuid(part) || SERVER_ID.test(part)) return part;
      if (part.length > 64 || /^[A-Za-z0-9_%-]{20,}$/.test(part)) return '[redacted]';
      return part;
    })
    .join('/');
}

/** The request logger; `stream` sends the lines somewhere else than stdout (the tests read them). */
export function pinoParams(level: string, pretty = false, stream?: DestinationStream): Params {
  const options: Options = {
    level,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const id = correlationIdOf(req);
      res.setHeader(CORRELATION_HEADER, id);
      return id;
    },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    autoLogging: { ignore: (req: IncomingMessage) => req.url === '/api/health' || req.url === '/api/health/live' },
    // the serializers below take the request and response themselves: pino-http's wrappers would
    // first copy every header (then redacted) into an object these never read, on every request
    wrapSerializers: false,
    serializers: {
      req: (req: { id: string; method: string; url: string; originalUrl?: string }) => ({
        id: req.id,
        method: req.method,
        // no single-use token (query string, invitation link) ever reaches a log line
        url: loggableUrl(req.originalUrl ?? req.url),
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    ...(pretty ? { transport: { target: 'pino-pretty' } } : {}),
  };
  return { pinoHttp: stream ? [options, stream] : options };
}
