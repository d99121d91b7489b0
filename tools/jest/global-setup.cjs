// Builds the migrated template database once per Jest run (each test file clones it).
// It runs in a child process through tools/scripts/ts-run.cjs, because Jest's globalSetup
// neither applies moduleNameMapper nor lets another TypeScript loader take over.
const path = require('node:path');
const { createHash } = require('node:crypto');
const { execFileSync } = require('node:child_process');

module.exports = async function globalSetup() {
  if (process.env.REHEARSE_TEMPLATE_READY === '1') return;
  const root = path.join(__dirname, '..', '..');
  // one template per checkout: two checkouts testing at once on one PostgreSQL (a clean clone's
  // .ci/run beside a working copy) would otherwise re-create each other's template mid-run, and one
  // would test the other's migrations. The test files (Jest's workers) inherit the name.
  if (!process.env.TEST_DATABASE_TEMPLATE)
    process.env.TEST_DATABASE_TEMPLATE = `rehearse_test_template_${createHash('sha256').update(root).digest('hex').slice(0, 12)}`;
  execFileSync(
    process.execPath,
    [path.join(root, 'tools/scripts/ts-run.cjs'), path.join(__dirname, 'build-template.ts')],
    {
      stdio: 'inherit',
      cwd: root,
    },
  );
  process.env.REHEARSE_TEMPLATE_READY = '1';
};
