import { ChildProcess, spawn, StdioOptions } from 'node:child_process';
import { join } from 'node:path';
import { testSettings, type Harness } from './harness';
import { testSpeechEnv } from './speech-engine';

/** The repository's root (for starting the apps from source). */
export const ROOT = join(__dirname, '../../../..');

/** Waits until `check` answers true (a rejection counts as not yet). */
export async function eventually(
  check: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
  everyMs = 100,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** The environment of an app process that shares the harness's database, queues, storage and mail. */
export function sharedEnv(h: Harness, secret: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'test',
    APP_SECRET: secret,
    DATABASE_URL: h.config.DATABASE_URL,
    REDIS_URL: h.config.REDIS_URL,
    QUEUE_PREFIX: h.config.QUEUE_PREFIX,
    STORAGE_DIR: h.config.STORAGE_DIR,
    UPLOAD_DIR: h.config.UPLOAD_DIR,
    KEY_VAULT_DIR: h.config.KEY_VAULT_DIR,
    WORK_DIR: h.config.WORK_DIR,
    BACKUP_DIR: h.config.BACKUP_DIR,
    SMTP_URL: h.config.SMTP_URL,
    ...testSpeechEnv(),
    WORKER_HTTP_PORT: '0',
    METRICS_PORT: '0',
    LOG_LEVEL: 'warn',
    ...testSettings(),
    ...extra,
  };
}

/** An app (apps/<name>/src/main.ts) as a process of its own, from source. */
export function startApp(
  name: 'api' | 'worker',
  env: NodeJS.ProcessEnv,
  stdio: StdioOptions = ['ignore', 'ignore', 'inherit'],
): ChildProcess {
  return spawn(process.execPath, [join(ROOT, 'tools/scripts/ts-run.cjs'), join(ROOT, `apps/${name}/src/main.ts`)], {
    env,
    cwd: ROOT,
    stdio,
  });
}

/** Ends a process and waits for it (SIGKILL: no chance to clean up, as in a crash). */
export async function stopProcess(
  p: ChildProcess | null | undefined,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<void> {
  if (!p || p.exitCode !== null || p.signalCode !== null) return;
  const exited = new Promise((r) => p.once('exit', r));
  p.kill(signal);
  await exited;
}
