import { execFile } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../../..');

/** ESLint's verdict on `source` as if it were the workspace's `file`: its exit code and report. */
export function lintSource(file: string, source: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      join(ROOT, 'node_modules/.bin/eslint'),
      ['--stdin', '--stdin-filename', file],
      { cwd: ROOT },
      (err, stdout) => resolve({ code: err ? Number(err.code ?? 1) : 0, out: stdout }),
    );
    child.stdin?.end(source);
  });
}
