/**
 * Migrations: npm run migration:run | migration:revert | migration:show | migration:generate -- <Name>
 */
import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { loadConfig } from '@rehearse/server/core';
import { migrate, migrationDataSource } from '@rehearse/migrations';
import { ensureDatabase } from './lib/ensure-database';

async function main(): Promise<void> {
  const [command = 'run', name] = process.argv.slice(2);
  const { DATABASE_URL } = loadConfig();
  if (command === 'run') {
    await ensureDatabase(DATABASE_URL);
    const applied = await migrate(DATABASE_URL);
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
    return;
  }
  if (command === 'generate') {
    if (!name || !/^[A-Za-z][A-Za-z0-9]*$/.test(name)) throw new Error('usage: npm run migration:generate -- <PascalCaseName>');
    const r = spawnSync('npx', ['typeorm-ts-node-commonjs', 'migration:generate', `migrations/${name}`, '-d', 'migrations/data-source.ts', '--pretty'], {
      stdio: 'inherit',
      env: { ...process.env, TS_NODE_PROJECT: 'tsconfig.tools.json', TS_NODE_TRANSPILE_ONLY: '1' },
    });
    console.log('Add the new class to MIGRATIONS in migrations/index.ts.');
    process.exit(r.status ?? 1);
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
      throw new Error(`unknown command ${command} (run | revert | show | generate)`);
    }
  } finally {
    await ds.destroy();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
