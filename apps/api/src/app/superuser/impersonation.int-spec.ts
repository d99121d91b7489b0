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

  it('the quarterly report lists superusers and their impersonations with reasons', async () => {
    // an impersonation of its own, ended, whatever the other tests of this file did before
    const reason = 'Ticket 4713: the quarterly report';
    expect((await c.post('/api/superuser/impersonations', { userId: world.a.ids.coach, reason })).status).toBe(200);
    expect((await c.post('/api/auth/impersonation/end')).status).toBe(200);
    const report = await c.get('/api/superuser/report');
    expect(report.status).toBe(200);
    expect(report.body.superusers).toEqual([expect.objectContaining({ id: su.id, totpEnabled: true })]);
    const listed = report.body.impersonations as { reason: string; endedAt: string | null }[];
    const [{ n }] = await h.db.query(`SELECT count(*)::int AS n FROM impersonations`);
    expect(listed).toHaveLength(n);
    expect(listed.filter((i) => i.reason === reason)).toEqual([
      expect.objectContaining({ reason, endedAt: expect.any(String) }),
    ]);
  });
});
