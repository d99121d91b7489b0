import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { QUEUES } from '@rehearse/shared/contracts';
import { AccountsFootprintRepository } from '@rehearse/server/accounts';
import { TenantDestructionService } from '@rehearse/server/privacy';
import { BLOB_STORE, BlobStore, KeyVault, userKeyId } from '@rehearse/server/storage';
import { Client, Harness, PASSWORD, seedTwoTenants, startHarness } from '../../test/harness';
import { publishedCourse } from '../../test/courses';
import { JFK_WAV, uploadFile, waitForRecording } from '../../test/media';
import { ROOT } from '../../test/processes';
// the check is a workspace tool (tools/ is no Nx project): what npm run receipt:verify runs
// eslint-disable-next-line @nx/enforce-module-boundaries
import { checkReceipt } from '../../../../../tools/lib/receipt-verify';

const DAY = 86_400_000;
const AUDIO = '3d2c1b0a-9f8e-4d7c-8b6a-5f4e3d2c1b0a';

/** Rows of a tenant in every table that has a tenant_id, plus its users' sessions and privacy-log chain. */
async function tenantRows(h: Harness, tenantId: string): Promise<Record<string, number>> {
  const tables: { table_name: string }[] = await h.db.query(
    `SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'tenant_id' ORDER BY table_name`,
  );
  const out: Record<string, number> = {};
  for (const { table_name } of tables)
    out[table_name] = (
      await h.db.query(`SELECT count(*)::int AS n FROM "${table_name}" WHERE tenant_id = $1`, [tenantId])
    )[0].n;
  out['tenants'] = (await h.db.query(`SELECT count(*)::int AS n FROM tenants WHERE id = $1`, [tenantId]))[0].n;
  out['sessions'] = (
    await h.db.query(
      `SELECT count(*)::int AS n FROM sessions s JOIN users u ON u.id::text = s.user_id WHERE u.tenant_id = $1`,
      [tenantId],
    )
  )[0].n;
  return out;
}

/**
 * End of agreement: a superuser sets tenant A's end date; 45 days later everything of A is
 * destroyed (rows, objects, keys, jobs, sessions) with a destruction report, and B is untouched.
 */
describe('tenant destruction at the end of an agreement', () => {
  let h: Harness;
  let store: BlobStore;
  let world: Awaited<ReturnType<typeof seedTwoTenants>>;
  const c = {} as Record<'su' | 'adminA' | 'participantA' | 'coachA' | 'participantB', Client>;
  const recordings = {} as Record<'a' | 'b', string>;
  let userIdsA: string[];

  beforeAll(async () => {
    h = await startHarness();
    store = h.app.get(BLOB_STORE);
    world = await seedTwoTenants(h);
    const su = await h.createSuperuser('support@rehearse.test');
    c.su = await h.signInTotp('support@rehearse.test', su.secret);
    for (const t of ['a', 'b'] as const) {
      const dev = await h.signIn(world[t].emails.developer);
      const admin = await h.signIn(world[t].emails.admin);
      const course = await publishedCourse(dev, { media: true });
      const group = await admin.post('/api/admin/groups', { name: `Group ${t}` });
      await admin.put(`/api/admin/groups/${group.body.id}/members`, {
        participants: [world[t].ids.participant],
        coaches: [world[t].ids.coach],
      });
      await admin.post('/api/admin/enrolments', { courseId: course.id, groupId: group.body.id, dueOn: '2027-12-31' });
      const p = await h.signIn(world[t].emails.participant);
      const answer = await p.post(`/api/my/courses/${course.id}/exercises/${AUDIO}/recordings`, {
        uploadId: await uploadFile(p, JFK_WAV),
      });
      recordings[t] = answer.body.recording.id;
      expect((await waitForRecording(p, recordings[t])).body.status).toBe('transcribed');
      const coach = await h.signIn(world[t].emails.coach);
      expect((await coach.get(`/api/recordings/${recordings[t]}/transcript`)).status).toBe(200); // a privacy-log row
      if (t === 'a') Object.assign(c, { adminA: admin, participantA: p, coachA: coach });
      else c.participantB = p;
    }
    userIdsA = (
      (await h.db.query(`SELECT id FROM users WHERE tenant_id = $1`, [world.a.tenantId])) as { id: string }[]
    ).map((u) => u.id);
    // queued work that names tenant A's people
    await h.app
      .get<Queue>(getQueueToken(QUEUES.mail))
      .add(
        'security-notice',
        { userId: world.a.ids.participant, notice: 'password-changed' },
        { delay: 3_600_000, jobId: `destroy-test:${world.a.ids.participant}` },
      );
  }, 180_000);

  afterAll(() => h?.close());

  it('an agreement extended while the sweep is destroying: the organisation stays (the sweep asks again, under its lock)', async () => {
    // an organisation of its own whose agreement ended 50 days ago: due for destruction
    const { tenantId } = await h.tenants.createTenant({
      name: 'Extended in time',
      slug: 'extended-in-time',
      admin: { name: 'Eli Admin', email: 'admin@extended.test', password: PASSWORD },
    });
    await h.db.query(`UPDATE tenants SET agreement_ends_on = $2::date - 50 WHERE id = $1`, [tenantId, h.clock.today()]);
    const service = h.app.get(TenantDestructionService);
    const organisations = h.app.get(AccountsFootprintRepository, { strict: false });
    const listed = organisations.dueForDestruction.bind(organisations);
    let extended = 0;
    // the superuser extends the agreement after the sweep has read which organisations are due
    const due = jest.spyOn(organisations, 'dueForDestruction').mockImplementationOnce(async (today) => {
      const ids = await listed(today);
      expect(ids).toContain(tenantId);
      extended = (await c.su.put(`/api/superuser/tenants/${tenantId}/agreement`, { endsOn: null })).status;
      return ids;
    });
    let destroyed: string[];
    try {
      destroyed = await service.sweep();
    } finally {
      due.mockRestore();
    }
    expect(extended).toBe(200);
    expect(destroyed).not.toContain(tenantId);
    expect((await tenantRows(h, tenantId))['tenants']).toBe(1);
    expect((await h.db.query(`SELECT count(*)::int AS n FROM users WHERE tenant_id = $1`, [tenantId]))[0].n).toBe(1);
  });

  it('a person added while the sweep is destroying an organisation has their key destroyed with the others’', async () => {
    const { tenantId, admin } = await h.tenants.createTenant({
      name: 'Joined late',
      slug: 'joined-late',
      admin: { name: 'Jo Admin', email: 'admin@joined-late.test', password: PASSWORD },
    });
    await h.db.query(`UPDATE tenants SET agreement_ends_on = $2::date - 50 WHERE id = $1`, [tenantId, h.clock.today()]);
    const vault = h.app.get(KeyVault);
    await vault.getOrCreate(userKeyId(admin.id));
    const accounts = h.app.get(AccountsFootprintRepository, { strict: false });
    const listed = accounts.people.bind(accounts);
    let late = '';
    // someone joins (and records: a key of their own) after the destruction has listed the people
    const people = jest.spyOn(accounts, 'people').mockImplementationOnce(async (id, m) => {
      const ids = await listed(id, m);
      late = await h.createUser(tenantId, 'Late Joiner', 'late@joined-late.test', ['participant']);
      await vault.getOrCreate(userKeyId(late));
      return ids;
    });
    let destroyed: string[];
    try {
      destroyed = await h.app.get(TenantDestructionService).sweep();
    } finally {
      people.mockRestore();
    }
    expect(destroyed).toContain(tenantId);
    expect(late).not.toBe('');
    expect(await vault.get(userKeyId(admin.id))).toBeNull();
    expect(await vault.get(userKeyId(late))).toBeNull();
  });

  // one scenario, in order (a destruction cannot be undone for the next test): the agreement's end
  // is set, nothing happens before the destruction date, then everything of the tenant goes
  it('a superuser sets the end of the agreement; nothing happens before the destruction date; 45 days later everything of the tenant is destroyed, with a report, and the other tenant is untouched', async () => {
    expect(
      (await c.su.put(`/api/superuser/tenants/${world.a.tenantId}/agreement`, { endsOn: '2026-02-30' })).status,
    ).toBe(400);
    expect(
      (await c.su.put(`/api/superuser/tenants/${world.a.tenantId}/agreement`, { endsOn: 'tomorrow' })).status,
    ).toBe(400);
    // an end that would destroy the organisation before its administrators had 14 days' notice (a
    // date mistyped into the past would have destroyed it within the hour): refused, nothing set
    const dayFromToday = (days: number) =>
      new Date(Date.parse(`${h.clock.today()}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
    for (const endsOn of ['2020-01-01', dayFromToday(-32)]) {
      const refused = await c.su.put(`/api/superuser/tenants/${world.a.tenantId}/agreement`, { endsOn });
      expect(refused.status).toBe(400);
      expect(refused.body.errors).toEqual([
        {
          field: 'endsOn',
          messages: [expect.stringContaining(`the agreement may end on ${dayFromToday(-31)} at the earliest`)],
        },
      ]);
    }
    expect(
      (await c.su.get('/api/superuser/tenants')).body.items.find(
        (t: { tenantId: string }) => t.tenantId === world.a.tenantId,
      ),
    ).toMatchObject({ endsOn: null, destroyOn: null });
    const set = await c.su.put(`/api/superuser/tenants/${world.a.tenantId}/agreement`, { endsOn: h.clock.today() });
    expect(set.status).toBe(200);
    const destroyOn = new Date(Date.parse(`${h.clock.today()}T00:00:00Z`) + 45 * DAY).toISOString().slice(0, 10);
    expect(set.body).toMatchObject({ endsOn: h.clock.today(), destroyOn, users: userIdsA.length });
    expect(
      (await c.su.get('/api/superuser/tenants')).body.items.find(
        (t: { tenantId: string }) => t.tenantId === world.b.tenantId,
      ),
    ).toMatchObject({ endsOn: null, destroyOn: null });
    expect((await c.adminA.put(`/api/superuser/tenants/${world.a.tenantId}/agreement`, { endsOn: null })).status).toBe(
      403,
    );
    const service = h.app.get(TenantDestructionService);
    h.clock.advance(44 * DAY);
    try {
      expect(await service.sweep()).toEqual([]);
    } finally {
      h.clock.advance(-44 * DAY);
    }
    expect((await tenantRows(h, world.a.tenantId))['tenants']).toBe(1);

    // 45 days later
    const [orgA] = await h.db.query(`SELECT name, slug FROM tenants WHERE id = $1`, [world.a.tenantId]);
    const before = { a: await tenantRows(h, world.a.tenantId), b: await tenantRows(h, world.b.tenantId) };
    const objectsA = await store.list(`tenants/${world.a.tenantId}/`);
    const objectsB = await store.list(`tenants/${world.b.tenantId}/`);
    expect(before.a['privacy_log']).toBeGreaterThan(0);
    expect(before.a['sessions']).toBeGreaterThan(0);
    expect(objectsA.length).toBeGreaterThan(0);
    const vaultBefore = await readdir(h.config.KEY_VAULT_DIR);
    expect(vaultBefore).toContain(`user-${world.a.ids.participant}.key`);

    h.clock.advance(45 * DAY);
    let destroyed: string[];
    try {
      destroyed = await service.sweep();
    } finally {
      h.clock.advance(-45 * DAY);
    }
    expect(destroyed).toEqual([world.a.tenantId]);

    // zero rows of A anywhere, no sessions, no objects, no keys, no jobs
    const after = await tenantRows(h, world.a.tenantId);
    // the one trace left: the platform's audit record of the privacy-log chain that went
    const { privacy_log_destructions: audit, ...rest } = after;
    expect(Object.entries(rest).filter(([, n]) => n > 0)).toEqual([]);
    expect(audit).toBe(1);
    const [record] = await h.db.query(
      `SELECT rows_deleted, last_hash FROM privacy_log_destructions WHERE tenant_id = $1`,
      [world.a.tenantId],
    );
    expect(record.rows_deleted).toBe(before.a['privacy_log']);
    expect(record.last_hash).toMatch(/^[0-9a-f]{64}$/);
    expect((await h.db.query(`SELECT count(*)::int AS n FROM users WHERE id = ANY($1::uuid[])`, [userIdsA]))[0].n).toBe(
      0,
    );
    expect(await store.list(`tenants/${world.a.tenantId}/`)).toEqual([]);
    const vault = await readdir(h.config.KEY_VAULT_DIR);
    expect(
      vault.filter((k) => k === `tenant-${world.a.tenantId}.key` || userIdsA.some((u) => k === `user-${u}.key`)),
    ).toEqual([]);
    const jobs = await h.app.get<Queue>(getQueueToken(QUEUES.mail)).getJobs(['waiting', 'delayed', 'failed', 'paused']);
    expect(jobs.filter((j) => userIdsA.some((u) => JSON.stringify(j?.data ?? {}).includes(u)))).toEqual([]);
    expect((await c.adminA.get('/api/auth/me')).status).toBe(401);

    // the destruction report, at platform level: it names the organisation (its id resolves to
    // nothing any more), in counts; the objects one by one are in the report itself
    const reports = await c.su.get('/api/superuser/destruction-reports');
    expect(reports.status).toBe(200);
    // (the tests of organisations of their own may have destroyed one too)
    expect(reports.body).toMatchObject({ page: 1, pageSize: 25 });
    const listed = reports.body.items.find((r: { organisationId: string }) => r.organisationId === world.a.tenantId);
    expect(listed).toEqual({
      id: expect.any(String),
      organisationId: world.a.tenantId,
      organisationName: orgA.name,
      organisationSlug: orgA.slug,
      createdAt: expect.any(String),
      verified: true,
      counts: expect.objectContaining({
        users: userIdsA.length,
        answers: before.a['answers'],
        recordings: before.a['recordings'],
        privacy_log: before.a['privacy_log'],
        objects: objectsA.length,
      }),
    });
    const full = await c.su.get(`/api/superuser/destruction-reports/${listed.id}`);
    expect(full.status).toBe(200);
    expect(full.body).toMatchObject({ ...listed, objects: expect.any(Array) });
    expect(full.body.objects.map((o: { key: string }) => o.key).sort()).toEqual([...objectsA].sort());
    expect(full.body.objects.every((o: { verified: boolean }) => o.verified)).toBe(true);
    // found by the organisation's name or slug, whatever the case; another name finds none
    for (const q of [orgA.name.toUpperCase(), ` ${orgA.slug} `])
      expect((await c.su.get(`/api/superuser/destruction-reports?q=${encodeURIComponent(q)}`)).body.items).toEqual([
        listed,
      ]);
    expect((await c.su.get('/api/superuser/destruction-reports?q=%25')).body).toMatchObject({ total: 0, items: [] });
    // an id that is no destruction report's (the surviving organisation's), or no id at all
    expect((await c.su.get(`/api/superuser/destruction-reports/${world.b.tenantId}`)).status).toBe(404);
    expect((await c.su.get('/api/superuser/destruction-reports/not-an-id')).status).toBe(400);
    expect((await c.su.get('/api/superuser/destruction-reports?pageSize=1000')).status).toBe(400);

    // tenant B: every row, object and recording as before
    expect(await tenantRows(h, world.b.tenantId)).toEqual(before.b);
    expect(await store.list(`tenants/${world.b.tenantId}/`)).toEqual(objectsB);
    expect((await c.participantB.get(`/api/recordings/${recordings.b}/content`)).status).toBe(200);

    // the surviving tenant's administrators see none of it
    const adminB = await h.signIn(world.b.emails.admin);
    expect((await adminB.get('/api/superuser/destruction-reports')).status).toBe(403);
    expect((await adminB.get(`/api/superuser/destruction-reports/${listed.id}`)).status).toBe(403);
    expect((await adminB.get(`/api/superuser/destruction-reports/${listed.id}/signed`)).status).toBe(403);

    // the report signed, for the organisation or its auditor: a JSON Web Token of the
    // installation's key, which anyone may read, whose receipt is the report in full
    const signed = await c.su.get(`/api/superuser/destruction-reports/${listed.id}/signed`);
    expect(signed.status).toBe(200);
    expect(signed.headers['content-type']).toMatch(/^application\/jwt/);
    expect(signed.headers['content-disposition']).toBe(
      `attachment; filename="destruction-report-${orgA.slug}-${listed.createdAt.slice(0, 10)}.jwt"`,
    );
    const keys = await (await h.client()).get('/api/receipts/keys');
    expect(keys.status).toBe(200);
    expect(keys.body).toEqual({
      keys: [{ kty: 'OKP', crv: 'Ed25519', x: expect.any(String), kid: expect.any(String), use: 'sig', alg: 'EdDSA' }],
    });
    const check = await checkReceipt(signed.text, keys.body, h.config.PUBLIC_URL);
    expect(check).toMatchObject({
      valid: true,
      kid: keys.body.keys[0].kid,
      kind: 'tenant_destruction',
      subject: world.a.tenantId,
      receiptId: listed.id,
    });
    expect(check.valid && check.claims['receipt']).toEqual(full.body);
    expect(check.valid && check.claims['organisationName']).toBe(orgA.name);
    expect((await c.su.get(`/api/superuser/destruction-reports/${world.b.tenantId}/signed`)).status).toBe(404);

    // npm run receipt:verify: against the installation's address, or the key set kept in a file;
    // a report changed after signing (one user fewer) does not check
    const dir = await mkdtemp(join(tmpdir(), 'rehearse-receipt-'));
    try {
      await writeFile(join(dir, 'report.jwt'), signed.text);
      await writeFile(join(dir, 'keys.json'), JSON.stringify(keys.body));
      const [header, payload, signature] = signed.text.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      claims.receipt.counts.users -= 1;
      const forged = [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
      await writeFile(join(dir, 'forged.jwt'), forged);
      const { port } = h.app.getHttpServer().address() as AddressInfo;
      const verify = (file: string, keySet: string) =>
        promisify(execFile)(
          process.execPath,
          [join(ROOT, 'tools/scripts/ts-run.cjs'), join(ROOT, 'tools/receipt.ts'), join(dir, file), keySet],
          {
            cwd: ROOT,
          },
        );
      for (const keySet of [`http://127.0.0.1:${port}`, join(dir, 'keys.json')]) {
        const ok = await verify('report.jwt', keySet);
        expect(ok.stdout).toContain(`valid: signed by ${h.config.PUBLIC_URL} (key ${keys.body.keys[0].kid})`);
        expect(ok.stdout).toContain(
          `tenant_destruction of ${world.a.tenantId}, receipt ${listed.id}, organisation ${orgA.name}`,
        );
        expect(ok.stdout).toContain('the store confirmed every object gone: yes');
      }
      await expect(verify('forged.jwt', join(dir, 'keys.json'))).rejects.toMatchObject({
        code: 1,
        stderr: expect.stringContaining('NOT VALID: the signature does not match'),
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
