import { createHash } from 'node:crypto';
import { Client as PgClient } from 'pg';
import { PrivacyLogService } from '@rehearse/server/access';
import { databaseRole } from '@rehearse/server/database';
import { PrivacyLogReader } from '@rehearse/server/privacy';
import { Harness, seedTwoTenants, startHarness } from '../../test/harness';

describe('privacy log', () => {
  let h: Harness;
  let world: Awaited<ReturnType<typeof seedTwoTenants>>;

  beforeAll(async () => {
    h = await startHarness();
    world = await seedTwoTenants(h);
  });
  afterAll(() => h.close());

  const rowsFor = (subject: string) =>
    h.db.query(`SELECT * FROM privacy_log WHERE subject_id = $1 ORDER BY id`, [subject]);

  it('listing people and opening a profile write exactly one row each, the export contains exactly them, and the subject sees who looked at their data', async () => {
    const subject = world.a.ids.participant;
    const admin = await h.signIn(world.a.emails.admin);
    expect(await rowsFor(subject)).toHaveLength(0);
    // the list shows the same details as the profile (e-mail, phone, roles, licence): each person listed is logged
    expect((await admin.get('/api/admin/users')).status).toBe(200);
    expect(await rowsFor(subject)).toHaveLength(1);
    expect((await rowsFor(subject))[0]).toMatchObject({
      actor_id: world.a.ids.admin,
      object_type: 'user_profile',
      action: 'list',
    });
    expect((await admin.get(`/api/admin/users/${subject}`)).status).toBe(200);
    const rows = await rowsFor(subject);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatchObject({
      actor_id: world.a.ids.admin,
      actor_role: 'administrator',
      subject_id: subject,
      tenant_id: world.a.tenantId,
      object_type: 'user_profile',
      object_id: subject,
      action: 'view',
      impersonator_id: null,
    });
    // a HEAD: the CSV's headers, and not a row of the log read (the GET's stream read all of it
    // into a response that drops every byte)
    const reader = h.app.get(PrivacyLogReader);
    const batches = jest.spyOn(reader, 'batches');
    try {
      const head = await admin.agent.head(`/api/admin/privacy-log/export?subjectId=${subject}`);
      expect([head.status, head.headers['content-type']]).toEqual([200, 'text/csv; charset=utf-8']);
      expect(batches).not.toHaveBeenCalled();
    } finally {
      batches.mockRestore();
    }
    const csv = await admin.get(`/api/admin/privacy-log/export?subjectId=${subject}`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['x-content-type-options']).toBe('nosniff');
    expect(csv.headers['content-disposition']).toMatch(/attachment; filename=".*"; filename\*=UTF-8''/);
    const lines = csv.text.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe(
      'at,actor,actor_id,actor_role,subject,subject_id,object_type,object_id,action,impersonator,impersonator_id',
    );
    expect(lines[1]).toContain(
      `${world.a.ids.admin},administrator,Participant a,${subject},user_profile,${subject},list`,
    );
    expect(lines[2]).toContain(
      `${world.a.ids.admin},administrator,Participant a,${subject},user_profile,${subject},view`,
    );
    // the subject sees those two looks
    const me = await h.signIn(world.a.emails.participant);
    const mine = await me.get('/api/account/privacy-log');
    expect(mine.status).toBe(200);
    expect(mine.body.total).toBe(2);
    expect(mine.body.items.map((i: { action: string }) => i.action)).toEqual(['view', 'list']);
    expect(mine.body.items[0]).toMatchObject({ actorName: 'Admin a', subjectId: subject, action: 'view', count: 1 });
    // the administrator opens the profile twice more: one entry of three looks for the subject, three rows for the organisation
    for (let i = 0; i < 2; i++) expect((await admin.get(`/api/admin/users/${subject}`)).status).toBe(200);
    const again = await me.get('/api/account/privacy-log');
    expect(again.body.total).toBe(2);
    expect(again.body.items[0]).toMatchObject({ actorName: 'Admin a', action: 'view', count: 3 });
    expect(Date.parse(again.body.items[0].firstAt)).toBeLessThanOrEqual(Date.parse(again.body.items[0].at));
    expect(Date.parse(again.body.items[0].firstAt)).toBe(Date.parse(mine.body.items[0].at));
    expect((await admin.get(`/api/admin/privacy-log?subjectId=${subject}`)).body.total).toBe(4);
  });

  it("an administrator reads one person's looks (actorId), alone or at one person's data, as a page and as CSV; never another organisation's", async () => {
    const admin = await h.signIn(world.a.emails.admin);
    const coach = await h.signIn(world.a.emails.coach);
    // the coach looks at the participants of their group (the group's members are logged)
    const before = await admin.get(`/api/admin/privacy-log?actorId=${world.a.ids.coach}`);
    expect(before.status).toBe(200);
    await coach.get('/api/coaching/groups');
    const looked = await h.db.query(`SELECT count(*)::int AS n FROM privacy_log WHERE actor_id = $1`, [
      world.a.ids.coach,
    ]);
    const mine = await admin.get(`/api/admin/privacy-log?actorId=${world.a.ids.coach}&pageSize=100`);
    expect(mine.status).toBe(200);
    expect(mine.body.total).toBe(looked[0].n);
    expect(mine.body.items.every((e: { actorId: string }) => e.actorId === world.a.ids.coach)).toBe(true);
    // the administrator's own looks (a profile read here, of a person no other test looks at) are not the coach's
    expect((await admin.get(`/api/admin/users/${world.a.ids.participant2}`)).status).toBe(200);
    const own = await admin.get(`/api/admin/privacy-log?actorId=${world.a.ids.admin}`);
    expect(own.body.total).toBeGreaterThan(0);
    expect(own.body.items.every((e: { actorId: string }) => e.actorId === world.a.ids.admin)).toBe(true);
    // both filters: the administrator's looks at that person
    const both = await admin.get(
      `/api/admin/privacy-log?actorId=${world.a.ids.admin}&subjectId=${world.a.ids.participant2}`,
    );
    expect(both.body.items.length).toBeGreaterThan(0);
    expect(
      both.body.items.every(
        (e: { actorId: string; subjectId: string }) =>
          e.actorId === world.a.ids.admin && e.subjectId === world.a.ids.participant2,
      ),
    ).toBe(true);
    const csv = await admin.get(`/api/admin/privacy-log/export?actorId=${world.a.ids.admin}`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-disposition']).toContain(`privacy-log-by-${world.a.ids.admin}.csv`);
    const lines = csv.text.trim().split('\n').slice(1);
    expect(lines).toHaveLength(own.body.total);
    expect(lines.every((l) => l.split(',')[2] === world.a.ids.admin)).toBe(true);
    // another organisation's administrator finds none of them, and a malformed id is refused
    const other = await h.signIn(world.b.emails.admin);
    expect((await other.get(`/api/admin/privacy-log?actorId=${world.a.ids.admin}`)).body).toMatchObject({
      total: 0,
      items: [],
    });
    expect(
      (await other.get(`/api/admin/privacy-log/export?actorId=${world.a.ids.admin}`)).text.trim().split('\n'),
    ).toHaveLength(1);
    for (const bad of ['x', `${world.a.ids.admin}'`, '../1', ''.padEnd(300, 'a')])
      expect((await admin.get(`/api/admin/privacy-log?actorId=${encodeURIComponent(bad)}`)).status).toBe(400);
  });

  it('the application cannot change or delete privacy-log rows', async () => {
    const before = (await rowsFor(world.a.ids.participant)).length;
    await expect(h.db.query(`DELETE FROM privacy_log`)).rejects.toThrow(/permission denied/);
    await expect(h.db.query(`UPDATE privacy_log SET action = 'nothing'`)).rejects.toThrow(/permission denied/);
    await expect(h.db.query(`TRUNCATE privacy_log`)).rejects.toThrow(/permission denied/);
    expect(await rowsFor(world.a.ids.participant)).toHaveLength(before);
  });

  it('the application’s role owns nothing: it can neither switch off the triggers nor use the old destruction flag', async () => {
    const before = (await rowsFor(world.a.ids.participant)).length;
    expect(await databaseRole(h.db)).toMatchObject({ superuser: false, ownsSchema: false });
    await expect(h.db.query(`ALTER TABLE privacy_log DISABLE TRIGGER ALL`)).rejects.toThrow(/must be owner/);
    await expect(h.db.query(`DROP TRIGGER privacy_log_no_update_delete ON privacy_log`)).rejects.toThrow(
      /must be owner/,
    );
    await expect(h.db.query(`ALTER TABLE privacy_log DROP CONSTRAINT privacy_log_keyed`)).rejects.toThrow(
      /must be owner/,
    );
    await h.db
      .transaction(async (m) => {
        await m.query(
          `SELECT set_config('rehearse.destroying_tenant', $1, true), set_config('rehearse.privacy_log_destroying', $1, true)`,
          [world.a.tenantId],
        );
        await expect(m.query(`DELETE FROM privacy_log WHERE tenant_id = $1`, [world.a.tenantId])).rejects.toThrow(
          /permission denied/,
        );
      })
      .catch(() => undefined);
    // the owner's destruction function works only for a tenant that is gone
    await expect(h.db.query(`SELECT destroy_tenant_privacy_log($1::uuid)`, [world.a.tenantId])).rejects.toThrow(
      /only after the tenant itself/,
    );
    await expect(
      h.db.query(`INSERT INTO privacy_log_destructions (tenant_id, rows_deleted, database_role) VALUES ($1, 0, 'x')`, [
        world.a.tenantId,
      ]),
    ).rejects.toThrow(/permission denied/);
    expect(await rowsFor(world.a.ids.participant)).toHaveLength(before);
  });

  it('even the schema’s owner cannot edit rows past the triggers, and rows re-chained without the key are found', async () => {
    const owner = new PgClient({ connectionString: h.database.ownerUrl });
    await owner.connect();
    try {
      // a logged look first: the triggers act on rows, so the log must have one whatever ran before
      const admin = await h.signIn(world.b.emails.admin);
      await admin.get(`/api/admin/users/${world.b.ids.participant2}`);
      await expect(owner.query(`UPDATE privacy_log SET action = 'nothing'`)).rejects.toThrow(/append-only/);
      await expect(owner.query(`DELETE FROM privacy_log`)).rejects.toThrow(/append-only/);
      const privacy = h.app.get(PrivacyLogService);
      expect(await privacy.verifyChain(world.b.tenantId)).toBeNull();
      // someone with the owner's rights edits a row and re-chains everything after it with plain
      // SHA-256 (what the chain used to be): the keyed chain does not verify
      await owner.query('BEGIN');
      await owner.query(`ALTER TABLE privacy_log DISABLE TRIGGER privacy_log_no_update_delete`);
      const rows = (await owner.query(`SELECT * FROM privacy_log WHERE tenant_id = $1 ORDER BY id`, [world.b.tenantId]))
        .rows;
      let prev = rows[0].prev_hash as string;
      for (const r of rows) {
        const row = {
          tenantId: r.tenant_id,
          actorId: r.actor_id,
          actorRole: r.actor_role,
          subjectId: r.subject_id,
          objectType: r.object_type,
          objectId: r.object_id,
          action: r.id === rows[0].id ? 'nothing' : r.action,
          impersonatorId: r.impersonator_id,
          at: (r.at as Date).toISOString(),
        };
        const hash = createHash('sha256').update(prev).update(JSON.stringify(row)).digest('hex');
        await owner.query(`UPDATE privacy_log SET action = $2, prev_hash = $3, hash = $4 WHERE id = $1`, [
          r.id,
          row.action,
          prev,
          hash,
        ]);
        prev = hash;
      }
      await owner.query('COMMIT');
      expect(await privacy.verifyChain(world.b.tenantId)).toBe(String(rows[0].id));
      // and a row cannot be turned back into an old, unkeyed one
      await expect(
        owner.query(`UPDATE privacy_log SET chain_version = 1 WHERE id = $1`, [rows[rows.length - 1].id]),
      ).rejects.toThrow(/privacy_log_keyed/);
    } finally {
      await owner.query('ROLLBACK').catch(() => undefined);
      await owner.query(`ALTER TABLE privacy_log ENABLE TRIGGER privacy_log_no_update_delete`).catch(() => undefined);
      await owner.end();
    }
  });

  it('rows are hash-chained, and the chain verifies', async () => {
    const admin = await h.signIn(world.a.emails.admin);
    await admin.get(`/api/admin/users/${world.a.ids.coach}`);
    await admin.get(`/api/admin/users/${world.a.ids.developer}`);
    const privacy = h.app.get(PrivacyLogService);
    expect(await privacy.verifyChain(world.a.tenantId)).toBeNull();
    const rows = await h.db.query(`SELECT prev_hash, hash FROM privacy_log WHERE tenant_id = $1 ORDER BY id`, [
      world.a.tenantId,
    ]);
    for (let i = 1; i < rows.length; i++) expect(rows[i].prev_hash).toBe(rows[i - 1].hash);
  });

  it('a failed read writes no row, and a row is never written outside a transaction', async () => {
    const admin = await h.signIn(world.b.emails.admin);
    const before = (await h.db.query(`SELECT count(*)::int AS n FROM privacy_log`))[0].n;
    expect((await admin.get(`/api/admin/users/${world.a.ids.participant}`)).status).toBe(404);
    expect((await h.db.query(`SELECT count(*)::int AS n FROM privacy_log`))[0].n).toBe(before);
    const privacy = h.app.get(PrivacyLogService);
    const actor = {
      userId: world.b.ids.admin,
      tenantId: world.b.tenantId,
      name: '',
      email: '',
      roles: [],
      isSuperuser: false,
      permissions: new Set(),
      impersonatorId: null,
      impersonationId: null,
    } as never;
    await expect(
      privacy.record(h.db.manager, actor, {
        subjectId: world.b.ids.coach,
        tenantId: world.b.tenantId,
        objectType: 'x',
        objectId: 'y',
        action: 'view',
      }),
    ).rejects.toThrow(/transaction/);
  });
});
