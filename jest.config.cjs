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
    '<rootDir>/libs/server/mail/jest.config.cjs',
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
  // three files at once on this project's 2-core machines: the HTTP tier's files wait on processes,
  // browsers and PostgreSQL part of the time, and a third worker fills those waits (the server
  // tests 392–410 s with 2 workers, 357 s twice with 3, 2026-12-02 on an AMD EPYC machine; the
  // cores 1.75 → 1.93 busy). Measured before whisper.cpp ran with one thread in the tests, a third
  // worker gained nothing: its spinning threads filled the cores instead.
  maxWorkers: 3,
  // a global option: project configs cannot set it in a multi-project run. It catches a hang; it
  // asserts no speed: the slowest tests (the attacker tier's, the tour's, the two-process batch)
  // took up to 27 s with three workers on a fast machine, and machines of this kind differ by 2×
  testTimeout: 120_000,
};
