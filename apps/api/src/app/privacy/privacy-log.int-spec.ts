import { createHash } from 'node:crypto';
import { Client as PgClient } from 'pg';
import { PrivacyLogChecks, PrivacyLogService } from '@rehearse/server/access';
import { LicenceLifecycleRepository, TenantsRepository } from '@rehearse/server/accounts';
import { createMetrics } from '@rehearse/server/core';
import { MailOutbox } from '@rehearse/server/mail';
import { databaseRole } from '@rehearse/server/database';
import { PrivacyLogCheckSweeper, PrivacyLogReader, PrivacyLogWitness } from '@rehearse/server/privacy';
import { blobStoreFrom } from '@rehearse/server/storage';
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
    // a person of this test's own, whom no other test of the file looks at (the first on the list's page, by name)
    const subjectEmail = 'aaron.subject@a.test';
    const subject = await h.createUser(world.a.tenantId, 'Aaron Subject', subjectEmail, ['participant']);
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
    const lines = csv.text.split('\n');
    expect(lines).toHaveLength(4); // the last line ends too
    expect(lines[3]).toBe('');
    expect(lines[0]).toBe(
      '\ufeffat,actor,actor_id,actor_role,subject,subject_id,object_type,object_id,action,impersonator,impersonator_id',
    );
    expect(lines[1]).toContain(
      `${world.a.ids.admin},administrator,Aaron Subject,${subject},user_profile,${subject},list`,
    );
    expect(lines[2]).toContain(
      `${world.a.ids.admin},administrator,Aaron Subject,${subject},user_profile,${subject},view`,
    );
    // the subject sees those two looks
    const me = await h.signIn(subjectEmail);
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

  it('an administrator reads a period (from inclusive, before exclusive, each with its offset from UTC), as a page and as CSV; what is not a period is refused', async () => {
    const admin = await h.signIn(world.a.emails.admin);
    const lastLook = async (subject: string): Promise<Date> => {
      const [row] = await h.db.query(
        `SELECT at FROM privacy_log WHERE actor_id = $1 AND subject_id = $2 ORDER BY id DESC LIMIT 1`,
        [world.a.ids.admin, subject],
      );
      return row.at as Date;
    };
    // the same moment as another reader's clock writes it: 2026-03-01T10:00:00.000+01:00
    const at = (d: Date, minutes: number) => {
      const sign = minutes < 0 ? '-' : '+';
      const off = Math.abs(minutes);
      const hhmm = `${String(Math.floor(off / 60)).padStart(2, '0')}:${String(off % 60).padStart(2, '0')}`;
      return encodeURIComponent(`${new Date(d.getTime() + minutes * 60_000).toISOString().slice(0, 23)}${sign}${hhmm}`);
    };
    expect((await admin.get(`/api/admin/users/${world.a.ids.developer}`)).status).toBe(200);
    const first = await lastLook(world.a.ids.developer);
    await new Promise((r) => setTimeout(r, 5));
    expect((await admin.get(`/api/admin/users/${world.a.ids.coach}`)).status).toBe(200);
    const second = await lastLook(world.a.ids.coach);
    expect(second.getTime()).toBeGreaterThan(first.getTime());

    const mine = `actorId=${world.a.ids.admin}`;
    const subjects = (body: { items: { subjectId: string }[] }) => body.items.map((e) => e.subjectId);
    // from the second look on (its own moment included), written an hour east of UTC
    const later = await admin.get(`/api/admin/privacy-log?${mine}&from=${at(second, 60)}`);
    expect(later.status).toBe(200);
    expect(subjects(later.body)).toEqual([world.a.ids.coach]);
    // from the first look to the second (its moment excluded), the end written five hours west of UTC
    const period = `${mine}&from=${at(first, 0)}&before=${at(second, -300)}`;
    const between = await admin.get(`/api/admin/privacy-log?${period}`);
    expect(subjects(between.body)).toEqual([world.a.ids.developer]);
    const csv = await admin.get(`/api/admin/privacy-log/export?${period}`);
    expect(csv.status).toBe(200);
    const lines = csv.text.trim().split('\n').slice(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(world.a.ids.developer);
    // the file says its period in the days the request gave
    expect(csv.headers['content-disposition']).toContain(
      `privacy-log-by-${world.a.ids.admin}-from-${first.toISOString().slice(0, 10)}-before-${new Date(second.getTime() - 300 * 60_000).toISOString().slice(0, 10)}.csv`,
    );

    // not a period: a 400 that says which end, and nothing else answers
    const refused = async (query: string, field: string) => {
      for (const path of ['/api/admin/privacy-log', '/api/admin/privacy-log/export']) {
        const res = await admin.get(`${path}?${query}`);
        expect({ query, path, status: res.status }).toEqual({ query, path, status: 400 });
        expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      }
    };
    await refused('from=2026-03-01', 'from'); // a day alone: whose midnight?
    await refused('from=2026-03-01T00:00:00', 'from'); // no offset
    await refused('from=2026-03-01T00:00:00+01:00', 'from'); // "+" unencoded is a space
    await refused('before=2026-02-30T00:00:00Z', 'before');
    await refused('before=2026-03-01T25:00:00Z', 'before');
    await refused('from=2026-03-01T00:00:00Z&from=2026-03-02T00:00:00Z', 'from');
    await refused(`from=${encodeURIComponent('2026-03-01T00:00:00Z\u0000')}`, 'from');
    await refused('from=2026-03-02T00:00:00Z&before=2026-03-01T00:00:00Z', 'before');
    await refused('from=2026-03-01T01:00:00%2B01:00&before=2026-03-01T00:00:00Z', 'before'); // the same moment
    // the far ends of the calendar are periods (with nothing in them), not a database error
    for (const far of ['from=1000-01-01T00:00:00Z', 'before=9999-12-31T23:59:59.999999%2B14:00'])
      expect((await admin.get(`/api/admin/privacy-log?${far}`)).status).toBe(200);
  });

  it("an administrator reads the looks of the operator's support staff in the organisation (by=support), as a page and as CSV", async () => {
    const admin = await h.signIn(world.a.emails.admin);
    const su = await h.createSuperuser('support-desk@rehearse.test');
    const desk = await h.signInTotp('support-desk@rehearse.test', su.secret);
    const start = await desk.post('/api/superuser/impersonations', {
      userId: world.a.ids.admin,
      reason: 'Ticket 4712: the administrator cannot find a trainee',
    });
    expect(start.status).toBe(200);
    // acting as the administrator, the support desk opens a person's profile: a look of the operator's
    expect((await desk.get(`/api/admin/users/${world.a.ids.participant}`)).status).toBe(200);
    // and the administrator's own look at the same person: not the operator's
    expect((await admin.get(`/api/admin/users/${world.a.ids.participant}`)).status).toBe(200);

    const support = await admin.get('/api/admin/privacy-log?by=support&pageSize=100');
    expect(support.status).toBe(200);
    expect(support.body.total).toBeGreaterThan(0);
    expect(
      support.body.items.every(
        (e: { impersonatorId: string | null; actorRole: string }) =>
          e.impersonatorId === su.id || e.actorRole === 'superuser',
      ),
    ).toBe(true);
    expect(
      support.body.items.some(
        (e: { subjectId: string; objectType: string }) =>
          e.subjectId === world.a.ids.participant && e.objectType === 'user_profile',
      ),
    ).toBe(true);
    const all = await admin.get(`/api/admin/privacy-log?subjectId=${world.a.ids.participant}&pageSize=100`);
    expect(all.body.items.some((e: { impersonatorId: string | null }) => e.impersonatorId === null)).toBe(true);
    const csv = await admin.get('/api/admin/privacy-log/export?by=support');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-disposition']).toContain('privacy-log-support.csv');
    expect(csv.text.trim().split('\n').slice(1)).toHaveLength(support.body.total);
    // another organisation's administrator sees none of them
    const other = await h.signIn(world.b.emails.admin);
    const theirs = await other.get('/api/admin/privacy-log?by=support&pageSize=100');
    expect(theirs.body.items.some((e: { impersonatorId: string | null }) => e.impersonatorId === su.id)).toBe(false);
    for (const bad of ['by=superuser', 'by=SUPPORT', 'by=support&by=support', 'by='])
      for (const path of ['/api/admin/privacy-log', '/api/admin/privacy-log/export'])
        expect({ bad, path, status: (await admin.get(`${path}?${bad}`)).status }).toEqual({ bad, path, status: 400 });
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
    // one chain per writer in the organisation (its people, and the operator's support staff acting
    // in it): each row links to the writer's row before it, the first to the genesis hash
    const rows: { actor_id: string; prev_hash: string; hash: string }[] = await h.db.query(
      `SELECT actor_id, prev_hash, hash FROM privacy_log WHERE tenant_id = $1 ORDER BY id`,
      [world.a.tenantId],
    );
    const heads = new Map<string, string>();
    for (const r of rows) {
      expect(r.prev_hash).toBe(heads.get(r.actor_id) ?? '0'.repeat(64));
      heads.set(r.actor_id, r.hash);
    }
    expect(heads.get(world.a.ids.admin)).toBeDefined();
  });

  it("administrators read the last check of their organisation's log for changes; only theirs", async () => {
    const admin = await h.signIn(world.a.emails.admin);
    await h.app.get(PrivacyLogChecks).forget(world.a.tenantId);
    expect((await admin.get('/api/admin/privacy-log/integrity')).body).toEqual({
      checkedAt: null,
      entriesChecked: 0,
      broken: null,
      brokenAtId: null,
    });
    // the worker's daily check, as it runs it
    await admin.get(`/api/admin/users/${world.a.ids.coach}`);
    const checked = await h.app.get(PrivacyLogChecks).check(world.a.tenantId);
    expect(checked.broken).toBeNull();
    const res = await admin.get('/api/admin/privacy-log/integrity');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      checkedAt: checked.checkedAt.toISOString(),
      entriesChecked: checked.entriesChecked,
      broken: null,
      brokenAtId: null,
    });
    expect(res.body.entriesChecked).toBeGreaterThan(0);
    // organisation B's is not checked yet, whatever A's says
    const adminB = await h.signIn(world.b.emails.admin);
    expect((await adminB.get('/api/admin/privacy-log/integrity')).body).toMatchObject({ checkedAt: null });
    const participant = await h.signIn(world.a.emails.participant);
    expect((await participant.get('/api/admin/privacy-log/integrity')).status).toBe(403);
    // not checked, as before (for the tests after)
    await h.app.get(PrivacyLogChecks).forget(world.a.tenantId);
  });

  it("the nightly check finds an organisation's log changed and e-mails its administrators, once; the other organisation's is intact", async () => {
    // a look at someone's data in organisation B, then one of its entries changed as only the schema's owner could
    const adminB = await h.signIn(world.b.emails.admin);
    await adminB.get(`/api/admin/users/${world.b.ids.participant}`);
    const [{ entry, action }] = (await h.db.query(
      `SELECT id::text AS entry, action FROM privacy_log WHERE tenant_id = $1 ORDER BY id LIMIT 1`,
      [world.b.tenantId],
    )) as { entry: string; action: string }[];
    const owner = new PgClient({ connectionString: h.database.ownerUrl });
    await owner.connect();
    const change = (to: string) =>
      owner.query(
        `ALTER TABLE privacy_log DISABLE TRIGGER USER; UPDATE privacy_log SET action = '${to}' WHERE id = ${Number(entry)}; ALTER TABLE privacy_log ENABLE TRIGGER USER`,
      );
    // the worker's sweep, with the API's services and the real mail queue (the harness's worker sends)
    const sweeper = new PrivacyLogCheckSweeper(
      { ...h.config, PRIVACY_LOG_CHECK_HOUR_UTC: 0 },
      h.db,
      h.app.get(PrivacyLogChecks),
      h.app.get(TenantsRepository, { strict: false }),
      h.app.get(LicenceLifecycleRepository, { strict: false }),
      h.app.get(MailOutbox, { strict: false }),
      h.clock,
      createMetrics('worker'),
      new PrivacyLogWitness(
        blobStoreFrom(h.config),
        h.db,
        h.app.get(PrivacyLogChecks),
        h.app.get(TenantsRepository, { strict: false }),
        h.clock,
      ),
    );
    const before = h.mailbox.messages.length;
    const forgetAll = async () => {
      for (const t of [world.a.tenantId, world.b.tenantId, null]) await h.app.get(PrivacyLogChecks).forget(t);
    };
    // no log checked yet today, whatever ran before
    await forgetAll();
    try {
      await change(`${action}-changed`);
      expect(await sweeper.runIfDue()).toBe(3); // A, B and the operator's own log
      const mail = await h.mailbox.waitFor(
        world.b.emails.admin,
        /privacy log of Tenant B was changed outside Rehearse/,
      );
      expect(mail.text).toContain(`entry ${entry} changed outside Rehearse`);
      expect(mail.text).toContain('/admin/privacy-log');
      expect((await adminB.get('/api/admin/privacy-log/integrity')).body).toMatchObject({
        broken: 'changed',
        brokenAtId: entry,
      });
      const adminA = await h.signIn(world.a.emails.admin);
      expect((await adminA.get('/api/admin/privacy-log/integrity')).body).toMatchObject({ broken: null });
      // the next night finds the same: nobody is told again
      h.clock.advance(86_400_000);
      try {
        expect(await sweeper.runIfDue()).toBe(3);
      } finally {
        h.clock.advance(-86_400_000);
      }
      await new Promise((r) => setTimeout(r, 1000));
      const told = h.mailbox.messages
        .slice(before)
        .filter((m) => /was changed outside Rehearse/.test(m.subject))
        .map((m) => m.to);
      expect(told).toEqual([world.b.emails.admin]);
    } finally {
      await change(action);
      await owner.end();
      // no log checked, as before (a finding stays until accepted; the other tests check for themselves)
      await forgetAll();
    }
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
