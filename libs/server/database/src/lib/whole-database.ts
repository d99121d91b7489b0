import { Client } from 'pg';
import { grantRuntimeRole } from './runtime-role';

/**
 * Statements on a whole database by its URL, for operations (the backup's restore drill): no
 * tenant's rows, one short-lived connection each.
 */

async function withClient<T>(databaseUrl: string, work: (c: Client) => Promise<T>): Promise<T> {
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

/**
 * Ends every sign-in on the database at `databaseUrl` (a URL of the schema's owner), as after a
 * restore: every session and every trusted device go. Sessions ended and devices revoked after the
 * backup was taken (a sign-out everywhere, a password changed after a theft) would otherwise be
 * valid again; everyone signs in again, with their second factor. Returns how many of each went.
 */
export async function endSignIns(databaseUrl: string): Promise<{ sessions: number; trustedDevices: number }> {
  return withClient(databaseUrl, async (c) => {
    const sessions = await c.query(`DELETE FROM sessions`);
    const devices = await c.query(`DELETE FROM trusted_devices`);
    return { sessions: sessions.rowCount ?? 0, trustedDevices: devices.rowCount ?? 0 };
  });
}
