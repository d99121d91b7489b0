import type { DataSource } from 'typeorm';
import type { Queryable } from './typed-sql';

/**
 * Runs `task` under a PostgreSQL session advisory lock named `name`, so two workers never run the
 * same scheduled job at once; when another holds it, answers `busy` without waiting.
 */
export async function withAdvisoryLock<T>(db: DataSource, name: string, task: () => Promise<T>, busy: T): Promise<T> {
  const runner = db.createQueryRunner();
  await runner.connect();
  try {
    const [{ ok }]: { ok: boolean }[] = await runner.query(`SELECT pg_try_advisory_lock(hashtext($1)) AS ok`, [name]);
    if (!ok) return busy;
    try {
      return await task();
    } finally {
      await runner.query(`SELECT pg_advisory_unlock(hashtext($1))`, [name]);
    }
  } finally {
    await runner.release();
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
