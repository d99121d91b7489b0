/**
 * withAdvisoryLock on real PostgreSQL: one holder at a time across connections, released when the
 * task ends (also when it fails), and a task that queries through the pool works even when the
 * pool holds a single connection (the lock does not take one of the pool's).
 */
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';
import { withAdvisoryLock } from './advisory-lock';
import { createTestDatabase, type TestDatabase } from './test-database';

describe('withAdvisoryLock (medium tier)', () => {
  let database: TestDatabase;
  let db: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    // one pooled connection: a lock held on it would leave the task none (the pool's 5 s timeout)
    db = new DataSource(dataSourceOptions(database.url, [], false, 1));
    await db.initialize();
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  const tenants = async () => ((await db.query(`SELECT count(*)::int AS n FROM tenants`)) as { n: number }[])[0].n;

  it('runs a task that queries through a pool of one connection', async () => {
    // (with the lock on the pool's one connection: "timeout exceeded when trying to connect")
    expect(await withAdvisoryLock(db, 'medium-lock-pool', tenants, -1)).toBe(0);
  });

  it('answers busy while another holds the lock, and runs once it is released', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const first = withAdvisoryLock(
      db,
      'medium-lock-busy',
      async () => {
        entered();
        await held;
        return 'first';
      },
      'busy',
    );
    await inside;
    expect(await withAdvisoryLock(db, 'medium-lock-busy', async () => 'second', 'busy')).toBe('busy');
    // another name is not held
    expect(await withAdvisoryLock(db, 'medium-lock-other', async () => 'other', 'busy')).toBe('other');
    release();
    expect(await first).toBe('first');
    expect(await withAdvisoryLock(db, 'medium-lock-busy', async () => 'third', 'busy')).toBe('third');
  });

  it('releases the lock when the task fails, and leaves no connection behind', async () => {
    await expect(
      withAdvisoryLock(
        db,
        'medium-lock-fail',
        async () => {
          throw new Error('task failed');
        },
        'busy',
      ),
    ).rejects.toThrow('task failed');
    expect(await withAdvisoryLock(db, 'medium-lock-fail', async () => 'after', 'busy')).toBe('after');
    const [{ n }] = (await db.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'rehearse-lock' AND datname = current_database()`,
    )) as { n: number }[];
    expect(n).toBe(0);
  });
});
