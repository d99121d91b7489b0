import { HeadBucketCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { Upload } from '@tus/utils';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { loadConfig, WorkFolder } from '@rehearse/server/core';
import { Moto, startMoto } from '@rehearse/server/testing';
import type { Actor } from '@rehearse/server/access';
import { UploadStaging } from './upload-staging';

/**
 * Uploads staged in a bucket (UPLOAD_STAGING=s3) against a real process speaking the S3 API
 * (moto). The whole tus conversation across two API processes is in the API's replicas test; here
 * the bucket's upkeep: made when missing, ids the server did not make refused, expired uploads
 * removed (finished ones never submitted too).
 */
describe('upload staging in S3', () => {
  let moto: Moto;
  let dir: string;
  let staging: UploadStaging;
  const bucket = 'rehearse-staging-test';
  const objects = async () =>
    ((await moto.s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((o) => o.Key).sort();
  const attempt = <T>(f: () => Promise<T>) => Promise.resolve().then(f);
  const stage = async (id: string, bytes: Buffer) => {
    await staging.store.create(
      new Upload({ id, size: bytes.length, offset: 0, metadata: { purpose: 'answer', owner: 'u', tenant: 't' } }),
    );
    return staging.store.write(Readable.from([bytes]), id, 0);
  };

  /** Staging in its own bucket (not made yet). */
  const stagingIn = (uploads: string) => {
    const config = loadConfig({
      NODE_ENV: 'test',
      ...moto.env({ keys: 'rehearse-keys', uploads }, 'unused'),
      KEY_VAULT: 'file',
      KEY_VAULT_DIR: join(dir, 'keys/vault'),
      WORK_DIR: join(dir, 'work'),
      UPLOAD_EXPIRY_HOURS: '1',
    });
    // (the ledger's claims and open uploads are the API's: recordings.int-spec, concurrency.int-spec)
    const ledger = {
      claim: async () => true,
      release: async () => undefined,
      open: async () => 1,
      close: async () => undefined,
    };
    return new UploadStaging(config, new WorkFolder(config.WORK_DIR), ledger);
  };

  beforeAll(async () => {
    moto = await startMoto();
    dir = await mkdtemp(join(tmpdir(), 'rehearse-staging-'));
    staging = stagingIn(bucket);
  }, 120_000);
  afterAll(async () => {
    jest.restoreAllMocks();
    await moto?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('makes its bucket when missing, once however often asked', async () => {
    const fresh = stagingIn('rehearse-staging-fresh');
    await expect(moto.s3.send(new HeadBucketCommand({ Bucket: 'rehearse-staging-fresh' }))).rejects.toThrow();
    await Promise.all([fresh.ready(), fresh.ready()]);
    await fresh.ready();
    await expect(moto.s3.send(new HeadBucketCommand({ Bucket: 'rehearse-staging-fresh' }))).resolves.toBeDefined();
  });

  it('stages only ids the server makes, and reads back what it staged', async () => {
    await staging.ready(); // the bucket, whichever test runs first
    for (const bad of ['../../etc/passwd', 'A'.repeat(32), 'a'.repeat(31), `${'a'.repeat(32)}.info`]) {
      await expect(
        attempt(() => staging.store.create(new Upload({ id: bad, size: 1, offset: 0 }))),
      ).rejects.toMatchObject({ status_code: 404 });
      await expect(attempt(() => staging.store.getUpload(bad))).rejects.toMatchObject({ status_code: 404 });
    }
    const id = 'b'.repeat(32);
    expect(await stage(id, Buffer.from('ten bytes!'))).toBe(10);
    expect(await staging.store.getUpload(id)).toMatchObject({ id, size: 10, offset: 10 });
    await staging.discard(id);
    expect(await objects()).toEqual([]);
  });

  it('takes an empty file (S3 completes no multipart upload of no parts), for the submission to refuse', async () => {
    await staging.ready(); // the bucket, whichever test runs first
    const id = 'f'.repeat(32);
    expect(await stage(id, Buffer.alloc(0))).toBe(0);
    expect(await staging.store.getUpload(id)).toMatchObject({ id, size: 0, offset: 0 });
    const body = (await (staging.store as unknown as { read(id: string): Promise<Readable> }).read(id)) as Readable;
    expect((await buffer(body)).length).toBe(0);
    await staging.discard(id);
    expect(await objects()).toEqual([]);
  });

  it('cancels an upload finished or not (a finished one has no multipart upload left to abort)', async () => {
    await staging.ready(); // the bucket, whichever test runs first
    // finished, not submitted: the person cancels it (tus's DELETE) before submitting
    const finished = '1'.repeat(32);
    await stage(finished, Buffer.from('all of it'));
    await staging.store.remove(finished);
    // begun, not finished
    const begun = '2'.repeat(32);
    await staging.store.create(new Upload({ id: begun, size: 100, offset: 0, metadata: { purpose: 'answer' } }));
    await staging.store.write(Readable.from([Buffer.from('some')]), begun, 0);
    await staging.store.remove(begun);
    expect(await objects()).toEqual([]);
  });

  it('cancelling an upload that is gone is a 404, also in a process that still remembers it', async () => {
    await staging.ready(); // the bucket, whichever test runs first
    const id = '3'.repeat(32);
    await stage(id, Buffer.from('submitted meanwhile'));
    // another API process has read it (and keeps what it read)
    const other = stagingIn(bucket);
    expect(await other.store.getUpload(id)).toMatchObject({ id, offset: 19 });
    // this one's submission stored it and removed it from the bucket
    await staging.discard(id);
    await expect(attempt(() => other.store.remove(id))).rejects.toMatchObject({ status_code: 404 });
    await expect(attempt(() => staging.store.remove(id))).rejects.toMatchObject({ status_code: 404 });
    expect(await objects()).toEqual([]);
  });

  it('a submission through a process that read the upload before another stored and removed it is a 404', async () => {
    await staging.ready(); // the bucket, whichever test runs first
    const id = '5'.repeat(32);
    await staging.store.create(
      new Upload({ id, size: 5, offset: 0, metadata: { purpose: 'answer', owner: 'u', tenant: 't' } }),
    );
    await staging.store.write(Readable.from([Buffer.from('hello')]), id, 0);
    const other = stagingIn(bucket);
    expect(await other.store.getUpload(id)).toMatchObject({ id, offset: 5 });
    await staging.discard(id);
    const actor = { userId: 'u', tenantId: 't', permissions: new Set(['courses.learn']) } as unknown as Actor;
    await expect(other.take(actor, id, 'answer')).rejects.toMatchObject({ status: 404 });
    expect(await objects()).toEqual([]);
  });

  it('removes uploads past their expiry (finished ones never submitted too), and a finished one not before', async () => {
    await staging.ready(); // the bucket, whichever test runs first
    await stage('c'.repeat(32), Buffer.from('finished'));
    await staging.store.create(
      new Upload({ id: 'd'.repeat(32), size: 100, offset: 0, metadata: { purpose: 'answer' } }),
    );
    expect(await objects()).toEqual(
      expect.arrayContaining(['c'.repeat(32), `${'c'.repeat(32)}.info`, `${'d'.repeat(32)}.info`]),
    );
    // a finished upload not yet submitted stays until its expiry (unfinished multipart uploads
    // are the tus store's own to expire: moto reports every one as begun in 2010, so it removes
    // the unfinished one here at once; S3 reports the real time)
    await staging.cleanUpExpired();
    expect(await objects()).toEqual(['c'.repeat(32), `${'c'.repeat(32)}.info`]);
    // two hours on (UPLOAD_EXPIRY_HOURS is 1)
    const now = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(now + 2 * 3600_000);
    expect(await staging.cleanUpExpired()).toBe(1);
    expect(await objects()).toEqual([]);
  });
});
