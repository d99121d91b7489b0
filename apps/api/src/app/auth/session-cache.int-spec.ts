/**
 * The API's session cache on real PostgreSQL: a session seen a moment ago is answered from
 * memory, and every change of a session, a person, their roles or their organisation — made by
 * the API or by anyone with SQL — reaches it through PostgreSQL's notices (migration
 * SessionNotices1764800000000). `noticesSettled()` waits until the notices of everything committed
 * so far have arrived (in production a change takes effect on the next request after its notice:
 * within milliseconds).
 */
import { Client, Harness, seedTwoTenants, startHarness } from '../../test/harness';
import { ActorPreload } from '@rehearse/server/access';
import { SessionStore } from '../session-store';

describe('the session cache (real PostgreSQL notices)', () => {
  let h: Harness;
  let world: Awaited<ReturnType<typeof seedTwoTenants>>;
  let store: SessionStore;
  let reads = 0;

  beforeAll(async () => {
    h = await startHarness({ SESSION_CACHE_SECONDS: '60' });
    world = await seedTwoTenants(h);
    store = h.app.get(SessionStore);
    // every read of a session from PostgreSQL
    const query = store.pool.query.bind(store.pool) as (...args: unknown[]) => unknown;
    (store.pool as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const q = args[0] as { name?: string };
      if (q && typeof q === 'object' && q.name === 'rehearse-session-get') reads++;
      return query(...args);
    };
  });
  afterAll(() => h.close());

  /** The statuses and bodies of GET /api/auth/me, and how many session reads reached PostgreSQL. */
  async function me(c: Client): Promise<{ status: number; body: Record<string, unknown>; reads: number }> {
    const before = reads;
    const res = await c.get('/api/auth/me');
    return { status: res.status, body: res.body as Record<string, unknown>, reads: reads - before };
  }

  /**
   * Signs in and waits for the notices of everything committed so far (the set-up's writes, the
   * sign-in's own): a notice that arrives while the next request reads the session rightly keeps
   * that read out of the cache, so the request after it reads PostgreSQL again (CI once failed
   * with "reads: 1" that way).
   */
  async function signedIn(email: string): Promise<Client> {
    const c = await h.signIn(email);
    await store.noticesSettled();
    return c;
  }

  /** Signs in and makes one request, so the session is in the cache. */
  async function cached(email: string): Promise<Client> {
    const c = await signedIn(email);
    await me(c);
    expect((await me(c)).reads).toBe(0);
    return c;
  }

  it('answers a session seen a moment ago from memory, with the same answer', async () => {
    const c = await signedIn(world.a.emails.coach);
    const first = await me(c);
    const second = await me(c);
    expect(first.status).toBe(200);
    expect(first.reads).toBe(1);
    expect(second).toEqual({ ...first, reads: 0 });
  });

  it('reads the person with the session: one round trip, none when cached', async () => {
    const preload = h.app.get(ActorPreload);
    const taken: unknown[] = [];
    const original = preload.take.bind(preload);
    const take = jest.spyOn(preload, 'take').mockImplementation((req, userId) => {
      const row = original(req, userId);
      taken.push(row);
      return row;
    });
    try {
      const c = await h.signIn(world.a.emails.admin);
      await me(c);
      await me(c);
      expect(taken.slice(-2)).toEqual([
        expect.objectContaining({ id: world.a.ids.admin, roles: ['administrator'] }),
        expect.objectContaining({ id: world.a.ids.admin, roles: ['administrator'] }),
      ]);
    } finally {
      take.mockRestore();
    }
  });

  it('a sign-out on this process takes effect on the next request', async () => {
    const c = await cached(world.a.emails.participant2);
    expect((await c.post('/api/auth/logout')).status).toBeLessThan(300);
    expect((await me(c)).status).toBe(401);
  });

  it('forgets a person deactivated by an administrator', async () => {
    const participant = await cached(world.a.emails.participant);
    const admin = await h.signIn(world.a.emails.admin);
    expect((await admin.post(`/api/admin/users/${world.a.ids.participant}/deactivate`)).status).toBe(200);
    await store.noticesSettled();
    expect((await me(participant)).status).toBe(401);
    await h.db.query(`UPDATE users SET status = 'active' WHERE id = $1`, [world.a.ids.participant]);
  });

  it('forgets what SQL changes: roles, name, organisation, the session itself', async () => {
    const c = await cached(world.a.emails.developer);
    await h.db.query(`INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1, $2, 'coach')`, [
      world.a.tenantId,
      world.a.ids.developer,
    ]);
    await store.noticesSettled();
    const withRole = await me(c);
    expect(withRole.reads).toBe(1);
    expect(withRole.body['roles']).toContain('coach');

    await h.db.query(`UPDATE users SET name = 'Renamed Developer' WHERE id = $1`, [world.a.ids.developer]);
    await store.noticesSettled();
    expect((await me(c)).body['name']).toBe('Renamed Developer');

    await h.db.query(`UPDATE tenants SET name = 'Tenant A, renamed' WHERE id = $1`, [world.a.tenantId]);
    await store.noticesSettled();
    expect((await me(c)).body['tenantName']).toBe('Tenant A, renamed');

    // the idle timeout brought forward, as an operator might
    await me(c);
    await h.db.query(`UPDATE sessions SET expire = now() - interval '1 second' WHERE user_id = $1`, [
      world.a.ids.developer,
    ]);
    await store.noticesSettled();
    expect((await me(c)).status).toBe(401);
  });

  it('forgets sessions ended elsewhere ("end all sessions", another API process)', async () => {
    const c = await cached(world.b.emails.coach);
    await h.db.query(`DELETE FROM sessions WHERE user_id = $1`, [world.b.ids.coach]);
    await store.noticesSettled();
    expect((await me(c)).status).toBe(401);
  });

  it('reads PostgreSQL while the notices cannot arrive, and caches again once they are back', async () => {
    const c = await cached(world.b.emails.participant);
    await h.db.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'rehearse-session-notices' AND datname = current_database()`,
    );
    const lost = Date.now() + 10_000;
    while (store.cache.isListening && Date.now() < lost) await new Promise((r) => setTimeout(r, 20));
    expect(store.cache.isListening).toBe(false);
    // a change made while no notice can arrive is seen at once: nothing is answered from memory
    await h.db.query(`UPDATE users SET name = 'Changed While Deaf' WHERE id = $1`, [world.b.ids.participant]);
    const deaf = await me(c);
    expect(deaf.reads).toBe(1);
    expect(deaf.body['name']).toBe('Changed While Deaf');
    const back = Date.now() + 20_000;
    while (!store.cache.isListening && Date.now() < back) await new Promise((r) => setTimeout(r, 50));
    expect(store.cache.isListening).toBe(true);
    await store.noticesSettled();
    await me(c);
    expect((await me(c)).reads).toBe(0);
  });
});
