import { MIGRATIONS } from '@rehearse/migrations';
import type { Browser } from 'playwright-core';
import { Client, Harness, PASSWORD, seedTwoTenants } from '../../test/harness';
import { launchChromium, requireBrowserPrerequisites, startWebHarness } from '../../test/browser';

/**
 * One e-mail address written in the different ways Unicode allows is one address: "é" as one
 * character or as "e" and a combining accent (a file made on a Mac, text pasted from a PDF), the
 * letters in their full-width forms (a Japanese or Chinese keyboard left in that mode), "fi" as the
 * ligature a PDF's copy gives. An address is kept in one form (compatibility-composed, NFKC, and
 * lower-cased), whichever form it comes in: at sign-in, invitation, import, password reset and
 * e-mail change alike. Before, such an address was a second account beside the first, and a person
 * registered in one form could not sign in typing the other.
 */
const COMPOSED = 'josé.núñez@a.test';
const DECOMPOSED = 'JOSE\u0301.NU\u0301N\u0303EZ@A.TEST';
const FULL_WIDTH = 'ｊｏｓé．ｎúñｅｚ＠ａ．ｔｅｓｔ';

describe('one e-mail address, whichever Unicode form it is written in', () => {
  let h: Harness;
  let admin: Client;
  let world: Awaited<ReturnType<typeof seedTwoTenants>>;
  let base: string;
  let browser: Browser | undefined;
  const stored = async (like: string) =>
    (
      (await h.db.query(`SELECT email FROM users WHERE email LIKE $1 ORDER BY email`, [like])) as {
        email: string;
      }[]
    ).map((r) => r.email);

  beforeAll(async () => {
    requireBrowserPrerequisites();
    ({ h, base } = await startWebHarness());
    world = await seedTwoTenants(h);
    admin = await h.signIn(world.a.emails.admin);
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('is kept composed and lower-cased when invited, and the same address in another form is the same person', async () => {
    expect(DECOMPOSED.normalize('NFC').toLowerCase()).toBe(COMPOSED);
    expect(DECOMPOSED.toLowerCase()).not.toBe(COMPOSED);
    const invited = await admin.post('/api/admin/users', {
      name: 'José Núñez',
      email: DECOMPOSED,
      roles: ['participant'],
    });
    expect(invited.status).toBe(201);
    expect(invited.body.email).toBe(COMPOSED);
    expect(await stored('jos%')).toEqual([COMPOSED]);
    for (const email of [COMPOSED, FULL_WIDTH, ` ${COMPOSED.toUpperCase()} `]) {
      const again = await admin.post('/api/admin/users', { name: 'José Again', email, roles: ['participant'] });
      expect({ email, status: again.status }).toEqual({ email, status: 409 });
    }
    const imported = await admin.post('/api/admin/users/import', {
      csv: `name,email,role\nJosé,${FULL_WIDTH},participant\n`,
    });
    expect(imported.status).toBe(200);
    expect(imported.body.created).toBe(0);
    expect(imported.body.errors).toEqual([expect.objectContaining({ row: 2, field: 'email' })]);
    expect(await stored('jos%')).toEqual([COMPOSED]);
  });

  it('signs in whichever form the address is typed in, and resets the password of the one account', async () => {
    // a browser's e-mail field sends an internationalised domain in its ASCII form
    await h.createUser(world.a.tenantId, 'Lukas', 'lukas@bücher.de', ['participant']);
    expect(await stored('lukas%')).toEqual(['lukas@bücher.de']);
    expect(
      (await (await h.client()).post('/api/auth/login', { email: 'Lukas@xn--bcher-kva.de', password: PASSWORD }))
        .status,
    ).toBe(200);
    const email = 'fiona.ångström@a.test';
    await h.createUser(world.a.tenantId, 'Fiona Ångström', 'FIONA.A\u030ANGSTRO\u0308M@a.test', ['participant']);
    expect(await stored('fiona%')).toEqual([email]);
    for (const typed of [
      email,
      'ﬁona.ångström@a.test',
      'fiona.a\u030angstro\u0308m@a.test',
      'ＦＩＯＮＡ.ÅNGSTRÖM@A.TEST',
    ]) {
      const c = await h.client();
      const before = h.mailbox.messages.length;
      const login = await c.post('/api/auth/login', { email: typed, password: PASSWORD });
      expect({ typed, status: login.status }).toEqual({ typed, status: 200 });
      const mail = await h.mailbox.waitFor(email, /sign-in code|inlogcode/, 15_000, before);
      const code = /(\d{6})/.exec(mail.subject)?.[1] ?? '';
      expect((await c.post('/api/auth/mfa', { code })).status).toBe(200);
      expect((await c.get('/api/auth/me')).body.email).toBe(email);
    }
    const before = h.mailbox.messages.length;
    const reset = await (await h.client()).post('/api/auth/password-reset', { email: 'ﬁona.a\u030angström@a.test' });
    expect(reset.status).toBe(202);
    await h.mailbox.waitFor(email, /password|wachtwoord/i, 15_000, before);
  });

  it('a new address given in another form is kept in the one form, and one’s own in another form is no change', async () => {
    const email = 'zoë@a.test';
    const zoeId = await h.createUser(world.a.tenantId, 'Zoë', email, ['participant']);
    const zoe = await h.signIn(email);
    const same = await zoe.post('/api/account/email', { email: 'ZOE\u0308@A.TEST', password: PASSWORD });
    expect(same.status).toBe(400);
    const before = h.mailbox.messages.length;
    const other = await zoe.post('/api/account/email', { email: 'ｚｏë.new@a.test', password: PASSWORD });
    expect(other.status).toBe(202);
    await h.mailbox.waitFor('zoë.new@a.test', /./, 15_000, before);
    // hers (another test of this file asks for a change to a Zoë's address in another organisation)
    const [{ new_email }] = await h.db.query(`SELECT new_email FROM email_changes WHERE user_id = $1`, [zoeId]);
    expect(new_email).toBe('zoë.new@a.test');
  });

  it('addresses stored before in another form are put in the one form by the migration that came with it (one another account has stays)', async () => {
    const Migration = MIGRATIONS.find((m) => m.name === 'EmailAddressesInOneForm1765210000000');
    if (!Migration) throw new Error('the migration EmailAddressesInOneForm1765210000000 is not in MIGRATIONS');
    const tenant = world.b.tenantId;
    // as an installation before this change stored them: as they came (lower-cased)
    const person = async (email: string) => {
      const id = await h.createUser(tenant, 'Placeholder', `placeholder.${Math.random()}@b.test`, ['participant']);
      await h.db.query(`UPDATE users SET email = $2 WHERE id = $1`, [id, email]);
      return id;
    };
    const decomposed = await person('rene\u0301@b.test');
    const fullWidth = await person('ｍａｒｉｅ@b.test');
    const plain = await person('anaïs@b.test');
    const twin = await person('anai\u0308s@b.test');
    const other = await person('zoë@b.test');
    const punycode = await person('anne@xn--bcher-kva.de');
    const otherTenant = await h.createUser(world.a.tenantId, 'René', 'rené@b.test', ['participant']);
    const [{ id: change }] = await h.db.query(
      `INSERT INTO email_changes (tenant_id, user_id, new_email, token_hash, expires_at) VALUES ($1, $2, $3, 'x', now() + interval '1 day') RETURNING id`,
      [tenant, other, 'zoe\u0308.new@b.test'],
    );
    const runner = h.db.createQueryRunner();
    try {
      await new Migration().up(runner);
    } finally {
      await runner.release();
    }
    const emails = async (ids: string[]) =>
      (await h.db.query(`SELECT email FROM users WHERE id = ANY($1) ORDER BY array_position($1, id)`, [ids])).map(
        (r: { email: string }) => r.email,
      );
    expect(await emails([decomposed, fullWidth, plain, twin, other, punycode, otherTenant])).toEqual([
      'rené@b.test',
      'marie@b.test',
      'anaïs@b.test',
      'anai\u0308s@b.test',
      'zoë@b.test',
      'anne@bücher.de',
      'rené@b.test',
    ]);
    const [{ new_email }] = await h.db.query(`SELECT new_email FROM email_changes WHERE id = $1`, [change]);
    expect(new_email).toBe('zoë.new@b.test');
    // and the person stored decomposed signs in typing the address as usual
    const c = await h.client();
    expect((await c.post('/api/auth/login', { email: 'rené@b.test', password: PASSWORD })).status).toBe(200);
  });

  it('signs in on the sign-in page with an address written with an "é" and an internationalised domain, however it is typed', async () => {
    const email = 'renée@bücher.de';
    await h.createUser(world.a.tenantId, 'Renée Bücher', email, ['participant']);
    browser = await launchChromium();
    // the browser's e-mail field sends the domain as xn--bcher-kva.de; Angular's own validator refused the "é"
    for (const typed of ['Renée@Bücher.de', 'RENE\u0301E@BU\u0308CHER.DE']) {
      const context = await browser.newContext({ baseURL: base });
      const page = await context.newPage();
      await page.goto('/login');
      await page.getByLabel('E-mail address').fill(typed);
      await page.getByLabel('Password').fill(PASSWORD);
      const before = h.mailbox.messages.length;
      const [answer] = await Promise.all([
        page.waitForResponse((r) => new URL(r.url()).pathname === '/api/auth/login', { timeout: 30_000 }),
        page.getByRole('button', { name: 'Continue', exact: true }).click(),
      ]);
      expect({ typed, status: answer.status() }).toEqual({ typed, status: 200 });
      const mail = await h.mailbox.waitFor(email, /sign-in code/, 30_000, before);
      await page.getByLabel('Code').fill(/(\d{6})/.exec(mail.subject)?.[1] ?? '');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.waitForURL((u) => !u.pathname.startsWith('/login'));
      await page.getByText('Renée Bücher').first().waitFor();
      await context.close();
    }
  });
});
