// The API's and the worker's bundles compile TypeScript with SWC under the options the tests use
// (tools/swc-options.cjs). NxAppWebpackPlugin (compiler: 'swc') adds swc-loader with options of its
// own (an older target, loose mode); this plugin, placed after it, gives the loader the shared ones.
const swcOptions = require('./swc-options.cjs');

class ServerSwcOptions {
  apply(compiler) {
    const rules = compiler.options.module.rules.filter(
      (rule) => rule && typeof rule.loader === 'string' && rule.loader.includes('swc-loader'),
    );
    if (rules.length !== 1) throw new Error(`ServerSwcOptions: expected one swc-loader rule, found ${rules.length}`);
    rules[0].options = structuredClone(swcOptions);
  }
}

module.exports = { ServerSwcOptions };
