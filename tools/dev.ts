/**
 * The development run behind `npm start`: a local mail server (SMTP on 2525, messages at
 * http://localhost:3025 and as .eml files in var/mail), the API serving the built web app on
 * http://localhost:3000, and the worker. Ctrl-C stops everything.
 */
import { spawn, ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Mailbox } from '@rehearse/server/testing';

const root = join(__dirname, '..');
const children: ChildProcess[] = [];

function run(name: string, entry: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, [join(root, 'tools/scripts/ts-run.cjs'), join(root, entry)], {
    cwd: root,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`[dev] ${name} exited (${code ?? signal}); stopping`);
      void stop(1);
    }
  });
  children.push(child);
  return child;
}

let stopping = false;
let mailbox: Mailbox | undefined;
async function stop(code = 0): Promise<void> {
  stopping = true;
  for (const c of children) c.kill('SIGTERM');
  await mailbox?.stop();
  setTimeout(() => process.exit(code), 500).unref();
}

async function main(): Promise<void> {
  const smtpPort = Number(process.env['DEV_SMTP_PORT'] ?? 2525);
  const mailWebPort = Number(process.env['DEV_MAIL_WEB_PORT'] ?? 3025);
  mailbox = new Mailbox(join(root, 'var/mail'));
  await mailbox.start(smtpPort);
  await mailbox.serveWeb(mailWebPort);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SMTP_URL: process.env['SMTP_URL'] ?? `smtp://127.0.0.1:${smtpPort}`,
    WEB_DIST_DIR: process.env['WEB_DIST_DIR'] ?? join(root, 'dist/apps/web/browser'),
  };
  run('api', 'apps/api/src/main.ts', env);
  run('worker', 'apps/worker/src/main.ts', env);
  console.log(`\n[dev] Rehearse:        http://localhost:${env['PORT'] ?? 3000}`);
  console.log(`[dev] API docs:        http://localhost:${env['PORT'] ?? 3000}/api/docs`);
  console.log(`[dev] Received mail:   http://localhost:${mailWebPort} (also var/mail/*.eml)\n`);
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((e: unknown) => {
  console.error(e);
  void stop(1);
});
