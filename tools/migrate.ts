/**
 * Migrations: npm run migration:run | migration:revert | migration:show | migration:generate -- <Name>
 */
import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { loadConfig } from '@rehearse/server/core';
import { migrate, migrationDataSource } from '@rehearse/migrations';
import { runtimeRoleFor } from '@rehearse/server/database';
import { ensureDatabase } from './lib/ensure-database';

async function main(): Promise<void> {
  const [command = 'run', name] = process.argv.slice(2);
  // migrations run as the schema's owner, then grant the application's role (DATABASE_URL) its rights
  const { DATABASE_OWNER_URL: DATABASE_URL, DATABASE_URL: APP_URL } = loadConfig();
  if (command === 'run') {
    await ensureDatabase(DATABASE_URL);
    const applied = await migrate(DATABASE_URL, { runtimeRole: runtimeRoleFor(APP_URL, DATABASE_URL) });
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
    return;
  }
  if (command === 'generate') {
    if (!name || !/^[A-Za-z][A-Za-z0-9]*$/.test(name))
      throw new Error('usage: npm run migration:generate -- <PascalCaseName>');
    // the TypeORM CLI, loading the TypeScript data source through @swc-node/register
    const r = spawnSync(
      process.execPath,
      [
        '-r',
        '@swc-node/register',
        require.resolve('typeorm/cli.js'),
        'migration:generate',
        `migrations/${name}`,
        '-d',
        'migrations/data-source.ts',
        '--pretty',
      ],
      {
        stdio: 'inherit',
        env: { ...process.env, SWC_NODE_PROJECT: 'tsconfig.tools.json' },
      },
    );
    console.log(
      'Review the generated SQL (foreign keys, checks and index names live in the hand-written migrations), then add the class to MIGRATIONS in migrations/index.ts.',
    );
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
