export * from './lib/mailbox';
