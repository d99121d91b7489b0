import { ChildProcess, execFile, spawn } from 'node:child_process';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { freePort } from './browser';
import { eventually as until } from './processes';

/**
 * PostgreSQL and Redis of a test's own, as real processes it may stop, kill and start again
 * without disturbing the shared services every other test file uses.
 */

const run = promisify(execFile);
const PG_BIN = process.env['PG_BIN'] ?? '/usr/lib/postgresql/15/bin';

export interface OwnRedis {
  url: string;
  /** SIGKILL: whatever was in memory is gone */
  kill(): Promise<void>;
  /** a new, empty Redis on the same port */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'rehearse-redis-'));
  let proc: ChildProcess | null = null;
  const ping = () =>
    new Promise<boolean>((resolve) => {
      execFile('redis-cli', ['-p', String(port), 'ping'], (err, out) => resolve(!err && out.trim() === 'PONG'));
    });
  const start = async () => {
    // no persistence: a restart is a Redis that lost its data
    proc = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dir,
        '--maxmemory-policy',
        'noeviction',
      ],
      { stdio: 'ignore' },
    );
    await until(ping, 10_000, 'Redis to start');
  };
  const kill = async () => {
    const p = proc;
    proc = null;
    if (!p || p.exitCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}/0`,
    kill,
    start,
    async stop() {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface OwnPostgres {
  /** the cluster's superuser (owner of the schema in these tests) and the application's role */
  ownerUrl(db: string): string;
  appUrl(db: string): string;
  /** a fast shutdown (connections are terminated, as in a restart) */
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

/**
 * A PostgreSQL cluster of the test's own (initdb into a temporary folder, trust on 127.0.0.1 and a
 * random port). PostgreSQL refuses to run as root: as root it runs as the postgres user.
 */
export async function startOwnPostgres(): Promise<OwnPostgres> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'rehearse-pg-'));
  const asRoot = userInfo().uid === 0;
  const data = join(dir, 'data');
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const pg = (bin: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(PG_BIN, bin), ...args]) : run(join(PG_BIN, bin), args);
  await pg('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C.UTF-8']);
  const start = async () => {
    await pg('pg_ctl', [
      '-D',
      data,
      '-l',
      join(dir, 'log'),
      '-w',
      '-t',
      '30',
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`,
      'start',
    ]);
  };
  const stop = async () => {
    await pg('pg_ctl', ['-D', data, '-w', '-t', '30', '-m', 'fast', 'stop']);
  };
  await start();
  const url = (user: string, db: string) => `postgres://${user}@127.0.0.1:${port}/${db}`;
  const c = new Client({ connectionString: url('postgres', 'postgres') });
  await c.connect();
  await c.query(`CREATE ROLE rehearse_app LOGIN`);
  await c.end();
  return {
    ownerUrl: (db) => url('postgres', db),
    appUrl: (db) => url('rehearse_app', db),
    stop,
    start,
    async destroy() {
      await stop().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
