const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join } = require('path');

// The worker bundle, plus the model tool worker hosts run: `node dist/apps/worker/models.js install base.en`.
module.exports = {
  output: { path: join(__dirname, '../../dist/apps/worker') },
  plugins: [
    new NxAppWebpackPlugin({
      target: 'node',
      compiler: 'tsc',
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
