import { Global, Module } from '@nestjs/common';
import { URL } from 'node:url';
import { APP_CONFIG, AppConfig } from '@rehearse/server/core';
import type { BlobStore } from './blob-store';
import { KeyRing } from './keys';
import { KeyVault } from './key-vault';
import { LocalDiskStore } from './local-disk.store';
import { S3Store } from './s3.store';
import { SealedObjects } from './sealed-object';

export const BLOB_STORE = Symbol('BLOB_STORE');

export function blobStoreFrom(config: AppConfig): BlobStore {
  if (config.STORAGE_DRIVER === 'local') return new LocalDiskStore(config.STORAGE_DIR);
  const url = new URL(config.S3_ENDPOINT as string);
  return new S3Store({
    endPoint: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    useSSL: url.protocol === 'https:',
    accessKey: config.S3_ACCESS_KEY as string,
    secretKey: config.S3_SECRET_KEY as string,
    bucket: config.S3_BUCKET,
    region: config.S3_REGION,
  });
}

/** The configured store (local disk by default, or S3) and the encryption over it. */
@Global()
@Module({
  providers: [
    { provide: BLOB_STORE, inject: [APP_CONFIG], useFactory: blobStoreFrom },
    { provide: KeyVault, inject: [APP_CONFIG], useFactory: (c: AppConfig) => new KeyVault(c.KEY_VAULT_DIR, c.storageMasterKey) },
    { provide: KeyRing, inject: [APP_CONFIG, KeyVault], useFactory: (c: AppConfig, vault: KeyVault) => new KeyRing(c.storageMasterKey, vault) },
    { provide: SealedObjects, inject: [BLOB_STORE, KeyRing], useFactory: (store: BlobStore, keys: KeyRing) => new SealedObjects(store, keys) },
  ],
  exports: [BLOB_STORE, KeyVault, KeyRing, SealedObjects],
})
export class StorageModule {}
