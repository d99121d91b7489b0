import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { Moto, startMoto } from '@rehearse/server/testing';
import { loadConfig } from '@rehearse/server/core';
import { KeyDestroyedError } from './key-vault';
import { KeyRing } from './keys';
import { KmsKeyVault } from './kms-key-vault';
import { LocalDiskStore } from './local-disk.store';
import { SealedObjects } from './sealed-object';
import { keyVaultFrom } from './storage.module';

/**
 * The key vault for several hosts, against a real process speaking the AWS KMS and S3 APIs (moto,
 * tools/scripts/ensure-moto.sh). Each "host" is a vault instance of its own with no memory of the
 * others' (cacheMs 0): only the service and the bucket are shared.
 */
describe('KMS key vault (several hosts)', () => {
  let moto: Moto;
  let kmsKeyId: string;
  let bucket: string;
  const host = (cacheMs = 0, keyId = kmsKeyId) =>
    new KmsKeyVault({ kms: moto.kms, kmsKeyId: keyId, s3: moto.s3, bucket, cacheMs });
  const id = (n: number) => `user-3f2b6c1e-0000-4000-8000-${String(n).padStart(12, '0')}`;

  beforeAll(async () => {
    moto = await startMoto();
    kmsKeyId = await moto.kmsKey();
    bucket = await moto.bucket('rehearse-keys');
  }, 120_000);
  afterAll(() => moto?.stop());

  it('makes a key once when several hosts ask at the same time, and every host reads that key', async () => {
    const hosts = [host(), host(), host(), host()];
    const keys = await Promise.all(hosts.map((h) => h.getOrCreate(id(1))));
    expect(keys[0]).toHaveLength(32);
    expect(keys.every((k) => k.equals(keys[0]))).toBe(true);
    expect((await host().get(id(1)))?.equals(keys[0])).toBe(true);
    // one key object for the id (other tests' keys may be listed too)
    expect((await host().list()).filter((k) => k === id(1))).toEqual([id(1)]);
  });

  it("stores only the service's ciphertext, bound to the key's id", async () => {
    const key = await host().getOrCreate(id(2));
    const { Body } = await moto.s3.send(new GetObjectCommand({ Bucket: bucket, Key: `${id(2)}.key` }));
    const stored = Buffer.from((await Body?.transformToByteArray()) ?? []);
    expect(stored.length).toBeGreaterThan(32);
    expect(stored.includes(key)).toBe(false);
    // the same ciphertext under another key id does not unwrap (encryption context)
    await moto.s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${id(3)}.key`, Body: stored }));
    await expect(host().get(id(3))).rejects.toThrow();
  });

  it('destroys a key for every host; refuses ids that are not key ids', async () => {
    const a = host(60_000);
    const key = await a.getOrCreate(id(4));
    expect((await a.get(id(4)))?.equals(key)).toBe(true);
    expect(await host().destroy(id(4))).toBe(true);
    expect(await host().destroy(id(4))).toBe(false);
    expect(await host().get(id(4))).toBeNull();
    expect(await host().list()).not.toContain(id(4));
    // the host that destroys it forgets it at once
    expect(await a.destroy(id(4))).toBe(false);
    expect(await a.get(id(4))).toBeNull();
    for (const bad of ['../x', 'user-../../etc/passwd', 'admin-3f2b6c1e-0000-4000-8000-0000000000bb', '']) {
      await expect(host().get(bad)).rejects.toThrow(/invalid key id/);
      await expect(host().getOrCreate(bad)).rejects.toThrow(/invalid key id/);
    }
  });

  it('forgets a key for every host: never made again under its id, and listed as forgotten', async () => {
    const a = host();
    await a.getOrCreate(id(5));
    expect(await host().forget(id(5))).toBe(true);
    expect(await a.get(id(5))).toBeNull();
    await expect(a.getOrCreate(id(5))).rejects.toThrow(KeyDestroyedError);
    await expect(host().getOrCreate(id(5))).rejects.toThrow(KeyDestroyedError);
    expect(await host().list()).not.toContain(id(5));
    expect(await host().forget(id(6))).toBe(false);
    expect(await host().forgotten()).toEqual(expect.arrayContaining([id(5), id(6)]));
    await expect(host().getOrCreate(id(6))).rejects.toThrow(KeyDestroyedError);
  });

  it("is what KEY_VAULT=kms configures; sealed objects written on one host are read on another, and shredded by destroying the owner's key", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rehearse-kms-'));
    try {
      const config = loadConfig({
        NODE_ENV: 'test',
        ...moto.env({ keys: bucket, uploads: 'rehearse-uploads' }, kmsKeyId),
        STORAGE_DIR: dir,
      });
      const vault = keyVaultFrom(config);
      expect(vault).toBeInstanceOf(KmsKeyVault);
      const store = new LocalDiskStore(dir);
      const master = config.storageMasterKey;
      const writer = new SealedObjects(store, new KeyRing(master, vault));
      const reader = new SealedObjects(store, new KeyRing(master, host()));
      const tenantId = '3f2b6c1e-0000-4000-8000-0000000000aa';
      const ownerId = '3f2b6c1e-0000-4000-8000-0000000000bb';
      const bytes = randomBytes(100_000);
      const ref = { tenantId, key: `tenants/${tenantId.slice(0, 8)}/objects/kms`, ownerId };
      const envelope = await writer.put(ref, Readable.from([bytes]), bytes.length);
      expect(envelope.kek).toBe(`user-${ownerId}`);
      expect((await buffer(await reader.get(ref, envelope))).equals(bytes)).toBe(true);
      expect(await host().destroy(`user-${ownerId}`)).toBe(true);
      await expect(new SealedObjects(store, new KeyRing(master, host())).get(ref, envelope)).rejects.toThrow(
        KeyDestroyedError,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a configuration that would put the keys into the backed-up bucket or leave the service unnamed', () => {
    const env = { NODE_ENV: 'test', ...moto.env({ keys: 'rehearse', uploads: 'rehearse-uploads' }, kmsKeyId) };
    expect(() => loadConfig(env)).toThrow(/KEY_VAULT_BUCKET: must not be S3_BUCKET/);
    expect(() => loadConfig({ ...env, KEY_VAULT_BUCKET: 'rehearse-keys', KMS_KEY_ID: '' })).toThrow(/KMS_KEY_ID/);
    expect(() => loadConfig({ NODE_ENV: 'test', KEY_VAULT: 'kms', KMS_KEY_ID: 'alias/rehearse' })).toThrow(
      /S3_ENDPOINT: is required when KEY_VAULT=kms/,
    );
  });
});
