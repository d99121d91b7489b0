import { readFile } from 'node:fs/promises';
import { unzipSync } from 'fflate';
import { DependencyUnavailableError } from '@rehearse/server/core';
import { DataExportsRepository, ExportBuilder, ExportsOfHiddenAnswers, USER_DATA } from '@rehearse/server/privacy';
import { BLOB_STORE, BlobStore } from '@rehearse/server/storage';
import { Client, Harness, seedTwoTenants, startHarness } from '../../test/harness';
import { publishedCourse } from '../../test/courses';
import { JFK_WAV, uploadFile, waitForRecording } from '../../test/media';

const AUDIO = '3d2c1b0a-9f8e-4d7c-8b6a-5f4e3d2c1b0a';
const EMPATHY = '0b6c1f38-8d3c-4c8e-9a52-2f1d2b3c4d5e';
const DAY = 86_400_000;

/** A binary response body as a Buffer. */
function binary(
  res: { on(e: string, f: (c?: Buffer) => void): void },
  cb: (err: Error | null, body: Buffer) => void,
): void {
  const chunks: Buffer[] = [];
  res.on('data', (c?: Buffer) => c && chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

/**
 * The export: a ZIP with data.json (every section USER_DATA names), the recordings decrypted,
 * transcripts and captions, built by the worker with progress, for the user and their
 * administrators (whose download is privacy-logged).
 */
describe('exporting a user’s data', () => {
  let h: Harness;
  let world: Awaited<ReturnType<typeof seedTwoTenants>>;
  const c = {} as Record<'p' | 'q' | 'coach' | 'admin' | 'adminB', Client>;
  let recordingId: string;
  let answerId: string;
  let textAnswer: string;

  const waitReady = async (client: Client, id: string) => {
    const seen: number[] = [];
    const end = Date.now() + 30_000;
    for (;;) {
      const res = await client.get(`/api/exports/${id}`);
      expect(res.status).toBe(200);
      seen.push(res.body.progress);
      if (res.body.state === 'ready' || res.body.state === 'failed') return { body: res.body, seen };
      if (Date.now() > end) throw new Error(`export ${id} stuck at ${JSON.stringify(res.body)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const download = async (client: Client, id: string) => {
    const res = await client.agent.get(`/api/exports/${id}/download`).buffer(true).parse(binary);
    return {
      status: res.status,
      type: res.headers['content-type'],
      disposition: res.headers['content-disposition'],
      files: res.status === 200 ? unzipSync(new Uint8Array(res.body as Buffer)) : {},
    };
  };

  beforeAll(async () => {
    h = await startHarness();
    world = await seedTwoTenants(h);
    c.p = await h.signIn(world.a.emails.participant);
    c.q = await h.signIn(world.a.emails.participant2);
    c.coach = await h.signIn(world.a.emails.coach);
    c.admin = await h.signIn(world.a.emails.admin);
    c.adminB = await h.signIn(world.b.emails.admin);
    const dev = await h.signIn(world.a.emails.developer);
    const course = await publishedCourse(dev, { media: true });
    const group = await c.admin.post('/api/admin/groups', { name: 'Export group' });
    await c.admin.put(`/api/admin/groups/${group.body.id}/members`, {
      participants: [world.a.ids.participant, world.a.ids.participant2],
      coaches: [world.a.ids.coach],
    });
    await c.admin.post('/api/admin/enrolments', { courseId: course.id, groupId: group.body.id, dueOn: '2027-12-31' });
    const a = await c.p.post(`/api/my/courses/${course.id}/exercises/${AUDIO}/recordings`, {
      uploadId: await uploadFile(c.p, JFK_WAV),
    });
    answerId = a.body.id;
    recordingId = a.body.recording.id;
    expect((await waitForRecording(c.p, recordingId)).body.status).toBe('transcribed');
    textAnswer = (
      await c.p.post(`/api/my/courses/${course.id}/exercises/${course.exercise}/text-answers`, {
        text: 'I understand how annoying this is.',
      })
    ).body.id;
    const d = await c.coach.put(`/api/answers/${textAnswer}/review`, {
      scores: { [EMPATHY]: 5 },
      summary: 'Warm and clear',
      comments: [{ at: 0, text: 'Good start', tag: null, aiFinding: null }],
    });
    expect(
      (await c.coach.post(`/api/answers/${textAnswer}/review/publish`, { revision: d.body.revision })).status,
    ).toBe(200);
    expect((await c.coach.get(`/api/recordings/${recordingId}/transcript`)).status).toBe(200); // a privacy-log row about P
  }, 120_000);

  afterAll(() => h?.close());

  it('builds the trainee’s archive in the worker with progress, and it holds everything, the recording decrypted', async () => {
    const started = await c.p.post('/api/my/exports');
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ subjectId: world.a.ids.participant, state: 'queued', progress: 0 });
    const { body, seen } = await waitReady(c.p, started.body.id);
    expect(body).toMatchObject({ state: 'ready', progress: 100, error: null });
    expect(seen[seen.length - 1]).toBe(100);
    expect(body.sizeBytes).toBeGreaterThan(0);
    await h.mailbox.waitFor(world.a.emails.participant, /data export is ready/, 15_000);

    const zip = await download(c.p, started.body.id);
    expect(zip.status).toBe(200);
    expect(zip.type).toBe('application/zip');
    expect(zip.disposition).toMatch(/^attachment; filename="rehearse-data-\d{4}-\d{2}-\d{2}\.zip"$/);
    expect(Object.keys(zip.files).sort()).toEqual(
      [
        'README.txt',
        'data.json',
        `recordings/${answerId}.wav`,
        `transcripts/${answerId}.txt`,
        `transcripts/${answerId}.vtt`,
      ].sort(),
    );
    // the recording decrypted, byte for byte what was uploaded
    expect(Buffer.from(zip.files[`recordings/${answerId}.wav`]).equals(await readFile(JFK_WAV))).toBe(true);
    expect(Buffer.from(zip.files[`transcripts/${answerId}.vtt`]).toString()).toMatch(/^WEBVTT/);

    const data = JSON.parse(Buffer.from(zip.files['data.json']).toString());
    expect(data.profile).toMatchObject({ email: world.a.emails.participant, roles: ['participant'] });
    expect(data.answers.map((a: { id: string }) => a.id).sort()).toEqual([answerId, textAnswer].sort());
    expect(data.answers.find((a: { id: string }) => a.id === answerId).aiReport).not.toBeNull();
    expect(data.feedbackReceived).toEqual([
      expect.objectContaining({
        answerId: textAnswer,
        source: 'coach',
        summary: 'Warm and clear',
        coachName: 'Coach a',
        comments: [{ at: 0, text: 'Good start', tag: null }],
      }),
    ]);
    expect(
      data.privacyLog.some(
        (e: { objectType: string; role: string }) => e.objectType === 'transcript' && e.role === 'coach',
      ),
    ).toBe(true);
    // what the administrator changed in the account: the group she put the participant in, by her name
    // (and whatever else this file's other tests changed in it first: the licence, in one)
    expect(data.accountHistory.filter((e: { action: string }) => e.action !== 'user.licence_changed')).toEqual([
      expect.objectContaining({
        action: 'group.member_added',
        by: 'Admin a',
        byRole: 'administrator',
        bySupport: false,
        details: { group: { id: expect.any(String), name: 'Export group' }, membership: 'participant' },
      }),
    ]);
    // a linked identity is listed by its provider and dates; the provider's subject ids stay out (administrators read exports too)
    await h.db.query(
      `INSERT INTO user_identities (tenant_id, user_id, issuer, directory_id, object_id, created_at) VALUES ($1,$2,'https://login.example/v2.0','dir-0000-secret','oid-0000-secret',now())`,
      [world.a.tenantId, world.a.ids.participant],
    );
    const again = await c.p.post('/api/my/exports');
    await waitReady(c.p, again.body.id);
    const second = JSON.parse(Buffer.from((await download(c.p, again.body.id)).files['data.json']).toString());
    expect(second.identities).toEqual([expect.objectContaining({ issuer: 'https://login.example/v2.0' })]);
    expect(JSON.stringify(second)).not.toMatch(/dir-0000-secret|oid-0000-secret/);
    await h.db.query(`DELETE FROM user_identities WHERE user_id = $1`, [world.a.ids.participant]);
    // every section the per-column policy promises is in data.json
    for (const [col, policy] of Object.entries(USER_DATA)) {
      if (!policy.export.startsWith('no: '))
        expect({ col, section: policy.export in data }).toEqual({ col, section: true });
    }
  });

  it('an archive held back by object storage that is away waits, and is built once storage answers (it hung, its failure unhandled)', async () => {
    const store = h.worker.get<symbol, BlobStore>(BLOB_STORE);
    const put = jest
      .spyOn(store, 'put')
      .mockRejectedValueOnce(new DependencyUnavailableError('object storage answered 503'));
    let id = '';
    try {
      const started = await c.q.post('/api/my/exports');
      expect(started.status).toBe(202);
      id = started.body.id;
      // the attempt failed for the store: the export waits again, not failed
      const end = Date.now() + 15_000;
      for (;;) {
        const now = (await c.q.get(`/api/exports/${id}`)).body;
        if (put.mock.calls.length > 0 && now.state === 'queued') break;
        if (now.state !== 'queued' && now.state !== 'building') throw new Error(`export ${JSON.stringify(now)}`);
        if (Date.now() > end) throw new Error(`the export did not wait again: ${JSON.stringify(now)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      put.mockRestore();
    }
    // its job's next attempt (after a backoff of 10 s), or the export queued again once they are
    // spent, builds it: done here at once, as either would
    await h.worker.get(ExportBuilder).build(id);
    const { body } = await waitReady(c.q, id);
    expect(body).toMatchObject({ state: 'ready', progress: 100, error: null });
    expect(Object.keys((await download(c.q, id)).files)).toContain('data.json');
  });

  it('a build that fails elsewhere (a read of the database) fails the export and ends the store’s write too (it waited for ever)', async () => {
    const store = h.worker.get<symbol, BlobStore>(BLOB_STORE);
    const writes: Promise<unknown>[] = [];
    const realPut = store.put.bind(store);
    const put = jest.spyOn(store, 'put').mockImplementation((key, body, size) => {
      const w = realPut(key, body, size);
      writes.push(w);
      return w;
    });
    // the first progress written fails, once the archive's write has begun
    const progress = jest.spyOn(h.worker.get(DataExportsRepository), 'progress').mockImplementationOnce(async () => {
      for (const end = Date.now() + 10_000; writes.length === 0 && Date.now() < end;)
        await new Promise((r) => setTimeout(r, 10));
      throw new Error('relation "data_exports" does not exist');
    });
    try {
      const started = await c.q.post('/api/my/exports');
      expect(started.status).toBe(202);
      const { body } = await waitReady(c.q, started.body.id);
      expect(body).toMatchObject({ state: 'failed' });
      expect(writes).toHaveLength(1);
      const settled = await Promise.race([
        writes[0].then(
          () => 'stored',
          () => 'refused',
        ),
        new Promise((r) => setTimeout(() => r('still waiting'), 5_000)),
      ]);
      expect(settled).toBe('refused');
      expect(await store.stat(`tenants/${world.a.tenantId}/exports/${started.body.id}`)).toBeNull();
    } finally {
      put.mockRestore();
      progress.mockRestore();
    }
  });

  it('a person erased while an administrator’s export of their data is being built: the archive written afterwards goes too, and no e-mail says it is ready', async () => {
    const email = 'erased-midway@a.test';
    const id = await h.createUser(world.a.tenantId, 'Erased Midway', email, ['participant']);
    const store = h.worker.get<symbol, BlobStore>(BLOB_STORE);
    const builder = h.worker.get(ExportBuilder);
    let erased!: () => void;
    const erasure = new Promise<void>((r) => (erased = r));
    let building!: () => void;
    const started = new Promise<void>((r) => (building = r));
    // the build's first step waits while the administrator erases the person
    const progress = jest.spyOn(h.worker.get(DataExportsRepository), 'progress').mockImplementationOnce(async () => {
      building();
      await erasure;
    });
    const built = jest.spyOn(builder, 'build');
    try {
      const asked = await c.admin.post(`/api/admin/users/${id}/exports`);
      expect(asked.status).toBe(202);
      await started;
      const gone = await c.admin.post(`/api/admin/users/${id}/erase`, {
        reason: 'Asked to be forgotten',
        confirmEmail: email,
      });
      expect(gone.status).toBe(200);
      erased();
      for (const end = Date.now() + 15_000; built.mock.results.length === 0 && Date.now() < end;)
        await new Promise((r) => setTimeout(r, 20));
      await built.mock.results[0]?.value;
      expect(await store.stat(`tenants/${world.a.tenantId}/exports/${asked.body.id}`)).toBeNull();
      const [{ exports, mails }] = await h.db.query(
        `SELECT (SELECT count(*)::int FROM data_exports WHERE id = $1) AS exports,
                (SELECT count(*)::int FROM mail_outbox WHERE job_key = $1::text) AS mails`,
        [asked.body.id],
      );
      expect({ exports, mails }).toEqual({ exports: 0, mails: 0 });
    } finally {
      progress.mockRestore();
      built.mockRestore();
    }
  });

  it('an organisation’s export made before a person is erased is withdrawn with them: its archive goes, and it says why', async () => {
    const email = 'in-the-archive@a.test';
    const id = await h.createUser(world.a.tenantId, 'In The Archive', email, ['participant']);
    const store = h.worker.get<symbol, BlobStore>(BLOB_STORE);
    const started = await c.admin.post('/api/admin/exports/organisation');
    expect(started.status).toBe(202);
    const { body } = await waitReady(c.admin, started.body.id);
    expect(body.state).toBe('ready');
    const key = `tenants/${world.a.tenantId}/exports/${started.body.id}`;
    expect(Object.keys((await download(c.admin, started.body.id)).files)).toContain(`people/${id}/data.json`);

    const gone = await c.admin.post(`/api/admin/users/${id}/erase`, {
      reason: 'Asked to be forgotten',
      confirmEmail: email,
    });
    expect(gone.status).toBe(200);
    expect((await c.admin.get(`/api/exports/${started.body.id}`)).body).toMatchObject({
      state: 'expired',
      error: expect.stringMatching(/a person in it was erased/),
    });
    expect((await download(c.admin, started.body.id)).status).toBeGreaterThanOrEqual(400);
    expect(await store.stat(key)).toBeNull();
    const [receipt] = await h.db.query(`SELECT counts, objects FROM deletion_receipts WHERE id = $1`, [
      gone.body.receiptId,
    ]);
    expect(receipt.counts).toMatchObject({ organisationExportsWithdrawn: 1 });
    expect(receipt.objects).toContainEqual({ key, verified: true });
    // exported again, the organisation's archive leaves the person out
    const again = await c.admin.post('/api/admin/exports/organisation');
    expect(again.status).toBe(202);
    expect((await waitReady(c.admin, again.body.id)).body.state).toBe('ready');
    expect(Object.keys((await download(c.admin, again.body.id)).files).some((f) => f.includes(id))).toBe(false);
  });

  it('an administrator exports a person’s data; the download is privacy-logged; others cannot see it', async () => {
    const started = await c.admin.post(`/api/admin/users/${world.a.ids.participant}/exports`);
    expect(started.status).toBe(202);
    // named for the person it holds, in the answer and in the list
    expect(started.body).toMatchObject({ scope: 'user', subjectName: 'Participant a' });
    await waitReady(c.admin, started.body.id);
    expect((await c.admin.get(`/api/admin/users/${world.a.ids.participant}/exports`)).body[0]).toMatchObject({
      subjectName: 'Participant a',
    });
    expect(
      (await c.admin.get(`/api/admin/users/${world.a.ids.participant}/exports`)).body.map((e: { id: string }) => e.id),
    ).toContain(started.body.id);
    const before = (
      await h.db.query(
        `SELECT count(*)::int AS n FROM privacy_log WHERE subject_id = $1 AND object_type = 'data_export' AND action = 'download'`,
        [world.a.ids.participant],
      )
    )[0].n;
    expect((await download(c.admin, started.body.id)).status).toBe(200);
    expect(
      (
        await h.db.query(
          `SELECT count(*)::int AS n FROM privacy_log WHERE subject_id = $1 AND object_type = 'data_export' AND action = 'download'`,
          [world.a.ids.participant],
        )
      )[0].n,
    ).toBe(before + 1);
    // the person themselves may download it too; another participant, a coach and another tenant may not even see it
    expect((await download(c.p, started.body.id)).status).toBe(200);
    for (const who of ['q', 'coach', 'adminB'] as const) {
      expect({ who, status: (await c[who].get(`/api/exports/${started.body.id}`)).status }).toEqual({
        who,
        status: 404,
      });
      expect({ who, status: (await download(c[who], started.body.id)).status }).toEqual({ who, status: 404 });
    }
    expect((await c.coach.post(`/api/admin/users/${world.a.ids.participant}/exports`)).status).toBe(403);
    expect((await c.adminB.post(`/api/admin/users/${world.a.ids.participant}/exports`)).status).toBe(404);
  });

  it('leaves out what an expired licence hides, and expires the archive after 7 days', async () => {
    await c.admin.put(`/api/admin/users/${world.a.ids.participant}/licence`, {
      startsOn: '2026-01-01',
      expiresOn: h.clock.today(),
    });
    try {
      const started = await c.p.post('/api/my/exports');
      const { body } = await waitReady(c.p, started.body.id);
      expect(body.state).toBe('ready');
      const zip = await download(c.p, started.body.id);
      expect(Object.keys(zip.files).sort()).toEqual(['README.txt', 'data.json']);
      const data = JSON.parse(Buffer.from(zip.files['data.json']).toString());
      expect(data.answers).toEqual([]);
      expect(data.feedbackReceived).toEqual([]);
      expect(data.answersHidden).toContain('licence expired');
      expect(data.profile.email).toBe(world.a.emails.participant);

      const [{ object_key }] = await h.db.query(`SELECT object_key FROM data_exports WHERE id = $1`, [started.body.id]);
      h.clock.advance(8 * DAY);
      try {
        expect(await h.app.get(ExportBuilder).sweepExpired()).toBeGreaterThanOrEqual(1);
      } finally {
        h.clock.advance(-8 * DAY);
      }
      c.p = await h.signIn(world.a.emails.participant);
      expect((await c.p.get(`/api/exports/${started.body.id}`)).body.state).toBe('expired');
      expect((await download(c.p, started.body.id)).status).toBe(409);
      expect(await h.app.get<BlobStore>(BLOB_STORE).stat(object_key)).toBeNull();
    } finally {
      await c.admin.put(`/api/admin/users/${world.a.ids.participant}/licence`, {
        startsOn: '2026-01-01',
        expiresOn: '2030-01-01',
      });
    }
  });

  it('an export made before a licence ends is not handed out from that day, and the retention round withdraws it, the person’s own and the organisation’s, saying why', async () => {
    const own = (await c.p.post('/api/my/exports')).body.id as string;
    expect((await waitReady(c.p, own)).body.state).toBe('ready');
    const organisation = (await c.admin.post('/api/admin/exports/organisation')).body.id as string;
    expect((await waitReady(c.admin, organisation)).body.state).toBe('ready');
    const keys = (
      await h.db.query(`SELECT object_key FROM data_exports WHERE id = ANY($1::uuid[])`, [[own, organisation]])
    ).map((r: { object_key: string }) => r.object_key);
    expect(keys).toHaveLength(2);
    const store = h.app.get<BlobStore>(BLOB_STORE);
    try {
      // the administrator ends the licence today, after both were made: P's answers are hidden from everyone
      expect(
        (
          await c.admin.put(`/api/admin/users/${world.a.ids.participant}/licence`, {
            startsOn: '2026-01-01',
            expiresOn: h.clock.today(),
          })
        ).status,
      ).toBe(200);
      for (const [who, id] of [
        ['p', own],
        ['admin', own],
        ['admin', organisation],
      ] as const) {
        const res = await c[who].agent.get(`/api/exports/${id}/download`);
        expect({ who, id, status: res.status, message: res.body.message }).toEqual({
          who,
          id,
          status: 409,
          message: expect.stringMatching(/^Withdrawn: a licence ended since it was made/),
        });
      }
      // and from that day every answer about them says so (not ready with a download that is refused), before the round
      const withdrawnNow = {
        state: 'expired',
        withdrawn: 'licence',
        error: expect.stringMatching(/^Withdrawn: a licence/),
      };
      for (const [who, path, id] of [
        ['p', `/api/exports/${own}`, own],
        ['admin', `/api/exports/${organisation}`, organisation],
        ['p', '/api/my/exports', own],
        ['admin', `/api/admin/users/${world.a.ids.participant}/exports`, own],
        ['admin', '/api/admin/exports/organisation', organisation],
      ] as const) {
        const body = (await c[who].get(path)).body;
        const found = Array.isArray(body) ? body.find((e: { id: string }) => e.id === id) : body;
        expect({ path, ...found }).toMatchObject({ path, id, ...withdrawnNow });
      }
      expect(
        (await h.db.query(`SELECT state FROM data_exports WHERE id = ANY($1::uuid[])`, [[own, organisation]])).map(
          (r: { state: string }) => r.state,
        ),
      ).toEqual(['ready', 'ready']);
      // the hourly round withdraws both (expired, saying why) and deletes their archives; once
      const hidden = h.app.get(ExportsOfHiddenAnswers);
      expect(await hidden.withdraw()).toBeGreaterThanOrEqual(2);
      for (const id of [own, organisation])
        expect((await c.admin.get(`/api/exports/${id}`)).body).toMatchObject({
          state: 'expired',
          withdrawn: 'licence',
        });
      for (const key of keys) expect(await store.stat(key)).toBeNull();
      expect(await hidden.withdraw()).toBe(0);
      // a new export leaves the hidden answers out, and is handed out
      const again = (await c.p.post('/api/my/exports')).body.id as string;
      expect((await waitReady(c.p, again)).body.state).toBe('ready');
      const zip = await download(c.p, again);
      expect(zip.status).toBe(200);
      expect(JSON.parse(Buffer.from(zip.files['data.json']).toString()).answers).toEqual([]);
      expect(await hidden.withdraw()).toBe(0);
    } finally {
      await c.admin.put(`/api/admin/users/${world.a.ids.participant}/licence`, {
        startsOn: '2026-01-01',
        expiresOn: '2030-01-01',
      });
    }
  });

  it('a broken download resumes where it stopped (Range with If-Range), logged once; a whole download is logged each time', async () => {
    const started = await c.admin.post(`/api/admin/users/${world.a.ids.participant}/exports`);
    await waitReady(c.admin, started.body.id);
    const url = `/api/exports/${started.body.id}/download`;
    const get = (headers: Record<string, string> = {}) =>
      c.admin.agent.get(url).set(headers).buffer(true).parse(binary);
    const logged = async () =>
      (
        await h.db.query(`SELECT count(*)::int AS n FROM privacy_log WHERE object_id = $1 AND action = 'download'`, [
          started.body.id,
        ])
      )[0].n as number;
    const whole = await get();
    expect(whole.status).toBe(200);
    expect(whole.headers['accept-ranges']).toBe('bytes');
    const etag = whole.headers['etag'] as string;
    expect(etag).toMatch(/^"[^"]+"$/);
    const body = whole.body as Buffer;
    expect(await logged()).toBe(1);
    // a download manager's HEAD first: the size and ranges, nothing of the archive, logged with that download
    const head = await c.admin.agent.head(url);
    expect([head.status, head.headers['content-length'], head.headers['accept-ranges']]).toEqual([
      200,
      String(body.length),
      'bytes',
    ]);
    expect(await logged()).toBe(1);
    // the connection broke after 100 bytes: the browser asks for the rest of the same archive
    const rest = await get({ Range: 'bytes=100-', 'If-Range': etag });
    expect(rest.status).toBe(206);
    expect(rest.headers['content-range']).toBe(`bytes 100-${body.length - 1}/${body.length}`);
    expect(Buffer.compare(Buffer.concat([body.subarray(0, 100), rest.body as Buffer]), body)).toBe(0);
    expect(rest.headers['content-disposition']).toBe(whole.headers['content-disposition']);
    expect(await logged()).toBe(1);
    // past the end: nothing sent, nothing logged
    expect((await get({ Range: `bytes=${body.length}-` })).status).toBe(416);
    // If-Range naming another archive: all of this one, a download of its own, logged
    const other = await get({ Range: 'bytes=100-', 'If-Range': '"another"' });
    expect(other.status).toBe(200);
    expect(Buffer.compare(other.body as Buffer, body)).toBe(0);
    expect(await logged()).toBe(2);
    // a range a day later is not the continuation of that download: logged (signed in anew, the
    // day having outlived the session)
    h.clock.advance(25 * 3_600_000);
    try {
      const later = await h.signIn(world.a.emails.admin);
      expect((await later.agent.get(url).set('Range', 'bytes=0-99').buffer(true).parse(binary)).status).toBe(206);
      expect(await logged()).toBe(3);
    } finally {
      h.clock.advance(-25 * 3_600_000);
    }
    // the person's own download of their archive is theirs: not logged, ranges or not
    expect((await c.p.agent.get(url).set('Range', 'bytes=0-9').buffer(true).parse(binary)).status).toBe(206);
    expect(await logged()).toBe(3);
  });

  it("lets administrators export everything of the organisation: its own data and every person's folder; the download is in everyone's log", async () => {
    expect((await c.coach.post('/api/admin/exports/organisation')).status).toBe(403);
    const started = await c.admin.post('/api/admin/exports/organisation');
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ scope: 'tenant', subjectId: null, subjectName: 'Tenant A' });
    expect([202, 409]).toContain((await c.admin.post('/api/admin/exports/organisation')).status); // 409 while one is being built; a new one once it is done
    const { body } = await waitReady(c.admin, started.body.id);
    expect(body.state).toBe('ready');
    expect((await c.admin.get('/api/admin/exports/organisation')).body.map((e: { id: string }) => e.id)).toContain(
      started.body.id,
    );
    // a participant, and another tenant's administrator, cannot see it
    expect((await c.p.get(`/api/exports/${started.body.id}`)).status).toBe(404);
    expect((await c.adminB.get(`/api/exports/${started.body.id}`)).status).toBe(404);

    const users: { id: string }[] = await h.db.query(`SELECT id FROM users WHERE tenant_id = $1`, [world.a.tenantId]);
    const logged = async () =>
      (
        await h.db.query(`SELECT count(*)::int AS n FROM privacy_log WHERE object_id = $1 AND action = 'download'`, [
          started.body.id,
        ])
      )[0].n as number;
    expect(await logged()).toBe(0);
    const zip = await download(c.admin, started.body.id);
    expect(zip.status).toBe(200);
    expect(zip.disposition).toMatch(/rehearse-organisation-/);
    const names = Object.keys(zip.files);
    expect(names).toEqual(
      expect.arrayContaining([
        'README.txt',
        'organisation.json',
        ...users.map((u) => `people/${u.id}/data.json`),
        `people/${world.a.ids.participant}/recordings/${answerId}.wav`,
      ]),
    );
    expect(
      Buffer.from(zip.files[`people/${world.a.ids.participant}/recordings/${answerId}.wav`]).equals(
        await readFile(JFK_WAV),
      ),
    ).toBe(true);
    const org = JSON.parse(Buffer.from(zip.files['organisation.json']).toString());
    expect(org.organisation).toMatchObject({ name: 'Tenant A', slug: 'tenant-a' });
    expect(org.people).toHaveLength(users.length);
    expect(org.courses.length).toBeGreaterThan(0);
    expect(org.courses[0].versions.length).toBeGreaterThan(0);
    expect(org.groups[0].members.length).toBe(3);
    // what was changed in the accounts: the three people put in the group, by the administrator
    expect(
      org.accountActivity
        .filter((e: { action: string }) => e.action === 'group.member_added')
        .map((e: { person: string; by: string }) => `${e.person} by ${e.by}`)
        .sort(),
    ).toEqual(['Coach a by Admin a', 'Participant a by Admin a', 'Second Participant a by Admin a']);
    // the administrator's own data is theirs; everyone else's download is logged in their privacy log
    expect(await logged()).toBe(users.length - 1);
  });
});
