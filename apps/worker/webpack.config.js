const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join } = require('path');

// The worker bundle, plus the model tool worker hosts run: `node dist/apps/worker/models.js install base.en`.
module.exports = {
  output: { path: join(__dirname, '../../dist/apps/worker') },
  plugins: [
    new NxAppWebpackPlugin({
      target: 'node',
      compiler: 'tsc',
      // type-checked by the typecheck targets (tsconfig.tools.json holds every source of the
      // bundle); a second, forked checker in every build only cost CPU time
      typeCheckOptions: false,
      main: './src/main.ts',
      tsConfig: './tsconfig.app.json',
      additionalEntryPoints: [
        { entryName: 'models', entryPath: 'tools/models.ts' },
        { entryName: 'backup', entryPath: 'tools/backup.ts' },
      ],
      optimization: false,
      outputHashing: 'none',
      generatePackageJson: false,
    }),
  ],
};
