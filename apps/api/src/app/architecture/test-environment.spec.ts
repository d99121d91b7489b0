import { compileFunction } from 'node:vm';

/**
 * The server tests' environment (tools/jest/environment.cjs) keeps V8's compiled code of each
 * module for the next test file a worker runs: the same file's same code is compiled from that
 * cache, changed code from its source.
 */
describe('the test environment', () => {
  const file = `/virtual/code-cache-${process.pid}-${Date.now()}.js`;

  it('compiles a module from the kept cache the second time, and runs it as before', () => {
    const code = 'return a * 6 + (function inner(x) { return x + 1; })(a);';
    const first = compileFunction(code, ['a'], { filename: file }) as ReturnType<typeof compileFunction> & {
      cachedDataRejected?: boolean;
    };
    // compiled from the source: no cache handed in
    expect(first.cachedDataRejected).toBeUndefined();
    const second = compileFunction(code, ['a'], { filename: file }) as typeof first;
    expect(second.cachedDataRejected).toBe(false);
    expect(first(7)).toBe(50);
    expect(second(7)).toBe(50);
  });

  it('compiles changed code from its source, never from the cache of the old code', () => {
    const changed = compileFunction('return a * 7;', ['a'], { filename: file }) as ReturnType<
      typeof compileFunction
    > & { cachedDataRejected?: boolean };
    expect(changed.cachedDataRejected).toBeUndefined();
    expect(changed(7)).toBe(49);
  });
});
