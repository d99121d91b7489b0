const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join } = require('path');
const { ServerSwcOptions } = require('../../tools/webpack-swc.cjs');

// The API bundle, plus the operator commands the production image runs:
// `node dist/apps/api/migrate.js run` and `node dist/apps/api/create-tenant.js ...`.
module.exports = {
  output: { path: join(__dirname, '../../dist/apps/api') },
  plugins: [
    new NxAppWebpackPlugin({
      target: 'node',
      // SWC, as the tests compile the same code (tools/swc-options.cjs, set by ServerSwcOptions below)
      compiler: 'swc',
      // type-checked by api's typecheck target (apps/api/tsconfig.spec.json: one program over
      // every server source, tests and tools included); a forked checker per build only cost CPU
      typeCheckOptions: false,
      main: './src/main.ts',
      tsConfig: './tsconfig.app.json',
      additionalEntryPoints: [
        { entryName: 'migrate', entryPath: 'tools/migrate.ts' },
        { entryName: 'create-tenant', entryPath: 'tools/create-tenant.ts' },
      ],
      optimization: false,
      outputHashing: 'none',
      generatePackageJson: false,
      sourceMap: true,
    }),
    new ServerSwcOptions(),
  ],
};
