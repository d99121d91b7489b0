/**
 * `npm run create-tenant` as an operator runs it (README, "Registering organisations"), in its own
 * process against this harness's installation: an organisation whose first administrator follows
 * the printed (and mailed) one-time link and signs in, and a platform superuser with the password
 * and authenticator secret printed once.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client, Harness, PASSWORD, startHarness, testSettings } from '../../test/harness';
import { ROOT } from '../../test/processes';

describe('registering organisations and superusers from the command line (npm run create-tenant)', () => {
  let h: Harness;
  let env: Record<string, string>;

  beforeAll(async () => {
    h = await startHarness();
    env = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '' };
    for (const [k, v] of Object.entries(h.config))
      if (/^[A-Z_]+$/.test(k) && ['string', 'number', 'boolean'].includes(typeof v)) env[k] = String(v);
    Object.assign(env, testSettings());
  }, 60_000);
  afterAll(() => h?.close());

  const createTenant = async (...args: string[]) =>
    (
      await promisify(execFile)(
        process.execPath,
        [join(ROOT, 'tools/scripts/ts-run.cjs'), join(ROOT, 'tools/create-tenant.ts'), ...args],
        { cwd: ROOT, env, timeout: 120_000 },
      )
    ).stdout;

  it('registers an organisation whose administrator sets a password through the printed link and signs in', async () => {
    const out = await createTenant(
      '--name',
      'Acme Care',
      '--slug',
      'acme-care',
      '--admin-name',
      'Ann Admin',
      '--admin-email',
      'Ann@Acme.example',
    );
    expect(out).toMatch(/Tenant "Acme Care" \([0-9a-f-]{36}\) created with administrator ann@acme\.example\./);
    const token = /Invitation link \(also e-mailed\): \S+\/invitation\/([A-Za-z0-9_-]+)/.exec(out)?.[1] ?? '';
    expect(token.length).toBeGreaterThanOrEqual(40);
    const [admin] = await h.db.query(
      `SELECT u.status, array_agg(m.role) AS roles FROM users u JOIN tenants t ON t.id = u.tenant_id
         JOIN memberships m ON m.user_id = u.id
        WHERE t.slug = 'acme-care' AND u.email = 'ann@acme.example' GROUP BY u.status`,
    );
    expect(admin).toEqual({ status: 'invited', roles: ['administrator'] });
    // the same link by mail, from the worker
    const mail = await h.mailbox.waitFor('ann@acme.example', /invited/, 15_000);
    expect(mail.text).toContain(`/invitation/${token}`);

    const visitor = await h.client();
    expect((await visitor.post('/api/invitations/accept', { token, password: PASSWORD })).status).toBe(204);
    const ann = await h.signIn('ann@acme.example');
    expect((await ann.get('/api/auth/me')).body).toMatchObject({ name: 'Ann Admin', roles: ['administrator'] });
  }, 150_000);

  it('registers a superuser with a password and an authenticator secret shown once', async () => {
    const out = await createTenant('--superuser', '--name', 'Sam Support', '--email', 'sam@operator.example');
    expect(out).toContain('Superuser sam@operator.example created.');
    const password = /password:\s+(\S+)/.exec(out)?.[1] ?? '';
    const secret = /authenticator secret:\s+([A-Z2-7]+)/.exec(out)?.[1] ?? '';
    expect(password.length).toBeGreaterThanOrEqual(12);
    expect(secret.length).toBeGreaterThanOrEqual(16);
    const [sam] = await h.db.query(
      `SELECT tenant_id, is_superuser, totp_enabled, password_hash FROM users WHERE email = 'sam@operator.example'`,
    );
    expect(sam).toMatchObject({ tenant_id: null, is_superuser: true, totp_enabled: true });
    // stored as a hash, never as printed
    expect(sam.password_hash).not.toContain(password);
    const client = await h.signInTotp('sam@operator.example', secret, password);
    expect((await client.get('/api/auth/me')).body).toMatchObject({ name: 'Sam Support', isSuperuser: true });
  }, 150_000);

  describe('from the superuser page (POST /api/superuser/tenants)', () => {
    let su: Client;
    let suId: string;
    const COMPLEX = 'Veilig-Wachtwoord 2026!';
    const tenantCount = async () => (await h.db.query(`SELECT count(*)::int AS n FROM tenants`))[0].n as number;

    beforeAll(async () => {
      const created = await h.createSuperuser('help@operator.example');
      suId = created.id;
      su = await h.signInTotp('help@operator.example', created.secret);
    }, 60_000);

    it('registers an organisation whose administrator is invited in the language chosen, on its account activity by the superuser', async () => {
      const res = await su.post('/api/superuser/tenants', {
        name: '  Zorggroep Noord ',
        slug: 'zorggroep-noord',
        requirePasswordComplexity: true,
        administrator: { name: 'Lena de Vries', email: 'Lena@Zorggroep.example', locale: 'nl' },
      });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        tenantId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: 'Zorggroep Noord',
        slug: 'zorggroep-noord',
        endsOn: null,
        destroyOn: null,
        users: 1,
        privacyLog: 'unchecked',
      });
      // the superusers' list finds it
      const listed = await su.get('/api/superuser/tenants?q=zorggroep');
      expect(listed.body.items.map((t: { slug: string }) => t.slug)).toEqual(['zorggroep-noord']);

      // the invitation, in Dutch, from the worker; the link works, and the organisation asks for complex passwords
      const mail = await h.mailbox.waitFor('lena@zorggroep.example', /uitgenodigd/, 15_000);
      expect(mail.subject).toBe('Je bent uitgenodigd voor Rehearse (Zorggroep Noord)');
      const token = /\/invitation\/([A-Za-z0-9_-]+)/.exec(mail.text)?.[1] ?? '';
      const visitor = await h.client();
      expect(
        (await visitor.post('/api/invitations/accept', { token, password: 'zorggroep noord wachtwoord' })).status,
      ).toBe(400);
      expect((await visitor.post('/api/invitations/accept', { token, password: COMPLEX })).status).toBe(204);
      const lena = await h.signIn('lena@zorggroep.example', COMPLEX);
      expect((await lena.get('/api/auth/me')).body).toMatchObject({
        name: 'Lena de Vries',
        roles: ['administrator'],
        locale: 'nl',
        tenantName: 'Zorggroep Noord',
      });

      // her organisation's account activity begins with the operator's superuser, by name
      const activity = await lena.get('/api/admin/activity');
      expect(activity.status).toBe(200);
      const first = activity.body.items.slice(-2);
      expect(first).toEqual([
        expect.objectContaining({
          action: 'user.invited',
          actorId: suId,
          actorName: 'Support help',
          actorRole: 'superuser',
          subjectName: 'Lena de Vries',
          details: { roles: ['administrator'], licence: null },
        }),
        expect.objectContaining({
          action: 'organisation.created',
          actorId: suId,
          actorRole: 'superuser',
          subjectId: null,
          details: { passwordComplexity: true },
        }),
      ]);

      // an organisation's administrator registers none
      const before = await tenantCount();
      const refused = await lena.post('/api/superuser/tenants', {
        name: 'Shadow',
        slug: 'shadow',
        administrator: { name: 'Sam Shadow', email: 'sam@shadow.example' },
      });
      expect(refused.status).toBe(403);
      expect((await (await h.client()).post('/api/superuser/tenants', {})).status).toBe(401);
      expect(await tenantCount()).toBe(before);
    }, 120_000);

    it('refuses a slug taken, a superuser’s address and a malformed organisation with a 4xx that names the problem, leaving nothing behind', async () => {
      const ok = {
        name: 'Acme North',
        slug: 'acme-north',
        administrator: { name: 'Ada North', email: 'ada@north.example' },
      };
      expect((await su.post('/api/superuser/tenants', ok)).status).toBe(201);
      const before = await tenantCount();

      const again = await su.post('/api/superuser/tenants', {
        ...ok,
        administrator: { name: 'B', email: 'b@north.example' },
      });
      expect(again.status).toBe(409);
      expect(again.body.message).toBe('A tenant with slug "acme-north" already exists');
      const inDutch = await su.post('/api/superuser/tenants', ok, { 'Accept-Language': 'nl' });
      expect(inDutch.body.message).toBe('Er bestaat al een organisatie met slug "acme-north"');

      // the organisation would be made before the address is checked: the transaction leaves neither
      const superusersAddress = await su.post('/api/superuser/tenants', {
        ...ok,
        slug: 'acme-south',
        administrator: { name: 'Help', email: 'help@operator.example' },
      });
      expect(superusersAddress.status).toBe(409);
      expect((await h.db.query(`SELECT 1 FROM tenants WHERE slug = 'acme-south'`)).length).toBe(0);

      for (const [body, field] of [
        [{ ...ok, slug: 'Acme North' }, 'slug'],
        [{ ...ok, slug: 'acme-' }, 'slug'],
        [{ ...ok, slug: 'a'.repeat(64) }, 'slug'],
        [{ ...ok, slug: 'acme-west', name: '   ' }, 'name'],
        [{ ...ok, slug: 'acme-west', administrator: undefined }, 'administrator'],
        [{ ...ok, slug: 'acme-west', administrator: { name: 'Ada', email: 'not an address' } }, 'administrator.email'],
        [{ ...ok, slug: 'acme-west', administrator: { ...ok.administrator, locale: 'fr' } }, 'administrator.locale'],
        [{ ...ok, slug: 'acme-west', requirePasswordComplexity: 'yes' }, 'requirePasswordComplexity'],
      ] as const) {
        const res = await su.post('/api/superuser/tenants', body);
        expect({ body, status: res.status, fields: res.body.errors?.map((e: { field: string }) => e.field) }).toEqual({
          body,
          status: 400,
          fields: expect.arrayContaining([field]),
        });
      }
      expect(await tenantCount()).toBe(before);
    }, 120_000);
  });
});
