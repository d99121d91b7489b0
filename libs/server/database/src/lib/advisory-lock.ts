import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { SESSION_OPTIONS } from './data-source-options';
import type { Queryable } from './typed-sql';

/**
 * Runs `task` under a PostgreSQL session advisory lock named `name`, so two workers never run the
 * same scheduled job at once; when another holds it, answers `busy` without waiting.
 *
 * The lock is held on a connection of its own, outside the process's pool: `task` queries through
 * the pool, and a lock held on a pooled connection left the task one connection fewer (with a pool
 * of one the task waited for the connection its own lock held, until the pool's timeout). If the
 * lock's connection is lost, PostgreSQL releases the lock with it.
 */
export async function withAdvisoryLock<T>(db: DataSource, name: string, task: () => Promise<T>, busy: T): Promise<T> {
  const options = db.options as PostgresConnectionOptions;
  if (!options.url) throw new Error('withAdvisoryLock: the data source has no connection URL');
  const client = new Client({
    connectionString: options.url,
    application_name: 'rehearse-lock',
    options: SESSION_OPTIONS,
    connectionTimeoutMillis: 5000,
  });
  // a connection lost while the task runs must not end the process (an unhandled 'error' event)
  client.on('error', () => undefined);
  await client.connect();
  try {
    const { rows } = await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(hashtext($1)) AS ok`, [name]);
    if (!rows[0].ok) return busy;
    try {
      return await task();
    } finally {
      await client.query(`SELECT pg_advisory_unlock(hashtext($1))`, [name]).catch(() => undefined);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Takes the transaction-scoped advisory lock named `name` on the caller's transaction, waiting
 * while another holds it; PostgreSQL releases it when that transaction ends. Two writers that
 * must not interleave (two saves of one review, two exports of one person) take the same name.
 */
export async function lockUntilCommit(m: Queryable, name: string): Promise<void> {
  await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [name]);
}

/** As `lockUntilCommit`, without waiting: whether the lock was free and is now held. */
export async function tryLockUntilCommit(m: Queryable, name: string): Promise<boolean> {
  const [{ got }] = (await m.query(`SELECT pg_try_advisory_xact_lock(hashtext($1)) AS got`, [name])) as {
    got: boolean;
  }[];
  return got;
}
