import { PrivacyLogChecks } from '@rehearse/server/access';
import { Client, Harness, seedTwoTenants, startHarness } from '../../test/harness';

describe('superuser impersonation', () => {
  let h: Harness;
  let world: Awaited<ReturnType<typeof seedTwoTenants>>;
  let su: { id: string; secret: string };
  let c: Client;

  beforeAll(async () => {
    h = await startHarness();
    world = await seedTwoTenants(h);
    su = await h.createSuperuser('support@rehearse.test');
    c = await h.signInTotp('support@rehearse.test', su.secret);
  });
  afterAll(() => h.close());

  it('superusers must use TOTP: no e-mailed code, no trusted-device shortcut', async () => {
    const fresh = await h.client();
    const res = await fresh.post('/api/auth/login', {
      email: 'support@rehearse.test',
      password: 'Operator-Desk passphrase 2026!',
    });
    expect(res.body).toMatchObject({ status: 'mfa_required', method: 'totp', alternatives: ['totp'] });
    expect((await fresh.post('/api/auth/mfa/email')).status).toBe(403);
  });

  it('requires a reason', async () => {
    const res = await c.post('/api/superuser/impersonations', { userId: world.a.ids.participant, reason: 'because' });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('reason');
  });

  it('acts as the user, stamps every privacy-log row with the superuser, forbids credential changes and nesting', async () => {
    const start = await c.post('/api/superuser/impersonations', {
      userId: world.a.ids.admin,
      reason: 'Ticket 4711: admin cannot see the user list',
    });
    expect(start.status).toBe(200);
    expect(start.body).toMatchObject({
      id: world.a.ids.admin,
      roles: ['administrator'],
      impersonation: { superuserId: su.id, reason: 'Ticket 4711: admin cannot see the user list' },
    });
    // acting as the administrator: opening a profile is logged with the impersonator
    expect((await c.get(`/api/admin/users/${world.a.ids.coach}`)).status).toBe(200);
    const [row] = await h.db.query(`SELECT * FROM privacy_log WHERE subject_id = $1 AND object_type = 'user_profile'`, [
      world.a.ids.coach,
    ]);
    expect(row).toMatchObject({
      actor_id: world.a.ids.admin,
      impersonator_id: su.id,
      actor_role: 'superuser-as-administrator',
    });
    // the start itself is logged against the impersonated user
    const [startRow] = await h.db.query(
      `SELECT * FROM privacy_log WHERE subject_id = $1 AND action = 'impersonation_start'`,
      [world.a.ids.admin],
    );
    expect(startRow).toMatchObject({ actor_id: su.id, actor_role: 'superuser' });
    // no credential changes
    for (const [path, body] of [
      ['/api/account/password', { currentPassword: 'x', newPassword: 'another long passphrase' }],
      ['/api/account/email', { password: 'x', email: 'hijack@a.test' }],
      ['/api/account/totp/setup', { password: 'x' }],
    ] as const) {
      const res = await c.post(path, body);
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('impersonation_forbidden');
    }
    // nor the person's other sessions ended, nor their change of address cancelled
    for (const path of ['/api/account/sessions', '/api/account/email']) {
      const res = await c.send('delete', path);
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('impersonation_forbidden');
    }
    // not nestable: the impersonated identity has no superuser powers
    expect(
      (
        await c.post('/api/superuser/impersonations', {
          userId: world.a.ids.coach,
          reason: 'nesting should never work',
        })
      ).status,
    ).toBe(403);
    // end: back to the superuser, under a new session id
    const end = await c.post('/api/auth/impersonation/end');
    expect(end.status).toBe(200);
    expect(end.body).toMatchObject({ id: su.id, isSuperuser: true, impersonation: null });
    // the person acted as reads who signed in as them, and why
    const admin = await h.signIn(world.a.emails.admin);
    const own = await admin.get('/api/account/privacy-log');
    expect(own.body.items).toContainEqual(
      expect.objectContaining({
        action: 'impersonation_start',
        objectType: 'impersonation',
        actorId: su.id,
        supportReason: 'Ticket 4711: admin cannot see the user list',
      }),
    );
  });

  it('expires on its own after the time box', async () => {
    await c.post('/api/superuser/impersonations', {
      userId: world.b.ids.participant,
      reason: 'Ticket 4712: recording will not play',
    });
    expect((await c.get('/api/auth/me')).body.id).toBe(world.b.ids.participant);
    h.clock.advance((h.config.IMPERSONATION_MINUTES + 1) * 60_000);
    try {
      const me = await c.get('/api/auth/me');
      expect(me.body).toMatchObject({ id: su.id, impersonation: null });
    } finally {
      h.clock.reset();
    }
  });

  it('one impersonation at a time: another start ends the earlier, and two at once leave one running', async () => {
    // a superuser of its own, in two browsers (whatever the clock did in the cases before)
    const desk = await h.createSuperuser('helpline@rehearse.test');
    const first = await h.signInTotp('helpline@rehearse.test', desk.secret);
    const other = await h.signInTotp('helpline@rehearse.test', desk.secret);
    const running = async () =>
      Number(
        (
          await h.db.query(
            `SELECT count(*)::int AS n FROM impersonations WHERE superuser_id = $1 AND ended_at IS NULL`,
            [desk.id],
          )
        )[0].n,
      );
    const start = (cl: Client, userId: string, n: number) =>
      cl.post('/api/superuser/impersonations', { userId, reason: `Ticket 48${n}: one at a time` });
    expect((await start(first, world.a.ids.participant, 1)).status).toBe(200);
    expect((await start(other, world.a.ids.coach, 2)).status).toBe(200);
    expect(await running()).toBe(1);
    // the first browser's impersonation ended elsewhere: its session ends at its next request
    expect((await first.get('/api/auth/me')).status).toBe(401);
    expect((await other.get('/api/auth/me')).body).toMatchObject({ id: world.a.ids.coach });
    expect((await other.post('/api/auth/impersonation/end')).status).toBe(200);
    // two starts at once from one browser: one row stays open, the session's own
    const both = await Promise.all([start(other, world.a.ids.participant, 3), start(other, world.a.ids.coach, 4)]);
    // Each is answered 200, or — when the other has already replaced the session it was sent in (a
    // start regenerates the session) — refused cleanly: 401 unauthenticated if that session was gone
    // before it was read, 403 csrf_failed if it was read with the old token. Never a 5xx, and at
    // least one starts. (The test expected two 200s; a clean clone's CI met the 403 on 2026-12-04,
    // and 30 runs here gave the 403 and the 401 about one run in eight.)
    const refusals = new Set(['401 unauthenticated', '403 csrf_failed']);
    for (const r of both) expect(r.status === 200 || refusals.has(`${r.status} ${r.body.code}`)).toBe(true);
    expect(both.some((r) => r.status === 200)).toBe(true);
    // a refused start hands out no new token: the browser keeps the one of the session it holds
    // (the 401's token, of a session already gone, replaced it: the end below failed with 403
    // csrf_failed in a clean clone's CI on 2026-12-07, and 1 to 3 times in 60 beside two busy loops)
    for (const r of both) if (r.status !== 200) expect(Client.cookie(r, 'XSRF-TOKEN')).toBeUndefined();
    expect(await running()).toBe(1);
    const me = await other.get('/api/auth/me');
    expect(me.body.impersonation).not.toBeNull();
    expect((await other.post('/api/auth/impersonation/end')).status).toBe(200);
    expect(await running()).toBe(0);
  });

  it('the quarterly review: each superuser with the impersonations they started in the quarter, listed a page at a time and as CSV', async () => {
    // impersonations of this case's own, started now and then moved to a year no other case reaches
    // (moving the clock years ahead would end the superuser's session)
    const reason = '=1+2 Ticket 4713: the quarterly report';
    const desk = await h.createSuperuser('quarterly@rehearse.test');
    const cl = await h.signInTotp('quarterly@rehearse.test', desk.secret);
    const year = new Date().getUTCFullYear() + 7;
    const startAt = async (iso: string, userId: string) => {
      expect((await cl.post('/api/superuser/impersonations', { userId, reason })).status).toBe(200);
      expect((await cl.post('/api/auth/impersonation/end')).status).toBe(200);
      await h.db.query(
        `UPDATE impersonations SET started_at = $2, expires_at = $2::timestamptz + interval '15 minutes', ended_at = $2::timestamptz + interval '5 minutes'
         WHERE id = (SELECT id FROM impersonations WHERE superuser_id = $1 ORDER BY created_at DESC, started_at DESC LIMIT 1)`,
        [desk.id, iso],
      );
    };
    await startAt(`${year}-06-30T21:59:59Z`, world.a.ids.participant); // 23:59:59 in Amsterdam: the quarter before
    await startAt(`${year}-06-30T22:00:00Z`, world.a.ids.coach); // midnight of 1 July in Amsterdam
    await startAt(`${year}-08-15T09:00:00Z`, world.b.ids.participant);
    await startAt(`${year}-09-30T21:59:59Z`, world.a.ids.admin);
    await startAt(`${year}-09-30T22:00:00Z`, world.a.ids.coach); // 1 October in Amsterdam: the next quarter
    // the third quarter of the reader's calendar (Amsterdam: +02:00 then)
    const quarter = `from=${year}-07-01T00:00:00%2B02:00&before=${year}-10-01T00:00:00%2B02:00`;

    const report = await c.get(`/api/superuser/report?${quarter}`);
    expect(report.status).toBe(200);
    // every superuser (this file's, and the ones other cases made), each with their authenticator and count
    const [{ n: superusers }] = await h.db.query(`SELECT count(*)::int AS n FROM users WHERE is_superuser`);
    expect(report.body.superusers).toHaveLength(superusers);
    expect(report.body).toMatchObject({
      from: `${year}-07-01T00:00:00+02:00`,
      before: `${year}-10-01T00:00:00+02:00`,
      impersonationCount: 3,
    });
    expect(report.body.superusers).toContainEqual(
      expect.objectContaining({ id: desk.id, totpEnabled: true, impersonationCount: 3 }),
    );
    expect(report.body.superusers).toContainEqual(expect.objectContaining({ id: su.id, impersonationCount: 0 }));
    // with no period: every impersonation ever started
    const [{ n: ever }] = await h.db.query(`SELECT count(*)::int AS n FROM impersonations`);
    expect((await c.get('/api/superuser/report')).body).toMatchObject({
      from: null,
      before: null,
      impersonationCount: ever,
    });

    // the quarter's impersonations, newest first, two to a page
    const first = await c.get(`/api/superuser/impersonations?${quarter}&pageSize=2`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    const second = await c.get(`/api/superuser/impersonations?${quarter}&pageSize=2&page=2`);
    const listed = [...first.body.items, ...second.body.items] as {
      targetUserId: string;
      startedAt: string;
      superuserId: string;
      reason: string;
      endedAt: string | null;
      tenantName: string;
    }[];
    expect(listed.map((i) => [i.targetUserId, i.startedAt])).toEqual([
      [world.a.ids.admin, `${year}-09-30T21:59:59.000Z`],
      [world.b.ids.participant, `${year}-08-15T09:00:00.000Z`],
      [world.a.ids.coach, `${year}-06-30T22:00:00.000Z`],
    ]);
    for (const i of listed)
      expect(i).toMatchObject({
        superuserId: desk.id,
        reason,
        endedAt: expect.any(String),
        tenantName: expect.any(String),
      });
    // one superuser's: none of this file's first superuser in that quarter
    const none = await c.get(`/api/superuser/impersonations?${quarter}&superuserId=${su.id}`);
    expect(none.body).toMatchObject({ total: 0, items: [] });

    // the CSV: oldest first, named with the quarter's days, a reason that starts like a formula neutralised
    const csv = await c.get(`/api/superuser/impersonations/export?${quarter}`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toContain(
      `filename="impersonations-from-${year}-07-01-before-${year}-10-01.csv"`,
    );
    const lines = csv.text.split('\n');
    expect(lines[0]).toBe(
      '\ufeffstarted_at,superuser,superuser_id,acted_as,acted_as_id,organisation,reason,expires_at,ended_at',
    );
    expect(lines.slice(1, -1).map((l) => l.split(',')[4])).toEqual([
      world.a.ids.coach,
      world.b.ids.participant,
      world.a.ids.admin,
    ]);
    expect(lines[1]).toContain(`,'${reason},`);
    const head = await c.agent.head(`/api/superuser/impersonations/export?${quarter}`);
    expect([head.status, head.text ?? '']).toEqual([200, '']);
  });

  it('lists the organisations by name a page at a time, found by name or slug, each with its people', async () => {
    const all = await c.get('/api/superuser/tenants');
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ total: 2, page: 1, pageSize: 25 });
    expect(all.body.items.map((t: { name: string }) => t.name)).toEqual(['Tenant A', 'Tenant B']);
    const [{ n }] = await h.db.query(`SELECT count(*)::int AS n FROM users WHERE tenant_id = $1`, [world.a.tenantId]);
    expect(all.body.items[0]).toMatchObject({ tenantId: world.a.tenantId, slug: 'tenant-a', users: n, endsOn: null });
    // with what the nightly check of each organisation's privacy log found
    const checks = h.app.get(PrivacyLogChecks);
    await checks.forget(world.a.tenantId);
    expect(all.body.items.map((t: { privacyLog: string }) => t.privacyLog)).toEqual(['unchecked', 'unchecked']);
    await checks.check(world.a.tenantId);
    try {
      const checked = await c.get('/api/superuser/tenants');
      expect(checked.body.items.map((t: { privacyLog: string }) => t.privacyLog)).toEqual(['intact', 'unchecked']);
    } finally {
      await checks.forget(world.a.tenantId);
    }
    const second = await c.get('/api/superuser/tenants?pageSize=1&page=2');
    expect(second.body).toMatchObject({ total: 2, items: [expect.objectContaining({ name: 'Tenant B' })] });
    // by name, any case, or by slug; a LIKE wildcard is a character like any other
    for (const [q, names] of [
      ['TENANT a', ['Tenant A']],
      ['tenant-b', ['Tenant B']],
      ['%', []],
      ['_', []],
      // spaces around a search are not part of it; spaces alone are no search
      ['  tenant-b ', ['Tenant B']],
      ['   ', ['Tenant A', 'Tenant B']],
    ] as const) {
      const found = await c.get(`/api/superuser/tenants?q=${encodeURIComponent(q)}`);
      expect([q, found.body.items.map((t: { name: string }) => t.name)]).toEqual([q, names]);
    }
    for (const bad of ['pageSize=0', 'pageSize=101', 'page=0', `q=${'x'.repeat(201)}`])
      expect([bad, (await c.get(`/api/superuser/tenants?${bad}`)).status]).toEqual([bad, 400]);
  });

  it("the review refuses a period it cannot read, naming the field, and is the superusers' alone", async () => {
    for (const path of [
      '/api/superuser/report',
      '/api/superuser/impersonations',
      '/api/superuser/impersonations/export',
    ])
      for (const [query, field] of [
        ['from=2026-07-01', 'from'],
        ['before=2026-07-01T00:00:00', 'before'],
        ['from=2026-02-30T00:00:00Z', 'from'],
        ['from=2026-07-01T00:00:00+02:00', 'from'], // an unencoded + is a space
        ['from=2026-10-01T00:00:00Z&before=2026-07-01T00:00:00Z', 'before'],
        ['from=2026-07-01T00:00:00Z&before=2026-07-01T00:00:00Z', 'before'],
        ['from=2026-07-01T00:00:00Z&from=2026-08-01T00:00:00Z', 'from'],
        ['superuserId=nobody', 'superuserId'],
      ] as const) {
        if (field === 'superuserId' && path.endsWith('/report')) continue;
        const res = await c.get(`${path}?${query}`);
        expect([path, query, res.status, res.body.errors?.[0]?.field]).toEqual([path, query, 400, field]);
      }
    // the far ends of what it reads (the last moment of 9999 twelve hours west of UTC is year 10000 in UTC)
    for (const path of [
      '/api/superuser/report',
      '/api/superuser/impersonations',
      '/api/superuser/impersonations/export',
    ])
      expect((await c.get(`${path}?from=1970-01-01T00:00:00Z&before=9999-12-31T23:59:59-12:00`)).status).toBe(200);
    const admin = await h.signIn(world.a.emails.admin);
    for (const path of [
      '/api/superuser/report',
      '/api/superuser/impersonations',
      '/api/superuser/impersonations/export',
    ])
      expect((await admin.get(path)).status).toBe(403);
  });
});
