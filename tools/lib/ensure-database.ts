import { Client } from 'pg';

/** Creates the configured database when it does not exist yet (fresh machines). */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^[a-zA-Z0-9_]+$/.test(name)) throw new Error(`Refusing to create database with unusual name "${name}"`);
  const adminUrl = new URL(url);
  adminUrl.pathname = '/postgres';
  const c = new Client({ connectionString: adminUrl.toString() });
  await c.connect();
  try {
    const exists = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!exists.rowCount) {
      await c.query(`CREATE DATABASE ${name}`);
      console.log(`created database ${name}`);
    }
  } finally {
    await c.end();
  }
}
