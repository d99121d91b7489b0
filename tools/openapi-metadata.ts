/*
 *   npm run openapi:metadata             writes apps/api/src/openapi-metadata.ts (see tools/lib/openapi-metadata.ts)
 *   npm run openapi:metadata -- --check  fails when the committed file is not what the classes say
 */
import { API_SOURCE, METADATA_FILE, generate, metadataDrift } from './lib/openapi-metadata';

if (process.argv.includes('--check')) {
  const drift = metadataDrift();
  if (drift) {
    console.error(drift);
    process.exit(1);
  }
  console.log(`apps/api/src/${METADATA_FILE} matches the classes`);
} else {
  generate(API_SOURCE);
  console.log(`wrote apps/api/src/${METADATA_FILE}`);
}
