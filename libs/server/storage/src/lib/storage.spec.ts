import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import S3rver from 's3rver';
import { LocalDiskStore } from './local-disk.store';
import { S3Store } from './s3.store';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import type { BlobStore } from './blob-store';
import { KeyRing } from './keys';
import { ciphertextSize, SealedObjects, SEGMENT_SIZE } from './sealed-object';

/** One suite, run against every BlobStore adapter. */
function storageContract(name: string, make: () => Promise<{ store: BlobStore; close(): Promise<void> }>): void {
  describe(`storage contract: ${name}`, () => {
    let store: BlobStore;
    let close: () => Promise<void>;
    const keys = new KeyRing(randomBytes(32));
    let sealed: SealedObjects;
    const tenant = '3f2b6c1e-0000-4000-8000-000000000001';
    let n = 0;
    const ref = () => ({ tenantId: tenant, key: `tenants/${tenant.slice(0, 8)}/objects/o${++n}` });
    const read = async (s: Readable) => buffer(s);

    beforeAll(async () => {
      ({ store, close } = await make());
      sealed = new SealedObjects(store, keys);
    });
    afterAll(() => close());

    it('stores, stats, lists and deletes opaque bytes, with ranges', async () => {
      const bytes = randomBytes(1000);
      await store.put('t/a/one', Readable.from([bytes]), bytes.length);
      expect(await store.stat('t/a/one')).toEqual({ size: 1000 });
      expect((await read(await store.get('t/a/one'))).equals(bytes)).toBe(true);
      expect((await read(await store.get('t/a/one', { start: 10, end: 19 }))).equals(bytes.subarray(10, 20))).toBe(true);
      await store.put('t/a/two', Readable.from([Buffer.from('x')]), 1);
      await store.put('t/b/three', Readable.from([Buffer.from('y')]), 1);
      expect(await store.list('t/a/')).toEqual(['t/a/one', 't/a/two']);
      await store.delete('t/a/one');
      expect(await store.stat('t/a/one')).toBeNull();
      await store.delete('t/a/one'); // deleting twice is fine
    });

    it('refuses keys that are not server-made', async () => {
      for (const bad of ['../etc/passwd', 'a/../../b', 'UPPER', 'a b', 'a\u202Eb', 'a%2f..', '', '/abs']) {
        await expect(store.put(bad, Readable.from([Buffer.from('x')]), 1)).rejects.toThrow(/invalid object key/);
      }
    });

    const S = SEGMENT_SIZE;
    it.each([0, 1, S - 1, S, S + 1, 3 * 1024 * 1024 + 7])('round-trips %i bytes, whole and in random ranges', async (size) => {
      const plain = randomBytes(size);
      const r = ref();
      const env = await sealed.put(r, Readable.from(chunks(plain)), size);
      expect(env.size).toBe(size);
      expect((await store.stat(r.key))?.size).toBe(ciphertextSize(size));
      // at rest it is not the plaintext
      if (size > 64) expect((await read(await store.get(r.key))).includes(plain.subarray(0, 64))).toBe(false);
      expect((await read(await sealed.get(r, env))).equals(plain)).toBe(true);
      for (let i = 0; i < (size ? 12 : 0); i++) {
        const a = Math.floor(Math.random() * size);
        const b = a + Math.floor(Math.random() * (size - a));
        expect((await read(await sealed.get(r, env, { start: a, end: b }))).equals(plain.subarray(a, b + 1))).toBe(true);
      }
      if (size) {
        expect((await read(await sealed.get(r, env, { start: size - 1, end: size - 1 }))).equals(plain.subarray(size - 1))).toBe(true);
        expect((await read(await sealed.get(r, env, { start: 0, end: 0 }))).equals(plain.subarray(0, 1))).toBe(true);
      }
    });

    it('refuses ranges outside the object', async () => {
      const r = ref();
      const env = await sealed.put(r, Readable.from([randomBytes(10)]), 10);
      await expect(sealed.get(r, env, { start: 5, end: 10 })).rejects.toThrow(/outside/);
      await expect(sealed.get(r, env, { start: 6, end: 5 })).rejects.toThrow(/outside/);
    });

    describe('tampering makes the read fail, never return wrong bytes', () => {
      const size = 3 * S + 100;
      const plain = randomBytes(size);
      const tamper = async (fn: (c: Buffer) => Buffer) => {
        const r = ref();
        const env = await sealed.put(r, Readable.from([plain]), size);
        const c = await read(await store.get(r.key));
        const forged = fn(Buffer.from(c));
        await store.put(r.key, Readable.from([forged]), forged.length);
        return { r, env };
      };
      const fails = async (r: ReturnType<typeof ref>, env: Awaited<ReturnType<SealedObjects['put']>>, range?: { start: number; end: number }) => {
        const got: Buffer[] = [];
        await expect(
          (async () => {
            for await (const chunk of await sealed.get(r, env, range)) got.push(chunk as Buffer);
          })(),
        ).rejects.toThrow();
        // whatever left before the failure is a correct prefix of the plaintext
        const out = Buffer.concat(got);
        const from = range?.start ?? 0;
        expect(out.equals(plain.subarray(from, from + out.length))).toBe(true);
      };

      it('a flipped bit', async () => {
        const { r, env } = await tamper((c) => ((c[S + 16 + 5] ^= 1), c));
        await fails(r, env);
        await fails(r, env, { start: S + 1, end: S + 10 });
      });

      it('two swapped segments', async () => {
        const { r, env } = await tamper((c) => Buffer.concat([c.subarray(S + 16, 2 * (S + 16)), c.subarray(0, S + 16), c.subarray(2 * (S + 16))]));
        await fails(r, env);
      });

      it('a truncated object', async () => {
        const { r, env } = await tamper((c) => c.subarray(0, 3 * (S + 16)));
        await fails(r, env);
      });

      it('a dropped last segment presented with a re-declared length is still refused', async () => {
        const r = ref();
        const env = await sealed.put(r, Readable.from([plain]), size);
        const c = await read(await store.get(r.key));
        const cut = c.subarray(0, 3 * (S + 16));
        await store.put(r.key, Readable.from([cut]), cut.length);
        await fails(r, { ...env, size: 3 * S });
      });

      it('an appended segment', async () => {
        const { r, env } = await tamper((c) => Buffer.concat([c, c.subarray(0, S + 16)]));
        await fails(r, env);
      });

      it('a wrong tenant key', async () => {
        const r = ref();
        const env = await sealed.put(r, Readable.from([plain]), size);
        await expect(sealed.get({ ...r, tenantId: '3f2b6c1e-0000-4000-8000-000000000002' }, env)).rejects.toThrow();
        const other = new SealedObjects(store, new KeyRing(randomBytes(32)));
        await expect(other.get(r, env)).rejects.toThrow();
      });

      it('another object\u2019s envelope', async () => {
        const a = ref();
        const envA = await sealed.put(a, Readable.from([plain]), size);
        const b = ref();
        await sealed.put(b, Readable.from([plain]), size);
        await expect(sealed.get(b, envA)).rejects.toThrow();
      });
    });

    it('refuses a stream shorter than announced, and leaves nothing behind', async () => {
      const r = ref();
      await expect(sealed.put(r, Readable.from([randomBytes(10)]), 11)).rejects.toThrow();
      expect(await store.stat(r.key)).toBeNull();
    });
  });
}

function* chunks(b: Buffer): Generator<Buffer> {
  // uneven chunk sizes, as a network upload delivers them
  let i = 0;
  const sizes = [1, 7000, 65535, 65537, 3, 100000];
  let k = 0;
  while (i < b.length) {
    const n = sizes[k++ % sizes.length];
    yield b.subarray(i, i + n);
    i += n;
  }
}

storageContract('local disk', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rehearse-store-'));
  return { store: new LocalDiskStore(dir), close: () => rm(dir, { recursive: true, force: true }) };
});

storageContract('S3 (minio client against an S3 server on localhost)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rehearse-s3-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir });
  const { port } = (await server.run()) as AddressInfo;
  const store = new S3Store({ endPoint: '127.0.0.1', port, useSSL: false, accessKey: 'S3RVER', secretKey: 'S3RVER', bucket: 'rehearse-test' });
  await store.ensureBucket();
  return {
    store,
    close: async () => {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});