export * from './lib/session-data';
export * from './lib/actor';
export * from './lib/decorators';
export * from './lib/access.service';
export * from './lib/access.guard';
export * from './lib/privacy-log.service';
export * from './lib/access.module';
export * from './lib/actor-row';
