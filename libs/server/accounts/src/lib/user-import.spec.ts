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

  it('reads the columns and the roles by their Dutch names too, as the Dutch page and a Dutch spreadsheet write them', () => {
    const { rows, errors } = parseUserCsv(
      'Naam;E-mailadres;Rol;Telefoonnummer\nPiet Jansen;piet@x.test;Deelnemer;+31 6 12345678\nAnna de Vries;anna@x.test;Contentontwikkelaar|Beheerder;\nBo;bo@x.test;coach|admin|Content-ontwikkelaar;',
    );
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      { row: 2, name: 'Piet Jansen', email: 'piet@x.test', roles: ['participant'], phone: '+31 6 12345678' },
      {
        row: 3,
        name: 'Anna de Vries',
        email: 'anna@x.test',
        roles: ['content_developer', 'administrator'],
        phone: null,
      },
      { row: 4, name: 'Bo', email: 'bo@x.test', roles: ['coach', 'administrator', 'content_developer'], phone: null },
    ]);
    // a name that is neither is still refused, with the roles named
    expect(parseUserCsv('naam,email,rol\nA,a@x.test,koning').errors).toEqual([
      { row: 2, field: 'role', message: expect.stringContaining('"koning" is not a role') },
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

  it('reads the semicolons and tabs spreadsheets write where the decimal mark is a comma (Excel in Dutch)', () => {
    for (const [separator, file] of [
      [';', 'Naam;E-mail;Role\n"Jansen; Piet";piet@x.test;participant|coach\nAnna de Vries;anna@x.test;coach'],
      ['\t', 'name\temail\trole\tphone\nPiet Jansen\tpiet@x.test\tparticipant\t+31 6 12345678'],
    ]) {
      const { rows, errors } = parseUserCsv(file.replace('Naam', 'Name'));
      expect({ separator, errors }).toEqual({ separator, errors: [] });
      expect(rows[0]).toMatchObject({ email: 'piet@x.test' });
    }
    expect(parseUserCsv('name;email;role\n"Jansen; Piet";piet@x.test;participant|coach').rows[0]).toMatchObject({
      name: 'Jansen; Piet',
      roles: ['participant', 'coach'],
    });
    // a comma file whose names hold semicolons stays a comma file
    expect(parseUserCsv('name,email,role\nA; B,ab@x.test,coach').rows[0].name).toBe('A; B');
  });

  it('refuses a name of more than one line, or with control characters or text-direction overrides', () => {
    const { errors } = parseUserCsv(
      'name,email,role\n"Two\nLines",a@x.test,coach\nEve\u202Egpj.exe,e@x.test,coach\nTab\there,t@x.test,coach\nزینب\u200Cخانم,z@x.test,coach',
    );
    expect(errors.map((e) => `${e.row}:${e.field}`)).toEqual(['2:name', '3:name', '4:name']);
    expect(errors[0].message).toMatch(/one line of text/);
  });

  it('refuses a row with "�", a letter the file’s reader could not read (a Windows-1252 file read as UTF-8), naming the column', () => {
    const { rows, errors } = parseUserCsv(
      'name,email,role\nJos\uFFFD N\uFFFD\uFFFDez,jose@x.test,coach\nAda,ada@x.test,coach\nBo,b\uFFFD@x.test,coach',
    );
    expect(errors).toEqual([
      {
        row: 2,
        field: 'name',
        message: 'has characters that could not be read: save the file as "CSV UTF-8" and import it again',
      },
      {
        row: 4,
        field: 'email',
        message: 'has characters that could not be read: save the file as "CSV UTF-8" and import it again',
      },
    ]);
    expect(rows.map((r) => r.name)).toEqual(['Ada']);
  });
});
