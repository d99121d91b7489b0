export * from './lib/demo-course';
export * from './lib/mailbox';
export * from './lib/scale-data';
export * from './lib/i18n-check';
export * from './lib/server-messages';
export * from './lib/moto';
export * from './lib/ports';
export * from './lib/browser-pages';
