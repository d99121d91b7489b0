import { createServer, type AddressInfo } from 'node:net';
import { Client, Harness, seedTwoTenants, startHarness } from '../../test/harness';
import { signInAtIdp, startIdp } from '../../test/idp';
import { LoginThrottle } from '@rehearse/server/accounts';

const DIRECTORY = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const OTHER_DIRECTORY = '9188040d-6c67-4c5b-b112-36a304b66dad';

/**
 * SSO against a real OpenID Connect provider on localhost (oidc-provider) standing in for Entra
 * ID. Tenant A trusts directory DIRECTORY. Accounts at the provider: carol (new to Rehearse),
 * mallory (another directory), and pat, whose e-mail is a Rehearse participant's but who was
 * never linked.
 */
describe('single sign-on with OpenID Connect (Entra ID)', () => {
  let h: Harness;
  let idp: { issuer: string; stop(): Promise<void> };
  let world: Awaited<ReturnType<typeof seedTwoTenants>>;
  let admin: Client;
  const callbackBase = 'http://localhost:3000/api/auth/sso/callback';

  /** Starts at Rehearse, signs in at the provider as `login`, and returns the callback URL the provider sends the browser to. */
  const toProvider = async (c: Client, login: string, tamper?: (u: URL) => void) => {
    const start = await c.agent.get('/api/auth/sso/tenant-a/start');
    expect(start.status).toBe(302);
    const authorization = new URL(start.headers['location']);
    tamper?.(authorization);
    return signInAtIdp(authorization.toString(), login, callbackBase);
  };
  const back = async (c: Client, callback: URL) => {
    const res = c.capture(await c.agent.get(`${callback.pathname}${callback.search}`));
    expect(res.status).toBe(302);
    return res.headers['location'] as string;
  };
  const configure = (extra: Record<string, unknown> = {}) =>
    admin.put('/api/admin/sso', {
      enabled: true,
      issuer: idp.issuer,
      clientId: 'rehearse-a',
      clientSecret: 'a-secret-for-tests',
      directoryId: DIRECTORY,
      jitParticipants: true,
      trustIdpMfa: true,
      ...extra,
    });

  /** Carol as the directory knows her and Rehearse does not (yet): no person, no linked identity. */
  const forgetCarol = async () => {
    await h.db.query(`DELETE FROM user_identities WHERE object_id = 'c0ffee00-0000-4000-8000-00000000000c'`);
    await h.db.query(`DELETE FROM users WHERE email IN ('carol@a-directory.test', 'carol.new@a-directory.test')`);
  };

  beforeAll(async () => {
    h = await startHarness();
    world = await seedTwoTenants(h);
    idp = await startIdp(
      [{ client_id: 'rehearse-a', client_secret: 'a-secret-for-tests', redirect_uris: [callbackBase] }],
      {
        carol: {
          oid: 'c0ffee00-0000-4000-8000-00000000000c',
          tid: DIRECTORY,
          email: 'carol@a-directory.test',
          name: 'Carol Directory',
        },
        mallory: {
          oid: 'badbad00-0000-4000-8000-00000000000b',
          tid: OTHER_DIRECTORY,
          email: 'mallory@elsewhere.test',
          name: 'Mallory',
        },
        // an address that is valid as sent but 256 characters once lower-cased, and a long name
        lena: {
          oid: '1e7a1e7a-0000-4000-8000-00000000001e',
          tid: DIRECTORY,
          email: `l@${'İ'.repeat(62)}.${'İ'.repeat(62)}.test`,
          name: 'Lena '.repeat(60),
        },
        // a directory whose name field holds a line break and a direction override
        trudy: {
          oid: '7d7d7d00-0000-4000-8000-00000000007d',
          tid: DIRECTORY,
          email: 'trudy@a-directory.test',
          name: 'Trudy\u202Egpj.exe\nAdministrator',
        },
        pat: {
          oid: 'fa7fa700-0000-4000-8000-00000000000f',
          tid: DIRECTORY,
          email: world.a.emails.participant,
          name: 'Participant a',
        },
      },
    );
    admin = await h.signIn(world.a.emails.admin);
  }, 60_000);

  afterAll(async () => {
    await idp?.stop();
    await h?.close();
  });

  it('administrators configure it; the secret is never shown again; bad settings are refused', async () => {
    // from an organisation without settings, whatever another test configured
    await h.db.query(`DELETE FROM tenant_sso WHERE tenant_id = $1`, [world.a.tenantId]);
    expect((await admin.get('/api/admin/sso')).body).toMatchObject({
      enabled: false,
      clientSecretSet: false,
      redirectUri: callbackBase,
    });
    expect(
      (
        await admin.put('/api/admin/sso', {
          enabled: true,
          issuer: 'not a url',
          clientId: '',
          directoryId: 'x y',
          jitParticipants: 'yes',
          trustIdpMfa: false,
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await admin.put('/api/admin/sso', {
          enabled: true,
          issuer: idp.issuer,
          clientId: 'rehearse-a',
          directoryId: DIRECTORY,
          jitParticipants: true,
          trustIdpMfa: true,
        })
      ).status,
    ).toBe(400); // no secret yet
    const saved = await configure();
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ enabled: true, clientSecretSet: true, directoryId: DIRECTORY });
    expect(JSON.stringify(saved.body)).not.toContain('a-secret-for-tests');
    const [row] = await h.db.query(`SELECT client_secret_sealed FROM tenant_sso`);
    expect(row.client_secret_sealed).not.toContain('a-secret-for-tests');
    expect((await (await h.client()).get('/api/auth/sso/tenant-a/info')).body).toEqual({
      slug: 'tenant-a',
      tenantName: 'Tenant A',
      enabled: true,
    });
    expect((await (await h.client()).get('/api/auth/sso/tenant-b/info')).body.enabled).toBe(false);
    // a page load, not a call of the web app: back to the sign-in page, which says why (it was a page of JSON)
    const off = await (await h.client()).get('/api/auth/sso/tenant-b/start');
    expect({ status: off.status, location: off.headers['location'] }).toEqual({
      status: 302,
      location: '/login?sso_error=misconfigured',
    });
  });

  it("an issuer off the operator's list of identity provider hosts is refused, and the API never connects to one saved before", async () => {
    // the API would fetch the issuer's metadata whenever anyone starts a sign-in: an address on the
    // operator's own network is refused when it is set (in tests, only this machine's is allowed)
    expect((await configure()).status).toBe(200);
    const aimed = await configure({ issuer: 'https://169.254.169.254/latest' });
    expect(aimed.status).toBe(400);
    expect(aimed.body.errors).toEqual([
      {
        field: 'issuer',
        messages: ['must be on login.microsoftonline.com, login.microsoftonline.us, login.partner.microsoftonline.cn'],
      },
    ]);
    expect((await admin.get('/api/admin/sso')).body.issuer).toBe(idp.issuer);
    // one saved before the operator narrowed the list: a listener on another loopback address sees no connection
    const connections: string[] = [];
    const listener = createServer((socket) => {
      connections.push(`from ${socket.remoteAddress}:${socket.remotePort}`);
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.2', resolve));
    const { port } = listener.address() as AddressInfo;
    try {
      await h.db.query(`UPDATE tenant_sso SET issuer = $2 WHERE tenant_id = $1`, [
        world.a.tenantId,
        `https://127.0.0.2:${port}`,
      ]);
      const started = await (await h.client()).get('/api/auth/sso/tenant-a/start');
      expect({ status: started.status, location: started.headers['location'] }).toEqual({
        status: 302,
        location: '/login?sso_error=unavailable',
      });
      expect(connections).toHaveLength(0);
    } finally {
      await new Promise((resolve) => listener.close(resolve));
      expect((await configure()).status).toBe(200);
    }
  });

  it('signs in with the directory: PKCE, state and nonce are sent; a new person becomes a participant; the second time they are found by their ids', async () => {
    expect((await configure()).status).toBe(200);
    await forgetCarol();
    const c = await h.client();
    const start = await c.agent.get('/api/auth/sso/tenant-a/start');
    const authorization = new URL(start.headers['location']);
    expect(authorization.origin).toBe(idp.issuer);
    for (const p of ['state', 'nonce', 'code_challenge'])
      expect(authorization.searchParams.get(p)?.length).toBeGreaterThanOrEqual(20);
    expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
    const callback = await signInAtIdp(authorization.toString(), 'carol', callbackBase);
    expect(callback.searchParams.get('iss')).toBe(idp.issuer);
    expect(await back(c, callback)).toBe('/');
    const me = await c.get('/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email: 'carol@a-directory.test', name: 'Carol Directory', roles: ['participant'] });
    const [identity] = await h.db.query(
      `SELECT user_id, directory_id, object_id FROM user_identities WHERE object_id = 'c0ffee00-0000-4000-8000-00000000000c'`,
    );
    expect(identity).toEqual({
      user_id: me.body.id,
      directory_id: DIRECTORY,
      object_id: 'c0ffee00-0000-4000-8000-00000000000c',
    });
    // on the organisation's account activity, made by the person's own sign-in; in their own view too
    const made = (await admin.get(`/api/admin/activity?subjectId=${me.body.id}`)).body.items;
    expect(made).toEqual([
      expect.objectContaining({
        action: 'user.created_at_sign_in',
        actorId: me.body.id,
        actorRole: 'participant',
        subjectName: 'Carol Directory',
        details: { roles: ['participant'] },
      }),
    ]);
    expect((await c.get('/api/account/activity')).body.items).toEqual(made);

    // the second sign-in finds the same person by tid + oid, even after their e-mail changed in Rehearse
    await h.db.query(`UPDATE users SET email = 'carol.new@a-directory.test' WHERE id = $1`, [me.body.id]);
    const again = await h.client();
    expect(await back(again, await toProvider(again, 'carol'))).toBe('/');
    expect((await again.get('/api/auth/me')).body.id).toBe(me.body.id);
    expect(
      (
        await h.db.query(`SELECT count(*)::int AS n FROM users WHERE tenant_id = $1 AND name = 'Carol Directory'`, [
          world.a.tenantId,
        ])
      )[0].n,
    ).toBe(1);
  });

  it('refuses a wrong state, a wrong nonce, a wrong issuer and another directory', async () => {
    expect((await configure()).status).toBe(200);
    // state: the callback carries another state than the one this browser started with
    const c1 = await h.client();
    const cb1 = await toProvider(c1, 'carol');
    cb1.searchParams.set('state', 'forged-state-value-0123456789');
    expect(await back(c1, cb1)).toBe('/login?sso_error=state');
    expect((await c1.get('/api/auth/me')).status).toBe(401);

    // nonce: the provider is sent a nonce that is not the one in the session
    const c2 = await h.client();
    const cb2 = await toProvider(c2, 'carol', (u) => u.searchParams.set('nonce', 'someone-elses-nonce-0123456789'));
    expect(await back(c2, cb2)).toBe('/login?sso_error=provider');
    expect((await c2.get('/api/auth/me')).status).toBe(401);

    // issuer: the response names another issuer (RFC 9207 mix-up defence)
    const c3 = await h.client();
    const cb3 = await toProvider(c3, 'carol');
    cb3.searchParams.set('iss', 'https://login.microsoftonline.com/evil/v2.0');
    expect(await back(c3, cb3)).toBe('/login?sso_error=provider');
    expect((await c3.get('/api/auth/me')).status).toBe(401);

    // another directory (tid)
    const c4 = await h.client();
    expect(await back(c4, await toProvider(c4, 'mallory'))).toBe('/login?sso_error=directory');
    expect((await c4.get('/api/auth/me')).status).toBe(401);

    // a callback replayed without a sign-in in progress
    const c5 = await h.client();
    expect(await back(c5, cb1)).toBe('/login?sso_error=expired');

    // an answer the API does not read at all (a NUL in a value or a name): back to the sign-in
    // page with its reason, whatever the path's case, not a page of JSON
    for (const [path, extra] of [
      ['/api/auth/sso/callback', 'code=x%00'],
      ['/API/Auth/SSO/callback/', 'x%00y=1'],
    ]) {
      const c6 = await h.client();
      const cb6 = await toProvider(c6, 'carol');
      cb6.pathname = path;
      const res = c6.capture(await c6.agent.get(`${cb6.pathname}${cb6.search}&${extra}`));
      expect({ path, status: res.status, location: res.headers['location'] }).toEqual({
        path,
        status: 302,
        location: '/login?sso_error=provider',
      });
      expect((await c6.get('/api/auth/me')).status).toBe(401);
    }
    expect((await h.db.query(`SELECT count(*)::int AS n FROM users WHERE email LIKE 'mallory%'`))[0].n).toBe(0);
  });

  it('never matches by e-mail alone: a known address with a new subject id is refused until the person links it', async () => {
    expect((await configure()).status).toBe(200);
    await h.db.query(`DELETE FROM user_identities WHERE user_id = $1`, [world.a.ids.participant]);
    const c = await h.client();
    expect(await back(c, await toProvider(c, 'pat'))).toBe('/login?sso_error=not_linked');
    expect((await c.get('/api/auth/me')).status).toBe(401);
    expect(
      (
        await h.db.query(`SELECT count(*)::int AS n FROM user_identities WHERE user_id = $1`, [world.a.ids.participant])
      )[0].n,
    ).toBe(0);

    // signed in with password and code, the participant links the directory account; from then on SSO signs them in
    const participant = await h.signIn(world.a.emails.participant);
    expect((await participant.get('/api/account/sso')).body).toEqual({
      offered: true,
      linkedAt: null,
      lastUsedAt: null,
    });
    const link = await participant.agent.get('/api/account/sso/link');
    expect(link.status).toBe(302);
    const cb = await signInAtIdp(link.headers['location'], 'pat', callbackBase);
    expect(await back(participant, cb)).toBe('/account?sso=linked');
    const linked = (await participant.get('/api/account/sso')).body;
    expect(linked).toMatchObject({ offered: true, lastUsedAt: null });
    const lately = (at: string) => Math.abs(Date.parse(at) - h.clock.now().getTime());
    expect(lately(linked.linkedAt)).toBeLessThan(60_000);
    const fresh = await h.client();
    expect(await back(fresh, await toProvider(fresh, 'pat'))).toBe('/');
    expect((await fresh.get('/api/auth/me')).body.id).toBe(world.a.ids.participant);
    expect(lately((await fresh.get('/api/account/sso')).body.lastUsedAt)).toBeLessThan(60_000);

    // someone else linking the same Microsoft account is sent back to their account page, which says why
    // (they were sent to the sign-in page, which a signed-in person never sees: the reason was lost)
    const other = await h.signIn(world.a.emails.participant2);
    const again = await other.agent.get('/api/account/sso/link');
    expect(again.status).toBe(302);
    expect(await back(other, await signInAtIdp(again.headers['location'], 'pat', callbackBase))).toBe(
      '/account?sso_error=linked_elsewhere',
    );
    expect((await other.get('/api/auth/me')).body.id).toBe(world.a.ids.participant2);
    // a link that took too long goes back to the account page too
    const late = await other.agent.get('/api/account/sso/link');
    const lateCallback = await signInAtIdp(late.headers['location'], 'pat', callbackBase);
    h.clock.advance(11 * 60_000);
    expect(await back(other, lateCallback)).toBe('/account?sso_error=expired');
    expect((await other.get('/api/account/sso')).body).toEqual({ offered: true, linkedAt: null, lastUsedAt: null });
  });

  it('a provider that cannot be reached on the way back (another replica, a restart) sends the browser back with its reason, not a 500', async () => {
    expect((await configure()).status).toBe(200);
    await forgetCarol();
    const c = await h.client();
    const callback = await toProvider(c, 'carol');
    // the API knows the provider's metadata from the start; one that does not (a restart, another
    // replica) asks for it again, and the provider is away: the settings now name an issuer nobody answers at
    const listener = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const { port } = listener.address() as AddressInfo;
    try {
      await h.db.query(`UPDATE tenant_sso SET issuer = $2 WHERE tenant_id = $1`, [
        world.a.tenantId,
        `http://127.0.0.1:${port}`,
      ]);
      expect(await back(c, callback)).toBe('/login?sso_error=unavailable');
      expect((await c.get('/api/auth/me')).status).toBe(401);
      // linking, from the account page: back there
      const person = await h.signIn(world.a.emails.participant2);
      const link = await person.agent.get('/api/account/sso/link');
      expect({ status: link.status, location: link.headers['location'] }).toEqual({
        status: 302,
        location: '/account?sso_error=unavailable',
      });
    } finally {
      await new Promise((resolve) => listener.close(resolve));
      expect((await configure()).status).toBe(200);
    }
    // an organisation without single sign-on: nothing to link, said on the account page (it was a page of JSON)
    const b = await h.signIn(world.b.emails.participant);
    expect((await b.get('/api/account/sso')).body).toEqual({ offered: false, linkedAt: null, lastUsedAt: null });
    const none = await b.agent.get('/api/account/sso/link');
    expect({ status: none.status, location: none.headers['location'] }).toEqual({
      status: 302,
      location: '/account?sso_error=misconfigured',
    });
  });

  it("asks for Rehearse's own second factor unless the tenant trusts the directory's MFA", async () => {
    expect((await configure({ trustIdpMfa: false })).status).toBe(200);
    await forgetCarol();
    const c = await h.client();
    const before = h.mailbox.messages.length;
    expect(await back(c, await toProvider(c, 'carol'))).toBe('/login?mfa=email');
    expect((await c.get('/api/auth/me')).status).toBe(401);
    const mail = await h.mailbox.waitFor('carol@a-directory.test', /sign-in code/, 15_000, before);
    const code = /(\d{6})/.exec(mail.subject)?.[1] ?? '';
    const done = await c.post('/api/auth/mfa', { code });
    expect(done.status).toBe(200);
    expect((await c.get('/api/auth/me')).body.email).toBe('carol@a-directory.test');
  });

  it("the sign-in codes' limit holds through the directory too: past it, back to the sign-in page with its reason, nothing mailed", async () => {
    expect((await configure({ trustIdpMfa: false })).status).toBe(200);
    await forgetCarol();
    const first = await h.client();
    const mailedBefore = h.mailbox.messages.length;
    expect(await back(first, await toProvider(first, 'carol'))).toBe('/login?mfa=email');
    await h.mailbox.waitFor('carol@a-directory.test', /sign-in code/, 15_000, mailedBefore);
    const carol = (await h.db.query(`SELECT id FROM users WHERE email = 'carol@a-directory.test'`))[0].id as string;
    // the rest of her codes for this while, mailed by sign-ins elsewhere
    const throttle = h.app.get(LoginThrottle);
    for (let i = 1; i < h.config.SIGN_IN_CODE_MAILS; i++) await throttle.use('code-mail', carol, `198.51.100.${i}`);
    const before = h.mailbox.messages.length;
    const c = await h.client();
    expect(await back(c, await toProvider(c, 'carol'))).toBe('/login?sso_error=too_many_codes');
    expect((await c.get('/api/auth/me')).status).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.mailbox.messages.slice(before).filter((m) => m.to.includes('carol@a-directory.test'))).toEqual([]);
  });

  it('does not create people when just-in-time creation is off', async () => {
    expect((await configure({ jitParticipants: false })).status).toBe(200);
    await forgetCarol();
    const c = await h.client();
    expect(await back(c, await toProvider(c, 'carol'))).toBe('/login?sso_error=no_account');
    expect((await h.db.query(`SELECT count(*)::int AS n FROM users WHERE name = 'Carol Directory'`))[0].n).toBe(0);
  });

  it('an address from the directory that does not fit as stored is no address: refused, nobody created, no 500', async () => {
    expect((await configure()).status).toBe(200);
    const c = await h.client();
    expect(await back(c, await toProvider(c, 'lena'))).toBe('/login?sso_error=no_account');
    expect((await h.db.query(`SELECT count(*)::int AS n FROM users WHERE name LIKE 'Lena %'`))[0].n).toBe(0);
  });

  it("a person made from the directory's name claim gets it as one line: no line break, no direction override", async () => {
    expect((await configure()).status).toBe(200);
    const c = await h.client();
    expect(await back(c, await toProvider(c, 'trudy'))).toBe('/');
    expect((await c.get('/api/auth/me')).body).toMatchObject({
      email: 'trudy@a-directory.test',
      name: 'Trudygpj.exe Administrator',
    });
  });

  it('identities are bound to the issuer they were linked under: an administrator who points the tenant at another provider takes over nobody', async () => {
    expect((await configure()).status).toBe(200);
    // the victim (another administrator of the tenant) has a linked identity; its ids are known to the attacker
    const victimOid = 'abcdef00-0000-4000-8000-00000000000a';
    await h.db.query(
      `INSERT INTO user_identities (tenant_id, user_id, issuer, directory_id, object_id, created_at) VALUES ($1,$2,$3,$4,$5,now())`,
      [world.a.tenantId, world.a.ids.participant2, idp.issuer, DIRECTORY, victimOid],
    );
    // the export an administrator reads does not carry the provider's subject ids
    const rogue = await startIdp(
      [{ client_id: 'rogue', client_secret: 'rogue-secret-for-tests', redirect_uris: [callbackBase] }],
      {
        victim: { oid: victimOid, tid: DIRECTORY, email: 'someone-new@rogue.test', name: 'Forged Victim' },
      },
    );
    try {
      const before = Number(
        (
          await h.db.query(
            `SELECT count(*)::int AS n FROM privacy_log WHERE subject_id = $1 AND object_type = 'sso_identity' AND action = 'unlinked'`,
            [world.a.ids.participant2],
          )
        )[0].n,
      );
      expect(
        (
          await admin.put('/api/admin/sso', {
            enabled: true,
            issuer: rogue.issuer,
            clientId: 'rogue',
            clientSecret: 'rogue-secret-for-tests',
            directoryId: DIRECTORY,
            jitParticipants: false,
            trustIdpMfa: true,
          })
        ).status,
      ).toBe(200);
      // another issuer unlinks everybody of the tenant, on the record in each person's privacy log
      expect(
        (await h.db.query(`SELECT count(*)::int AS n FROM user_identities WHERE tenant_id = $1`, [world.a.tenantId]))[0]
          .n,
      ).toBe(0);
      expect(
        (
          await h.db.query(
            `SELECT count(*)::int AS n FROM privacy_log WHERE subject_id = $1 AND object_type = 'sso_identity' AND action = 'unlinked'`,
            [world.a.ids.participant2],
          )
        )[0].n,
      ).toBe(before + 1);
      // even a row linked under the old issuer (put back by hand) does not match a token of the new one
      await h.db.query(
        `INSERT INTO user_identities (tenant_id, user_id, issuer, directory_id, object_id, created_at) VALUES ($1,$2,$3,$4,$5,now())`,
        [world.a.tenantId, world.a.ids.participant2, idp.issuer, DIRECTORY, victimOid],
      );
      const c = await h.client();
      const start = await c.agent.get('/api/auth/sso/tenant-a/start');
      const cb = await signInAtIdp(start.headers['location'], 'victim', callbackBase);
      expect(await back(c, cb)).toBe('/login?sso_error=no_account');
      expect((await c.get('/api/auth/me')).status).toBe(401);
    } finally {
      await rogue.stop();
      await h.db.query(`DELETE FROM user_identities WHERE object_id = $1`, [victimOid]);
      await configure({ clientSecret: 'a-secret-for-tests' });
    }
  });
});
