import { Harness, PASSWORD, seedTwoTenants, startHarness } from '../../test/harness';

/**
 * Dutch and English (issue 17): a person's language is kept on their account (their browser's at
 * the first sign-in, until they choose), and the e-mails they receive are written in it.
 */
describe('languages: the account keeps the choice, e-mails follow it', () => {
  let h: Harness;
  let world: Awaited<ReturnType<typeof seedTwoTenants>>;
  const DUTCH_BROWSER = { 'Accept-Language': 'nl-NL,nl;q=0.9,en-US;q=0.8' };

  beforeAll(async () => {
    h = await startHarness();
    world = await seedTwoTenants(h);
  });
  afterAll(() => h.close());

  const localeOf = async (email: string) =>
    (await h.db.query(`SELECT locale FROM users WHERE email = $1`, [email]))[0].locale as string | null;

  it('a first sign-in from a Dutch browser: the code arrives in Dutch and the account takes Dutch', async () => {
    const email = world.a.emails.developer;
    expect(await localeOf(email)).toBeNull();
    const c = await h.client();
    const before = h.mailbox.messages.length;
    expect((await c.post('/api/auth/login', { email, password: PASSWORD }, DUTCH_BROWSER)).status).toBe(200);
    const mail = await h.mailbox.waitFor(email, /inlogcode/, 15_000, before);
    expect(mail.subject).toMatch(/^Je inlogcode voor Rehearse: \d{6}$/);
    expect(mail.text).toMatch(/^Hallo .+,\n\nJe inlogcode is \d{6}\. Hij is \d+ minuten geldig en werkt één keer\./);
    expect(mail.text).not.toMatch(/sign-in|valid for/);
    const code = /(\d{6})/.exec(mail.subject)?.[1] ?? '';
    expect((await c.post('/api/auth/mfa', { code }, DUTCH_BROWSER)).status).toBe(200);
    expect((await c.get('/api/auth/me')).body.locale).toBe('nl');
    expect(await localeOf(email)).toBe('nl');
  });

  it('a browser in a language Rehearse does not speak leaves the choice open; a choice made is not overwritten by a later browser', async () => {
    const email = world.a.emails.participant;
    const c = await h.client();
    const before = h.mailbox.messages.length;
    await c.post('/api/auth/login', { email, password: PASSWORD }, { 'Accept-Language': 'de-DE,de;q=0.9' });
    const mail = await h.mailbox.waitFor(email, /sign-in code/, 15_000, before);
    expect(mail.subject).toMatch(/^Your Rehearse sign-in code: \d{6}$/);
    expect((await c.post('/api/auth/mfa', { code: /(\d{6})/.exec(mail.subject)?.[1] })).status).toBe(200);
    expect((await c.get('/api/auth/me')).body.locale).toBeNull();

    const chose = await c.patch('/api/account/profile', { locale: 'nl' });
    expect(chose.status).toBe(200);
    expect(chose.body.locale).toBe('nl');
    // a later sign-in from an English browser keeps the account's Dutch
    const again = await h.client();
    const before2 = h.mailbox.messages.length;
    await again.post('/api/auth/login', { email, password: PASSWORD }, { 'Accept-Language': 'en-GB' });
    const code2 = await h.mailbox.waitFor(email, /inlogcode/, 15_000, before2);
    await again.post('/api/auth/mfa', { code: /(\d{6})/.exec(code2.subject)?.[1] });
    expect((await again.get('/api/auth/me')).body.locale).toBe('nl');
    // and back to English
    expect((await again.patch('/api/account/profile', { locale: 'en' })).body.locale).toBe('en');
    expect(await localeOf(email)).toBe('en');
  });

  it('refuses a language Rehearse does not speak, with a clear 400, and keeps the choice', async () => {
    const c = await h.signIn(world.a.emails.coach);
    await c.patch('/api/account/profile', { locale: 'nl' });
    for (const locale of ['de', 'NL', 'nl-NL', '', 7, ['nl'], { nl: true }]) {
      const res = await c.patch('/api/account/profile', { locale });
      expect({ locale, status: res.status, code: res.body.code }).toEqual({
        locale,
        status: 400,
        code: 'validation_failed',
      });
      expect(res.body.errors[0].field).toBe('locale');
    }
    expect(await localeOf(world.a.emails.coach)).toBe('nl');
  });

  it('error messages come in the language the request asks for: sign-in, validation, CSRF, hostile input', async () => {
    const c = await h.client();
    const wrong = await c.post(
      '/api/auth/login',
      { email: world.a.emails.coach, password: 'not the password' },
      DUTCH_BROWSER,
    );
    expect(wrong.status).toBe(401);
    expect(wrong.body.message).toBe('Het e-mailadres of wachtwoord klopt niet');
    const english = await c.post(
      '/api/auth/login',
      { email: world.a.emails.coach, password: 'not the password' },
      { 'Accept-Language': 'en-GB' },
    );
    expect(english.body.message).toBe('The e-mail address or password is not correct');

    const signedIn = await h.signIn(world.a.emails.coach);
    const invalid = await signedIn.send(
      'patch',
      '/api/account/profile',
      { name: 'x'.repeat(201), locale: 'nl' },
      { 'Accept-Language': 'nl' },
    );
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({
      code: 'validation_failed',
      message: 'Het verzoek is niet geldig',
      errors: [{ field: 'name', messages: ['name mag hoogstens 200 tekens lang zijn'] }],
    });

    // answered before any controller: the CSRF check and the hostile-input guard speak Dutch too
    const noToken = await signedIn.agent.post('/api/account/password').set('Accept-Language', 'nl').send({});
    expect(noToken.status).toBe(403);
    expect(noToken.body.message).toBe(
      'Het beveiligingstoken ontbreekt of is verouderd; laad de pagina opnieuw en probeer het nog eens',
    );
    const nul = await signedIn.send(
      'patch',
      '/api/account/profile',
      { name: 'Cora\u0000' },
      { 'Accept-Language': 'nl' },
    );
    expect(nul.status).toBe(400);
    expect(nul.body.errors).toEqual([{ field: 'name', messages: ['name mag geen NUL-teken bevatten'] }]);
  });

  it('a hostile Accept-Language never breaks an answer: garbage, weights, a huge list', async () => {
    const c = await h.client();
    for (const header of [
      'nl;q=NaN',
      ';;;,,,',
      'nl-NL;q=0.5;q=0.9',
      '*',
      `${'x-'.repeat(3000)}nl`,
      'nl'.padEnd(6000, ','),
    ]) {
      const res = await c.post(
        '/api/auth/login',
        { email: world.a.emails.coach, password: 'not the password' },
        { 'Accept-Language': header },
      );
      expect({ header: header.slice(0, 20), status: res.status }).toEqual({ header: header.slice(0, 20), status: 401 });
      expect(['The e-mail address or password is not correct', 'Het e-mailadres of wachtwoord klopt niet']).toContain(
        res.body.message,
      );
    }
  });

  it('e-mails are written in the recipient’s language: a security notice in Dutch, an invitation in the inviting administrator’s', async () => {
    const admin = await h.signIn(world.a.emails.admin);
    expect((await admin.patch('/api/account/profile', { locale: 'nl' })).status).toBe(200);

    const before = h.mailbox.messages.length;
    expect(
      (
        await admin.post('/api/account/password', {
          currentPassword: PASSWORD,
          newPassword: 'een lang nieuw wachtwoord 2026',
        })
      ).status,
    ).toBe(204);
    const notice = await h.mailbox.waitFor(world.a.emails.admin, /Beveiligingsmelding/, 15_000, before);
    expect(notice.subject).toBe('Beveiligingsmelding van Rehearse');
    expect(notice.text).toContain('Het wachtwoord van je Rehearse-account is gewijzigd.');

    const invited = await admin.post('/api/admin/users', {
      name: 'Iris <b>Uitgenodigd</b>',
      email: 'iris@a.test',
      roles: ['participant'],
    });
    expect(invited.status).toBe(201);
    expect(await localeOf('iris@a.test')).toBe('nl');
    const mail = await h.mailbox.waitFor('iris@a.test', /uitgenodigd/, 15_000, before);
    expect(mail.subject).toBe('Je bent uitgenodigd voor Rehearse (Tenant A)');
    expect(mail.text).toMatch(
      /^Hallo Iris <b>Uitgenodigd<\/b>,\n\nTenant A nodigt je uit voor Rehearse\. Kies hier je wachtwoord:\n\S+\/invitation\/[\w-]+\n\nDe link werkt één keer en verloopt op \d{1,2} [a-z]+ \d{4}\.\n$/,
    );
    // names are escaped in the HTML part; the catalogue's own words are not
    expect(mail.html).toContain('<p>Hallo Iris &lt;b&gt;Uitgenodigd&lt;/b&gt;,</p>');
    expect(mail.html).toContain('>Kies je wachtwoord</a>');
  });
});
