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
 * when there is none: the statement is parsed once per connection. PostgreSQL still plans it for
 * its values (a custom plan) unless, after five executions, it estimates its generic plan no
 * dearer. `generic`: use the generic plan from the start, planned once per connection; only for
 * statements whose best plan does not depend on the values (checked by the query-plan test, which
 * explains such statements as generic plans), and only inside a transaction (the setting is the
 * transaction's, and is reset right after).
 */
export async function preparedIn<T>(
  m: unknown,
  db: DataSource,
  name: string,
  text: string,
  values: unknown[],
  options: { generic?: boolean } = {},
): Promise<T[]> {
  const runner = (m as { queryRunner?: { databaseConnection?: PoolClient; isTransactionActive?: boolean } } | null)
    ?.queryRunner;
  const client = runner?.databaseConnection;
  if (!client) return prepared<T>(db, name, text, values);
  if (!(options.generic && runner?.isTransactionActive))
    return (await client.query({ name, text, values })).rows as T[];
  await client.query('SET LOCAL plan_cache_mode = force_generic_plan');
  const rows = (await client.query({ name, text, values })).rows as T[];
  // (a failed statement aborts the transaction, which takes the setting with it: resetting then
  // would only hide the statement's own error behind "current transaction is aborted")
  await client.query('RESET plan_cache_mode');
  return rows;
}
