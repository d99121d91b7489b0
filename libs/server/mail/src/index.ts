export * from './lib/queue.module';
export * from './lib/mail.producer';
export * from './lib/mailer';
export * from './lib/mail-composition';
export * from './lib/mail-composers';
export * from './lib/mail.processor';
export * from './lib/mail-worker.module';
