import { Client, Harness, PASSWORD, seedTwoTenants, startHarness } from '../../test/harness';

describe('sign-in, MFA, sessions (real PostgreSQL, Redis, SMTP)', () => {
  let h: Harness;
  let world: Awaited<ReturnType<typeof seedTwoTenants>>;

  beforeAll(async () => {
    h = await startHarness();
    world = await seedTwoTenants(h);
  });
  afterAll(() => h.close());

  it('signs in with password and an e-mailed code, then knows who you are', async () => {
    const c = await h.signIn(world.a.emails.participant);
    const me = await c.get('/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email: 'participant@a.test', roles: ['participant'], tenantName: 'Tenant A', impersonation: null });
    expect(me.body.passwordHash).toBeUndefined();
  });

  it('answers an unknown e-mail and a wrong password alike', async () => {
    const c = await h.client();
    const unknown = await c.post('/api/auth/login', { email: 'nobody@nowhere.test', password: 'whatever-password' });
    const wrong = await c.post('/api/auth/login', { email: world.a.emails.coach, password: 'wrong-password-1' });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect({ ...unknown.body, correlationId: '' }).toEqual({ ...wrong.body, correlationId: '' });
  });

  it('rotates the session id at login and at MFA; a planted pre-login id is useless', async () => {
    const c = await h.client();
    const sid = (res: { headers: Record<string, unknown> }) =>
      ([] as string[]).concat((res.headers['set-cookie'] as string[]) ?? []).find((x) => x.startsWith('rehearse.sid='))?.split(';')[0];
    const pre = sid(await c.agent.get('/api/auth/csrf'));
    expect(pre).toBeDefined();
    const before = h.mailbox.messages.length;
    const login = await c.post('/api/auth/login', { email: world.a.emails.developer, password: PASSWORD });
    const afterPassword = sid(login);
    expect(afterPassword).toBeDefined();
    expect(afterPassword).not.toEqual(pre);
    const mail = await h.mailbox.waitFor(world.a.emails.developer, /sign-in code/, 15_000, before);
    const code = /(\d{6})/.exec(mail.subject)?.[1];
    const mfa = await c.post('/api/auth/mfa', { code });
    expect(mfa.status).toBe(200);
    const afterMfa = sid(mfa);
    expect(afterMfa).not.toEqual(afterPassword);
    // the planted pre-login cookie does not carry the signed-in session
    const planted = await new Client(h.server).agent.get('/api/auth/me').set('Cookie', String(pre));
    expect(planted.status).toBe(401);
  });

  it('logout destroys the session on the server: the old cookie gets 401', async () => {
    const c = await h.signIn(world.a.emails.coach);
    const cookie = (await c.get('/api/auth/me')).request.cookies;
    expect((await c.get('/api/auth/me')).status).toBe(200);
    const jar = (c.agent as unknown as { jar: { getCookies(o: unknown): { name: string; value: string }[] } }).jar;
    const sidCookie = jar.getCookies({ domain: '127.0.0.1', path: '/', secure: false, script: false }).find((k) => k.name === 'rehearse.sid');
    expect(sidCookie).toBeDefined();
    expect((await c.post('/api/auth/logout')).status).toBe(204);
    const replay = await new Client(h.server).agent.get('/api/auth/me').set('Cookie', `rehearse.sid=${sidCookie?.value}`);
    expect(replay.status).toBe(401);
    void cookie;
  });

  it('sets HttpOnly, SameSite=Lax, host-only session cookies (no Domain)', async () => {
    const c = await h.client();
    const res = await c.post('/api/auth/login', { email: world.a.emails.admin, password: PASSWORD });
    const cookie = Client.cookie(res, 'rehearse.sid') ?? '';
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Domain=/i);
  });
});
