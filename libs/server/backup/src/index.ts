export * from './lib/backup';
export * from './lib/backup.module';
