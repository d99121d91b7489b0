import { Client } from 'pg';
import { grantRuntimeRole } from './runtime-role';

/**
 * Statements on a whole database by its URL, for operations (the backup's restore drill): no
 * tenant's rows, one short-lived connection each.
 */

/** `work` on one short-lived connection to the database at `databaseUrl`. */
export async function withClient<T>(databaseUrl: string, work: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

/** Row count of every table in the public schema (exact, for the restore drill). */
export async function tableCounts(databaseUrl: string): Promise<Record<string, number>> {
  return withClient(databaseUrl, async (c) => {
    const { rows } = await c.query<{ tablename: string }>(
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`,
    );
    const out: Record<string, number> = {};
    for (const { tablename } of rows) {
      const r = await c.query<{ n: string }>(`SELECT count(*) AS n FROM "${tablename.replace(/"/g, '""')}"`);
      out[tablename] = Number(r.rows[0].n);
    }
    return out;
  });
}

/** Grants the application role its rights on the database at `databaseUrl` (a URL of the schema's owner), as after a restore. */
export async function grantRuntimeRoleOn(databaseUrl: string, role: string): Promise<void> {
  await withClient(databaseUrl, (c) => grantRuntimeRole(async (sql) => (await c.query(sql)).rows, role));
}
