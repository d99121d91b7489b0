/**
 * What the scale benchmarks share: an organisation generated into a database of its own (or one
 * kept by an earlier run), the API and the worker started against it, and people signed in
 * through the API as a browser would (password, then the e-mailed code). `npm run bench:scale`
 * measures the API's endpoints with it; `npm run bench:pages` opens the web app's pages.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { migrate } from '@rehearse/migrations';
import { authenticator } from 'otplib';
import { loadConfig, SecretBox } from '@rehearse/server/core';
import {
  generateScaleData,
  generateOperatorRecords,
  generateSupportStaff,
  Mailbox,
  PASSWORD,
  ScaleSizes,
  ScaleSuperuser,
  ScaleWorld,
  generateAccountActivity,
  scaleWorldOf,
} from '@rehearse/server/testing';

export const root = join(__dirname, '..', '..', '..');

/** A signed-in session's cookies (as one Cookie header) and its CSRF token. */
export interface Session {
  cookie: string;
  xsrf: string;
}

/** A TypeScript entry point of this repository in a Node process of its own. */
export function start(
  entry: string,
  env: NodeJS.ProcessEnv,
  args: string[] = [],
  nodeArgs: string[] = [],
): ChildProcess {
  return spawn(process.execPath, [...nodeArgs, join(root, 'tools/scripts/ts-run.cjs'), join(root, entry), ...args], {
    cwd: root,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** Polls `check` every 250 ms until it holds; fails after `ms` with `what` (and `detail()`). */
export async function until(
  check: () => Promise<boolean>,
  ms: number,
  what: string,
  detail?: () => string,
): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check().catch(() => false))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${detail ? ` (${detail()})` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Signs `email` in through the API (password, then the e-mailed code, or a superuser's authenticator code): the session's cookies. */
export async function signIn(base: string, mailbox: Mailbox, email: string, totpSecret?: string): Promise<Session> {
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      jar.set(pair.slice(0, i), pair.slice(i + 1));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const xsrf = () => decodeURIComponent(jar.get('XSRF-TOKEN') ?? '');
  // each body is read to its end before the next request: the session is stored before the
  // response's last byte (express-session), so acting on the headers alone would race it
  const csrf = await fetch(`${base}/api/auth/csrf`);
  await csrf.arrayBuffer();
  keep(csrf);
  const post = async (path: string, body: unknown) => {
    const res = await fetch(base + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: cookie(), 'x-xsrf-token': xsrf() },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    keep(res);
    return { status: res.status, text };
  };
  const before = mailbox.messages.length;
  const login = await post('/api/auth/login', { email, password: PASSWORD });
  if (login.status !== 200) throw new Error(`sign-in of ${email} failed: ${login.status} ${login.text}`);
  // a superuser: the authenticator app's code; anyone else: the e-mailed one
  const code = totpSecret
    ? authenticator.generate(totpSecret)
    : (/(\d{6})/.exec((await mailbox.waitFor(email, /sign-in code/, 30_000, before)).subject)?.[1] ?? '');
  const mfa = await post('/api/auth/mfa', { code });
  if (mfa.status !== 200) throw new Error(`code of ${email} failed: ${mfa.status} ${mfa.text}`);
  return { cookie: cookie(), xsrf: xsrf() };
}

/** An organisation's database with the API and the worker running against it. */
export interface ScaleSystem {
  base: string;
  port: number;
  /** the API's environment (another API process against the same database starts with it) */
  env: NodeJS.ProcessEnv;
  api: ChildProcess;
  mailbox: Mailbox;
  /** the database's owner, for picking the people and ids a run names */
  db: Client;
  world: ScaleWorld;
  /** the operator's support staff (superusers signing in with an authenticator app) */
  superusers: ScaleSuperuser[];
  /** processes started beside the API that stop() ends too */
  procs: ChildProcess[];
  stop(): Promise<void>;
}

export interface ScaleSystemOptions {
  /** a database kept by an earlier run (--keep): used as it is, and kept */
  reuse?: string;
  keep?: boolean;
  /** the built web app the API serves (dist/apps/web/browser), for the pages benchmark */
  webDist?: string;
  /** node options for the API process (a CPU profile) */
  apiNodeArgs?: string[];
}

/**
 * Generates (or reuses) an organisation of `sizes` in a database of its own, migrates it, and
 * starts the API (serving `webDist` when given) and the worker against it. stop() ends them and
 * drops the database unless it is kept.
 */
export async function startScaleSystem(
  label: string,
  sizes: ScaleSizes,
  options: ScaleSystemOptions = {},
): Promise<ScaleSystem> {
  const ownerUrl = process.env['TEST_DATABASE_ADMIN_URL'];
  const appUrl = process.env['TEST_DATABASE_APP_URL'];
  if (!ownerUrl || !appUrl)
    throw new Error(
      'run tools/scripts/ensure-system.sh (as root) first: the bench uses the local owner and application roles',
    );
  const reuse = options.reuse;
  const keep = Boolean(reuse) || Boolean(options.keep);
  const name = reuse ?? `rehearse_scale_${label}_${randomBytes(3).toString('hex')}`;
  if (!reuse) {
    const admin = new Client({ connectionString: ownerUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
  }
  const url = (u: string) => Object.assign(new URL(u), { pathname: `/${name}` }).toString();
  const dir = await mkdtemp(join(tmpdir(), 'rehearse-scale-'));
  const mailbox = new Mailbox();
  const procs: ChildProcess[] = [];
  const db = new Client({ connectionString: url(ownerUrl) });
  db.on('error', () => undefined);
  const stop = async () => {
    await db.end().catch(() => undefined);
    // each process ended before the database is dropped (a connection of the application's role
    // still open refuses DROP DATABASE … WITH (FORCE) to the owner): 15 s to stop, then killed
    await Promise.all(
      procs.map(async (p) => {
        if (p.exitCode !== null || p.signalCode !== null) return;
        const ended = new Promise((r) => p.once('exit', r));
        p.kill('SIGTERM');
        const timer = setTimeout(() => p.kill('SIGKILL'), 15_000);
        await ended;
        clearTimeout(timer);
      }),
    );
    await mailbox.stop();
    if (!keep) {
      const c = new Client({ connectionString: ownerUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    } else console.log(`kept database ${name}`);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await migrate(url(ownerUrl), { runtimeRole: decodeURIComponent(new URL(appUrl).username) });
    await db.connect();
    const world: ScaleWorld = reuse
      ? await scaleWorldOf(db)
      : await (async () => {
          console.log(
            `${label}: generating ${sizes.participants + sizes.coaches + 2 * sizes.staff} people, ${sizes.answers} answers, ${sizes.reviews} reviews, ${sizes.privacyLog} privacy-log rows …`,
          );
          const t0 = Date.now();
          const generated = await generateScaleData(db, sizes, (m) => console.log(m));
          console.log(`${label}: generated in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
          return generated;
        })();
    if (reuse) {
      console.log(`${label}: reusing database ${name} (the organisation of ${world.admin.split('@')[1]})`);
      if (await generateAccountActivity(db, world.tenantId))
        console.log(`${label}: generated the account activity it was kept without`);
    }
    const smtpPort = await mailbox.start();
    const port = 3400 + Math.floor(Math.random() * 500);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'development',
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: url(appUrl),
      DATABASE_OWNER_URL: url(ownerUrl),
      QUEUE_PREFIX: `rehearse-scale-${randomBytes(3).toString('hex')}`,
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      LOG_LEVEL: 'error',
      METRICS_PORT: '0',
      WORKER_HTTP_PORT: '0',
      MEDIA_CONCURRENCY: '0',
      BACKUP_ENABLED: 'false',
      // the coaches' morning e-mail would compose 200 mails in the first seconds of a measurement
      COACH_DIGEST_HOUR: 'off',
      // and the trainees' reminders of courses due soon, thousands at 10,000 people
      COURSE_DUE_REMINDER_DAYS: '0',
      // and the nightly check of the privacy logs, a million entries read
      PRIVACY_LOG_CHECK_HOUR_UTC: 'off',
      OPENAPI_ENABLED: 'false',
      STORAGE_DIR: join(dir, 'objects'),
      WORK_DIR: join(dir, 'work'),
      UPLOAD_DIR: join(dir, 'uploads'),
      KEY_VAULT_DIR: join(dir, 'keys', 'vault'),
      LOGIN_MAX_FAILURES_PER_ADDRESS: '100000',
      ...(options.webDist ? { WEB_DIST_DIR: options.webDist } : {}),
    };
    // the operator's support staff, their authenticator secrets sealed as the API seals them
    const box = new SecretBox(loadConfig(env).APP_SECRET);
    const superusers = await generateSupportStaff(db, sizes, 20, (secret, id) => box.seal(secret, `totp:${id}`));
    // the operator's other organisations and the reports of those destroyed
    await generateOperatorRecords(db, sizes);
    const api = start('apps/api/src/main.ts', env, [], options.apiNodeArgs ?? []);
    procs.push(api, start('apps/worker/src/main.ts', env));
    const base = `http://127.0.0.1:${port}`;
    // on a timeout, say what the API last answered and whether it is still running
    let lastAnswer = 'no answer yet';
    await until(
      async () => {
        const res = await fetch(`${base}/api/health`).catch((e: Error) => {
          lastAnswer = `${e.message}: ${String((e as { cause?: unknown }).cause ?? '')}`;
          throw e;
        });
        lastAnswer = `${res.status} ${(await res.text()).slice(0, 300)}`;
        return res.ok;
      },
      120_000,
      'the API',
      () =>
        `last answer: ${lastAnswer}; API process ${api.exitCode === null && api.signalCode === null ? 'running' : `ended (${api.exitCode ?? api.signalCode})`}`,
    );
    return { base, port, env, api, mailbox, db, world, superusers, procs, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** The scale benchmarks' arguments: --sizes=small,large, --keep, --reuse-large=<database>, --only=<regexp>. */
export function scaleArgs(args: string[]): { sizes: string[]; keep: boolean; reuseLarge?: string; only?: RegExp } {
  const value = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const only = value('only');
  return {
    sizes: value('sizes')?.split(',') ?? ['small', 'large'],
    keep: args.includes('--keep'),
    // a large organisation kept by an earlier --keep run, measured again
    reuseLarge: value('reuse-large'),
    // only the endpoints or pages whose names match (while tuning one)
    only: only ? new RegExp(only, 'i') : undefined,
  };
}

/** Prints a Markdown table (as the README's benchmark figures are written). */
export function printTable(header: string[], rows: string[][]): void {
  console.log(`\n| ${header.join(' | ')} |`);
  console.log(`|${' --- |'.repeat(header.length)}`);
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
}

/** One row per name measured at both sizes, made by `row` from the two results. */
export function sideBySide<T>(
  names: string[],
  small: Map<string, T>,
  large: Map<string, T>,
  row: (name: string, s: T, l: T) => string[],
): string[][] {
  return names.flatMap((name) => {
    const s = small.get(name);
    const l = large.get(name);
    return s && l ? [row(name, s, l)] : [];
  });
}
