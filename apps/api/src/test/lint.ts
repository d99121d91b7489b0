import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../../..');

type Verdict = { code: number; out: string };
let server: ChildProcess | undefined;
let asked = 0;
const waiting = new Map<number, (v: Verdict) => void>();

function lintServer(): ChildProcess {
  if (server) return server;
  const child = fork(join(__dirname, 'lint-server.cjs'), [ROOT], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  child.on('message', ({ id, code, out }: Verdict & { id: number }) => {
    waiting.get(id)?.({ code, out });
    waiting.delete(id);
  });
  child.on('exit', (code) => {
    for (const done of waiting.values()) done({ code: code ?? 2, out: 'the lint server ended' });
    waiting.clear();
    if (server === child) server = undefined;
  });
  return (server = child);
}

/**
 * ESLint's verdict on `source` as if it were the workspace's `file`: the exit code `eslint --stdin
 * --stdin-filename <file>` gives (1 when a rule reports an error) and its report. One ESLint with the
 * workspace's configuration serves a test file's calls (`stopLinting` after them).
 */
export function lintSource(file: string, source: string): Promise<Verdict> {
  return new Promise((resolve) => {
    const id = ++asked;
    waiting.set(id, resolve);
    lintServer().send({ id, file, source });
  });
}

/** Ends the ESLint process `lintSource` started (a test file's afterAll). */
export async function stopLinting(): Promise<void> {
  const child = server;
  if (!child) return;
  server = undefined;
  await new Promise<void>((done) => {
    child.once('exit', () => done());
    child.kill();
  });
}
