// The server tests' environment: Node's (jest-environment-node), with V8's compiled code of each
// module kept for the next test file the same Jest worker runs.
//
// Jest gives every test file a fresh module registry, so each file loads its modules again: about
// 3,500 of them for a file that starts the API (NestJS, TypeORM, Kysely, … and our libraries), and
// V8 parsed and compiled every one of them anew each time (vm.compileFunction; Jest passes no code
// cache). That was 1.3 s of the 3 s a file spent loading the API's modules, measured with
// --cpu-prof. Here each module is compiled as a script of one function expression (the module's
// code on the wrapper's first line, so its lines and stack traces stay where they were), and once
// the first test file that loaded it has run, V8's cache of that script is kept: taken then, it
// holds the functions the file called as well as the module's top level. The files after it hand
// V8 that cache (`cachedData`) for the same module's same code, so V8 reads the compiled code
// instead of parsing and compiling it again: loading the API's modules 3.3–4.3 s → 1.1–1.5 s a file
// with a cache taken at compilation (the top level only), and five HTTP-tier files in one worker
// 16.7–17.0 → 14.7–15.2 s of CPU with the cache taken after the first file (2026-12-06). The
// modules still run afresh in each file, exactly as before: only the compilation is kept, and only
// while the code is the same string (a changed file compiles anew).
const vm = require('node:vm');
const { TestEnvironment } = require('jest-environment-node');

/** module file -> its code as Jest compiled it, and V8's cache of that compilation */
const kept = new Map();
/** the scripts the current test file compiled without a cache: cached when it has run */
const fresh = [];
/** module file -> how it was compiled last: 'cache' or 'source' (the environment's own test reads it) */
const compiledFrom = new Map();

/** Takes the cache of every script compiled from its source since the last call (a test file's end). */
function keepFresh() {
  for (const { file, code, script } of fresh.splice(0)) kept.set(file, { code, data: script.createCachedData() });
}

if (!vm.compileFunction.codeCache) {
  // Jest's call: (code, its parameters' names, { filename, importModuleDynamically, parsingContext })
  const compileFunction = function compileFunction(code, params, options = {}) {
    const file = options.filename;
    const known = file ? kept.get(file) : undefined;
    const cachedData = known && known.code === code ? known.data : undefined;
    const script = new vm.Script(`(function (${params.join(', ')}) {${code}\n})`, {
      filename: file,
      cachedData,
      importModuleDynamically: options.importModuleDynamically,
    });
    // V8 refuses a cache made under other flags or by another version: compiled from the source
    const fromSource = !cachedData || script.cachedDataRejected;
    if (file) {
      compiledFrom.set(file, fromSource ? 'source' : 'cache');
      if (fromSource) fresh.push({ file, code, script });
    }
    return options.parsingContext ? script.runInContext(options.parsingContext) : script.runInThisContext();
  };
  compileFunction.codeCache = {
    keepFresh,
    compiledFrom: (file) => compiledFrom.get(file),
    kept: (file) => kept.get(file)?.data,
  };
  vm.compileFunction = compileFunction;
}

class Environment extends TestEnvironment {
  async teardown() {
    vm.compileFunction.codeCache.keepFresh();
    await super.teardown();
  }
}

module.exports = Environment;
