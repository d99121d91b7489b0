export * from './lib/shredder';
export * from './lib/retention.service';
export * from './lib/erasure.service';
export * from './lib/user-data';
export * from './lib/dto';
export * from './lib/privacy.module';
export * from './lib/tenant-destruction.service';
export * from './lib/advisory-lock';
