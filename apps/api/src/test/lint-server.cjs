// ESLint for the tests of the workspace's lint rules (apps/api/src/test/lint.ts): the workspace's
// configuration loaded once per test file, then each source linted on request as if it were the
// given file, as `eslint --stdin --stdin-filename <file>` lints it (one process each cost 1.3 s of
// CPU to load the configuration and its plugins again).
const { ESLint } = require('eslint');

const eslint = new ESLint({ cwd: process.argv[2] });
const stylish = eslint.loadFormatter('stylish');

process.on('message', async ({ id, file, source }) => {
  try {
    const results = await eslint.lintText(source, { filePath: file, warnIgnored: true });
    const out = await (await stylish).format(results);
    // the command's exit code: 1 when a rule reported an error
    const code = results.some((r) => r.errorCount > 0 || r.fatalErrorCount > 0) ? 1 : 0;
    process.send({ id, code, out });
  } catch (e) {
    process.send({ id, code: 2, out: String((e && e.stack) || e) });
  }
});
