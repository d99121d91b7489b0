import { MAX_IMPORT_ROWS, parseUserCsv } from './user-import';

describe('CSV user import parsing', () => {
  it('parses quoted names, BOM, header variants, several roles and phones', () => {
    const { rows, errors } = parseUserCsv(
      '\uFEFFName,E-mail,Role,Phone\n"Smith, Anna",ANNA@x.test,participant,+31 6 12345678\nBob,bob@x.test,coach|Content Developer,\n',
    );
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      { row: 2, name: 'Smith, Anna', email: 'anna@x.test', roles: ['participant'], phone: '+31 6 12345678' },
      { row: 3, name: 'Bob', email: 'bob@x.test', roles: ['coach', 'content_developer'], phone: null },
    ]);
  });

  it('reports a missing column', () => {
    expect(parseUserCsv('name,mail\nA,a@x.test').errors).toEqual([
      expect.objectContaining({ row: 1, field: 'email' }),
      expect.objectContaining({ row: 1, field: 'role' }),
    ]);
  });

  it('reports broken CSV, empty files and too many rows', () => {
    expect(parseUserCsv('name,email,role\n"unterminated,a@x.test,coach').errors[0].field).toBe('file');
    expect(parseUserCsv('').errors[0].message).toMatch(/empty/);
    expect(parseUserCsv('name,email,role\n').errors[0].message).toMatch(/no users/);
    const big =
      'name,email,role\n' +
      Array.from({ length: MAX_IMPORT_ROWS + 1 }, (_, i) => `N${i},n${i}@x.test,participant`).join('\n');
    expect(parseUserCsv(big).errors[0].message).toMatch(/At most/);
  });

  it('reports every problem with its row', () => {
    const { errors } = parseUserCsv(
      'name,email,role\nA,a@x.test,participant\n,b@x.test,coach\nC,bad,coach\nD,a@x.test,participant\nE,e@x.test,king',
    );
    expect(errors.map((e) => `${e.row}:${e.field}`)).toEqual(['3:name', '4:email', '5:email', '6:role']);
  });

  it('does not choke on formula-like or script-like content; it stays data', () => {
    const { rows, errors } = parseUserCsv(
      'name,email,role\n"=HYPERLINK(""x"")",f@x.test,participant\n<script>alert(1)</script>,s@x.test,coach',
    );
    expect(errors).toEqual([]);
    expect(rows.map((r) => r.name)).toEqual(['=HYPERLINK("x")', '<script>alert(1)</script>']);
  });
});
