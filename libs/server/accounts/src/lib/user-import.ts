import { parse } from 'csv-parse/sync';
import { isEmail } from 'class-validator';
import { isTenantRole, TenantRole, ImportRowError } from '@rehearse/shared/contracts';
import { oneLineProblem, normaliseEmail } from '@rehearse/server/core';

export interface ImportRow {
  row: number;
  name: string;
  email: string;
  roles: TenantRole[];
  phone: string | null;
}

export const MAX_IMPORT_ROWS = 5000;
const PHONE = /^\+?[0-9 ()./-]{6,40}$/;
const HEADERS = ['name', 'email', 'role', 'phone'];
/** A cell with the replacement character: the file was read in another encoding than its own. */
const UNREADABLE = 'has characters that could not be read: save the file as "CSV UTF-8" and import it again';

/**
 * The names a column goes by, as a header cell reads in lower-case letters only ("E-mail" is email):
 * the English ones the page names, and the Dutch ones of the Dutch page and of a Dutch spreadsheet
 * ("Naam", "E-mailadres", "Rol", "Telefoon").
 */
const COLUMN_NAMES: Record<string, string> = {
  name: 'name',
  naam: 'name',
  email: 'email',
  emailaddress: 'email',
  emailadres: 'email',
  role: 'role',
  roles: 'role',
  rol: 'role',
  rollen: 'role',
  phone: 'phone',
  phonenumber: 'phone',
  telefoon: 'phone',
  telefoonnummer: 'phone',
};

/** A header cell as the columns are named: lower case, letters only, a Dutch name as its English one. */
const columnName = (h: string) => {
  const letters = h.toLowerCase().replace(/[^a-z]/g, '');
  return COLUMN_NAMES[letters] ?? letters;
};

/**
 * A role as a cell names it: the API's name ("content_developer"), as the page shows it in English
 * ("Content developer") or in Dutch ("Contentontwikkelaar", "Beheerder", "Deelnemer"), or "admin".
 */
const ROLE_NAMES: Record<string, TenantRole> = {
  deelnemer: 'participant',
  contentontwikkelaar: 'content_developer',
  content_ontwikkelaar: 'content_developer',
  beheerder: 'administrator',
  admin: 'administrator',
};

/**
 * The separator of the file's columns, read from its header row: a comma, or the semicolon or tab
 * a spreadsheet writes where the decimal mark is a comma (Excel in Dutch saves "CSV" with
 * semicolons). A comma where no separator gives the three required columns (the header check names
 * what is missing).
 */
function separatorOf(csv: string): string {
  const header = csv.split(/\r?\n/, 1)[0];
  for (const separator of [',', ';', '\t']) {
    const columns = header.split(separator).map(columnName);
    if (['name', 'email', 'role'].every((c) => columns.includes(c))) return separator;
  }
  return ',';
}

/**
 * Parses and validates an import file completely before anything is written.
 * Columns: name, email, role (one role, or several separated by "|" or ";"), phone (optional),
 * separated by commas, semicolons or tabs; the columns and the roles in English or in Dutch.
 */
export function parseUserCsv(csv: string): { rows: ImportRow[]; errors: ImportRowError[] } {
  const errors: ImportRowError[] = [];
  let records: string[][];
  try {
    const text = csv.replace(/^\uFEFF/, '');
    records = parse(text, {
      delimiter: separatorOf(text),
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
      max_record_size: 10_000,
    });
  } catch (e) {
    return {
      rows: [],
      errors: [{ row: 0, field: 'file', message: `The file is not valid CSV: ${(e as Error).message}` }],
    };
  }
  if (records.length === 0) return { rows: [], errors: [{ row: 0, field: 'file', message: 'The file is empty' }] };
  const header = records[0].map(columnName);
  const col = (name: string) => header.indexOf(name);
  for (const required of ['name', 'email', 'role']) {
    if (col(required) < 0)
      errors.push({
        row: 1,
        field: required,
        message: `The header row has no "${required}" column (expected: ${HEADERS.join(', ')})`,
      });
  }
  if (errors.length) return { rows: [], errors };
  const body = records.slice(1);
  if (body.length === 0)
    return { rows: [], errors: [{ row: 0, field: 'file', message: 'The file has a header but no users' }] };
  if (body.length > MAX_IMPORT_ROWS) {
    return { rows: [], errors: [{ row: 0, field: 'file', message: `At most ${MAX_IMPORT_ROWS} users per file` }] };
  }
  const rows: ImportRow[] = [];
  const seen = new Map<string, number>();
  body.forEach((rec, i) => {
    const row = i + 2; // 1-based, after the header
    const get = (name: string) => (col(name) >= 0 ? (rec[col(name)] ?? '').trim() : '');
    const name = get('name');
    const email = normaliseEmail(get('email'));
    const phone = get('phone');
    const roleText = get('role');
    // "�" is what a program reading the file as UTF-8 makes of a letter saved in another encoding
    // (Excel's "CSV" on Windows): the accents of every name would be lost without a word
    const unreadable = (['name', 'email', 'role', 'phone'] as const).find((c) => get(c).includes('\uFFFD'));
    if (unreadable) {
      errors.push({ row, field: unreadable, message: UNREADABLE });
      return;
    }
    if (!name) errors.push({ row, field: 'name', message: 'is empty' });
    else if (name.length > 200) errors.push({ row, field: 'name', message: 'is longer than 200 characters' });
    else if (oneLineProblem(name)) errors.push({ row, field: 'name', message: oneLineProblem(name) as string });
    if (!email) errors.push({ row, field: 'email', message: 'is empty' });
    else if (email.length > 254 || !isEmail(email))
      errors.push({ row, field: 'email', message: `"${email.slice(0, 60)}" is not a valid e-mail address` });
    else if (seen.has(email))
      errors.push({ row, field: 'email', message: `appears twice in the file (also row ${seen.get(email)})` });
    else seen.set(email, row);
    const roles = roleText
      .split(/[|;]/)
      .map((r) =>
        r
          .trim()
          .toLowerCase()
          .replace(/[\s-]+/g, '_'),
      )
      .filter(Boolean)
      .map((r): string => ROLE_NAMES[r] ?? r);
    if (!roles.length) errors.push({ row, field: 'role', message: 'is empty' });
    for (const r of roles)
      if (!isTenantRole(r))
        errors.push({
          row,
          field: 'role',
          message: `"${r.slice(0, 40)}" is not a role (participant, coach, content_developer, administrator)`,
        });
    if (phone && !PHONE.test(phone)) errors.push({ row, field: 'phone', message: 'is not a phone number' });
    rows.push({ row, name, email, roles: [...new Set(roles)].filter(isTenantRole), phone: phone || null });
  });
  return { rows, errors };
}
