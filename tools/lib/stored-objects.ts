/** What the database says the object store holds, for the storage check (tools/storage-check.ts). */
import type { DataSource } from 'typeorm';
import { DataExportsRepository } from '@rehearse/server/privacy';
import { RecordingsRepository } from '@rehearse/server/recordings';
import type { ExpectedObject } from '@rehearse/server/storage';

const PAGE = 1000;

/** Every object the database names, page by page (keyset: flat whatever the size). */
export async function* expectedObjects(db: DataSource, pageSize = PAGE): AsyncGenerator<ExpectedObject> {
  const recordings = new RecordingsRepository(db);
  for (let after: string | null = null; ;) {
    const page = await recordings.storedMedia(after, pageSize);
    for (const r of page)
      yield {
        key: r.object_key,
        envelope: r.envelope,
        what: `${r.purpose} recording ${r.id} of tenant ${r.tenant_id}`,
      };
    if (page.length < pageSize) break;
    after = page[page.length - 1].id;
  }
  const exports = new DataExportsRepository(db);
  for (let after: string | null = null; ;) {
    const page = await exports.storedArchives(after, pageSize);
    for (const r of page)
      yield { key: r.object_key, envelope: r.envelope, what: `data export ${r.id} of tenant ${r.tenant_id}` };
    if (page.length < pageSize) break;
    after = page[page.length - 1].id;
  }
}
