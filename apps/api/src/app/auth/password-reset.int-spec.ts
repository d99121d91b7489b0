import Redis from 'ioredis';
import { PasswordResetRequests } from '@rehearse/server/accounts';
import { Client, Harness, PASSWORD, seedTwoTenants, startHarness } from '../../test/harness';

const NEW_PASSWORD = 'a new and long passphrase';

/**
 * A forgotten password: a link by e-mail that works once and for a short time, then a new
 * password. The second factor is still asked at the next sign-in; the answer to a request tells
 * nobody whether the address has an account.
 */
describe('password reset by e-mailed link', () => {
  let h: Harness;
  let world: Awaited<ReturnType<typeof seedTwoTenants>>;
  let redis: Redis;

  beforeAll(async () => {
    h = await startHarness();
    world = await seedTwoTenants(h);
    redis = new Redis(h.config.REDIS_URL);
  });
  beforeEach(async () => {
    // each case from a clean slate: every request here comes from one client address
    const keys = await redis.keys(`${h.config.QUEUE_PREFIX}:throttle:reset*`);
    if (keys.length) await redis.del(...keys);
  });
  afterAll(async () => {
    await redis?.quit();
    await h?.close();
  });

  const linkIn = (text: string) => /\/password-reset\/([A-Za-z0-9_-]+)/.exec(text)?.[1] ?? '';
  /** Asks for a link as a visitor would, and waits until the links are made. */
  const ask = async (email: string, c?: Client) => {
    const res = await (c ?? (await h.client())).post('/api/auth/password-reset', { email });
    await h.app.get(PasswordResetRequests).settled();
    return res;
  };
  const linkFor = async (email: string) => {
    const before = h.mailbox.messages.length;
    expect((await ask(email)).status).toBe(202);
    return linkIn((await h.mailbox.waitFor(email, /new Rehearse password/, 15_000, before)).text);
  };
  const resetsOf = async (userId: string) =>
    (await h.db.query(`SELECT token_hash, token_sealed, used_at FROM password_resets WHERE user_id = $1`, [
      userId,
    ])) as { token_hash: string; token_sealed: string | null; used_at: Date | null }[];

  it('answers the same for every address, and sends a link only to an active account with a password of its own', async () => {
    const { id: superuser } = await h.createSuperuser('root@platform.test');
    const invited = await (
      await h.signIn(world.a.emails.admin)
    ).post('/api/admin/users', { name: 'Ina Invited', email: 'ina@a.test', roles: ['participant'] });
    expect(invited.status).toBe(201);
    const answers = [];
    for (const email of [world.a.emails.participant, 'nobody@nowhere.test', 'root@platform.test', 'ina@a.test'])
      answers.push(await ask(email));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202]);
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
    expect(answers[0].body.message).toMatch(/If this address belongs to an account/);
    expect(await resetsOf(world.a.ids.participant)).toHaveLength(1);
    expect(await resetsOf(superuser)).toEqual([]);
    expect(await resetsOf(invited.body.id)).toEqual([]);
    // an address in two organisations: a link for each, each naming its organisation
    await h.createUser(world.b.tenantId, 'Dual B', 'dual@both.test', ['participant']);
    await h.createUser(world.a.tenantId, 'Dual A', 'dual@both.test', ['participant']);
    const before = h.mailbox.messages.length;
    expect((await ask('Dual@Both.test')).status).toBe(202);
    const a = await h.mailbox.waitFor('dual@both.test', /Tenant A/, 15_000, before);
    const b = await h.mailbox.waitFor('dual@both.test', /Tenant B/, 15_000, before);
    expect(linkIn(a.text)).not.toBe(linkIn(b.text));
    // a malformed address is a 400 that names the field
    const bad = await (await h.client()).post('/api/auth/password-reset', { email: 'not an address' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('email');
  });

  it('sets a new password once; every session ends, trusted devices are forgotten, the second factor is still asked', async () => {
    const email = world.a.emails.coach;
    const before = await h.signIn(email, PASSWORD, { trustDevice: true });
    expect((await before.get('/api/auth/me')).status).toBe(200);
    const token = await linkFor(email);
    expect(token.length).toBeGreaterThanOrEqual(40);
    // stored hashed, and its sealed copy is gone once mailed
    for (let i = 0; i < 50 && (await resetsOf(world.a.ids.coach))[0].token_sealed !== null; i++)
      await new Promise((r) => setTimeout(r, 100));
    const [row] = await resetsOf(world.a.ids.coach);
    expect(row.token_sealed).toBeNull();
    expect(row.token_hash).not.toContain(token);

    const visitor = await h.client();
    const info = await visitor.get(`/api/auth/password-reset/${token}`);
    expect(info.status).toBe(200);
    expect(info.body).toMatchObject({
      email,
      tenantName: 'Tenant A',
      passwordRules: { minLength: 8, requireComplexity: false },
    });
    expect(Date.parse(info.body.expiresAt) - h.clock.now().getTime()).toBeLessThanOrEqual(30 * 60_000);
    const weak = await visitor.post('/api/auth/password-reset/complete', { token, password: 'password' });
    expect(weak.status).toBe(400);
    expect(weak.body.code).toBe('weak_password');
    const mark = h.mailbox.messages.length;
    expect((await visitor.post('/api/auth/password-reset/complete', { token, password: NEW_PASSWORD })).status).toBe(
      204,
    );
    // spent
    expect((await visitor.post('/api/auth/password-reset/complete', { token, password: NEW_PASSWORD })).status).toBe(
      404,
    );
    expect((await visitor.get(`/api/auth/password-reset/${token}`)).status).toBe(404);
    // nobody was signed in by it, and the old session is over
    expect((await visitor.get('/api/auth/me')).status).toBe(401);
    expect((await before.get('/api/auth/me')).status).toBe(401);
    await h.mailbox.waitFor(email, /security notice/, 15_000, mark);
    // the old password is gone; the new one still asks for the e-mailed code, on the trusted device too
    expect((await (await h.client()).post('/api/auth/login', { email, password: PASSWORD })).status).toBe(401);
    const codeMark = h.mailbox.messages.length;
    const again = await before.post('/api/auth/login', { email, password: NEW_PASSWORD });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: 'mfa_required', method: 'email' });
    const code = /(\d{6})/.exec((await h.mailbox.waitFor(email, /sign-in code/, 15_000, codeMark)).subject)?.[1];
    expect((await before.post('/api/auth/mfa', { code })).status).toBe(200);
    expect((await before.get('/api/auth/me')).body.email).toBe(email);
  });

  it('a newer link replaces the older; a link expires; a deactivated person’s link does not work', async () => {
    const email = world.a.emails.participant2;
    const first = await linkFor(email);
    const second = await linkFor(email);
    const visitor = await h.client();
    expect((await visitor.get(`/api/auth/password-reset/${first}`)).status).toBe(404);
    expect((await visitor.get(`/api/auth/password-reset/${second}`)).status).toBe(200);
    h.clock.advance(31 * 60_000);
    try {
      const late = await visitor.post('/api/auth/password-reset/complete', { token: second, password: NEW_PASSWORD });
      expect(late.status).toBe(404);
      expect(late.body.code).toBe('invalid_token');
    } finally {
      h.clock.advance(-31 * 60_000);
    }
    const third = await linkFor(email);
    await h.db.query(`UPDATE users SET status = 'deactivated' WHERE id = $1`, [world.a.ids.participant2]);
    try {
      expect(
        (await visitor.post('/api/auth/password-reset/complete', { token: third, password: NEW_PASSWORD })).status,
      ).toBe(404);
    } finally {
      await h.db.query(`UPDATE users SET status = 'active' WHERE id = $1`, [world.a.ids.participant2]);
    }
    // nothing of it changed the password
    expect((await h.signIn(email)).constructor).toBe(Client);
  });

  it('throttles asking for links per address, and guessing links per client', async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await ask(world.b.emails.participant)).status);
    expect(statuses).toEqual([202, 202, 202, 429]);
    const visitor = await h.client();
    const guesses = [];
    for (let i = 0; i < 11; i++)
      guesses.push(
        (await visitor.get(`/api/auth/password-reset/${'x'.repeat(30)}${String(i).padStart(3, '0')}`)).status,
      );
    expect(guesses.slice(0, 10)).toEqual(Array(10).fill(404));
    expect(guesses[10]).toBe(429);
  });
});
