export * from './lib/backup';
export * from './lib/backup.module';
export * from './lib/backup.scheduler';
