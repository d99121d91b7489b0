const base = require('../../tools/jest/preset.cjs')('api-e2e', __dirname, { database: true });
module.exports = { ...base, testMatch: ['<rootDir>/src/**/*.e2e-spec.ts'] };
