import type { Pool } from 'pg';
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
