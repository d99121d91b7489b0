/**
 * The API's limit on one statement (API_STATEMENT_TIMEOUT_SECONDS) on real PostgreSQL: a statement
 * that runs past it is ended by PostgreSQL and answered 503; the worker's connections have none.
 */
import { DataSource } from 'typeorm';
import { isServiceUnavailable } from '@rehearse/server/core';
import { dataSourceOptions } from './data-source-options';
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
});
