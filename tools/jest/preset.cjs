// Shared Jest settings for server-side projects: SWC transform with decorator metadata (Nest DI),
// tsconfig path aliases, real PostgreSQL via a migrated template database.
const path = require('node:path');
require('../scripts/local-env.cjs').apply();
// the AWS SDK (the KMS key vault, S3 upload staging) warns once per process that its 2027
// releases need Node 22; tests (and the processes they start) run on this machine's Node 20
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const root = path.join(__dirname, '..', '..');
const { compilerOptions } = require(path.join(root, 'tsconfig.base.json'));

const moduleNameMapper = {};
for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
  moduleNameMapper[`^${alias.replace(/[/\\^$*+?.()|[\]{}]/g, '\\$&')}$`] = path.join(root, target);
}

// as the production bundles compile it (tools/swc-options.cjs), with the source maps inline
const swc = { ...require('../swc-options.cjs'), sourceMaps: 'inline' };

/** @param {string} name @param {string} dir @param {{ database?: boolean }} opts */
module.exports = function serverJestConfig(name, dir, opts = {}) {
  return {
    displayName: name,
    rootDir: dir,
    // Node's, keeping V8's compiled code of each module for the worker's next test file (environment.cjs)
    testEnvironment: path.join(__dirname, 'environment.cjs'),
    transform: { '^.+\\.[tj]s$': ['@swc/jest', swc] },
    // openid-client and its dependencies ship ES modules only: compiled to CommonJS like our code
    transformIgnorePatterns: ['/node_modules/(?!(openid-client|oauth4webapi|jose)/)'],
    moduleFileExtensions: ['ts', 'js', 'json'],
    moduleNameMapper,
    testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/src/**/*.medium-spec.ts', '<rootDir>/src/**/*.int-spec.ts'],
    ...(opts.database ? { globalSetup: path.join(__dirname, 'global-setup.cjs') } : {}),
    testTimeout: 120_000,
  };
};
