export * from './lib/shredder';
export * from './lib/retention.service';
export * from './lib/erasure.service';
export * from './lib/user-data';
export * from './lib/dto';
export * from './lib/privacy.module';
