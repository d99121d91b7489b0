// Every server-side Jest project in one run (npm test). Each project also runs alone: nx test <project>.
// The local PostgreSQL roles' settings (tools/scripts/ensure-system.sh) reach every test worker.
require('./tools/scripts/local-env.cjs').apply();
module.exports = {
  projects: [
    '<rootDir>/libs/shared/contracts/jest.config.cjs',
    '<rootDir>/libs/server/core/jest.config.cjs',
    '<rootDir>/libs/server/database/jest.config.cjs',
    '<rootDir>/libs/server/access/jest.config.cjs',
    '<rootDir>/libs/server/accounts/jest.config.cjs',
    '<rootDir>/libs/server/courses/jest.config.cjs',
    '<rootDir>/libs/server/storage/jest.config.cjs',
    '<rootDir>/libs/server/speech/jest.config.cjs',
    '<rootDir>/libs/server/media/jest.config.cjs',
    '<rootDir>/libs/server/assessment/jest.config.cjs',
    '<rootDir>/libs/server/recordings/jest.config.cjs',
    '<rootDir>/libs/server/feedback/jest.config.cjs',
    '<rootDir>/libs/server/privacy/jest.config.cjs',
    '<rootDir>/libs/server/backup/jest.config.cjs',
    '<rootDir>/apps/api/jest.config.cjs',
    '<rootDir>/apps/worker/jest.config.cjs',
    '<rootDir>/apps/api-e2e/jest.config.cjs',
  ],
  globalSetup: '<rootDir>/tools/jest/global-setup.cjs',
  maxWorkers: 2,
  // a global option: project configs cannot set it in a multi-project run
  testTimeout: 60_000,
};
