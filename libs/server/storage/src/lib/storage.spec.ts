import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { isServiceUnavailable } from '@rehearse/server/core';
import S3rver from 's3rver';
import { LocalDiskStore } from './local-disk.store';
import { S3Store } from './s3.store';
import { createCipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import type { BlobStore } from './blob-store';
import { KeyRing } from './keys';
import { FileKeyVault, KeyDestroyedError, KeyVault } from './key-vault';
import { ciphertextSize, SealedObjects, SEGMENT_SIZE } from './sealed-object';

/** One suite, run against every BlobStore adapter. */
function storageContract(name: string, make: () => Promise<{ store: BlobStore; close(): Promise<void> }>): void {
  describe(`storage contract: ${name}`, () => {
    let store: BlobStore;
    let close: () => Promise<void>;
    const master = randomBytes(32);
    let vaultDir: string;
    let vault: KeyVault;
    let keys: KeyRing;
    let sealed: SealedObjects;
    const tenant = '3f2b6c1e-0000-4000-8000-000000000001';
    let n = 0;
    const ref = () => ({ tenantId: tenant, key: `tenants/${tenant.slice(0, 8)}/objects/o${++n}` });
    const read = async (s: Readable) => buffer(s);

    beforeAll(async () => {
      ({ store, close } = await make());
      vaultDir = await mkdtemp(join(tmpdir(), 'rehearse-vault-'));
      vault = new FileKeyVault(vaultDir, master);
      keys = new KeyRing(master, vault);
      sealed = new SealedObjects(store, keys);
    });
    afterAll(async () => {
      await close();
      await rm(vaultDir, { recursive: true, force: true });
    });

    it('stores, stats, lists and deletes opaque bytes, with ranges', async () => {
      const bytes = randomBytes(1000);
      await store.put('t/a/one', Readable.from([bytes]), bytes.length);
      expect(await store.stat('t/a/one')).toEqual({ size: 1000 });
      expect((await read(await store.get('t/a/one'))).equals(bytes)).toBe(true);
      expect((await read(await store.get('t/a/one', { start: 10, end: 19 }))).equals(bytes.subarray(10, 20))).toBe(
        true,
      );
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
    it.each([0, 1, S - 1, S, S + 1, 3 * 1024 * 1024 + 7])(
      'round-trips %i bytes, whole and in random ranges',
      async (size) => {
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
          expect((await read(await sealed.get(r, env, { start: a, end: b }))).equals(plain.subarray(a, b + 1))).toBe(
            true,
          );
        }
        if (size) {
          expect(
            (await read(await sealed.get(r, env, { start: size - 1, end: size - 1 }))).equals(plain.subarray(size - 1)),
          ).toBe(true);
          expect((await read(await sealed.get(r, env, { start: 0, end: 0 }))).equals(plain.subarray(0, 1))).toBe(true);
        }
      },
    );

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
      const fails = async (
        r: ReturnType<typeof ref>,
        env: Awaited<ReturnType<SealedObjects['put']>>,
        range?: { start: number; end: number },
      ) => {
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
        const { r, env } = await tamper((c) =>
          Buffer.concat([c.subarray(S + 16, 2 * (S + 16)), c.subarray(0, S + 16), c.subarray(2 * (S + 16))]),
        );
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
        const other = new SealedObjects(
          store,
          new KeyRing(randomBytes(32), new FileKeyVault(vaultDir, randomBytes(32))),
        );
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

    it("wraps a participant's recording under their own vault key; destroying it shreds the object, and nothing else", async () => {
      const user = '3f2b6c1e-0000-4000-8000-0000000000aa';
      const plain = randomBytes(5000);
      const mine = { ...ref(), ownerId: user };
      const tenants = ref();
      const envMine = await sealed.put(mine, Readable.from([plain]), plain.length);
      const envTenant = await sealed.put(tenants, Readable.from([plain]), plain.length);
      expect(envMine.kek).toBe(`user-${user}`);
      expect(envTenant.kek).toBe(`tenant-${tenant}`);
      expect(await vault.destroy(`user-${user}`)).toBe(true);
      await expect(sealed.get(mine, envMine)).rejects.toThrow(KeyDestroyedError);
      expect((await read(await sealed.get(tenants, envTenant))).equals(plain)).toBe(true);
    });

    it('still reads envelopes written before the vault (tenant key derived from the master key)', async () => {
      const r = ref();
      const plain = randomBytes(300);
      const env = await sealed.put(r, Readable.from([plain]), plain.length);
      // re-wrap the data key the old way and drop the vault reference
      const dataKey = await keys.unwrap(tenant, env.kek, env.wrappedKey, r.key);
      const kek = Buffer.from(
        hkdfSync('sha256', master, Buffer.from('rehearse-kek-v1'), Buffer.from(`tenant:${tenant}`), 32),
      );
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', kek, iv);
      c.setAAD(Buffer.from(`wrap:${tenant}:${r.key}`));
      const legacy = {
        ...env,
        kek: undefined,
        wrappedKey: Buffer.concat([iv, c.update(dataKey), c.final(), c.getAuthTag()]).toString('base64'),
      };
      expect((await read(await sealed.get(r, legacy))).equals(plain)).toBe(true);
    });

    it('refuses a source that fails before it is read (a file gone while the key is wrapped), and leaves nothing behind', async () => {
      // the key wrapped slowly, as a vault or KMS over the network does: the file's error comes first
      const slow = Object.create(keys) as KeyRing;
      slow.wrap = async (...args: Parameters<KeyRing['wrap']>) => {
        await new Promise((r) => setTimeout(r, 50));
        return keys.wrap(...args);
      };
      const r = ref();
      const gone = createReadStream(join(vaultDir, 'no-such-upload'));
      await expect(new SealedObjects(store, slow).put(r, gone, 10)).rejects.toThrow(/ENOENT/);
      expect(await store.stat(r.key)).toBeNull();
    }, 10_000);

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
  const store = new S3Store({
    endPoint: '127.0.0.1',
    port,
    useSSL: false,
    accessKey: 'S3RVER',
    secretKey: 'S3RVER',
    bucket: 'rehearse-test',
  });
  await store.ensureBucket();
  return {
    store,
    close: async () => {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
describe('S3 storage that cannot serve a request for now', () => {
  it("answers 503 or 429 after the client's retries: every call fails as unavailable for now (it was a bug's 500); a refusal for good stays one", async () => {
    let status = 503;
    const server = createServer((_req, res) => {
      const code = status === 403 ? 'AccessDenied' : status === 429 ? 'SlowDown' : 'ServiceUnavailable';
      res.writeHead(status, { 'content-type': 'application/xml' });
      res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>x</Message></Error>`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const store = new S3Store({
      endPoint: '127.0.0.1',
      port: (server.address() as AddressInfo).port,
      useSSL: false,
      accessKey: 'a',
      secretKey: 'b',
      bucket: 'rehearse-test',
    });
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const calls: [string, () => Promise<unknown>][] = [
        ['put', () => store.put('a/b', Readable.from(Buffer.from('x')), 1)],
        ['get', () => store.get('a/b')],
        ['get a range', () => store.get('a/b', { start: 0, end: 0 })],
        ['stat', () => store.stat('a/b')],
        ['delete', () => store.delete('a/b')],
        ['list', () => store.list('a/')],
        ['ensureBucket', () => store.ensureBucket()],
      ];
      for (status of [503, 429]) {
        for (const [what, run] of calls) {
          const e = await run().then(
            () => null,
            (err: unknown) => err,
          );
          expect({ status, what, unavailable: isServiceUnavailable(e) }).toEqual({ status, what, unavailable: true });
        }
      }
      status = 403;
      const refused = await store.get('a/b').then(
        () => null,
        (err: unknown) => err,
      );
      expect(refused).toBeInstanceOf(Error);
      expect(isServiceUnavailable(refused)).toBe(false);
    } finally {
      warn.mockRestore();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('key vault', () => {
  let dir: string;
  const master = randomBytes(32);
  const id = 'user-3f2b6c1e-0000-4000-8000-0000000000bb';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rehearse-vault-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('makes a key once, even when several callers race, and keeps it wrapped at rest', async () => {
    const vault = new FileKeyVault(dir, master);
    const keys = await Promise.all([1, 2, 3, 4, 5].map(() => vault.getOrCreate(id)));
    expect(keys.every((k) => k.equals(keys[0]))).toBe(true);
    expect(await vault.list()).toEqual([id]);
    const { readFile } = await import('node:fs/promises');
    const file = await readFile(join(dir, `${id}.key`), 'utf8');
    expect(file).not.toContain(keys[0].toString('base64'));
    // a second process with the same master key reads the same key; another master key cannot
    expect((await new FileKeyVault(dir, master).get(id))?.equals(keys[0])).toBe(true);
    await expect(new FileKeyVault(dir, randomBytes(32)).get(id)).rejects.toThrow();
  });

  it('destroys keys for good, and refuses ids that are not key ids', async () => {
    const vault = new FileKeyVault(dir, master);
    await vault.getOrCreate(id);
    expect(await vault.destroy(id)).toBe(true);
    expect(await vault.destroy(id)).toBe(false);
    expect(await vault.get(id)).toBeNull();
    expect(await vault.list()).toEqual([]);
    for (const bad of ['../x', 'user-../../etc/passwd', 'admin-3f2b6c1e-0000-4000-8000-0000000000bb', '']) {
      await expect(vault.get(bad)).rejects.toThrow(/invalid key id/);
    }
  });

  it('forgets a key for good: never made again under its id, even by a process that was making it then, and listed as forgotten', async () => {
    const vault = new FileKeyVault(dir, master);
    await vault.getOrCreate(id);
    expect(await vault.forget(id)).toBe(true);
    expect(await vault.get(id)).toBeNull();
    await expect(vault.getOrCreate(id)).rejects.toThrow(KeyDestroyedError);
    await expect(new FileKeyVault(dir, master).getOrCreate(id)).rejects.toThrow(KeyDestroyedError);
    expect(await vault.list()).toEqual([]);
    expect(await vault.forgotten()).toEqual([id]);
    // an id without a key (a person who never recorded) is remembered too
    const other = 'user-3f2b6c1e-0000-4000-8000-0000000000cc';
    expect(await vault.forget(other)).toBe(false);
    expect((await vault.forgotten()).sort()).toEqual([id, other].sort());
    // a key being made while its id is forgotten: the erasure comes between the maker's look for a
    // tombstone and its writing the key; the maker finds the tombstone after writing it
    const third = 'user-3f2b6c1e-0000-4000-8000-0000000000dd';
    const racing = new FileKeyVault(dir, master);
    const looks = racing as unknown as { isForgotten(key: string): Promise<boolean> };
    const realLook = looks.isForgotten.bind(racing);
    jest.spyOn(looks, 'isForgotten').mockImplementationOnce(async (key: string) => {
      const before = await realLook(key);
      await vault.forget(third);
      return before;
    });
    await expect(racing.getOrCreate(third)).rejects.toThrow(KeyDestroyedError);
    expect(await vault.get(third)).toBeNull();
    expect(await vault.list()).toEqual([]);
  });
});
