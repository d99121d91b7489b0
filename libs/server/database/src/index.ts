export * from './lib/entities';
export * from './lib/data-source-options';
export * from './lib/database.module';
export * from './lib/test-database';
export * from './lib/advisory-lock';
export * from './lib/database-role.check';
export * from './lib/runtime-role';
export * from './lib/prepared';
