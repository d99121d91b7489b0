export * from './lib/config';
export * from './lib/errors';
export * from './lib/exception.filter';
export * from './lib/clock';
export * from './lib/logging';
export * from './lib/secret-box';
export * from './lib/core.module';
