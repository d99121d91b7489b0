import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { runtimeRoleFor } from './runtime-role';

/**
 * Test support: a migrated template database is built once per run; each test file gets a fresh
 * copy of it (CREATE DATABASE ... TEMPLATE), so tests never share rows. The copies are created by
 * the schema's owner (TEST_DATABASE_ADMIN_URL) and used by the application's role
 * (TEST_DATABASE_APP_URL), exactly as in production: the app role owns nothing.
 * tools/scripts/ensure-system.sh sets both up; tools/scripts/local-env.cjs fills them in.
 */
function adminUrl(): string {
  return process.env['TEST_DATABASE_ADMIN_URL'] ?? 'postgres://rehearse@127.0.0.1:5432/postgres';
}
function appUrl(): string {
  return process.env['TEST_DATABASE_APP_URL'] ?? adminUrl();
}
export const TEMPLATE_DB = process.env['TEST_DATABASE_TEMPLATE'] ?? 'rehearse_test_template';

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

/** The role the application connects as in tests (granted its rights by the migrations). */
export function testRuntimeRole(): string | null {
  return runtimeRoleFor(appUrl(), adminUrl());
}

async function admin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: adminUrl() });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/**
 * Drops a database whose clients are closing. Only connections of roles this one may signal are
 * ended (an autovacuum worker is a superuser's, and DROP DATABASE stops it by itself; the
 * application role's last connections may still be closing): the drop is retried while the
 * database is still in use, for up to five seconds.
 */
async function dropDatabase(c: Client, name: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    await c.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = $1 AND pid <> pg_backend_pid() AND backend_type = 'client backend' AND pg_has_role(usename, 'MEMBER')`,
      [name],
    );
    try {
      await c.query(`DROP DATABASE IF EXISTS ${name}`);
      return;
    } catch (e) {
      // 55006: "database … is being accessed by other users"
      if ((e as { code?: string }).code !== '55006' || attempt >= 50) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Drops and re-creates the template database; returns the owner's URL (the caller migrates it). */
export async function recreateTemplateDatabase(): Promise<string> {
  await admin(async (c) => {
    await dropDatabase(c, TEMPLATE_DB);
    await c.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  });
  return withDatabase(adminUrl(), TEMPLATE_DB);
}

export interface TestDatabase {
  name: string;
  /** the application role's connection */
  url: string;
  /** the schema owner's connection (migrations, restores, tampering tests) */
  ownerUrl: string;
  drop(): Promise<void>;
}

async function makeDatabase(prefix: string, template: string | null): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(template ? `CREATE DATABASE ${name} TEMPLATE ${template}` : `CREATE DATABASE ${name}`));
  return {
    name,
    url: withDatabase(appUrl(), name),
    ownerUrl: withDatabase(adminUrl(), name),
    drop: () => admin((c) => dropDatabase(c, name)),
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
