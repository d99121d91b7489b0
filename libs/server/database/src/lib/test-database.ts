import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * Test support: a migrated template database is built once per run; each test file gets a fresh
 * copy of it (CREATE DATABASE ... TEMPLATE), so tests never share rows.
 */
const ADMIN_URL = process.env['TEST_DATABASE_ADMIN_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEMPLATE_DB = process.env['TEST_DATABASE_TEMPLATE'] ?? 'rehearse_test_template';

function urlFor(db: string): string {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${db}`;
  return u.toString();
}

async function admin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Drops and re-creates the template database; the caller migrates it (see migrations/). */
export async function recreateTemplateDatabase(): Promise<string> {
  await admin(async (c) => {
    await c.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [TEMPLATE_DB]);
    await c.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB}`);
    await c.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  });
  return urlFor(TEMPLATE_DB);
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

async function makeDatabase(prefix: string, template: string | null): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(template ? `CREATE DATABASE ${name} TEMPLATE ${template}` : `CREATE DATABASE ${name}`));
  return {
    name,
    url: urlFor(name),
    drop: () =>
      admin(async (c) => {
        await c.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [name]);
        await c.query(`DROP DATABASE IF EXISTS ${name}`);
      }),
  };
}

/** A fresh copy of the migrated template. */
export function createTestDatabase(): Promise<TestDatabase> {
  return makeDatabase('rehearse_t', TEMPLATE_DB);
}

/** An empty database (no schema at all), for restore drills. */
export function createEmptyDatabase(): Promise<TestDatabase> {
  return makeDatabase('rehearse_e', null);
}
