import type { DataSource } from 'typeorm';

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
