import { randomUUID } from 'node:crypto';
import { isUuid } from './validation';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LoggerService } from '@nestjs/common';
import type { Params, PinoLogger } from 'nestjs-pino';
// the context nestjs-pino's PinoLogger reads a request's logger from (its middleware would set it)
import { storage, Store } from 'nestjs-pino/storage';
import { pino, type DestinationStream, type Logger } from 'pino';

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

/** The process's logger: JSON lines on stdout (or `stream`: the tests read them), secrets redacted. */
export function createLogger(level: string, stream?: DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, stream);
}

/** Nest's own account of starting: each module's providers made, each controller's routes mapped. */
const STARTUP_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

/**
 * The process's Nest logger (`app.useLogger`) with Nest's own lines about starting (a module's
 * providers made, a controller found, a route mapped: 234 of the 242 lines an API start wrote at
 * info level, 2026-12-07) written at debug level: `LOG_LEVEL=debug` shows them, and at info a start
 * says what operators look for (the application started, the port it listens on). Everything else
 * goes through as it came.
 */
export function quietStartup(logger: LoggerService): LoggerService {
  const startup = (params: unknown[]) => {
    const context = params[params.length - 1];
    return typeof context === 'string' && STARTUP_CONTEXTS.has(context);
  };
  return {
    log: (message: unknown, ...params: unknown[]) =>
      startup(params) && logger.debug ? logger.debug(message, ...params) : logger.log(message, ...params),
    error: (message: unknown, ...params: unknown[]) => logger.error(message, ...params),
    warn: (message: unknown, ...params: unknown[]) => logger.warn(message, ...params),
    debug: (message: unknown, ...params: unknown[]) => logger.debug?.(message, ...params),
    verbose: (message: unknown, ...params: unknown[]) => logger.verbose?.(message, ...params),
    // a logger without a fatal level writes it as an error rather than losing it
    fatal: (message: unknown, ...params: unknown[]) =>
      logger.fatal ? logger.fatal(message, ...params) : logger.error(message, ...params),
  };
}

/**
 * nestjs-pino's parameters: Nest's logs and every `Logger` go to `logger`, inside a request with
 * that request's bindings (set by `requestLogging`, which also writes the request's own line).
 * nestjs-pino's own middleware (pino-http) is not used (`forRoutes: []`): in the scale benchmark
 * an authenticated `GET /api/auth/me` cost the API 458–475 µs of CPU with it and 364–395 µs with
 * `requestLogging` in the same hour (nothing logged at that level in either). pino-http's own code
 * takes 3 µs a request in isolation; the rest of its cost showed up in the request's other work.
 */
export function loggerParams(logger: Logger): Params {
  return { pinoHttp: { logger }, forRoutes: [] };
}

/** The API's logger (a provider of the application module), for `requestLogging`. */
export const REQUEST_LOGGER = Symbol('REQUEST_LOGGER');

/** Requests not worth a line each: the health checks probes and load balancers send every few seconds. */
const UNLOGGED = new Set(['/api/health', '/api/health/live']);

type Middleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

/**
 * The first middleware of the API: gives the request its correlation id (the caller's well-formed
 * one, or a new one) and sends it back in X-Correlation-Id; runs the rest of the request with a
 * logger bound to it (`req`: id, method, address as `loggableUrl` writes it), so whatever a
 * service logs meanwhile through Nest's `Logger` carries them; and logs one line when the answer
 * is sent (`request completed`, at error level `request failed` for a 5xx) or the client went away
 * first (`request aborted`), with the status and the time taken in milliseconds. No header, body
 * or query string is ever logged.
 */
export function requestLogging(logger: Logger): Middleware {
  return (req, res, next) => {
    const started = performance.now();
    const id = correlationIdOf(req);
    res.setHeader(CORRELATION_HEADER, id);
    // worked out when a line is written: most requests write none but their own (and that only at
    // info level), and the child logger's bindings pass through the redaction on creation
    let bound: { id: string; method: string | undefined; url: string } | undefined;
    const bindings = () =>
      (bound ??= {
        id,
        method: req.method,
        url: loggableUrl((req as { originalUrl?: string }).originalUrl ?? req.url ?? ''),
      });
    if (!UNLOGGED.has(req.url ?? '')) {
      // 'close' comes after 'finish' too, and alone when the connection ended before the answer
      res.once('close', () => {
        const aborted = !res.writableFinished;
        const failed = !aborted && res.statusCode >= 500;
        if (!logger.isLevelEnabled(failed ? 'error' : 'info')) return;
        const line = {
          req: bindings(),
          res: { statusCode: res.statusCode },
          responseTime: Math.round((performance.now() - started) * 10) / 10,
        };
        if (aborted) logger.info(line, 'request aborted');
        else if (failed) logger.error(line, 'request failed');
        else logger.info(line, 'request completed');
      });
    }
    storage.run(new TracedStore(() => logger.child({ req: bindings() }), id), next);
  };
}

/**
 * nestjs-pino's context for a request or a job, with the correlation id that the jobs queued
 * meanwhile carry on (`traced`), so one id leads from a request to the worker's lines for it. The
 * logger is made when first asked for (`make`): a request that logs nothing of its own makes none.
 */
class TracedStore extends Store {
  constructor(
    make: () => Logger,
    readonly correlationId: string | undefined,
  ) {
    // nestjs-pino's Store assigns `logger` (undefined here: the accessor below makes it when asked)
    super(undefined as unknown as Logger);
    (this as Lazy)[MAKE] = make;
  }
}
const MADE = Symbol('logger made');
const MAKE = Symbol('logger to make');
type Lazy = { [MADE]?: Logger; [MAKE]?: () => Logger };
Object.defineProperty(TracedStore.prototype, 'logger', {
  get(this: Lazy): Logger {
    return (this[MADE] ??= (this[MAKE] as () => Logger)());
  },
  // PinoLogger.assign replaces it with a child carrying the assigned fields
  set(this: Lazy, value: Logger | undefined) {
    this[MADE] = value;
  },
});

/**
 * What a queued job's data carries besides its own: the correlation id of the request (or job)
 * that queues it, when there is one. Spread into the data: `{ recordingId, ...traced() }`.
 */
export function traced(): { correlationId?: string } {
  const store = storage.getStore();
  const id = store instanceof TracedStore ? store.correlationId : undefined;
  return id ? { correlationId: id } : {};
}

/**
 * Runs a queued job's `work` with whatever is logged meanwhile through Nest's `Logger` bound to
 * `job`: its queue, name and id, `about` (the recording or export it works on; never personal
 * data or secrets) and the correlation id of the request that queued it — as `requestLogging`
 * binds a request's lines. The lines of one transcription or export, from whichever library, are
 * found by its job id or by the id of the request that asked for it. `log` is nestjs-pino's
 * PinoLogger (the process's logger outside any request or job).
 */
export function withJobLogging<T>(
  log: PinoLogger,
  queue: string,
  job: { name: string; id: string | number; data: unknown },
  about: Record<string, unknown>,
  work: () => T,
): T {
  const given = (job.data as { correlationId?: unknown } | null)?.correlationId;
  const correlationId = typeof given === 'string' && VALID_ID.test(given) ? given : undefined;
  const bound = { queue, name: job.name, id: job.id, ...about, ...(correlationId ? { correlationId } : {}) };
  // read here: inside the job's context PinoLogger's logger is the job's own
  const parent = log.logger;
  return storage.run(new TracedStore(() => parent.child({ job: bound }), correlationId), work);
}
