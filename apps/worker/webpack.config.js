const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join } = require('path');
const { ServerSwcOptions } = require('../../tools/webpack-swc.cjs');

// The worker bundle, plus the tools worker hosts run: `node dist/apps/worker/models.js install base.en`,
// `backup.js`, `privacy-log.js`.
module.exports = {
  output: { path: join(__dirname, '../../dist/apps/worker') },
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
        { entryName: 'models', entryPath: 'tools/models.ts' },
        { entryName: 'backup', entryPath: 'tools/backup.ts' },
        { entryName: 'privacy-log', entryPath: 'tools/privacy-log.ts' },
      ],
      // whisper.cpp's model headers, which models.js needs to convert weights from the Python
      // package index (libs/server/speech's ggmlHeader looks beside the bundle): in the bundle
      // itself, so every image and host that runs it has them
      assets: [{ input: 'libs/server/speech/assets', glob: 'ggml-header-*.bin', output: 'assets' }],
      optimization: false,
      outputHashing: 'none',
      generatePackageJson: false,
    }),
    new ServerSwcOptions(),
  ],
};
