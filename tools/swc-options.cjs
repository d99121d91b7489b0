// How the server's TypeScript is compiled, everywhere it is: the tests (tools/jest/preset.cjs,
// through @swc/jest) and the production bundles of the API and the worker (apps/*/webpack.config.js,
// through swc-loader), so the code the tests run is compiled exactly as the code the images run.
// Types are checked separately (the typecheck targets); SWC only strips them. Decorators in
// TypeScript's legacy form with their design-time metadata, which Nest's dependency injection reads.
module.exports = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
};
