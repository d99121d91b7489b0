export * from './lib/roles';
export * from './lib/permissions';
export * from './lib/jobs';
export * from './lib/api';
export * from './lib/errors';
export * from './lib/courses';
export * from './lib/scoring';
export * from './lib/recordings';
