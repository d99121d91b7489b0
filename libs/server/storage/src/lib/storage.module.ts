import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import { Global, Module } from '@nestjs/common';
import { URL } from 'node:url';
import { APP_CONFIG, AppConfig } from '@rehearse/server/core';
import type { BlobStore } from './blob-store';
import { KeyRing } from './keys';
import { FileKeyVault, KeyVault } from './key-vault';
import { KmsKeyVault } from './kms-key-vault';
import { LocalDiskStore } from './local-disk.store';
import { S3Store } from './s3.store';
import { SealedObjects } from './sealed-object';
import { awsRequestHandler, serviceTimeouts } from './timeouts';

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
    timeouts: serviceTimeouts(config),
  });
}

/** The AWS SDK's settings for the S3 service of S3_ENDPOINT (the key vault's and the upload staging's buckets). */
export function s3ClientConfig(config: AppConfig): S3ClientConfig {
  return {
    endpoint: config.S3_ENDPOINT,
    region: config.S3_REGION,
    forcePathStyle: true,
    credentials: { accessKeyId: config.S3_ACCESS_KEY as string, secretAccessKey: config.S3_SECRET_KEY as string },
    requestHandler: awsRequestHandler(serviceTimeouts(config)),
  };
}

/** An AWS SDK client for the S3 service of S3_ENDPOINT. */
export function s3ClientFrom(config: AppConfig): S3Client {
  return new S3Client(s3ClientConfig(config));
}

/** The configured key vault: a folder (KEY_VAULT=file) or a key-management service (KEY_VAULT=kms). */
export function keyVaultFrom(config: AppConfig): KeyVault {
  if (config.KEY_VAULT === 'file') return new FileKeyVault(config.KEY_VAULT_DIR, config.storageMasterKey);
  const kms = new KMSClient({
    endpoint: config.KMS_ENDPOINT,
    region: config.KMS_REGION,
    credentials:
      config.KMS_ACCESS_KEY && config.KMS_SECRET_KEY
        ? { accessKeyId: config.KMS_ACCESS_KEY, secretAccessKey: config.KMS_SECRET_KEY }
        : undefined,
    requestHandler: awsRequestHandler(serviceTimeouts(config)),
  });
  return new KmsKeyVault({
    kms,
    kmsKeyId: config.KMS_KEY_ID as string,
    s3: s3ClientFrom(config),
    bucket: config.KEY_VAULT_BUCKET,
  });
}

/** The configured store (local disk by default, or S3) and the encryption over it. */
@Global()
@Module({
  providers: [
    { provide: BLOB_STORE, inject: [APP_CONFIG], useFactory: blobStoreFrom },
    { provide: KeyVault, inject: [APP_CONFIG], useFactory: keyVaultFrom },
    {
      provide: KeyRing,
      inject: [APP_CONFIG, KeyVault],
      useFactory: (c: AppConfig, vault: KeyVault) => new KeyRing(c.storageMasterKey, vault),
    },
    {
      provide: SealedObjects,
      inject: [BLOB_STORE, KeyRing],
      useFactory: (store: BlobStore, keys: KeyRing) => new SealedObjects(store, keys),
    },
  ],
  exports: [BLOB_STORE, KeyVault, KeyRing, SealedObjects],
})
export class StorageModule {}
