import type { Pool, PoolClient } from 'pg';
import type { DataSource } from 'typeorm';

/**
 * A query of the hot path (every authenticated request) as a named prepared statement on the
 * application's pool: PostgreSQL parses and plans it once per connection instead of on every
 * request, about a third of the database's work for such a one-row read (measured with
 * tools/bench/scale.ts). `name` identifies the statement text: one name, one text. Statements
 * select named columns, so a migration that adds columns does not disturb them (a deploy restarts
 * the processes after migrating anyway).
 */
export async function prepared<T>(db: DataSource, name: string, text: string, values: unknown[]): Promise<T[]> {
  const pool = (db.driver as unknown as { master: Pool }).master;
  return (await pool.query({ name, text, values })).rows as T[];
}

/**
 * `prepared` on the connection of the caller's transaction (an EntityManager's), or on the pool
 * when there is none: the statement is planned once per connection and then reused, when
 * PostgreSQL finds its generic plan as good as one planned for the values (it compares after five
 * executions). Only for statements whose best plan does not depend on the values.
 */
export async function preparedIn<T>(
  m: unknown,
  db: DataSource,
  name: string,
  text: string,
  values: unknown[],
): Promise<T[]> {
  const client = (m as { queryRunner?: { databaseConnection?: PoolClient } } | null)?.queryRunner?.databaseConnection;
  if (client) return (await client.query({ name, text, values })).rows as T[];
  return prepared<T>(db, name, text, values);
}
