import {
  Client,
  Harness,
  PASSWORD,
  seedTwoTenants,
  startHarness,
  SUPERUSER_PASSWORD,
  totpNow,
} from '../../test/harness';
import request from 'supertest';
import { agentOf, MfaService, UsersRepository } from '@rehearse/server/accounts';
import { SessionStore } from '../session-store';

describe('sign-in, MFA, sessions (real PostgreSQL, Redis, SMTP)', () => {
  let h: Harness;
  let world: Awaited<ReturnType<typeof seedTwoTenants>>;

  beforeAll(async () => {
    h = await startHarness();
    world = await seedTwoTenants(h);
  });
  afterAll(() => h.close());

  it('signs in with password and an e-mailed code, then knows who you are', async () => {
    const signedIn = h.clock.now().getTime();
    const c = await h.signIn(world.a.emails.participant);
    const me = await c.get('/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      email: 'participant@a.test',
      roles: ['participant'],
      tenantName: 'Tenant A',
      impersonation: null,
    });
    expect(me.body.passwordHash).toBeUndefined();
    // the session's limits, so the page can warn before it ends: its idle minutes, and its absolute
    // end, counted from the sign-in (not moved on by the request)
    const endsAt = Date.parse(me.body.session.endsAt);
    expect(me.body.session.idleMinutes).toBe(h.config.SESSION_IDLE_MINUTES);
    expect(endsAt - signedIn).toBeGreaterThanOrEqual(h.config.SESSION_ABSOLUTE_HOURS * 3600_000);
    expect(endsAt - signedIn).toBeLessThan(h.config.SESSION_ABSOLUTE_HOURS * 3600_000 + 60_000);
    h.clock.advance(5 * 60_000);
    expect(Date.parse((await c.get('/api/auth/me')).body.session.endsAt)).toBe(endsAt);
    h.clock.advance(-5 * 60_000);
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
      ([] as string[])
        .concat((res.headers['set-cookie'] as string[]) ?? [])
        .find((x) => x.startsWith('rehearse.sid='))
        ?.split(';')[0];
    // the pre-login session the client was given when it first came (its cookie is not sent again)
    const jar = (c.agent as unknown as { jar: { getCookies(o: unknown): { name: string; value: string }[] } }).jar;
    const preValue = jar
      .getCookies({ domain: '127.0.0.1', path: '/', secure: false, script: false })
      .find((k) => k.name === 'rehearse.sid')?.value;
    expect(preValue).toBeDefined();
    const pre = `rehearse.sid=${preValue}`;
    expect(sid(await c.agent.get('/api/auth/csrf'))).toBeUndefined();
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
    const sidCookie = jar
      .getCookies({ domain: '127.0.0.1', path: '/', secure: false, script: false })
      .find((k) => k.name === 'rehearse.sid');
    expect(sidCookie).toBeDefined();
    expect((await c.post('/api/auth/logout')).status).toBe(204);
    const replay = await new Client(h.server).agent
      .get('/api/auth/me')
      .set('Cookie', `rehearse.sid=${sidCookie?.value}`);
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
    // non-persistent: gone when the browser closes; the server keeps the idle and absolute timeouts
    expect(cookie).not.toMatch(/Max-Age|Expires/i);
  });

  it('ends a session idle for SESSION_IDLE_MINUTES on the server, and rolls no cookie on ordinary answers', async () => {
    const c = await h.signIn(world.b.emails.coach);
    const me = await c.get('/api/auth/me');
    expect(me.status).toBe(200);
    expect(Client.cookie(me, 'rehearse.sid')).toBeUndefined();
    const sid = decodeURIComponent(String((me.request as unknown as { cookies: string }).cookies)).match(
      /rehearse\.sid=s:([^.;]+)/,
    )?.[1];
    expect(sid).toBeDefined();
    // the row expires SESSION_IDLE_MINUTES after its last use
    const [row] = await h.db.query(
      `SELECT extract(epoch FROM expire - now())::int AS seconds FROM sessions WHERE sid = $1`,
      [sid],
    );
    expect(Math.abs(row.seconds - h.config.SESSION_IDLE_MINUTES * 60)).toBeLessThan(120);
    // as if the person had been away longer than that
    await h.db.query(`UPDATE sessions SET expire = now() - interval '1 second' WHERE sid = $1`, [sid]);
    expect((await c.get('/api/auth/me')).status).toBe(401);
  });

  it('throttles the 11th wrong password for an account with 429, whatever the path variant or X-Forwarded-For', async () => {
    const c = await h.client();
    const email = world.b.emails.participant2;
    const paths = ['/api/auth/login', '/api/auth/login/', '/API/AUTH/LOGIN', '/api/Auth/Login'];
    for (let i = 0; i < 10; i++) {
      const res = await c.post(
        paths[i % paths.length],
        { email, password: `wrong-${i}-password` },
        { 'X-Forwarded-For': `203.0.113.${i}` },
      );
      expect(res.status).toBe(401);
    }
    const eleventh = await c.post(
      '/api/auth/login',
      { email, password: PASSWORD },
      { 'X-Forwarded-For': '198.51.100.7' },
    );
    expect(eleventh.status).toBe(429);
    expect(eleventh.body.code).toBe('rate_limited');
    expect(Number(eleventh.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('a sign-in PostgreSQL could not answer (a 503) does not count against the limits: after 12 of them the right password goes through, and wrong ones still count', async () => {
    const email = `olive.outage-${Date.now()}@b.test`;
    await h.createUser(world.b.tenantId, 'Olive Outage', email, ['participant']);
    // the database out of reach while the password is looked at (as through a restart)
    const outage = jest
      .spyOn(UsersRepository.prototype, 'signInCandidates')
      .mockRejectedValue(new Error('Connection terminated unexpectedly'));
    const c = await h.client();
    const during: number[] = [];
    try {
      for (let i = 0; i < 12; i++) during.push((await c.post('/api/auth/login', { email, password: PASSWORD })).status);
    } finally {
      outage.mockRestore();
    }
    expect(during).toEqual(Array(12).fill(503));
    const before = h.mailbox.messages.length;
    const after = await c.post('/api/auth/login', { email, password: PASSWORD });
    expect({ status: after.status, method: after.body.method }).toEqual({ status: 200, method: 'email' });
    // the e-mailed code's step likewise: twelve tries while the code cannot be looked at, then the code
    const code = /(\d{6})/.exec((await h.mailbox.waitFor(email, /sign-in code/, 15_000, before)).subject)?.[1];
    const codeOutage = jest
      .spyOn(MfaService.prototype, 'checkEmailCode')
      .mockRejectedValue(new Error('Connection terminated unexpectedly'));
    const codeDuring: number[] = [];
    try {
      for (let i = 0; i < 12; i++) codeDuring.push((await c.post('/api/auth/mfa', { code })).status);
    } finally {
      codeOutage.mockRestore();
    }
    expect(codeDuring).toEqual(Array(12).fill(503));
    expect((await c.post('/api/auth/mfa', { code })).status).toBe(200);
    expect((await c.get('/api/auth/me')).body.email).toBe(email);
    // a wrong password is judged, and counted as before: the 11th attempt is refused
    const d = await h.client();
    const wrong: number[] = [];
    for (let i = 0; i < 11; i++)
      wrong.push((await d.post('/api/auth/login', { email, password: `wrong-${i}-password` })).status);
    expect(wrong).toEqual([...Array(10).fill(401), 429]);
  });

  it('a session whose save at the end of its response fails (PostgreSQL gone meanwhile) leaves the response as it was and the API running', async () => {
    const store = h.app.get(SessionStore).store;
    const lost = jest
      .spyOn(store, 'set')
      .mockImplementation((_sid, _sess, cb) => cb?.(new Error('Connection terminated unexpectedly')));
    try {
      // a first request makes the session (its CSRF token) and saves it as the response ends
      const first = await request(h.server).get('/api/auth/csrf');
      expect(first.status).toBe(200);
      expect(lost).toHaveBeenCalled();
    } finally {
      lost.mockRestore();
    }
    // (a header set on the sent response threw outside any handler: the process ended)
    await new Promise((r) => setTimeout(r, 100));
    expect((await request(h.server).get('/api/health/live')).status).toBe(200);
    const c = await h.client();
    expect((await c.get('/api/auth/csrf')).status).toBe(200);
  });

  it('an e-mailed code cannot be replayed', async () => {
    const email = world.b.emails.coach;
    const first = await h.client();
    const before = h.mailbox.messages.length;
    await first.post('/api/auth/login', { email, password: PASSWORD });
    const code = /(\d{6})/.exec((await h.mailbox.waitFor(email, /sign-in code/, 15_000, before)).subject)?.[1];
    expect((await first.post('/api/auth/mfa', { code })).status).toBe(200);
    // the same code again, in the same browser and in a new sign-in attempt
    expect((await first.post('/api/auth/mfa', { code })).status).toBe(401);
    const second = await h.client();
    const before2 = h.mailbox.messages.length;
    await second.post('/api/auth/login', { email, password: PASSWORD });
    const fresh = /(\d{6})/.exec((await h.mailbox.waitFor(email, /sign-in code/, 15_000, before2)).subject)?.[1];
    const replay = await second.post('/api/auth/mfa', { code });
    if (code !== fresh) expect(replay.status).toBe(400);
    expect((await second.get('/api/auth/me')).status).toBe(401);
  });

  it('an e-mailed code cannot be brute-forced: after 5 wrong codes even the right one is refused', async () => {
    const email = world.b.emails.developer;
    const c = await h.client();
    const before = h.mailbox.messages.length;
    await c.post('/api/auth/login', { email, password: PASSWORD });
    const code = /(\d{6})/.exec((await h.mailbox.waitFor(email, /sign-in code/, 15_000, before)).subject)?.[1] ?? '';
    const wrong = (n: number) => String((Number(code) + n) % 1_000_000).padStart(6, '0');
    const answers: number[] = [];
    for (let i = 1; i <= 5; i++) answers.push((await c.post('/api/auth/mfa', { code: wrong(i) })).status);
    expect(answers).toEqual([400, 400, 400, 400, 400]);
    const right = await c.post('/api/auth/mfa', { code });
    expect(right.status).toBe(400);
    expect(right.body.code).toBe('too_many_attempts');
    expect((await c.get('/api/auth/me')).status).toBe(401);
  });

  it('a right password mails at most 10 codes to a person per window, resends included: then a 429 and no mail', async () => {
    const email = 'mailbox-flood@b.test';
    await h.createUser(world.b.tenantId, 'Mailbox Flood', email, ['participant']);
    const mailed = () => h.mailbox.messages.filter((m) => m.to.includes(email)).length;
    const c = await h.client();
    for (let i = 0; i < 9; i++) {
      const before = h.mailbox.messages.length;
      const res = await c.post(
        '/api/auth/login',
        { email, password: PASSWORD },
        { 'X-Forwarded-For': `203.0.113.${i}` },
      );
      expect({ i, status: res.status, step: res.body.status }).toEqual({ i, status: 200, step: 'mfa_required' });
      await h.mailbox.waitFor(email, /sign-in code/, 15_000, before);
    }
    // the tenth code by "send a new code": the same count
    const before = h.mailbox.messages.length;
    expect((await c.post('/api/auth/mfa/email', {})).status).toBe(200);
    const tenth = /(\d{6})/.exec((await h.mailbox.waitFor(email, /sign-in code/, 15_000, before)).subject)?.[1];
    expect(mailed()).toBe(10);
    // an eleventh, from another browser and address, by either way: refused with its wait, nothing mailed
    const other = await h.client();
    const login = await other.post(
      '/api/auth/login',
      { email, password: PASSWORD },
      { 'X-Forwarded-For': '198.51.100.9' },
    );
    expect({ status: login.status, code: login.body.code, message: login.body.message }).toEqual({
      status: 429,
      code: 'rate_limited',
      message: 'Too many sign-in codes were sent to this e-mail address; try again later',
    });
    expect(Number(login.headers['retry-after'])).toBeGreaterThan(0);
    const resend = await c.post('/api/auth/mfa/email', {});
    expect({ status: resend.status, code: resend.body.code }).toEqual({ status: 429, code: 'rate_limited' });
    // a wrong password still answers 401: the limit tells nothing to someone who does not know it
    expect((await other.post('/api/auth/login', { email, password: 'not-the-password-1' })).status).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(mailed()).toBe(10);
    // the last code mailed still signs in
    expect((await c.post('/api/auth/mfa', { code: tenth })).status).toBe(200);
    expect((await c.get('/api/auth/me')).body.email).toBe(email);
  });

  it('a code is refused once its 10 minutes are over', async () => {
    const email = world.b.emails.admin;
    const c = await h.client();
    const before = h.mailbox.messages.length;
    await c.post('/api/auth/login', { email, password: PASSWORD });
    const code = /(\d{6})/.exec((await h.mailbox.waitFor(email, /sign-in code/, 15_000, before)).subject)?.[1];
    h.clock.advance(11 * 60_000);
    try {
      const late = await c.post('/api/auth/mfa', { code });
      expect(late.status).toBe(401);
      expect((await c.get('/api/auth/me')).status).toBe(401);
    } finally {
      h.clock.reset();
    }
  });

  it('an authenticator code signs in once: the same code again is refused, the next step’s code works', async () => {
    const email = 'support-replay@rehearse.test';
    const { secret } = await h.createSuperuser(email);
    h.clock.advance(30_000);
    try {
      const code = totpNow(h, secret);
      const first = await h.client();
      expect((await first.post('/api/auth/login', { email, password: SUPERUSER_PASSWORD })).body.method).toBe('totp');
      expect((await first.post('/api/auth/mfa', { code })).status).toBe(200);
      const second = await h.client();
      await second.post('/api/auth/login', { email, password: SUPERUSER_PASSWORD });
      expect((await second.post('/api/auth/mfa', { code })).status).not.toBe(200);
      expect((await second.get('/api/auth/me')).status).toBe(401);
      h.clock.advance(30_000);
      const third = await h.client();
      await third.post('/api/auth/login', { email, password: SUPERUSER_PASSWORD });
      expect((await third.post('/api/auth/mfa', { code: totpNow(h, secret) })).status).toBe(200);
    } finally {
      h.clock.reset();
    }
  });

  it('lists a person’s sessions, the current one marked, and ends another of them; never someone else’s', async () => {
    const email = 'two-browsers@b.test';
    await h.createUser(world.b.tenantId, 'Two Browsers', email, ['participant']);
    const laptop = await h.signIn(email);
    const phone = await h.signIn(email);
    const listed = await laptop.get('/api/account/sessions');
    expect(listed.status).toBe(200);
    expect(listed.body).toHaveLength(2);
    expect(listed.body.filter((x: { current: boolean }) => x.current)).toHaveLength(1);
    // each with the browser and system its user-agent string names (none for this test's client)
    for (const s of listed.body as { userAgent: string; browser: string | null; os: string | null }[])
      expect({ browser: s.browser, os: s.os }).toEqual(agentOf(s.userAgent));
    const other = listed.body.find((x: { current: boolean }) => !x.current) as { id: string; userAgent: string };
    expect(other.id).toMatch(/^[0-9a-f]{32}$/);
    // another person cannot end it, and an unknown id is 404
    const stranger = await h.signIn(world.b.emails.participant);
    expect((await stranger.send('delete', `/api/account/sessions/${other.id}`)).status).toBe(404);
    expect((await phone.get('/api/auth/me')).status).toBe(200);
    expect((await laptop.send('delete', `/api/account/sessions/${'0'.repeat(32)}`)).status).toBe(404);
    expect((await laptop.send('delete', `/api/account/sessions/${other.id}`)).status).toBe(204);
    expect((await phone.get('/api/auth/me')).status).toBe(401);
    expect((await laptop.get('/api/account/sessions')).body).toHaveLength(1);
  });

  it('signs out everywhere else: every other session of the person ends, this one and other people’s stay', async () => {
    const email = 'three-browsers@b.test';
    await h.createUser(world.b.tenantId, 'Three Browsers', email, ['participant']);
    const [laptop, phone, tablet] = [await h.signIn(email), await h.signIn(email), await h.signIn(email)];
    const neighbour = await h.signIn(world.b.emails.coach);
    const ended = await laptop.send('delete', '/api/account/sessions');
    expect(ended.status).toBe(200);
    expect(ended.body).toEqual({ ended: 2 });
    expect((await phone.get('/api/auth/me')).status).toBe(401);
    expect((await tablet.get('/api/auth/me')).status).toBe(401);
    expect((await laptop.get('/api/auth/me')).status).toBe(200);
    expect((await neighbour.get('/api/auth/me')).status).toBe(200);
    expect((await laptop.send('delete', '/api/account/sessions')).body).toEqual({ ended: 0 });
  });

  it('a sign-in begun before its organisation was kept in the session refuses the code, and a new code signs in', async () => {
    const email = 'late-signer@b.test';
    const userId = await h.createUser(world.b.tenantId, 'Late Signer', email, ['coach']);
    const c = await h.client();
    let before = h.mailbox.messages.length;
    await c.post('/api/auth/login', { email, password: PASSWORD });
    const first = /(\d{6})/.exec((await h.mailbox.waitFor(email, /sign-in code/, 15_000, before)).subject)?.[1];
    // the pending sign-in as an earlier version stored it: no tenantId
    const [, dropped]: [unknown, number] = await h.db.query(
      `UPDATE sessions SET sess = (sess::jsonb #- '{pending,tenantId}')::json WHERE sess #>> '{pending,userId}' = $1`,
      [userId],
    );
    expect(dropped).toBe(1);
    const refused = await c.post('/api/auth/mfa', { code: first });
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 400, code: 'code_expired' });
    before = h.mailbox.messages.length;
    expect((await c.post('/api/auth/mfa/email', {})).status).toBe(200);
    const second = /(\d{6})/.exec((await h.mailbox.waitFor(email, /sign-in code/, 15_000, before)).subject)?.[1];
    expect((await c.post('/api/auth/mfa', { code: second })).status).toBe(200);
    expect((await c.get('/api/auth/me')).body.email).toBe(email);
  });

  it("a trusted-device token of user A does nothing for user B, and dies with A's password change", async () => {
    const a = world.a.emails.participant2;
    const b = world.b.emails.participant;
    const ca = await h.signIn(a, PASSWORD, { trustDevice: true });
    const jar = (ca.agent as unknown as { jar: { getCookies(o: unknown): { name: string; value: string }[] } }).jar;
    const td = jar
      .getCookies({ domain: '127.0.0.1', path: '/', secure: false, script: false })
      .find((k) => k.name === 'rehearse.td');
    expect(td?.value).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    // A again, from the trusted device: no code needed
    const again = await h.client();
    const direct = await again.agent
      .post('/api/auth/login')
      .set('X-XSRF-TOKEN', again.xsrf)
      .set('Cookie', `rehearse.td=${td?.value}`)
      .send({ email: a, password: PASSWORD });
    expect(direct.body.status).toBe('signed_in');
    // B with A's device cookie: still asked for a code
    const other = await h.client();
    const forB = await other.agent
      .post('/api/auth/login')
      .set('X-XSRF-TOKEN', other.xsrf)
      .set('Cookie', `rehearse.td=${td?.value}`)
      .send({ email: b, password: PASSWORD });
    expect(forB.body).toMatchObject({ status: 'mfa_required', method: 'email' });
    // the device is listed on A's account page
    const devices = await ca.get('/api/account/trusted-devices');
    expect(devices.body).toHaveLength(1);
    // A changes the password: the device stops working
    const NEW = 'an entirely new passphrase 42';
    expect((await ca.post('/api/account/password', { currentPassword: PASSWORD, newPassword: NEW })).status).toBe(204);
    const after = await h.client();
    const res = await after.agent
      .post('/api/auth/login')
      .set('X-XSRF-TOKEN', after.xsrf)
      .set('Cookie', `rehearse.td=${td?.value}`)
      .send({ email: a, password: NEW });
    expect(res.body).toMatchObject({ status: 'mfa_required' });
  });

  it("a password change ends the user's other sessions", async () => {
    const email = world.a.emails.participant;
    const one = await h.signIn(email);
    const two = await h.signIn(email);
    const NEW = 'my second strong passphrase';
    expect((await one.post('/api/account/password', { currentPassword: PASSWORD, newPassword: NEW })).status).toBe(204);
    expect((await one.get('/api/auth/me')).status).toBe(200);
    expect((await two.get('/api/auth/me')).status).toBe(401);
    expect((await one.post('/api/account/password', { currentPassword: NEW, newPassword: PASSWORD })).status).toBe(204);
  });

  it('refuses weak and common passwords with field errors', async () => {
    const c = await h.signIn(world.a.emails.developer);
    for (const weak of ['short', 'password1', 'iloveyou', 'qwertyuiop']) {
      const res = await c.post('/api/account/password', { currentPassword: PASSWORD, newPassword: weak });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('weak_password');
      expect(res.body.errors[0].field).toBe('newPassword');
    }
  });

  it('refuses cross-site state-changing requests and requests without the CSRF token', async () => {
    const c = await h.signIn(world.a.emails.admin);
    const body = { name: 'X Y', email: 'csrf@a.test', roles: ['participant'] };
    const noToken = await c.agent.post('/api/admin/users').send(body);
    expect(noToken.status).toBe(403);
    expect(noToken.body.code).toBe('csrf_failed');
    const crossSite = await c.post('/api/admin/users', body, { 'Sec-Fetch-Site': 'cross-site' });
    expect(crossSite.status).toBe(403);
    const nullOrigin = await c.post('/api/admin/users', body, { Origin: 'null' });
    expect(nullOrigin.status).toBe(403);
    const evil = await c.post('/api/admin/users', body, { Origin: 'https://evil.example' });
    expect(evil.status).toBe(403);
    const rows = await h.db.query(`SELECT 1 FROM users WHERE email = 'csrf@a.test'`);
    expect(rows).toHaveLength(0);
    const sameOrigin = await c.post('/api/admin/users', body, {
      Origin: 'http://localhost:3000',
      'Sec-Fetch-Site': 'same-origin',
    });
    expect(sameOrigin.status).toBe(201);
  });

  it('ends a session after the absolute timeout even when it was used all along', async () => {
    const c = await h.signIn(world.b.emails.admin);
    expect((await c.get('/api/auth/me')).status).toBe(200);
    h.clock.advance((h.config.SESSION_ABSOLUTE_HOURS * 60 + 1) * 60_000);
    try {
      expect((await c.get('/api/auth/me')).status).toBe(401);
    } finally {
      h.clock.reset();
    }
  });

  it('deactivating a user ends their sessions at once', async () => {
    const { tenantId } = world.b;
    const id = await h.createUser(tenantId, 'Short Lived', 'short@b.test', ['participant']);
    const user = await h.signIn('short@b.test');
    const admin = await h.signIn(world.b.emails.admin);
    expect((await user.get('/api/auth/me')).status).toBe(200);
    expect((await admin.post(`/api/admin/users/${id}/deactivate`)).status).toBe(200);
    expect((await user.get('/api/auth/me')).status).toBe(401);
    const again = await (await h.client()).post('/api/auth/login', { email: 'short@b.test', password: PASSWORD });
    expect(again.status).toBe(401);
  });

  it('an administrator cannot deactivate themselves; reactivating themselves (active already) changes nothing', async () => {
    const admin = await h.signIn(world.b.emails.admin);
    const me = (await admin.get('/api/auth/me')).body.id as string;
    const off = await admin.post(`/api/admin/users/${me}/deactivate`);
    expect([off.status, off.body.message]).toEqual([409, 'You cannot deactivate yourself']);
    const on = await admin.post(`/api/admin/users/${me}/reactivate`);
    expect([on.status, on.body.status]).toEqual([200, 'active']);
    expect((await admin.get('/api/auth/me')).status).toBe(200);
  });
});

describe('address throttling', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ LOGIN_MAX_FAILURES_PER_ADDRESS: '5', TRUST_PROXY: 'false' });
  });
  afterAll(() => h.close());

  it('counts failures per client address; a spoofed X-Forwarded-For does not reset the counter', async () => {
    const c = new Client(h.server);
    const send = (email: string, xff: string) =>
      c.agent
        .post('/api/auth/login')
        .set('X-XSRF-TOKEN', c.xsrf)
        .set('X-Forwarded-For', xff)
        .send({ email, password: 'not-the-password' });
    c.capture(await c.agent.get('/api/auth/csrf'));
    for (let i = 0; i < 5; i++) expect((await send(`user${i}@x.test`, `192.0.2.${i}`)).status).toBe(401);
    expect((await send('someone-else@x.test', '192.0.2.200')).status).toBe(429);
  });
});

describe('sign-in codes from one address', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ LOGIN_MAX_FAILURES_PER_ADDRESS: '5', TRUST_PROXY: 'false' });
  });
  afterAll(() => h.close());

  it("a call centre's people sign in from one address: each gets a code, past the address's limit of failures", async () => {
    const { tenantId } = await h.tenants.createTenant({
      name: 'Call Centre',
      slug: 'call-centre',
      admin: { name: 'Admin', email: 'admin@call.test', password: PASSWORD },
    });
    const steps: string[] = [];
    for (let i = 0; i < 8; i++) {
      const email = `agent${i}@call.test`;
      await h.createUser(tenantId, `Agent ${i}`, email, ['participant']);
      const before = h.mailbox.messages.length;
      const res = await (await h.client()).post('/api/auth/login', { email, password: PASSWORD });
      steps.push(`${res.status} ${res.body.status ?? res.body.code}`);
      if (res.status === 200) await h.mailbox.waitFor(email, /sign-in code/, 15_000, before);
    }
    expect(steps).toEqual(Array(8).fill('200 mfa_required'));
  });
});

// A harness of its own, made before its test and closed after it: passport keeps one 'local'
// strategy per process, the last application's, so a harness made and closed inside another
// describe's test would leave that describe's sign-ins on a closed application (test order).
describe('HTTPS cookies', () => {
  let hs: Harness;
  beforeAll(async () => {
    hs = await startHarness({ PUBLIC_URL: 'https://rehearse.example', TRUST_PROXY: 'loopback' });
  });
  afterAll(() => hs.close());

  it('uses a __Host- prefixed, Secure session cookie behind HTTPS', async () => {
    const res = await new Client(hs.server).agent.get('/api/auth/csrf').set('X-Forwarded-Proto', 'https');
    const cookie = Client.cookie(res, '__Host-rehearse.sid') ?? '';
    expect(cookie).toMatch(/^__Host-rehearse\.sid=/);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Domain=/i);
  });
});
