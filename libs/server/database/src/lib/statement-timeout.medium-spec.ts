/**
 * The API's limit on one statement (API_STATEMENT_TIMEOUT_SECONDS) on real PostgreSQL: a statement
 * that runs past it is ended by PostgreSQL and answered 503; the worker's connections have none.
 * Across a network gone silent (PostgreSQL cannot answer at all) the connection is given up.
 */
import { DataSource } from 'typeorm';
import { Pool } from 'pg';
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
