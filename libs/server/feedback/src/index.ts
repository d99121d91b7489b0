export * from './lib/rotation';
export * from './lib/answers';
export * from './lib/reviews.service';
export * from './lib/reports.service';
export * from './lib/feedback.module';
export * from './lib/dto';
