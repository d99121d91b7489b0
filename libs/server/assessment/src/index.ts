export * from './lib/text';
export * from './lib/metrics';
export * from './lib/assess';
export * from './lib/audio';
export * from './lib/proposals';
