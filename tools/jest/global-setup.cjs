// Builds the migrated template database once per Jest run (each test file clones it).
// It runs in a child process through tools/scripts/ts-run.cjs, because Jest's globalSetup
// neither applies moduleNameMapper nor lets another TypeScript loader take over.
const path = require('node:path');
const { execFileSync } = require('node:child_process');

module.exports = async function globalSetup() {
  if (process.env.REHEARSE_TEMPLATE_READY === '1') return;
  const root = path.join(__dirname, '..', '..');
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
