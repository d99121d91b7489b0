/**
 * The storage check: `npm run storage:check [-- --orphans]`.
 * Compares the object store (STORAGE_* settings) with the database: every recording (answers and
 * prompt media) and every finished data export the database names is in the store at the size its
 * envelope says, and — with --orphans — no object under tenants/ is named by no row. Run it after
 * restoring a backup, moving the store or a disk incident: a missing object is a recording nobody
 * can play (the player says the server failed) or an export nobody can download. Read-only; exits
 * 1 when anything is missing or the wrong size. An upload still in flight has its object before its
 * row, so orphans found while people record are candidates, not proof.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '@rehearse/server/core';
import { dataSourceOptions } from '@rehearse/server/database';
import { auditStorage, blobStoreFrom } from '@rehearse/server/storage';
import { expectedObjects } from './lib/stored-objects';

async function main(): Promise<void> {
  const orphansToo = process.argv.includes('--orphans');
  const config = loadConfig();
  const db = new DataSource(dataSourceOptions(config.DATABASE_URL));
  await db.initialize();
  try {
    const store = blobStoreFrom(config);
    const report = await auditStorage(store, expectedObjects(db), {
      onProgress: (n) => process.stdout.write(`\rchecked ${n} objects`),
      orphans: orphansToo,
    });
    console.log(`\rchecked ${report.checked} objects (${config.STORAGE_DRIVER} store)`);
    for (const o of report.missing) console.log(`missing:    ${o.key} (${o.what})`);
    for (const o of report.wrongSize)
      console.log(`wrong size: ${o.key} is ${o.bytes} bytes, ${o.expected} expected (${o.what})`);
    if (orphansToo) for (const k of report.orphans) console.log(`orphan:     ${k} (no row names it)`);
    console.log(
      `${report.missing.length} missing, ${report.wrongSize.length} the wrong size${orphansToo ? `, ${report.orphans.length} orphans` : ''}`,
    );
    if (report.missing.length || report.wrongSize.length) process.exitCode = 1;
  } finally {
    await db.destroy();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
