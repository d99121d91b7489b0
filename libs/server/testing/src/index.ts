export * from './lib/demo-course';
export * from './lib/mailbox';
export * from './lib/scale-data';
