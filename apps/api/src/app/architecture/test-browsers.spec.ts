import { existsSync, openSync, readSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { CHROMIUM } from '../../test/browser';

const ROOT = join(__dirname, '../../../../..');

/** The first bytes of a file: an ELF program starts with 0x7f 'E' 'L' 'F', a script with '#!'. */
function head(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(4);
    readSync(fd, b, 0, 4, 0);
    return b;
  } finally {
    closeSync(fd);
  }
}

/**
 * The browser tests and Karma launch Chromium's program itself. Debian's
 * /usr/bin/chromium-headless-shell is a shell script that starts the browser as its child; a
 * launcher that stops the script (Karma's) left the browser running, and it joined the next
 * Karma run (found 2026-12-03: thirteen browsers left after a morning's runs, tests counted twice
 * and failing with old code).
 */
describe('the Chromium the tests launch', () => {
  it('is a program, not a script that starts one (the browser tests; CHROME_BIN too, where set)', () => {
    expect(existsSync(CHROMIUM)).toBe(true);
    expect(head(CHROMIUM).toString('latin1')).toBe('\x7fELF');
  });

  it('is a program, not a script that starts one (Karma)', () => {
    const before = process.env['CHROME_BIN'];
    delete process.env['CHROME_BIN'];
    try {
      jest.isolateModules(() => {
        require(join(ROOT, 'apps/web/karma.conf.js'));
      });
      expect(head(process.env['CHROME_BIN'] ?? '').toString('latin1')).toBe('\x7fELF');
    } finally {
      if (before === undefined) delete process.env['CHROME_BIN'];
      else process.env['CHROME_BIN'] = before;
    }
  });
});
