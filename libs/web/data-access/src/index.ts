export * from './lib/api-error';
export * from './lib/auth.api';
export * from './lib/account.api';
export * from './lib/admin.api';
export * from './lib/superuser.api';
export * from './lib/courses.api';
export * from './lib/recordings.api';
export * from './lib/feedback.api';
