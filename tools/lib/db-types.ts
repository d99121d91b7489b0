/*
 * The row types of every table, generated from the migrated schema by kysely-codegen:
 *   npm run db:types            writes libs/server/database/src/lib/generated/db.ts
 *   npm run db:types -- --check fails when the committed file is not what the migrations make
 * A fresh empty database is migrated for it and dropped afterwards.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { migrate } from '@rehearse/migrations';
import { createEmptyDatabase, testRuntimeRole } from '@rehearse/server/database';

const root = join(__dirname, '../..');
export const DB_TYPES_FILE = join(root, 'libs/server/database/src/lib/generated/db.ts');

/** The row types of the migrated database at `url`, as kysely-codegen writes them. */
export async function dbTypesOf(url: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'db-types-'));
  try {
    const out = join(dir, 'db.ts');
    await promisify(execFile)(join(root, 'node_modules/.bin/kysely-codegen'), [
      '--dialect',
      'postgres',
      '--url',
      url,
      '--out-file',
      out,
      // TypeORM's own bookkeeping, not the application's
      '--exclude-pattern',
      'migrations',
    ]);
    return await readFile(out, 'utf8');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The row types the migrations make: a fresh empty database is migrated for them and dropped. */
export async function generateDbTypes(): Promise<string> {
  const db = await createEmptyDatabase();
  try {
    await migrate(db.ownerUrl, { runtimeRole: testRuntimeRole() ?? undefined });
    return await dbTypesOf(db.ownerUrl);
  } finally {
    await db.drop();
  }
}

/** null when `fresh` (the schema's row types) is what is committed; otherwise what to do. */
export async function dbTypesDrift(fresh: string, committedFile = DB_TYPES_FILE): Promise<string | null> {
  const committed = await readFile(committedFile, 'utf8').catch(() => '(missing)');
  return fresh === committed
    ? null
    : 'libs/server/database/src/lib/generated/db.ts is not what the migrations make: run npm run db:types and commit it';
}
