import { parse } from 'csv-parse/sync';
import { csvLines, safeCell } from './csv';

describe('CSV lines', () => {
  it('quotes what must be quoted (commas, quotes, line breaks) and nothing else; one line a row, each ending with \\n', () => {
    expect(csvLines([['name', 'score']])).toBe('name,score\n');
    expect(csvLines([['Núñez, José', 'say "hi"', 'two\nlines', 'cr\r', 4.5, 0, '']])).toBe(
      '"Núñez, José","say ""hi""","two\nlines","cr\r",4.5,0,\n',
    );
    expect(csvLines([])).toBe('');
  });

  it('reads back as written, whatever the text (a spreadsheet’s formula characters neutralised by safeCell)', () => {
    const hostile = [
      '=HYPERLINK("http://evil.test","x")',
      '+1',
      '-2',
      '@SUM(A1)',
      '\tTab',
      '\r\n',
      ' leading and trailing ',
      '""',
      ',',
      '\u2028 line separator',
      '😀 emoji',
      '',
      'a\u0000b',
    ];
    const rows = hostile.map((s, i) => [i, safeCell(s), s.length]);
    const read = parse(csvLines([['n', 'text', 'length'], ...rows]), { columns: true, relax_quotes: false }) as {
      n: string;
      text: string;
      length: string;
    }[];
    expect(read.map((r) => r.text)).toEqual(hostile.map((s) => safeCell(s)));
    expect(read.map((r) => Number(r.n))).toEqual(hostile.map((_, i) => i));
    // the formula characters are quoted away, the rest left as typed
    expect(read[0].text).toBe(`'=HYPERLINK("http://evil.test","x")`);
    expect(read[6].text).toBe(' leading and trailing ');
  });
});
