import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import openapiMetadata from '../openapi-metadata';
import { documentAccess, routeAccess } from './openapi-access';
import { documentExamples } from './openapi-examples';
import { documentValidation, modelClasses } from './openapi-validation';
import express, { NextFunction, Request, Response } from 'express';
import compression from 'compression';
import session from 'express-session';
import helmet from 'helmet';
import { isUtf8 } from 'node:buffer';
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { join, resolve } from 'node:path';
import {
  APP_CONFIG,
  AppConfig,
  bodyRefusal,
  createValidationPipe,
  ErrorBodyDto,
  GlobalExceptionFilter,
  isServiceUnavailable,
  METRICS,
  Metrics,
  REQUEST_LOGGER,
  requestLogging,
  UNAVAILABLE_MESSAGE,
} from '@rehearse/server/core';
import { baseCookieOptions, cookieNames } from '@rehearse/server/accounts';
import { SessionStore } from './session-store';
import { csrfMiddleware, isApiPath, isOneClickUnsubscribe, noMethodOverride, routedPath } from './csrf';
import { sendError } from './http-errors';
import { httpMetrics } from './http-metrics';
import { rejectUnsafeInput } from './request-guards';
import { routeMethods } from './route-methods';

/** The resumable uploads' routes (tus), whose bodies are the file's bytes, as the router matches them. */
const UPLOAD_PATH = /^\/api\/uploads(\/|$)/;

/** Whether the request carries a body of at least one byte (an empty POST carries none). */
function carriesBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

/** Angular names its bundles by their content (main-3VBQMQND.js): such a file never changes. */
export const CONTENT_HASHED = /-[A-Z0-9]{8}\.(?:js|css|mjs|woff2?|ttf|svg|png|jpe?g|webp)$/;

/** A path naming a file of the web app's build by its kind (a script, a style sheet, a font, an image …), not a client route. */
export const WEB_FILE = /\.(?:m?js|css|map|json|ico|png|jpe?g|gif|svg|webp|woff2?|ttf|txt|webmanifest)$/i;

function parseTrustProxy(v: string): boolean | number | string {
  if (v === 'true') return true;
  if (v === 'false' || v === '') return false;
  if (/^\d+$/.test(v)) return Number(v);
  return v; // e.g. "loopback, 10.0.0.0/8"
}

type Middleware = (req: Request, res: Response, next: NextFunction) => void;

/**
 * A middleware that only sets fixed response headers (helmet's, with no per-request directive),
 * run once against a stand-in response; the returned middleware sets what it set. Refuses one that
 * does anything else, so a future per-request header cannot be frozen by mistake. `extra` are set
 * after them.
 */
export function fixedHeaders(middleware: Middleware, extra: Record<string, string> = {}): Middleware {
  const headers: [string, string | string[]][] = [];
  let done = false;
  const stand = {
    setHeader: (name: string, value: string | number | string[]) =>
      headers.push([name, Array.isArray(value) ? value : String(value)]),
    // helmet removes X-Powered-By; Express's own is disabled
    removeHeader: () => undefined,
  };
  middleware({ method: 'GET', url: '/', headers: {} } as Request, stand as unknown as Response, (err?: unknown) => {
    if (err) throw err;
    done = true;
  });
  if (!done || headers.length === 0) throw new Error('fixedHeaders: the middleware did not just set headers');
  headers.push(...Object.entries(extra));
  return (_req, res, next) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    next();
  };
}

/**
 * Express answers 304 Not Modified, with no body, to a GET whose `If-None-Match` is `*` whatever
 * the answer: its freshness check (`req.fresh`, asked by `res.send`) compares no entity tag for
 * `*`. So every JSON route, though it sends no validator and no one may keep its answers
 * (`Cache-Control: no-store`), answered an empty 304 that no client could have a copy for, where
 * the streamed answers (CSV) answered 200. Here a response is fresh only when it carries a
 * validator (an ETag or a Last-Modified) for the request to have named; the media routes decide
 * their preconditions themselves (`mediaPreconditions`) and the web app's files in `send`.
 */
function answerConditionsOnlyWithValidators(app: NestExpressApplication): void {
  const request = (app.getHttpAdapter().getInstance() as { request: Request }).request;
  const fresh = Object.getOwnPropertyDescriptor(express.request, 'fresh')?.get;
  if (!fresh) throw new Error("Express's request has no `fresh` getter to refine");
  Object.defineProperty(request, 'fresh', {
    configurable: true,
    get(this: Request): boolean {
      const res = this.res;
      const validated = res !== undefined && (res.get('ETag') !== undefined || res.get('Last-Modified') !== undefined);
      return validated && fresh.call(this);
    },
  });
}

/** Everything between the socket and the controllers. Used by main.ts and by the API tests. */
export async function configureApp(app: INestApplication): Promise<void> {
  const config = app.get<AppConfig>(APP_CONFIG);
  const expressApp = app as NestExpressApplication;
  expressApp.set('trust proxy', parseTrustProxy(config.TRUST_PROXY));
  expressApp.disable('x-powered-by');
  // idle connections outlive the proxy's (HTTP_KEEP_ALIVE_SECONDS), so the proxy closes them first
  (app.getHttpServer() as Server).keepAliveTimeout = config.HTTP_KEEP_ALIVE_SECONDS * 1000;
  // API answers hold personal data: no browser or proxy keeps them (Cache-Control: no-store below,
  // unless a route says otherwise, as recordings and prompt media do with ETags of their own), so
  // Express need not hash every body into an ETag nobody may revalidate
  expressApp.set('etag', false);
  answerConditionsOnlyWithValidators(expressApp);
  // first: every API answer, refusals by the middlewares below included, has its correlation id
  // and its line (the web app's files served below have neither, as from the web container)
  const logRequest = requestLogging(app.get<Logger>(REQUEST_LOGGER));
  app.use((req: Request, res: Response, next: NextFunction) => (isApiPath(req) ? logRequest(req, res, next) : next()));
  app.use(httpMetrics(app.get<Metrics>(METRICS)));

  // helmet's headers depend on the configuration only: worked out once, set on every response
  // (static files and the web app's index.html set their own Cache-Control)
  app.use(
    fixedHeaders(
      helmet({
        contentSecurityPolicy: {
          directives: {
            defaultSrc: ["'self'"],
            scriptSrc: ["'self'"],
            styleSrc: ["'self'", "'unsafe-inline'"],
            imgSrc: ["'self'", 'data:', 'blob:'],
            mediaSrc: ["'self'", 'blob:'],
            connectSrc: ["'self'"],
            fontSrc: ["'self'", 'data:'],
            objectSrc: ["'none'"],
            frameAncestors: ["'none'"],
            upgradeInsecureRequests: config.secureCookies ? [] : null,
          },
        },
        strictTransportSecurity: config.secureCookies,
      }),
      { 'Cache-Control': 'no-store' },
    ),
  );
  app.use(noMethodOverride);
  // bounded JSON bodies; a malformed one is a clean 400, never a 500. A body is UTF-8 (RFC 8259)
  // or refused: the parser would otherwise store a broken byte as U+FFFD in a name
  const json = express.json({
    limit: '2mb',
    verify: (_req, _res, buf) => {
      if (!isUtf8(buf)) throw Object.assign(new Error('not UTF-8'), { status: 400, type: 'encoding.invalid' });
    },
  });
  app.use((req: Request, res: Response, next: NextFunction) => {
    // a mail program's one-click unsubscribe posts a form (RFC 8058) that says nothing more than
    // its address does: the body is not read, the query is checked as every other
    if (isOneClickUnsubscribe(req)) return rejectUnsafeInput(req, res, next);
    // every body the API reads is JSON but the uploads' bytes (tus): another type was ignored and
    // the request answered as if it had no body (a form post to the profile: 200, nothing changed)
    const readsJson = carriesBody(req) && !UPLOAD_PATH.test(routedPath(req));
    if (readsJson && !req.is('application/json'))
      return sendError(
        req,
        res,
        415,
        'unsupported_media_type',
        'Send the request body as JSON (Content-Type: application/json)',
      );
    // JSON is UTF-8 (RFC 8259): another charset named is refused rather than decoded
    const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(req.headers['content-type'] ?? '')?.[1].toLowerCase();
    if (readsJson && charset !== undefined && charset !== 'utf-8' && charset !== 'utf8')
      return sendError(req, res, 415, 'unsupported_media_type', 'Send the request body as JSON in UTF-8');
    json(req, res, (err?: unknown) => {
      if (!err) {
        // the parser calls back outside Express's own try/catch: a throw here would end the process
        try {
          return rejectUnsafeInput(req, res, next);
        } catch (thrown) {
          return next(thrown);
        }
      }
      const refusal = bodyRefusal(err as { status?: number; type?: string; body?: unknown });
      sendError(req, res, refusal.status, refusal.code, refusal.message);
    });
  });
  const names = cookieNames(config);
  const sessionStore = app.get(SessionStore);
  const sessions = session({
    name: names.session,
    store: sessionStore.store,
    secret: config.APP_SECRET,
    resave: false,
    saveUninitialized: false,
    // a non-persistent cookie (no Max-Age: gone when the browser closes), set when the session
    // is made or changes; the idle timeout is the store's (SESSION_IDLE_MINUTES after the last
    // request, kept by touchLater) and the absolute one the access check's, so no response needs
    // to roll the cookie forward (a signed Set-Cookie on every answer)
    rolling: false,
    proxy: config.TRUST_PROXY !== 'false',
    cookie: baseCookieOptions(config),
  });
  // a session store that cannot be reached (PostgreSQL restarting) answers 503, not an error page
  app.use((req: Request, res: Response, next: NextFunction) =>
    sessions(req, res, (err?: unknown) => {
      // express-session calls back once more when the session's save at the response's end fails
      // (PostgreSQL gone meanwhile): the answer is already on its way and can take nothing more (a
      // header set now threw outside any handler and ended the process); the next request finds
      // the session as it was before this one
      if (res.headersSent) {
        if (err) sessionStore.saveFailed(req.sessionID, err);
        return;
      }
      if (err && isServiceUnavailable(err)) {
        res.setHeader('Retry-After', '5');
        return sendError(req, res, 503, 'unavailable', UNAVAILABLE_MESSAGE);
      }
      if (!err && req.session && req.sessionID) {
        // the idle expiry moves on after the response (at most once a minute), never before it
        res.once('finish', () => req.session && sessionStore.touchLater(req.sessionID, req.session));
      }
      next(err);
    }),
  );
  app.use(csrfMiddleware(config));
  app.setGlobalPrefix('api');
  app.useGlobalPipes(createValidationPipe());
  // a path that exists under other methods answers 405 with Allow, not 404
  app.useGlobalFilters(
    new GlobalExceptionFilter({
      methodsAt: routeMethods((app as NestExpressApplication).getHttpAdapter().getInstance()),
    }),
  );

  if (config.OPENAPI_ENABLED) {
    // the request and response classes' schemas, read from their declarations (npm run openapi:metadata)
    await SwaggerModule.loadPluginMetadata(openapiMetadata);
    const models = await modelClasses(openapiMetadata);
    // built on the first request for it, not at every start: reading every route's and class's
    // metadata took a quarter of a second of each API process's start (each replica, each test file)
    const doc = () =>
      documentExamples(
        documentAccess(
          documentValidation(
            SwaggerModule.createDocument(
              app,
              new DocumentBuilder()
                .setTitle('Rehearse API')
                .setDescription(
                  'JSON API of Rehearse. Cookie sessions; state-changing requests need the X-XSRF-TOKEN header.',
                )
                .setVersion('0.1.0')
                .addCookieAuth(names.session)
                .build(),
              { extraModels: [ErrorBodyDto] },
            ),
            app,
            models,
          ),
          routeAccess(app),
        ),
      );
    SwaggerModule.setup('api/docs', app, doc, { jsonDocumentUrl: 'api/docs-json' });
  }

  // the built web app on the same origin, with client-side routes falling back to index.html;
  // compressed by the app itself (no proxy needed), files named by their content cached for a year
  const webDir = config.WEB_DIST_DIR ? resolve(config.WEB_DIST_DIR) : null;
  if (webDir && existsSync(join(webDir, 'index.html'))) {
    const compress = compression({ threshold: 1024 });
    expressApp.use((req: Request, res: Response, next: NextFunction) =>
      isApiPath(req) ? next() : compress(req, res, next),
    );
    expressApp.use(
      express.static(webDir, {
        index: false,
        setHeaders: (res: Response, path: string) => {
          res.setHeader(
            'Cache-Control',
            CONTENT_HASHED.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache',
          );
        },
      }),
    );
    expressApp.use((req: Request, res: Response, next: NextFunction) => {
      // a file the build does not have (an older version's, asked for by a tab opened before an
      // upgrade) is a 404, not index.html as a script: the web app then loads the page anew. A
      // HEAD (an uptime monitor's) is answered as its GET, without the body
      if ((req.method !== 'GET' && req.method !== 'HEAD') || isApiPath(req) || WEB_FILE.test(req.path)) return next();
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(join(webDir, 'index.html'));
    });
  }
}
