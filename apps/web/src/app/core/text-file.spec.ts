import { textOf } from './text-file';

describe('textOf', () => {
  const file = (...parts: (number[] | string)[]) =>
    new Blob(parts.map((p) => (typeof p === 'string' ? p : new Uint8Array(p))));
  /** "José;€5" in UTF-16, without its mark, in the byte order asked */
  const utf16 = (littleEndian: boolean) =>
    [...'José;€5'].flatMap((c) => {
      const u = c.charCodeAt(0);
      return littleEndian ? [u & 0xff, u >> 8] : [u >> 8, u & 0xff];
    });

  it('reads UTF-8, with its byte-order mark or without', async () => {
    expect(await textOf(file('name\nJosé Núñez'))).toBe('name\nJosé Núñez');
    expect(await textOf(file([0xef, 0xbb, 0xbf], 'José'))).toBe('José');
  });

  it('reads UTF-16 in either byte order by its mark (Excel’s "Unicode Text")', async () => {
    expect(await textOf(file([0xff, 0xfe], utf16(true)))).toBe('José;€5');
    expect(await textOf(file([0xfe, 0xff], utf16(false)))).toBe('José;€5');
  });

  it('reads what is not UTF-8 as Windows-1252 (Excel’s "CSV" on Windows), where File.text() wrote "�"', async () => {
    // "José;€5" as Excel on Windows saves it: é is 0xE9, € is 0x80
    const ansi = file([0x4a, 0x6f, 0x73, 0xe9, 0x3b, 0x80, 0x35]);
    expect(await ansi.text()).toBe('Jos\uFFFD;\uFFFD5');
    expect(await textOf(ansi)).toBe('José;€5');
  });
});
