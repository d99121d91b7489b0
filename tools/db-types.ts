/*
 *   npm run db:types             writes libs/server/database/src/lib/generated/db.ts (see tools/lib/db-types.ts)
 *   npm run db:types -- --check  fails when the committed file is not what the migrations make
 */
import { writeFile } from 'node:fs/promises';
import { DB_TYPES_FILE, dbTypesDrift, generateDbTypes } from './lib/db-types';

async function main(): Promise<void> {
  const fresh = await generateDbTypes();
  if (process.argv.includes('--check')) {
    const drift = await dbTypesDrift(fresh);
    if (drift) throw new Error(drift);
    console.log('libs/server/database/src/lib/generated/db.ts matches the migrations');
    return;
  }
  await writeFile(DB_TYPES_FILE, fresh);
  console.log('wrote libs/server/database/src/lib/generated/db.ts');
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
