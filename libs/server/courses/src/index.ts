export * from './lib/dto';
export * from './lib/markdown';
export * from './lib/content';
export * from './lib/courses.service';
export * from './lib/rubrics.service';
export * from './lib/groups.service';
export * from './lib/learning.service';
export * from './lib/courses.module';
