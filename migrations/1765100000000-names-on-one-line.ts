import { MigrationInterface, QueryRunner } from 'typeorm';

/** A column's text as one line to show people: direction controls removed, control characters as one space, trimmed (asOneLine in libs/server/core). */
const oneLine = (column: string) =>
  `btrim(regexp_replace(regexp_replace(${column}, '[\\u202A-\\u202E\\u2066-\\u2069]', '', 'g'), '[\\x01-\\x1F\\x7F-\\x9F]+', ' ', 'g'))`;
/** Text that is not one line (NOT_ONE_LINE in libs/server/core). */
const NOT_ONE_LINE = `'[\\x01-\\x1F\\x7F-\\x9F\\u202A-\\u202E\\u2066-\\u2069]'`;

/**
 * Names are one line of text from now on (the API refuses control characters and the Unicode
 * direction overrides in them: "Eve\u202Egpj.exe" showed as "Eveexe.jpg" in every list). The
 * people's and groups' names stored before are made so; a name that would be left empty, or a
 * group's that would take another group's name, stays as it was for its administrator to rename.
 * Not undone: the characters removed were never wanted.
 */
export class NamesOnOneLine1765100000000 implements MigrationInterface {
  name = 'NamesOnOneLine1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE users SET name = ${oneLine('name')} WHERE name ~ ${NOT_ONE_LINE} AND ${oneLine('name')} <> ''`,
    );
    // one group per new name and organisation, and none that another group has already
    await q.query(`
      UPDATE groups g SET name = c.cleaned
        FROM (SELECT DISTINCT ON (tenant_id, ${oneLine('name')}) id, tenant_id, ${oneLine('name')} AS cleaned
                FROM groups WHERE name ~ ${NOT_ONE_LINE} ORDER BY tenant_id, ${oneLine('name')}, created_at, id) c
       WHERE g.id = c.id AND c.cleaned <> ''
         AND NOT EXISTS (SELECT 1 FROM groups o WHERE o.tenant_id = c.tenant_id AND o.name = c.cleaned)`);
  }

  async down(): Promise<void> {
    // nothing to restore: the characters removed were never wanted
  }
}
