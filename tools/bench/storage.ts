/**
 * Storage benchmark (part of `npm run bench`; alone: `npm run bench:storage`).
 * Side by side in one run, on the same store and the same random bytes:
 *   - encrypted upload-and-store (SealedObjects.put) against a plain copy of the bytes (BlobStore.put)
 *   - ranged reads of 64 KiB at random offsets: decrypting against plain
 * Prints medians and the ratios. Not a test: nothing asserts on timings.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { KeyRing, FileKeyVault, LocalDiskStore, SealedObjects } from '@rehearse/server/storage';

const MiB = 1024 * 1024;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const chunks = (b: Buffer, size = 256 * 1024) =>
  Readable.from(
    (function* () {
      for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
    })(),
  );

export async function benchStorage(sizeMiB = 64, rounds = 5): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'rehearse-bench-'));
  const store = new LocalDiskStore(join(dir, 'objects'));
  const master = randomBytes(32);
  const sealed = new SealedObjects(store, new KeyRing(master, new FileKeyVault(join(dir, 'vault'), master)));
  const data = randomBytes(sizeMiB * MiB);
  // a tenant as the product names them (the key vault accepts only ids it could have made)
  const tenantId = randomUUID();
  const plainTimes: number[] = [];
  const sealedTimes: number[] = [];
  let env = null as Awaited<ReturnType<SealedObjects['put']>> | null;
  try {
    for (let r = 0; r < rounds; r++) {
      // alternate the order so neither side always runs on a warmer cache
      const order = r % 2 ? ['sealed', 'plain'] : ['plain', 'sealed'];
      for (const kind of order) {
        const t = process.hrtime.bigint();
        if (kind === 'plain') await store.put(`bench/plain${r}`, chunks(data), data.length);
        else env = await sealed.put({ tenantId, key: `bench/sealed${r}` }, chunks(data), data.length);
        const ms = Number(process.hrtime.bigint() - t) / 1e6;
        (kind === 'plain' ? plainTimes : sealedTimes).push(ms);
      }
    }
    if (!env) throw new Error('no sealed object was written (rounds must be 1 or more)');
    const sealedEnvelope = env;
    const reads = 200;
    const plainRead: number[] = [];
    const sealedRead: number[] = [];
    for (let i = 0; i < reads; i++) {
      const start = Math.floor(Math.random() * (data.length - 64 * 1024));
      const range = { start, end: start + 64 * 1024 - 1 };
      let t = process.hrtime.bigint();
      await buffer(await store.get('bench/plain0', range));
      plainRead.push(Number(process.hrtime.bigint() - t) / 1e6);
      t = process.hrtime.bigint();
      const got = await buffer(await sealed.get({ tenantId, key: `bench/sealed${rounds - 1}` }, sealedEnvelope, range));
      sealedRead.push(Number(process.hrtime.bigint() - t) / 1e6);
      if (!got.equals(data.subarray(range.start, range.end + 1))) throw new Error('ranged read returned wrong bytes');
    }
    const mbps = (ms: number) => (sizeMiB / (ms / 1000)).toFixed(0);
    console.log(`storage benchmark: ${sizeMiB} MiB object, ${rounds} rounds each, local disk store (${dir})`);
    console.log(
      `  plain copy into the store      median ${median(plainTimes).toFixed(0)} ms  (${mbps(median(plainTimes))} MiB/s)`,
    );
    console.log(
      `  encrypted upload-and-store     median ${median(sealedTimes).toFixed(0)} ms  (${mbps(median(sealedTimes))} MiB/s)`,
    );
    console.log(`  ratio encrypted / plain        ${(median(sealedTimes) / median(plainTimes)).toFixed(2)}x`);
    console.log(`  64 KiB ranged read, plain      median ${median(plainRead).toFixed(2)} ms`);
    console.log(`  64 KiB ranged read, decrypted  median ${median(sealedRead).toFixed(2)} ms  (touches 1–2 segments)`);
    console.log(`  ratio decrypted / plain        ${(median(sealedRead) / median(plainRead)).toFixed(2)}x`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === __filename) {
  benchStorage(Number(process.argv[2] ?? 64), Number(process.argv[3] ?? 5)).catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
