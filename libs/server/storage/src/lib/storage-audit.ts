import type { BlobStore } from './blob-store';
import { ciphertextSize, type Envelope } from './sealed-object';

/** An object the database says the store holds, and what it is (for the report). */
export interface ExpectedObject {
  key: string;
  envelope: Envelope;
  /** e.g. "recording 5f0c… of tenant 9a1b…" */
  what: string;
}

export interface StorageAuditReport {
  /** objects the database expects, all checked */
  checked: number;
  /** expected and not in the store: their recordings cannot be played, their exports downloaded */
  missing: ExpectedObject[];
  /** in the store at another size than their envelope's: truncated or extended (they fail to open) */
  wrongSize: (ExpectedObject & { bytes: number; expected: number })[];
  /** keys under the prefix that no row names: left behind (or written by an upload still in flight) */
  orphans: string[];
}

/**
 * Compares the object store with what the database expects of it: every expected object there at
 * the size its envelope says (a sealed object's size follows from its plaintext size), and no
 * object under `prefix` that no row names (unless `orphans` is false: listing a large bucket takes
 * a while). Asks `concurrency` sizes at a time (an S3 store
 * answers each with a request); reports progress every 1,000 objects.
 */
export async function auditStorage(
  store: BlobStore,
  expected: AsyncIterable<ExpectedObject>,
  options: { prefix?: string; concurrency?: number; orphans?: boolean; onProgress?: (checked: number) => void } = {},
): Promise<StorageAuditReport> {
  const { prefix = 'tenants/', concurrency = 16, orphans = true, onProgress } = options;
  const report: StorageAuditReport = { checked: 0, missing: [], wrongSize: [], orphans: [] };
  const named = new Set<string>();
  const inFlight = new Set<Promise<void>>();
  const check = async (o: ExpectedObject) => {
    const stat = await store.stat(o.key);
    const want = ciphertextSize(o.envelope.size, o.envelope.segmentSize);
    if (!stat) report.missing.push(o);
    else if (stat.size !== want) report.wrongSize.push({ ...o, bytes: stat.size, expected: want });
    report.checked++;
    if (onProgress && report.checked % 1000 === 0) onProgress(report.checked);
  };
  for await (const o of expected) {
    named.add(o.key);
    const p: Promise<void> = check(o).finally(() => inFlight.delete(p));
    inFlight.add(p);
    if (inFlight.size >= concurrency) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  if (orphans) report.orphans = (await store.list(prefix)).filter((k) => !named.has(k));
  return report;
}
