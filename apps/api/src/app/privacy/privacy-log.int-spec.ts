import { PrivacyLogService } from '@rehearse/server/access';
import { Harness, seedTwoTenants, startHarness } from '../../test/harness';

describe('privacy log', () => {
  let h: Harness;
  let world: Awaited<ReturnType<typeof seedTwoTenants>>;

  beforeAll(async () => {
    h = await startHarness();
    world = await seedTwoTenants(h);
  });
  afterAll(() => h.close());

  const rowsFor = (subject: string) => h.db.query(`SELECT * FROM privacy_log WHERE subject_id = $1 ORDER BY id`, [subject]);

  it('opening a profile writes exactly one row, and the export contains exactly it', async () => {
    const subject = world.a.ids.participant;
    const admin = await h.signIn(world.a.emails.admin);
    expect(await rowsFor(subject)).toHaveLength(0);
    // listing users is not a look at one person's data; opening the profile is
    expect((await admin.get('/api/admin/users')).status).toBe(200);
    expect(await rowsFor(subject)).toHaveLength(0);
    expect((await admin.get(`/api/admin/users/${subject}`)).status).toBe(200);
    const rows = await rowsFor(subject);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actor_id: world.a.ids.admin,
      actor_role: 'administrator',
      subject_id: subject,
      tenant_id: world.a.tenantId,
      object_type: 'user_profile',
      object_id: subject,
      action: 'view',
      impersonator_id: null,
    });
    const csv = await admin.get(`/api/admin/privacy-log/export?subjectId=${subject}`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['x-content-type-options']).toBe('nosniff');
    expect(csv.headers['content-disposition']).toMatch(/attachment; filename=".*"; filename\*=UTF-8''/);
    const lines = csv.text.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe('at,actor,actor_id,actor_role,subject,subject_id,object_type,object_id,action,impersonator,impersonator_id');
    expect(lines[1]).toContain(`${world.a.ids.admin},administrator,Participant a,${subject},user_profile,${subject},view`);
  });

  it('the subject sees who looked at their data', async () => {
    const subject = world.a.ids.participant;
    const me = await h.signIn(world.a.emails.participant);
    const mine = await me.get('/api/account/privacy-log');
    expect(mine.status).toBe(200);
    expect(mine.body.total).toBe(1);
    expect(mine.body.items[0]).toMatchObject({ actorName: 'Admin a', subjectId: subject, action: 'view' });
  });

  it('the application cannot change or delete privacy-log rows', async () => {
    await expect(h.db.query(`DELETE FROM privacy_log`)).rejects.toThrow(/append-only/);
    await expect(h.db.query(`UPDATE privacy_log SET action = 'nothing'`)).rejects.toThrow(/append-only/);
    await expect(h.db.query(`TRUNCATE privacy_log`)).rejects.toThrow(/append-only/);
    expect(await rowsFor(world.a.ids.participant)).toHaveLength(1);
  });

  it('rows are hash-chained, and the chain verifies', async () => {
    const admin = await h.signIn(world.a.emails.admin);
    await admin.get(`/api/admin/users/${world.a.ids.coach}`);
    await admin.get(`/api/admin/users/${world.a.ids.developer}`);
    const privacy = h.app.get(PrivacyLogService);
    expect(await privacy.verifyChain(world.a.tenantId)).toBeNull();
    const rows = await h.db.query(`SELECT prev_hash, hash FROM privacy_log WHERE tenant_id = $1 ORDER BY id`, [world.a.tenantId]);
    for (let i = 1; i < rows.length; i++) expect(rows[i].prev_hash).toBe(rows[i - 1].hash);
  });

  it('a failed read writes no row, and a row is never written outside a transaction', async () => {
    const admin = await h.signIn(world.b.emails.admin);
    const before = (await h.db.query(`SELECT count(*)::int AS n FROM privacy_log`))[0].n;
    expect((await admin.get(`/api/admin/users/${world.a.ids.participant}`)).status).toBe(404);
    expect((await h.db.query(`SELECT count(*)::int AS n FROM privacy_log`))[0].n).toBe(before);
    const privacy = h.app.get(PrivacyLogService);
    const actor = { userId: world.b.ids.admin, tenantId: world.b.tenantId, name: '', email: '', roles: [], isSuperuser: false, permissions: new Set(), impersonatorId: null, impersonationId: null } as never;
    await expect(privacy.record(h.db.manager, actor, { subjectId: world.b.ids.coach, tenantId: world.b.tenantId, objectType: 'x', objectId: 'y', action: 'view' })).rejects.toThrow(/transaction/);
  });
});
