/**
 * Migrations: npm run migration:run | migration:revert | migration:show. They are written by hand
 * (migrations/); after one, npm run db:types regenerates the row types the repositories use.
 */
import 'reflect-metadata';
import { loadConfig } from '@rehearse/server/core';
import { migrate, migrationDataSource } from '@rehearse/migrations';
import { runtimeRoleFor } from '@rehearse/server/database';
import { ensureDatabase } from './lib/ensure-database';

async function main(): Promise<void> {
  const [command = 'run'] = process.argv.slice(2);
  // migrations run as the schema's owner, then grant the application's role (DATABASE_URL) its rights
  const { DATABASE_OWNER_URL: DATABASE_URL, DATABASE_URL: APP_URL } = loadConfig();
  if (command === 'run') {
    await ensureDatabase(DATABASE_URL);
    const applied = await migrate(DATABASE_URL, { runtimeRole: runtimeRoleFor(APP_URL, DATABASE_URL) });
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
    return;
  }
  const ds = migrationDataSource(DATABASE_URL);
  await ds.initialize();
  try {
    if (command === 'revert') {
      await ds.undoLastMigration({ transaction: 'each' });
      console.log('reverted the last migration');
    } else if (command === 'show') {
      const pending = await ds.showMigrations();
      console.log(pending ? 'there are pending migrations' : 'database is up to date');
    } else {
      throw new Error(`unknown command ${command} (run | revert | show)`);
    }
  } finally {
    await ds.destroy();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
