import { testSpeechEnv } from './speech-engine';
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Agent as HttpAgent } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import type { DestinationStream } from 'pino';
import request, { Response } from 'supertest';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { LoggerModule } from 'nestjs-pino';
import { QUEUES, TenantRole } from '@rehearse/shared/contracts';
import { AppConfig, Clock, CoreModule, createLogger, loadConfig, loggerParams } from '@rehearse/server/core';
import { createTestDatabase, DatabaseModule, TestDatabase } from '@rehearse/server/database';
import { MailWorkerModule } from '@rehearse/server/mail';
import { AccessModule } from '@rehearse/server/access';
import { ExportWorkerModule, PrivacyMailModule } from '@rehearse/server/privacy';
import { FeedbackMailModule } from '@rehearse/server/feedback';
import { CoursesMailModule } from '@rehearse/server/courses';
import { MediaWorkerModule } from '@rehearse/server/recordings';
import { StorageModule } from '@rehearse/server/storage';
import { AccountsMailModule, MfaService, TenantsService } from '@rehearse/server/accounts';
import { authenticator } from 'otplib';
import { Mailbox } from '@rehearse/server/testing';
import { ApiModule } from '../app/app.module';
import { configureApp } from '../app/bootstrap';

export const PASSWORD = 'correct horse battery staple';

/**
 * REHEARSE_TEST_ENV='{"UPLOAD_STAGING":"s3",…}': every suite run against other settings (the
 * multi-host ones: README, "Running the tests against S3 and a KMS"), the harness's API and the
 * processes and commands the tests start alike.
 */
export function testSettings(): Record<string, string> {
  return JSON.parse(process.env['REHEARSE_TEST_ENV'] || '{}') as Record<string, string>;
}
export const SUPERUSER_PASSWORD = 'Operator-Desk passphrase 2026!';

/** A browser-like client: keeps cookies, echoes the CSRF token like the Angular app does. */
export class Client {
  readonly agent: ReturnType<typeof request.agent>;
  xsrf = '';

  constructor(readonly server: App) {
    this.agent = request.agent(server);
    // connections kept alive, as a browser keeps them: SuperAgent otherwise opens a connection for
    // every request and closes it after (the attacker tier alone: 67.2 -> 63.1 s, its process's
    // CPU 67.4 -> 61.5 s). Its agent sets a request's defaults in _setDefaults, where this adds one.
    // A `timeout` of its own makes Node's agent heed the server's `Keep-Alive: timeout=` and drop an
    // idle connection a second before the server would (without one it never does, and a request
    // could go into a connection the server was closing: the attacker tier once failed with
    // "read ECONNRESET"). It bounds only silence on a connection; no request here is silent that long.
    const connections = new HttpAgent({ keepAlive: true, timeout: 300_000 });
    const agent = this.agent as unknown as { _setDefaults(req: { agent(a: HttpAgent): unknown }): void };
    const setDefaults = agent._setDefaults.bind(agent);
    agent._setDefaults = (req) => {
      setDefaults(req);
      req.agent(connections);
    };
  }

  capture(res: Response): Response {
    const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
    for (const c of cookies) {
      const m = /^XSRF-TOKEN=([^;]*)/.exec(c);
      if (m) this.xsrf = decodeURIComponent(m[1]);
    }
    return res;
  }

  async init(): Promise<this> {
    this.capture(await this.agent.get('/api/auth/csrf'));
    return this;
  }

  async get(path: string): Promise<Response> {
    return this.capture(await this.agent.get(path));
  }

  async send(
    method: 'post' | 'put' | 'patch' | 'delete',
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    let req = this.agent[method](path).set('X-XSRF-TOKEN', this.xsrf);
    for (const [k, v] of Object.entries(headers)) req = req.set(k, v);
    return this.capture(await (body === undefined ? req : req.send(body as object)));
  }

  post(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.send('post', path, body, headers);
  }

  put(path: string, body?: unknown) {
    return this.send('put', path, body);
  }

  patch(path: string, body?: unknown) {
    return this.send('patch', path, body);
  }

  delete(path: string) {
    return this.send('delete', path);
  }

  /** The raw Set-Cookie value of a cookie in a response. */
  static cookie(res: Response, name: string): string | undefined {
    return ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith(`${name}=`));
  }
}

export interface Harness {
  app: INestApplication;
  worker: INestApplicationContext;
  server: App;
  db: DataSource;
  database: TestDatabase;
  mailbox: Mailbox;
  clock: Clock;
  config: AppConfig;
  tenants: TenantsService;
  client(): Promise<Client>;
  /** Full sign-in (password + e-mailed code); returns the signed-in client. */
  signIn(email: string, password?: string, opts?: { trustDevice?: boolean; client?: Client }): Promise<Client>;
  createUser(tenantId: string, name: string, email: string, roles: TenantRole[], password?: string): Promise<string>;
  /** A superuser with a known authenticator secret. */
  createSuperuser(email: string): Promise<{ id: string; secret: string }>;
  /** Sign-in with password and the current TOTP code (moves the clock 30 s first, so codes never repeat). */
  signInTotp(email: string, secret: string, password?: string): Promise<Client>;
  close(): Promise<void>;
}

/**
 * Starts the real API (every middleware, guard and controller) and the mail worker against a
 * fresh PostgreSQL database, real Redis and a real SMTP server on localhost.
 */
export async function startHarness(
  env: Record<string, string> = {},
  opts: { mediaWorker?: boolean; logStream?: DestinationStream; listen?: boolean } = {},
): Promise<Harness> {
  const database = await createTestDatabase();
  const files = await mkdtemp(join(tmpdir(), 'rehearse-api-test-'));
  // the key vault apart from everything a request can name (the configuration refuses otherwise)
  const keys = await mkdtemp(join(tmpdir(), 'rehearse-api-keys-'));
  const mailbox = new Mailbox();
  const smtpPort = await mailbox.start();
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    QUEUE_PREFIX: `rehearse-test-${randomBytes(5).toString('hex')}`,
    SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    BCRYPT_COST: '4',
    LOG_LEVEL: 'silent',
    METRICS_PORT: '0',
    WORKER_HTTP_PORT: '0',
    PUBLIC_URL: 'http://localhost:3000',
    REDIS_URL: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379/0',
    APP_SECRET: env['APP_SECRET'] ?? randomBytes(24).toString('hex'),
    STORAGE_DIR: join(files, 'objects'),
    KEY_VAULT_DIR: join(keys, 'vault'),
    WORK_DIR: join(files, 'work'),
    BACKUP_DIR: join(files, 'backups'),
    UPLOAD_DIR: join(files, 'uploads'),
    // Whisper tiny.en through whisper.cpp's program (./speech-engine.ts)
    ...testSpeechEnv(),
    // every request reads its session from PostgreSQL: a test that changes a person or a session
    // with SQL sees the change on its next request without waiting for the cache's notice (the
    // cache has tests of its own: session-cache.int-spec.ts)
    SESSION_CACHE_SECONDS: '0',
    ...testSettings(),
    ...env,
  });
  const clock = new Clock();
  const app = await NestFactory.create(ApiModule.forRoot({ config, clock, logStream: opts.logStream }), {
    bodyParser: false,
    logger: false,
  });
  await configureApp(app);
  await app.init();
  // listening from the start (on a free port), so SuperTest sends every request to it: given a
  // server that does not listen, it starts the server before each request and closes it after
  // (the attacker tier's 12,746 requests: 22–26 s of system time, 4–5 s now; 56–74 → 34–41 s
  // alone). startWebHarness listens on the port it has put in PUBLIC_URL instead.
  if (opts.listen !== false) await app.listen(0);
  const worker = await NestFactory.createApplicationContext(
    {
      module: class WorkerUnderTest {},
      imports: [
        CoreModule.forRoot(config, clock),
        LoggerModule.forRoot(loggerParams(createLogger('silent'))),
        DatabaseModule.forRoot(),
        MailWorkerModule,
        AccountsMailModule,
        FeedbackMailModule,
        CoursesMailModule,
        PrivacyMailModule,
        StorageModule,
        AccessModule,
        ExportWorkerModule,
        ...(opts.mediaWorker === false ? [] : [MediaWorkerModule]),
      ],
    },
    { logger: false },
  );
  await worker.init();
  const server = app.getHttpServer() as App;
  const tenants = app.get(TenantsService);
  const h: Harness = {
    app,
    worker,
    server,
    db: app.get(DataSource),
    database,
    mailbox,
    clock,
    config,
    tenants,
    client: () => new Client(server).init(),
    async signIn(email, password = PASSWORD, opts = {}) {
      const c = opts.client ?? (await h.client());
      const before = mailbox.messages.length;
      const login = await c.post('/api/auth/login', { email, password });
      if (login.status !== 200)
        throw new Error(`login of ${email} failed: ${login.status} ${JSON.stringify(login.body)}`);
      if (login.body.status === 'signed_in') return c;
      if (login.body.method === 'totp') throw new Error('signIn helper: use signInTotp for TOTP users');
      const mail = await mailbox.waitFor(email, /sign-in code|inlogcode/, 15_000, before);
      const code = /(\d{6})/.exec(mail.subject)?.[1] ?? '';
      const mfa = await c.post('/api/auth/mfa', { code, trustDevice: opts.trustDevice ?? false });
      if (mfa.status !== 200) throw new Error(`mfa of ${email} failed: ${mfa.status} ${JSON.stringify(mfa.body)}`);
      return c;
    },
    async createUser(tenantId, name, email, roles, password = PASSWORD) {
      return (await tenants.createUser(tenantId, name, email, roles, password)).id;
    },
    async createSuperuser(email) {
      const secret = authenticator.generateSecret(20);
      const { id } = await tenants.createSuperuser('Support ' + email.split('@')[0], email, SUPERUSER_PASSWORD, secret);
      return { id, secret };
    },
    async signInTotp(email, secret, password = SUPERUSER_PASSWORD) {
      const c = await h.client();
      const login = await c.post('/api/auth/login', { email, password });
      if (login.status !== 200 || login.body.method !== 'totp')
        throw new Error(`totp login of ${email} failed: ${login.status} ${JSON.stringify(login.body)}`);
      clock.advance(30_000);
      const mfa = await c.post('/api/auth/mfa', { code: totpNow(h, secret) });
      if (mfa.status !== 200) throw new Error(`totp of ${email} failed: ${mfa.status} ${JSON.stringify(mfa.body)}`);
      return c;
    },
    async close() {
      const queues = [app.get<Queue>(getQueueToken(QUEUES.mail)), app.get<Queue>(getQueueToken(QUEUES.media))];
      // the worker's queues all at once: Bull gives each consumer's blocked Redis connection half
      // a second to quit, and Nest would close the queues one after another (a second per file)
      const consuming = Object.values(QUEUES).flatMap((name) => {
        try {
          return [worker.get<Queue>(getQueueToken(name), { strict: false })];
        } catch {
          return [];
        }
      });
      await Promise.all(consuming.map((q) => q.close().catch(() => undefined)));
      await worker.close();
      await app.close();
      for (const queue of queues) {
        await queue.obliterate({ force: true }).catch(() => undefined);
        await queue.close().catch(() => undefined);
      }
      await mailbox.stop();
      await database.drop();
      await rm(files, { recursive: true, force: true });
      await rm(keys, { recursive: true, force: true });
    },
  };
  return h;
}

/** Current TOTP code for a known secret, on the harness's clock. */
export function totpNow(h: Harness, secret: string): string {
  return h.app.get(MfaService).currentTotp(secret);
}

/** Two tenants with one user per role each, plus a superuser: the world of the access tests. */
export async function seedTwoTenants(h: Harness) {
  const world: Record<
    string,
    {
      tenantId: string;
      ids: Record<'admin' | 'coach' | 'developer' | 'participant' | 'participant2', string>;
      emails: Record<string, string>;
    }
  > = {};
  for (const slug of ['a', 'b']) {
    const { tenantId, admin } = await h.tenants.createTenant({
      name: `Tenant ${slug.toUpperCase()}`,
      slug: `tenant-${slug}`,
      admin: { name: `Admin ${slug}`, email: `admin@${slug}.test`, password: PASSWORD },
    });
    const coach = await h.createUser(tenantId, `Coach ${slug}`, `coach@${slug}.test`, ['coach']);
    const developer = await h.createUser(tenantId, `Developer ${slug}`, `developer@${slug}.test`, [
      'content_developer',
    ]);
    const participant = await h.createUser(tenantId, `Participant ${slug}`, `participant@${slug}.test`, [
      'participant',
    ]);
    const participant2 = await h.createUser(tenantId, `Second Participant ${slug}`, `participant2@${slug}.test`, [
      'participant',
    ]);
    world[slug] = {
      tenantId,
      ids: { admin: admin.id, coach, developer, participant, participant2 },
      emails: {
        admin: `admin@${slug}.test`,
        coach: `coach@${slug}.test`,
        developer: `developer@${slug}.test`,
        participant: `participant@${slug}.test`,
        participant2: `participant2@${slug}.test`,
      },
    };
  }
  return world as { a: (typeof world)['a']; b: (typeof world)['b'] };
}
