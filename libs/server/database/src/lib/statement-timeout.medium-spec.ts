/**
 * The API's limit on one statement (API_STATEMENT_TIMEOUT_SECONDS) on real PostgreSQL: a statement
 * that runs past it is ended by PostgreSQL and answered 503; the worker's connections have none.
 * Across a network gone silent (PostgreSQL cannot answer at all) the connection is given up.
 */
import { DataSource } from 'typeorm';
import { Client, Pool } from 'pg';
import { isServiceUnavailable } from '@rehearse/server/core';
import { freezableProxy } from '@rehearse/server/testing';
import { connectionKeeping, dataSourceOptions } from './data-source-options';
import { createTestDatabase, type TestDatabase } from './test-database';

describe('the API’s statement timeout (medium tier)', () => {
  let database: TestDatabase;
  let api: DataSource;
  let worker: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    api = new DataSource(dataSourceOptions(database.url, [], false, 1, 300));
    worker = new DataSource(dataSourceOptions(database.url, [], false, 1));
    await Promise.all([api.initialize(), worker.initialize()]);
  });
  afterAll(async () => {
    await Promise.all([api?.destroy(), worker?.destroy()]);
    await database?.drop();
  });

  it('ends a statement that runs past the limit (a 503), and leaves the connection usable; the worker’s run on', async () => {
    const e = await api.query(`SELECT pg_sleep(1)`).then(
      () => null,
      (x: unknown) => x,
    );
    expect(e).toMatchObject({ code: '57014' });
    expect(isServiceUnavailable(e)).toBe(true);
    // the pool's one connection answers the next statement
    expect(await api.query(`SELECT current_setting('statement_timeout') AS limit`)).toEqual([{ limit: '300ms' }]);
    // and the session's other settings are kept beside it
    expect(await api.query(`SELECT current_setting('jit') AS jit`)).toEqual([{ jit: 'off' }]);
    await expect(worker.query(`SELECT pg_sleep(0.5), current_setting('statement_timeout') AS limit`)).resolves.toEqual([
      { pg_sleep: '', limit: '0' },
    ]);
  });

  it('gives every connection of the pools a listener of its own: an error nobody else listens for (PostgreSQL ending a session as the pool hands it over) does not end the process', () => {
    for (const options of [dataSourceOptions(database.url, [], false, 1, 300), dataSourceOptions(database.url)]) {
      const PoolClient = (options.extra as { Client: typeof Client }).Client;
      const client = new PoolClient({ connectionString: database.url });
      expect(() =>
        client.emit('error', new Error('terminating connection due to administrator command')),
      ).not.toThrow();
    }
    const sessions = new (connectionKeeping(300).Client)({ connectionString: database.url });
    expect(() => sessions.emit('error', new Error('terminating connection'))).not.toThrow();
    // (an event emitter throws an error nobody listens for: pg's own client would have ended the process)
    expect(() => new Client({ connectionString: database.url }).emit('error', new Error('unheard'))).toThrow('unheard');
  });

  describe('a network to PostgreSQL that falls silent (packets dropped, the connection left open)', () => {
    let proxy: Awaited<ReturnType<typeof freezableProxy>>;
    beforeEach(async () => {
      proxy = await freezableProxy(database.url);
    });
    afterEach(async () => {
      await proxy.close();
    });
    const refusal = (p: Promise<unknown>) =>
      p.then(
        () => null,
        (x: unknown) => x,
      );

    // (without the deadline each statement waited on TCP, about 15 minutes: the test's own time limit fails it)
    it('fails a statement past the limit as unavailable (a 503), drops the connection, and opens a fresh one once the network is back', async () => {
      const db = new DataSource(dataSourceOptions(proxy.url, [], false, 2, 200));
      await db.initialize();
      try {
        // both of the pool's connections open (a new one could not be opened while the network is silent)
        expect(await Promise.all([0, 1].map((n) => db.query(`SELECT pg_sleep(0.05), $1::int AS n`, [n])))).toEqual([
          [{ pg_sleep: '', n: 0 }],
          [{ pg_sleep: '', n: 1 }],
        ]);
        expect(proxy.connections()).toBe(2);
        proxy.freeze();
        expect(isServiceUnavailable(await refusal(db.query(`SELECT 2 AS two`)))).toBe(true);
        // a transaction's statement too, and the transaction is no longer held
        expect(isServiceUnavailable(await refusal(db.transaction((m) => m.query(`SELECT 3 AS three`))))).toBe(true);
        proxy.thaw();
        // both connections were given up: the next statement runs on a new one
        expect(await db.query(`SELECT 4 AS four`)).toEqual([{ four: 4 }]);
        expect(proxy.connections()).toBe(3);
      } finally {
        await db.destroy();
      }
    }, 20_000);

    it('does the same for a plain pg pool with the same options (the session store’s), whose queries take callbacks', async () => {
      const pool = new Pool({ connectionString: proxy.url, max: 1, ...connectionKeeping(200) });
      pool.on('error', () => undefined);
      try {
        expect((await pool.query(`SELECT 1 AS one`)).rows).toEqual([{ one: 1 }]);
        proxy.freeze();
        expect(isServiceUnavailable(await refusal(pool.query(`SELECT 2 AS two`)))).toBe(true);
        proxy.thaw();
        expect((await pool.query({ name: 'again', text: `SELECT 3 AS three`, values: [] })).rows).toEqual([
          { three: 3 },
        ]);
        expect(proxy.connections()).toBe(2);
      } finally {
        await pool.end();
      }
    }, 20_000);

    it('leaves the worker’s connections (no limit) waiting: a long statement is not a dead network', async () => {
      const db = new DataSource(dataSourceOptions(proxy.url, [], false, 1));
      await db.initialize();
      try {
        await expect(db.query(`SELECT pg_sleep(0.6), 5 AS five`)).resolves.toEqual([{ pg_sleep: '', five: 5 }]);
        expect(proxy.connections()).toBe(1);
      } finally {
        await db.destroy();
      }
    });
  });
});

/**
 * DATABASE_IDLE_IN_TRANSACTION_SECONDS on real PostgreSQL: a transaction left waiting between its
 * statements (code that awaited something else while holding it) is ended by PostgreSQL, what it
 * locked is free again, and the pool carries on with a fresh connection.
 */
describe('a transaction left waiting between its statements (medium tier)', () => {
  let database: TestDatabase;
  let other: Pool;

  beforeAll(async () => {
    database = await createTestDatabase();
    other = new Pool({ connectionString: database.url, max: 1 });
  });
  afterAll(async () => {
    await other?.end();
    await database?.drop();
  });

  const LOCK = 4711;
  /** whether another connection can take the lock the transaction took (false: still held) */
  const lockFree = async () => {
    const { rows } = await other.query<{ free: boolean }>(`SELECT pg_try_advisory_lock($1) AS free`, [LOCK]);
    if (rows[0].free) await other.query(`SELECT pg_advisory_unlock($1)`, [LOCK]);
    return rows[0].free;
  };
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('is ended by PostgreSQL after the limit: its lock is freed, its next statement fails as unavailable (a 503), the pool goes on', async () => {
    const db = new DataSource(dataSourceOptions(database.url, [], false, 1, 0, 300));
    await db.initialize();
    try {
      expect(await db.query(`SELECT current_setting('idle_in_transaction_session_timeout') AS limit`)).toEqual([
        { limit: '300ms' },
      ]);
      const outcome = db
        .transaction(async (m) => {
          await m.query(`SELECT pg_advisory_xact_lock($1)`, [LOCK]);
          await pause(1_000);
          return m.query(`SELECT 1 AS one`);
        })
        .then(
          () => null,
          (e: unknown) => e,
        );
      await pause(100);
      // held while the transaction is open and within its limit …
      expect(await lockFree()).toBe(false);
      await pause(600);
      // … and freed once PostgreSQL has ended the session, before the transaction's code went on
      expect(await lockFree()).toBe(true);
      const e = await outcome;
      expect(e).not.toBeNull();
      expect(isServiceUnavailable(e)).toBe(true);
      // the pool's one connection was replaced: the next statement runs
      expect(await db.query(`SELECT 2 AS two`)).toEqual([{ two: 2 }]);
      // a transaction whose statements follow each other is untouched by the limit
      await expect(
        db.transaction(async (m) => {
          await m.query(`SELECT pg_advisory_xact_lock($1)`, [LOCK]);
          await pause(100);
          return m.query(`SELECT 3 AS three`);
        }),
      ).resolves.toEqual([{ three: 3 }]);
    } finally {
      await db.destroy();
    }
  });

  it('a transaction whose connection PostgreSQL ends between its statements or before its commit (as a restart ends every session) fails as unavailable (a 503), not as an internal error', async () => {
    const db = new DataSource(dataSourceOptions(database.url, [], false, 1));
    await db.initialize();
    try {
      const e = await db
        .transaction(async (m) => {
          const [{ pid }] = (await m.query(`SELECT pg_backend_pid() AS pid`)) as { pid: number }[];
          await other.query(`SELECT pg_terminate_backend($1)`, [pid]);
          await pause(200);
          return m.query(`SELECT 1 AS one`);
        })
        .then(
          () => null,
          (x: unknown) => x,
        );
      expect(e).not.toBeNull();
      expect(isServiceUnavailable(e)).toBe(true);
      expect(await db.query(`SELECT 2 AS two`)).toEqual([{ two: 2 }]);
      // ended after its last statement, before its commit (which TypeORM then refuses): a 503 too
      const atCommit = await db
        .transaction(async (m) => {
          const [{ pid }] = (await m.query(`SELECT pg_backend_pid() AS pid`)) as { pid: number }[];
          await other.query(`SELECT pg_terminate_backend($1)`, [pid]);
          await pause(200);
          return 'done';
        })
        .then(
          () => null,
          (x: unknown) => x,
        );
      expect(atCommit).not.toBeNull();
      expect(isServiceUnavailable(atCommit)).toBe(true);
      expect(await db.query(`SELECT 3 AS three`)).toEqual([{ three: 3 }]);
    } finally {
      await db.destroy();
    }
  });

  it('without a limit (0) the transaction waits as long as its code does', async () => {
    const db = new DataSource(dataSourceOptions(database.url, [], false, 1, 0, 0));
    await db.initialize();
    try {
      const done = db.transaction(async (m) => {
        await m.query(`SELECT pg_advisory_xact_lock($1)`, [LOCK]);
        await pause(700);
        return m.query(`SELECT 4 AS four`);
      });
      await pause(500);
      expect(await lockFree()).toBe(false);
      await expect(done).resolves.toEqual([{ four: 4 }]);
      expect(await lockFree()).toBe(true);
    } finally {
      await db.destroy();
    }
  });
});
