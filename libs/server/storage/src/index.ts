export * from './lib/blob-store';
export * from './lib/local-disk.store';
export * from './lib/s3.store';
export * from './lib/sealed-object';
export * from './lib/keys';
export * from './lib/key-vault';
export * from './lib/kms-key-vault';
export * from './lib/storage.module';
