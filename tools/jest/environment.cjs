// The server tests' environment: Node's (jest-environment-node), with V8's compiled code of each
// module kept for the next test file the same Jest worker runs.
//
// Jest gives every test file a fresh module registry, so each file loads its modules again: about
// 3,500 of them for a file that starts the API (NestJS, TypeORM, Kysely, … and our libraries), and
// V8 parsed and compiled every one of them anew each time (vm.compileFunction; Jest passes no code
// cache). That was 1.3 s of the 3 s a file spent loading the API's modules, measured with
// --cpu-prof. Here the first file a worker runs compiles each module and keeps V8's cache of it;
// the files after it hand V8 that cache (`cachedData`) for the same module's same code, so V8
// reads the compiled code instead of parsing the source: loading the API's modules 3.3–4.3 s →
// 1.1–1.5 s a file. The modules still run afresh in each file, exactly as before: only the
// compilation is kept, and only while the code is the same string (a changed file compiles anew).
const vm = require('node:vm');
const { TestEnvironment } = require('jest-environment-node');

if (!vm.compileFunction.keepsCodeCache) {
  const compile = vm.compileFunction;
  /** module file -> its code as Jest compiled it, and V8's cache of that compilation */
  const kept = new Map();
  const compileFunction = function compileFunction(code, params, options = {}) {
    const file = options.filename;
    const known = file ? kept.get(file) : undefined;
    if (known && known.code === code) {
      const fn = compile.call(vm, code, params, { ...options, cachedData: known.data });
      // V8 refuses a cache made under other flags or by another version: compiled from the source
      if (!fn.cachedDataRejected) return fn;
    }
    const fn = compile.call(vm, code, params, { ...options, produceCachedData: true });
    if (file && fn.cachedDataProduced) kept.set(file, { code, data: fn.cachedData });
    return fn;
  };
  compileFunction.keepsCodeCache = true;
  vm.compileFunction = compileFunction;
}

module.exports = TestEnvironment;
