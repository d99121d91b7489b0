import { isStaleFile, RELOAD_GUARD_MS, reloadOnce } from './stale-files';

describe('a file of an older version that the server no longer has', () => {
  it('is recognised in the words of Chromium, Firefox and Safari, and nothing else is', () => {
    for (const message of [
      'Failed to fetch dynamically imported module: https://rehearse.example/chunk-ABCDEFGH.js',
      'error loading dynamically imported module: https://rehearse.example/chunk-ABCDEFGH.js',
      'Importing a module script failed.',
    ])
      expect(isStaleFile(new TypeError(message)))
        .withContext(message)
        .toBeTrue();
    for (const other of [new Error('Cannot read properties of undefined'), new Error('NG04002'), null, undefined])
      expect(isStaleFile(other)).toBeFalse();
  });

  function fakes() {
    const stored = new Map<string, string>();
    const storage = {
      getItem: (k: string) => stored.get(k) ?? null,
      setItem: (k: string, v: string) => stored.set(k, v),
    };
    const location = { assign: jasmine.createSpy('assign') };
    return { storage, location };
  }

  it('loads the address from the server once, and not again for that address within the guard time', () => {
    const { storage, location } = fakes();
    const t = 1_000_000;
    expect(reloadOnce('/coaching/reviews', storage, location, t)).toBeTrue();
    expect(location.assign).toHaveBeenCalledOnceWith('/coaching/reviews');
    // the server still lacks it after the reload: no loop
    expect(reloadOnce('/coaching/reviews', storage, location, t + 1_000)).toBeFalse();
    expect(location.assign).toHaveBeenCalledTimes(1);
    // another address, or the same one later, loads again
    expect(reloadOnce('/reports', storage, location, t + 2_000)).toBeTrue();
    expect(reloadOnce('/coaching/reviews', storage, location, t + 2_000 + RELOAD_GUARD_MS)).toBeTrue();
    expect(location.assign).toHaveBeenCalledTimes(3);
  });

  it('does nothing where the tab cannot keep a record of it; a garbled record is no record', () => {
    const { location } = fakes();
    const refusing = {
      getItem: () => null,
      setItem: () => {
        throw new DOMException('quota', 'QuotaExceededError');
      },
    };
    expect(reloadOnce('/home', refusing, location)).toBeFalse();
    expect(location.assign).not.toHaveBeenCalled();
    const garbled = { getItem: () => '{not json', setItem: () => undefined };
    expect(reloadOnce('/home', garbled, location)).toBeTrue();
    expect(location.assign).toHaveBeenCalledOnceWith('/home');
  });
});
