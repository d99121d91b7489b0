import { domainToASCII, domainToUnicode } from 'node:url';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** normaliseEmail (libs/server/core) as it was when this migration was written: a migration does not change with the code. */
function inOneForm(address: string): string {
  const text = address.normalize('NFKC').trim().toLowerCase().normalize('NFKC');
  const at = text.lastIndexOf('@');
  const domain = text.slice(at + 1);
  if (at < 0 || !/[^ -~]|(?:^|\.)xn--/.test(domain)) return text;
  const ascii = domainToASCII(domain);
  return ascii ? `${text.slice(0, at + 1)}${domainToUnicode(ascii)}` : text;
}

/**
 * E-mail addresses are kept in one Unicode form from now on (`normaliseEmail`: compatibility
 * composed, trimmed, lower-cased, an internationalised domain in Unicode), whatever form they were
 * typed or imported in: "é" as "e" and a combining accent, full-width letters, the "fi" ligature and
 * a domain as `xn--…` (what a browser's e-mail field sends) were stored as they came, and their
 * owners could not sign in typing the address another way. The people's addresses stored before,
 * and the new addresses of the e-mail changes still waiting for their link, are put in that form.
 * An address whose form another account of the organisation (or, for the operator's superusers,
 * another superuser) already has, or will have, stays as it was: two accounts for one address are
 * the administrator's to resolve. Only addresses with a letter beyond ASCII, a capital or an
 * `xn--` label can change. Not undone: the forms replaced were the same addresses.
 */
export class EmailAddressesInOneForm1765210000000 implements MigrationInterface {
  name = 'EmailAddressesInOneForm1765210000000';

  async up(q: QueryRunner): Promise<void> {
    const people: { id: string; tenant_id: string | null; email: string }[] = await q.query(
      `SELECT id, tenant_id, email FROM users WHERE email ~ '[^ -~]|[A-Z]|xn--'`,
    );
    const changing = people.filter((p) => inOneForm(p.email) !== p.email);
    // how many accounts of one scope (an organisation, or the superusers) would have each address
    const key = (scope: string | null, email: string) => `${scope ?? ''} ${email}`;
    const wanted = new Map<string, number>();
    for (const p of changing)
      wanted.set(key(p.tenant_id, inOneForm(p.email)), (wanted.get(key(p.tenant_id, inOneForm(p.email))) ?? 0) + 1);
    for (const p of changing) {
      const email = inOneForm(p.email);
      if (wanted.get(key(p.tenant_id, email)) !== 1 || email.length > 254) continue;
      const [{ taken }] = await q.query(
        `SELECT EXISTS (SELECT 1 FROM users WHERE tenant_id IS NOT DISTINCT FROM $1 AND email = $2) AS taken`,
        [p.tenant_id, email],
      );
      if (!taken) await q.query(`UPDATE users SET email = $2 WHERE id = $1`, [p.id, email]);
    }
    const pending: { id: string; new_email: string }[] = await q.query(
      `SELECT id, new_email FROM email_changes WHERE used_at IS NULL AND new_email ~ '[^ -~]|[A-Z]|xn--'`,
    );
    for (const c of pending) {
      const email = inOneForm(c.new_email);
      if (email !== c.new_email && email.length <= 254)
        await q.query(`UPDATE email_changes SET new_email = $2 WHERE id = $1`, [c.id, email]);
    }
  }

  async down(): Promise<void> {
    // nothing to restore: the forms replaced were the same addresses
  }
}
