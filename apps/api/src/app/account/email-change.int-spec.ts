import Redis from 'ioredis';
import { Harness, PASSWORD, seedTwoTenants, startHarness, SUPERUSER_PASSWORD } from '../../test/harness';

/**
 * A person changes their own e-mail address: the new address gets a link, and only the link
 * switches it; the old address is told once it is done (and still signs in until then), so a
 * mistyped address locks nobody out and nobody moves an account to a mailbox they do not read.
 */
describe('a change of e-mail address, confirmed by the new address', () => {
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
    const keys = await redis.keys(`${h.config.QUEUE_PREFIX}:throttle:email*`);
    if (keys.length) await redis.del(...keys);
  });
  afterAll(async () => {
    await redis?.quit();
    await h?.close();
  });

  const linkIn = (text: string) => /\/email-change\/([A-Za-z0-9_-]+)/.exec(text)?.[1] ?? '';
  /** Signs a new person of tenant A in, so that no case changes the address another one uses. */
  const person = async (local: string) => {
    const email = `${local}@a.test`;
    const id = await h.createUser(world.a.tenantId, `Person ${local}`, email, ['participant']);
    return { id, email, client: await h.signIn(email) };
  };
  const changesOf = async (userId: string) =>
    (await h.db.query(
      `SELECT new_email, previous_email, token_hash, token_sealed, used_at, confirmed_at FROM email_changes WHERE user_id = $1 ORDER BY created_at`,
      [userId],
    )) as {
      new_email: string;
      previous_email: string | null;
      token_hash: string;
      token_sealed: string | null;
      used_at: Date | null;
      confirmed_at: Date | null;
    }[];
  const until = async (check: () => Promise<boolean>) => {
    for (let i = 0; i < 100 && !(await check()); i++) await new Promise((r) => setTimeout(r, 100));
  };

  it('mails a link to the new address; the old one signs in until it is followed, then is told and stops', async () => {
    const { id, email, client } = await person('mover');
    const next = 'mover.new@elsewhere.test';
    const wrong = await client.post('/api/account/email', { password: 'not my password', email: next });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors[0].field).toBe('password');
    const mark = h.mailbox.messages.length;
    const asked = await client.post('/api/account/email', { password: PASSWORD, email: ' Mover.New@Elsewhere.test ' });
    expect(asked.status).toBe(202);
    expect(asked.body.email).toBe(next);
    const left = Date.parse(asked.body.expiresAt) - h.clock.now().getTime();
    expect(left).toBeGreaterThan(24 * 3600_000 - 60_000);
    expect(left).toBeLessThanOrEqual(24 * 3600_000);
    const mail = await h.mailbox.waitFor(next, /Confirm your new Rehearse e-mail address/, 15_000, mark);
    expect(mail.text).toContain(next);
    expect(mail.text).toContain('Tenant A');
    const token = linkIn(mail.text);
    expect(token.length).toBeGreaterThanOrEqual(40);
    // nothing went to the old address yet, and nothing changed: the old address is still the account's
    expect(h.mailbox.messages.slice(mark).filter((m) => m.to.includes(email))).toEqual([]);
    expect((await client.get('/api/auth/me')).body.email).toBe(email);
    expect((await client.get('/api/account/email')).body).toEqual({ pending: asked.body });
    await h.signIn(email);
    // stored hashed, and its sealed copy is gone once mailed
    await until(async () => (await changesOf(id))[0].token_sealed === null);
    const [row] = await changesOf(id);
    expect(row).toMatchObject({ new_email: next, token_sealed: null, used_at: null, previous_email: null });
    expect(row.token_hash).not.toContain(token);

    // followed in any browser, signed in or not
    const visitor = await h.client();
    const info = await visitor.get(`/api/auth/email-change/${token}`);
    expect(info.status).toBe(200);
    expect(info.body).toEqual({
      email: next,
      name: 'Person mover',
      tenantName: 'Tenant A',
      expiresAt: asked.body.expiresAt,
    });
    const noticeMark = h.mailbox.messages.length;
    expect((await visitor.post('/api/auth/email-change/confirm', { token })).status).toBe(204);
    expect((await visitor.get('/api/auth/me')).status).toBe(401);
    // spent
    expect((await visitor.post('/api/auth/email-change/confirm', { token })).status).toBe(404);
    expect((await visitor.get(`/api/auth/email-change/${token}`)).status).toBe(404);
    // the session that asked goes on, under the new address; nothing is pending any more
    expect((await client.get('/api/auth/me')).body.email).toBe(next);
    expect((await client.get('/api/account/email')).body).toEqual({ pending: null });
    // the old address is told, with the new one named, and is forgotten once told
    const notice = await h.mailbox.waitFor(email, /security notice/, 15_000, noticeMark);
    expect(notice.text).toContain(`was changed to ${next}`);
    expect(h.mailbox.messages.slice(noticeMark).filter((m) => m.to.includes(next))).toEqual([]);
    await until(async () => (await changesOf(id))[0].previous_email === null);
    expect((await changesOf(id))[0]).toMatchObject({ previous_email: null, new_email: next });
    expect((await changesOf(id))[0].confirmed_at).not.toBeNull();
    // the old address no longer signs in; the new one does, with its code mailed to it
    const old = await (await h.client()).post('/api/auth/login', { email, password: PASSWORD });
    expect(old.status).toBe(401);
    await h.signIn(next);
  });

  it('a newer request replaces the older; a cancelled or expired link does nothing', async () => {
    const { id, email, client } = await person('changer');
    const ask = async (to: string) => {
      const mark = h.mailbox.messages.length;
      expect((await client.post('/api/account/email', { password: PASSWORD, email: to })).status).toBe(202);
      return linkIn((await h.mailbox.waitFor(to, /Confirm your new/, 15_000, mark)).text);
    };
    const first = await ask('first@a.test');
    const second = await ask('second@a.test');
    const visitor = await h.client();
    expect((await visitor.get(`/api/auth/email-change/${first}`)).status).toBe(404);
    expect((await client.get('/api/account/email')).body.pending.email).toBe('second@a.test');
    // cancelled: the link stops working, and there is nothing more to cancel
    expect((await client.delete('/api/account/email')).status).toBe(204);
    expect((await client.delete('/api/account/email')).status).toBe(404);
    expect((await client.get('/api/account/email')).body).toEqual({ pending: null });
    const cancelled = await visitor.post('/api/auth/email-change/confirm', { token: second });
    expect(cancelled.status).toBe(404);
    expect(cancelled.body.code).toBe('invalid_token');
    // expired after a day
    const third = await ask('third@a.test');
    h.clock.advance(24 * 3600_000 + 1000);
    try {
      expect((await visitor.post('/api/auth/email-change/confirm', { token: third })).status).toBe(404);
    } finally {
      h.clock.advance(-(24 * 3600_000 + 1000));
    }
    // a deactivated person's link does not work
    const fourth = await ask('fourth@a.test');
    await h.db.query(`UPDATE users SET status = 'deactivated' WHERE id = $1`, [id]);
    try {
      expect((await visitor.post('/api/auth/email-change/confirm', { token: fourth })).status).toBe(404);
    } finally {
      await h.db.query(`UPDATE users SET status = 'active' WHERE id = $1`, [id]);
    }
    // none of it changed the address
    const [{ email: now }] = await h.db.query(`SELECT email FROM users WHERE id = $1`, [id]);
    expect(now).toBe(email);
  });

  it('refuses an address in use in the organisation, at the request and when the link is followed; the own address is no change', async () => {
    const { id, email, client } = await person('taker');
    const inUse = await client.post('/api/account/email', { password: PASSWORD, email: world.a.emails.coach });
    expect(inUse.status).toBe(409);
    const same = await client.post('/api/account/email', { password: PASSWORD, email: email.toUpperCase() });
    expect(same.status).toBe(400);
    expect(same.body.errors[0].field).toBe('email');
    const bad = await client.post('/api/account/email', { password: PASSWORD, email: 'not an address' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('email');
    // an address of another organisation is as good as a fresh one (nothing is told about it)
    const mark = h.mailbox.messages.length;
    expect((await client.post('/api/account/email', { password: PASSWORD, email: world.b.emails.coach })).status).toBe(
      202,
    );
    const token = linkIn((await h.mailbox.waitFor(world.b.emails.coach, /Confirm your new/, 15_000, mark)).text);
    // someone of the organisation takes the address before the link is followed
    const racer = await h.createUser(world.a.tenantId, 'Racer', world.b.emails.coach, ['participant']);
    const late = await (await h.client()).post('/api/auth/email-change/confirm', { token });
    expect(late.status).toBe(409);
    const [{ email: still }] = await h.db.query(`SELECT email FROM users WHERE id = $1`, [id]);
    expect(still).toBe(email);
    // the link still works once the address is free again
    await h.db.query(`DELETE FROM users WHERE id = $1`, [racer]);
    expect((await (await h.client()).post('/api/auth/email-change/confirm', { token })).status).toBe(204);
  });

  it('works for the operator’s staff, who belong to no organisation', async () => {
    const { secret } = await h.createSuperuser('helpline@platform.test');
    const su = await h.signInTotp('helpline@platform.test', secret);
    const mark = h.mailbox.messages.length;
    const asked = await su.post('/api/account/email', {
      password: SUPERUSER_PASSWORD,
      email: 'helpline2@platform.test',
    });
    expect(asked.status).toBe(202);
    const mail = await h.mailbox.waitFor('helpline2@platform.test', /Confirm your new/, 15_000, mark);
    const visitor = await h.client();
    expect((await visitor.get(`/api/auth/email-change/${linkIn(mail.text)}`)).body.tenantName).toBeNull();
    expect((await visitor.post('/api/auth/email-change/confirm', { token: linkIn(mail.text) })).status).toBe(204);
    expect((await su.get('/api/auth/me')).body.email).toBe('helpline2@platform.test');
    await h.mailbox.waitFor('helpline@platform.test', /security notice/, 15_000, mark);
  });

  it('throttles the changes one person asks for, and guessing links per client', async () => {
    const { client } = await person('spammer');
    const statuses = [];
    for (let i = 0; i < 6; i++)
      statuses.push(
        (await client.post('/api/account/email', { password: PASSWORD, email: `target${i}@x.test` })).status,
      );
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
    const visitor = await h.client();
    const guesses = [];
    for (let i = 0; i < 11; i++)
      guesses.push((await visitor.get(`/api/auth/email-change/${'x'.repeat(30)}${String(i).padStart(3, '0')}`)).status);
    expect(guesses.slice(0, 10)).toEqual(Array(10).fill(404));
    expect(guesses[10]).toBe(429);
    const malformed = await visitor.post('/api/auth/email-change/confirm', { token: 'short' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors[0].field).toBe('token');
  });
});
