export * from './lib/queue.module';
export * from './lib/mail.producer';
export * from './lib/mailer';
export * from './lib/mail-composer';
export * from './lib/mail.processor';
export * from './lib/mail-worker.module';
export { en as MAIL_TEXT_EN } from './lib/locales/en';
export { nl as MAIL_TEXT_NL } from './lib/locales/nl';
