import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import S3rver from 's3rver';
import { LocalDiskStore } from './local-disk.store';
import { S3Store } from './s3.store';
import { storageContract } from './storage.contract';

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
