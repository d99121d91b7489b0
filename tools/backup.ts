/**
 * Backups by hand (the worker takes one every day by itself):
 *   npm run backup -- take                 today's backup into BACKUP_DIR (kept as is when it exists)
 *   npm run backup -- list                 the finished backups, with their size
 *   npm run backup -- restore <YYYY-MM-DD> rebuild the database (as DATABASE_OWNER_URL) and the store (STORAGE_* settings) from that day
 *
 * A restore needs a fresh, empty database and an empty store (it refuses anything else), and the
 * same STORAGE_MASTER_KEY and KEY_VAULT_DIR as the installation the backup came from: the vault is
 * not in the backups, so recordings of people erased since stay unreadable.
 */
import 'reflect-metadata';
import { Backups, restoreBackup } from '@rehearse/server/backup';
import { Clock, loadConfig } from '@rehearse/server/core';
import { blobStoreFrom } from '@rehearse/server/storage';
import { runtimeRoleFor } from '@rehearse/server/database';
import { ensureDatabase } from './lib/ensure-database';

async function main(): Promise<void> {
  const [command = 'list', day] = process.argv.slice(2);
  const config = loadConfig();
  const store = blobStoreFrom(config);
  const backups = new Backups(config.BACKUP_DIR, config.DATABASE_URL, store);
  if (command === 'take') {
    const clock = new Clock();
    const m = await backups.take(clock.today(), clock.now(), (done, total) =>
      process.stdout.write(`\robjects ${done}/${total}`),
    );
    console.log(
      `\nbackup ${m.day} in ${config.BACKUP_DIR}: ${Object.keys(m.database.tables).length} tables, ${m.objects.length} objects, verified`,
    );
    const pruned = await backups.prune(clock.today(), config.BACKUP_KEEP_DAYS);
    if (pruned.length) console.log(`pruned: ${pruned.join(', ')}`);
    return;
  }
  if (command === 'list') {
    for (const d of await backups.days()) {
      const m = await backups.manifest(d);
      if (m)
        console.log(
          `${d}  ${m.createdAt}  database ${(m.database.bytes / 1e6).toFixed(1)} MB  ${m.objects.length} objects (${(m.objects.reduce((a, o) => a + o.bytes, 0) / 1e6).toFixed(1)} MB)`,
        );
    }
    return;
  }
  if (command === 'restore') {
    if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day))
      throw new Error('usage: npm run backup -- restore <YYYY-MM-DD> (npm run backup -- list shows the days)');
    // restored as the schema's owner; the application's role gets its rights back afterwards
    await ensureDatabase(config.DATABASE_OWNER_URL);
    const report = await restoreBackup(config.BACKUP_DIR, day, config.DATABASE_OWNER_URL, store, {
      runtimeRole: runtimeRoleFor(config.DATABASE_URL, config.DATABASE_OWNER_URL),
    });
    console.log(`restored ${report.day}: ${report.tables} tables, ${report.rows} rows, ${report.objects} objects`);
    if (report.mismatches.length) {
      console.error(`MISMATCHES:\n${report.mismatches.join('\n')}`);
      process.exit(2);
    }
    console.log('row counts and object hashes match the backup');
    console.log(
      `every sign-in ended (${report.signedOut.sessions} sessions, ${report.signedOut.trustedDevices} trusted devices): everyone signs in again, with their second factor`,
    );
    return;
  }
  throw new Error(`unknown command "${command}": take | list | restore <day>`);
}

main().catch((e: Error) => {
  console.error(e.message);
  process.exit(1);
});
