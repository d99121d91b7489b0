/**
 * `npm run create-tenant` as an operator runs it (README, "Registering organisations"), in its own
 * process against this harness's installation: an organisation whose first administrator follows
 * the printed (and mailed) one-time link and signs in, and a platform superuser with the password
 * and authenticator secret printed once.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Harness, PASSWORD, startHarness, testSettings } from '../../test/harness';
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
});
