import { execFileSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  existsSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

/**
 * tools/scripts/ensure-deps.sh on a small project whose dependencies are local tarballs (npm
 * installs them without the registry): the first checkout installs and links its tree into the
 * machine's store; another checkout of the same manifests links that tree; a checkout whose
 * manifests change removes its linked tree instead of installing over the store's files.
 */
const SCRIPT = join(__dirname, '../../../../../tools/scripts/ensure-deps.sh');

let root: string;
let store: string;

function run(dir: string, env: Record<string, string> = {}): string {
  return execFileSync('bash', [SCRIPT], {
    cwd: dir,
    env: { ...process.env, REHEARSE_DEPS_CACHE: store, npm_config_cache: join(root, 'npm-cache'), ...env },
    encoding: 'utf8',
  });
}

/**
 * A package as a tarball in `dir` (npm installs it without the registry), laid out as `npm pack`
 * writes one (a `package/` folder) and as reproducibly (fixed times and owners, no gzip name), so
 * the same package is the same bytes in every checkout; tar itself, as starting npm twice per
 * checkout took most of this file's time.
 */
function tarball(dir: string, name: string, version: string): void {
  const staging = join(dir, `${name}-src`);
  const pkg = join(staging, 'package');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name, version }));
  writeFileSync(join(pkg, 'index.js'), `module.exports = '${version}';\n`);
  const tar = execFileSync('tar', [
    '--sort=name',
    '--mtime=@499162500',
    '--owner=0',
    '--group=0',
    '--numeric-owner',
    '-cf',
    '-',
    '-C',
    staging,
    'package',
  ]);
  writeFileSync(join(dir, `${name}-${version}.tgz`), gzipSync(tar));
  rmSync(staging, { recursive: true });
}

/** A checkout: package.json and its lockfile, depending on dep@`version` and keep@1.0.0 (tarballs beside it). */
function checkout(name: string, version = '1.0.0'): string {
  const dir = join(root, name);
  mkdirSync(dir);
  tarball(dir, 'dep', version);
  tarball(dir, 'keep', '1.0.0');
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({
      name: 'project',
      version: '1.0.0',
      dependencies: { dep: `file:dep-${version}.tgz`, keep: 'file:keep-1.0.0.tgz' },
    }),
  );
  execFileSync('npm', ['install', '--package-lock-only', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: dir,
    env: { ...process.env, npm_config_cache: join(root, 'npm-cache') },
  });
  return dir;
}

const inode = (file: string) => statSync(file).ino;
const stored = () => readdirSync(store).filter((n) => !n.startsWith('.'));

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'ensure-deps-'));
  store = join(root, 'store');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

it('installs once per machine: a second checkout of the same lockfile links the first install, and a current tree is left alone', () => {
  const a = checkout('a');
  expect(run(a)).toContain('npm install');
  expect(readFileSync(join(a, 'node_modules/dep/index.js'), 'utf8')).toContain('1.0.0');
  expect(stored()).toHaveLength(1);
  const kept = join(store, stored()[0]);
  // the first checkout's tree is linked into the store, as the next ones will be linked from it
  expect(inode(join(a, 'node_modules/dep/index.js'))).toBe(inode(join(kept, 'dep/index.js')));
  expect(inode(join(a, 'node_modules/.package-lock.json'))).not.toBe(inode(join(kept, '.package-lock.json')));
  expect(existsSync(join(a, 'node_modules/.rehearse-linked'))).toBe(true);

  const b = checkout('b');
  expect(run(b)).toContain('linking');
  expect(inode(join(b, 'node_modules/dep/index.js'))).toBe(inode(join(kept, 'dep/index.js')));
  // npm rewrites its own record in place: that one file is the checkout's own
  expect(inode(join(b, 'node_modules/.package-lock.json'))).not.toBe(inode(join(kept, '.package-lock.json')));
  expect(existsSync(join(b, 'node_modules/.rehearse-linked'))).toBe(true);
  expect(existsSync(join(kept, '.rehearse-linked'))).toBe(false);

  expect(run(a)).toBe('');
  expect(run(b)).toBe('');
});

it('removes a linked tree when the manifests change, so the store is never installed over; keeps the two newest installs', () => {
  const a = checkout('a');
  run(a);
  const b = checkout('b');
  run(b);
  const [first] = stored();

  // b moves on to dep 2.0.0
  const next = checkout('next', '2.0.0');
  for (const f of ['package.json', 'package-lock.json', 'dep-2.0.0.tgz'])
    writeFileSync(join(b, f), readFileSync(join(next, f)));
  const out = run(b);
  expect(out).toContain('removing node_modules linked');
  expect(out).toContain('npm install');
  expect(readFileSync(join(b, 'node_modules/dep/index.js'), 'utf8')).toContain('2.0.0');
  expect(readFileSync(join(store, first, 'dep/index.js'), 'utf8')).toContain('1.0.0');
  // not one file of b's new tree is the old install's, not even those of the package that stayed
  expect(inode(join(b, 'node_modules/keep/index.js'))).not.toBe(inode(join(store, first, 'keep/index.js')));
  expect(stored()).toHaveLength(2);

  // a third lockfile: the oldest install leaves the store
  const third = checkout('third', '3.0.0');
  run(third);
  expect(stored()).toHaveLength(2);
  expect(stored()).not.toContain(first);
});

it('installs as plain npm does with REHEARSE_DEPS_CACHE=off', () => {
  const a = checkout('a');
  expect(run(a, { REHEARSE_DEPS_CACHE: 'off' })).toContain('npm install');
  expect(readFileSync(join(a, 'node_modules/dep/index.js'), 'utf8')).toContain('1.0.0');
  expect(existsSync(store)).toBe(false);
  expect(existsSync(join(root, 'off'))).toBe(false);
});

it('installs all the same where the store cannot be written', () => {
  const a = checkout('a');
  // a store path under a plain file: no folder can be made there
  const blocked = join(root, 'a-file');
  writeFileSync(blocked, '');
  const out = execFileSync('bash', ['-c', `bash ${JSON.stringify(SCRIPT)} 2>&1`], {
    cwd: a,
    env: { ...process.env, REHEARSE_DEPS_CACHE: join(blocked, 'store'), npm_config_cache: join(root, 'npm-cache') },
    encoding: 'utf8',
  });
  expect(out).toContain('could not keep node_modules');
  expect(readFileSync(join(a, 'node_modules/dep/index.js'), 'utf8')).toContain('1.0.0');
  expect(existsSync(join(a, 'node_modules/.rehearse-linked'))).toBe(false);
  // and the tree counts as current
  expect(run(a)).toBe('');
});
