export * from './lib/text';
export * from './lib/metrics';
export * from './lib/assess';
export * from './lib/audio';
export * from './lib/proposals';
export { en as COACH_TEXT_EN } from './lib/locales/en';
export { nl as COACH_TEXT_NL } from './lib/locales/nl';
