import * as vm from 'node:vm';

/** What tools/jest/environment.cjs adds to node:vm's compileFunction, which Jest compiles every module with. */
interface CodeCache {
  keepFresh(): void;
  compiledFrom(file: string): 'cache' | 'source' | undefined;
  kept(file: string): Buffer | undefined;
}
const codeCache = (vm.compileFunction as typeof vm.compileFunction & { codeCache: CodeCache }).codeCache;
const compile = (code: string, file: string) =>
  vm.compileFunction(code, ['a'], { filename: file }) as unknown as (a: number) => number;

/**
 * The server tests' environment (tools/jest/environment.cjs) keeps V8's compiled code of each
 * module for the next test file a worker runs, taken when the file that first loaded the module has
 * run: the same file's same code is compiled from that cache, changed code from its source.
 */
describe('the test environment', () => {
  const file = (name: string) => `/virtual/code-cache-${name}-${process.pid}-${Date.now()}.js`;
  const code = 'return (function inner(x) { return x + 1; })(a) + (function unused(y) { return y * 2; })(0) * 0;';

  it('compiles a module from its source until the test file that loaded it has run, then from the kept cache', () => {
    const module = file('module');
    expect(compile(code, module)(7)).toBe(8);
    expect(codeCache.compiledFrom(module)).toBe('source');
    // within the same test file: nothing is kept yet
    expect(compile(code, module)(7)).toBe(8);
    expect(codeCache.compiledFrom(module)).toBe('source');
    codeCache.keepFresh(); // what the environment does when a test file ends
    expect(compile(code, module)(7)).toBe(8);
    expect(codeCache.compiledFrom(module)).toBe('cache');
  });

  it('compiles changed code from its source, never from the cache of the old code', () => {
    const module = file('changed');
    compile(code, module)(1);
    codeCache.keepFresh();
    const changed = compile('return a * 7;', module);
    expect(codeCache.compiledFrom(module)).toBe('source');
    expect(changed(7)).toBe(49);
  });

  it('keeps the functions a module ran, compiled, beside its top level', () => {
    // a function declaration V8 compiles only when it is first called (not wrapped in parentheses)
    const lazy = `function big(x) { ${Array.from({ length: 40 }, (_, i) => `x = (x * ${i + 3}) % 1000003;`).join(' ')} return x; }\nreturn a > 0 ? big(a) : 0;`;
    const ran = file('ran');
    const notRan = file('not-ran');
    compile(lazy, ran)(5);
    compile(lazy, notRan)(0);
    codeCache.keepFresh();
    // the same code, one cache taken after `big` ran: V8 compiled it, and its bytecode is in the cache
    expect((codeCache.kept(ran) as Buffer).length).toBeGreaterThan((codeCache.kept(notRan) as Buffer).length + 200);
  });

  it('leaves a module’s lines where they were: a stack trace points at the module’s own line', () => {
    const module = file('lines');
    const thrower = compile('const b = a;\n\nthrow new Error(`at ${b}`);', module);
    let stack = '';
    try {
      thrower(1);
    } catch (e) {
      stack = (e as Error).stack ?? '';
    }
    expect(stack).toContain(`${module}:3:`);
  });
});
