import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { QUEUES, transcribeJobId } from '@rehearse/shared/contracts';
import { USER_DATA } from '@rehearse/server/privacy';
import {
  Envelope,
  KeyDestroyedError,
  KeyRing,
  keyVaultFrom,
  LocalDiskStore,
  SealedObjects,
} from '@rehearse/server/storage';
import { Client, Harness, seedTwoTenants, startHarness } from '../../test/harness';
import { AUDIO_EXERCISE, exerciseBody } from '../../test/courses';
import { JFK_WAV, uploadFile, waitForRecording } from '../../test/media';
// the check is a workspace tool (tools/ is no Nx project): what npm run receipt:verify runs
// eslint-disable-next-line @nx/enforce-module-boundaries
import { checkReceipt } from '../../../../../tools/lib/receipt-verify';

const TEXT_EXERCISE = '5f0e8b1a-2c3d-4e5f-8a9b-0c1d2e3f4a5b';
const EMPATHY = '0b6c1f38-8d3c-4c8e-9a52-2f1d2b3c4d5e';

/** Every column that refers to a user: foreign keys to users(id), and the id-named columns kept without one (logs, sessions, receipts). */
const USER_COLUMNS = `
  SELECT kcu.table_name || '.' || kcu.column_name AS col
    FROM information_schema.referential_constraints rc
    JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = rc.constraint_name AND kcu.constraint_schema = rc.constraint_schema
    JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = rc.unique_constraint_name AND ccu.constraint_schema = rc.unique_constraint_schema
   WHERE ccu.table_name = 'users' AND ccu.column_name = 'id' AND kcu.table_schema = 'public'
  UNION
  SELECT table_name || '.' || column_name FROM information_schema.columns
   WHERE table_schema = 'public' AND table_name <> 'migrations'
     AND (column_name ~ '(^|_)(user|actor|subject|owner|reviewer|coach|impersonator|superuser)_id$' OR column_name ~ '_by$')
  UNION SELECT 'users.id'`;

/**
 * The right to be forgotten. Participant P has a recording, a text answer with a coach's feedback,
 * a shared answer, a peer review published on Q's answer, a session and queued jobs. A "backup"
 * (P's encrypted object and its database envelope) is taken before the erasure.
 */
describe('erasing a user (right to be forgotten)', () => {
  let h: Harness;
  let backup: string;
  const ids = {} as Record<'tenant' | 'tenantB' | 'p' | 'q' | 'coach' | 'admin' | 'course' | 'participantB', string>;
  const emails = {} as Record<'p' | 'q' | 'admin' | 'adminB' | 'participantB', string>;
  const c = {} as Record<'p' | 'q' | 'coach' | 'admin' | 'superuser', Client>;
  const a = {} as Record<'pText' | 'pAudio' | 'pRecording' | 'qText' | 'qAudio' | 'qRecording', string>;
  let saved: { key: string; envelope: Envelope };

  beforeAll(async () => {
    h = await startHarness();
    const world = await seedTwoTenants(h);
    Object.assign(ids, {
      tenant: world.a.tenantId,
      tenantB: world.b.tenantId,
      p: world.a.ids.participant,
      q: world.a.ids.participant2,
      coach: world.a.ids.coach,
      admin: world.a.ids.admin,
      participantB: world.b.ids.participant,
    });
    Object.assign(emails, {
      p: world.a.emails.participant,
      q: world.a.emails.participant2,
      admin: world.a.emails.admin,
      adminB: world.b.emails.admin,
      participantB: world.b.emails.participant,
    });
    c.p = await h.signIn(emails.p);
    c.q = await h.signIn(emails.q);
    c.coach = await h.signIn(world.a.emails.coach);
    c.admin = await h.signIn(emails.admin);
    const su = await h.createSuperuser('support@rehearse.test');
    c.superuser = await h.signInTotp('support@rehearse.test', su.secret);
    // the operator's support acted as P once, with a reason that names P
    expect(
      (
        await c.superuser.post('/api/superuser/impersonations', {
          userId: ids.p,
          reason: 'Ticket 4700: Pia cannot see her answer',
        })
      ).status,
    ).toBe(200);
    expect((await c.superuser.post('/api/auth/impersonation/end')).status).toBe(200);
    const dev = await h.signIn(world.a.emails.developer);
    const rubric = await dev.post('/api/authoring/rubrics', {
      title: 'R',
      description: '',
      criteria: [
        {
          id: EMPATHY,
          title: 'Empathy',
          description: '',
          weight: 1,
          levels: [1, 2, 3].map((score) => ({ score, descriptor: `E${score}` })),
        },
      ],
    });
    const created = await dev.post('/api/authoring/courses', { title: 'Erasure course', language: 'en' });
    await dev.put(`/api/authoring/courses/${created.body.id}/draft`, {
      revision: created.body.draft.revision,
      content: {
        title: 'Erasure course',
        description: '',
        language: 'en',
        modules: [
          {
            id: '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
            title: 'Module',
            exercises: [
              exerciseBody(TEXT_EXERCISE, rubric.body.id, {
                feedback: ['coach', 'peer'],
                peerReview: { reviewers: 1, dueDays: 3, criterionIds: [] },
              }),
              exerciseBody(AUDIO_EXERCISE, rubric.body.id, {
                title: 'On the phone',
                answerType: 'audio',
                feedback: ['coach', 'ai'],
              }),
            ],
          },
        ],
      },
    });
    expect(
      (await dev.post(`/api/authoring/courses/${created.body.id}/publish`, { changeSummary: 'First version' })).status,
    ).toBe(200);
    ids.course = created.body.id;
    const group = await c.admin.post('/api/admin/groups', { name: 'Erasure group' });
    await c.admin.put(`/api/admin/groups/${group.body.id}/members`, {
      participants: [ids.p, ids.q],
      coaches: [ids.coach],
    });
    expect(
      (
        await c.admin.post('/api/admin/enrolments', {
          courseId: ids.course,
          groupId: group.body.id,
          dueOn: '2027-12-31',
        })
      ).status,
    ).toBe(201);

    for (const who of ['p', 'q'] as const) {
      a[`${who}Text`] = (
        await c[who].post(`/api/my/courses/${ids.course}/exercises/${TEXT_EXERCISE}/text-answers`, {
          text: `Answer of ${who}`,
        })
      ).body.id;
      const audio = await c[who].post(`/api/my/courses/${ids.course}/exercises/${AUDIO_EXERCISE}/recordings`, {
        uploadId: await uploadFile(c[who], JFK_WAV),
      });
      a[`${who}Audio`] = audio.body.id;
      a[`${who}Recording`] = audio.body.recording.id;
    }
    for (const who of ['p', 'q'] as const)
      expect((await waitForRecording(c[who], a[`${who}Recording`])).body.status).toBe('transcribed');
    // coach feedback on both text answers; both share, so each reviews the other; P publishes a peer review of Q
    for (const who of ['p', 'q'] as const) {
      const d = await c.coach.put(`/api/answers/${a[`${who}Text`]}/review`, {
        scores: { [EMPATHY]: 2 },
        summary: `Coach on ${who}`,
        comments: [{ at: 0, text: `Note for ${who}`, tag: null, aiFinding: null }],
      });
      expect(
        (await c.coach.post(`/api/answers/${a[`${who}Text`]}/review/publish`, { revision: d.body.revision })).status,
      ).toBe(200);
      expect((await c[who].post(`/api/my/answers/${a[`${who}Text`]}/share`, {})).status).toBe(200);
    }
    const peer = await c.p.put(`/api/answers/${a.qText}/review`, {
      scores: { [EMPATHY]: 3 },
      summary: 'Peer P on Q',
      comments: [],
    });
    expect((await c.p.post(`/api/answers/${a.qText}/review/publish`, { revision: peer.body.revision })).status).toBe(
      200,
    );
    // Q opened P's answer: a privacy-log row about P (kept, see user-data.ts)
    expect((await c.q.get(`/api/answers/${a.pText}/review`)).status).toBe(200);

    // queued work that names P: a delayed e-mail and a transcription job
    await h.app
      .get<Queue>(getQueueToken(QUEUES.mail))
      .add(
        'security-notice',
        { userId: ids.p, notice: 'password-changed' },
        { delay: 3_600_000, jobId: `erasure-test:${ids.p}` },
      );
    await h.app
      .get<Queue>(getQueueToken(QUEUES.media))
      .add('transcribe', { recordingId: a.pRecording }, { delay: 3_600_000, jobId: transcribeJobId(a.pRecording) });

    // the "backup": P's encrypted object and its envelope as they were
    const [row] = await h.db.query(`SELECT object_key AS key, envelope FROM recordings WHERE id = $1`, [a.pRecording]);
    saved = row;
    backup = await mkdtemp(join(tmpdir(), 'rehearse-erasure-backup-'));
    await mkdir(dirname(join(backup, saved.key)), { recursive: true });
    await copyFile(join(h.config.STORAGE_DIR, saved.key), join(backup, saved.key));
  }, 180_000);

  afterAll(async () => {
    await h?.close();
    if (backup) await rm(backup, { recursive: true, force: true });
  });

  const sealedOver = (dir: string) =>
    new SealedObjects(new LocalDiskStore(dir), new KeyRing(h.config.storageMasterKey, keyVaultFrom(h.config)));

  /**
   * P's erasure by an administrator, once, whichever test needs it first; the state before it (the
   * backup readable while P exists, P's key in the vault) is checked right before it.
   */
  let erasure: Promise<Awaited<ReturnType<Client['post']>>> | null = null;
  const eraseP = () =>
    (erasure ??= (async () => {
      expect(
        (await buffer(await sealedOver(backup).get({ tenantId: ids.tenant, key: saved.key }, saved.envelope))).length,
      ).toBe(saved.envelope.size);
      expect(await readdir(h.config.KEY_VAULT_DIR)).toContain(`user-${ids.p}.key`);
      return c.admin.post(`/api/admin/users/${ids.p}/erase`, {
        reason: 'Ticket 4711: the user asked to be forgotten',
        confirmEmail: emails.p.toUpperCase(),
      });
    })());

  it('covers every column that refers to a user with an erasure policy (and lists no column that is gone)', async () => {
    const cols = ((await h.db.query(USER_COLUMNS)) as { col: string }[]).map((r) => r.col).sort();
    expect(cols).toEqual(Object.keys(USER_DATA).sort());
  });

  it('refuses without the typed e-mail, and refuses erasing oneself or a superuser', async () => {
    // a person of its own, whom nothing erases (P's erasure is another test's)
    const r = await h.createUser(ids.tenant, 'Rita Refused', 'rita@a.test', ['participant']);
    const wrong = await c.admin.post(`/api/admin/users/${r}/erase`, {
      reason: 'On the user’s request',
      confirmEmail: 'someone@a.test',
    });
    expect(wrong.status).toBe(400);
    expect(
      (await c.admin.post(`/api/admin/users/${r}/erase`, { reason: 'x', confirmEmail: 'rita@a.test' })).status,
    ).toBe(400);
    expect(
      (
        await c.admin.post(`/api/admin/users/${ids.admin}/erase`, {
          reason: 'On my own request',
          confirmEmail: emails.admin,
        })
      ).status,
    ).toBe(409);
    const [su] = await h.db.query(`SELECT id FROM users WHERE email = 'support@rehearse.test'`);
    expect(
      (
        await c.superuser.post(`/api/superuser/users/${su.id}/erase`, {
          reason: 'Leaving the desk',
          confirmEmail: 'support@rehearse.test',
        })
      ).status,
    ).toBe(409);
    expect(
      (
        await c.admin.post(`/api/admin/users/${ids.participantB}/erase`, {
          reason: 'On the user’s request',
          confirmEmail: emails.participantB,
        })
      ).status,
    ).toBe(404);
    expect((await h.db.query(`SELECT count(*)::int AS n FROM users WHERE id = $1`, [r]))[0].n).toBe(1);
  });

  it('an administrator erases P: no row, object, search entry, key or job of P remains; feedback P gave stays without the name', async () => {
    const res = await eraseP();
    expect(res.status).toBe(200);
    expect(res.body.verified).toBe(true);

    // every column that refers to a user holds P only where the policy keeps an accountability record
    for (const [col, policy] of Object.entries(USER_DATA)) {
      const [table, column] = col.split('.');
      const [{ n }] = await h.db.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${column}::text = $1`, [ids.p]);
      expect({ col, left: policy.erase === 'keep' ? 'allowed' : n }).toEqual({
        col,
        left: policy.erase === 'keep' ? 'allowed' : 0,
      });
    }
    expect(
      (await h.db.query(`SELECT count(*)::int AS n FROM privacy_log WHERE subject_id = $1`, [ids.p]))[0].n,
    ).toBeGreaterThan(0); // kept on purpose
    // answers, recordings, transcripts (search entries), AI reports, shares and the feedback on P's answers are gone
    for (const [table, where] of [
      ['answers', `id = ANY($1::uuid[])`],
      ['recordings', `answer_id = ANY($1::uuid[])`],
      ['reviews', `answer_id = ANY($1::uuid[])`],
      ['answer_shares', `answer_id = ANY($1::uuid[])`],
    ]) {
      expect({
        table,
        n: (await h.db.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, [[a.pText, a.pAudio]]))[0].n,
      }).toEqual({ table, n: 0 });
    }
    expect(
      (
        await h.db.query(
          `SELECT count(*)::int AS n FROM transcript_segments s JOIN transcripts t ON t.id = s.transcript_id WHERE t.recording_id = $1`,
          [a.pRecording],
        )
      )[0].n,
    ).toBe(0);
    // only Q's passages are found now (Whisper hears "country" in both of jfk's passages)
    const hits = (await c.coach.get('/api/transcripts/search?q=country')).body.items as { participantId: string }[];
    expect(hits.length).toBeGreaterThan(0);
    expect(new Set(hits.map((i) => i.participantId))).toEqual(new Set([ids.q]));
    // the object, the key and the jobs
    await expect(readdir(dirname(join(h.config.STORAGE_DIR, saved.key)))).resolves.not.toContain(
      saved.key.split('/').pop(),
    );
    expect(await readdir(h.config.KEY_VAULT_DIR)).not.toContain(`user-${ids.p}.key`);
    expect(await readdir(h.config.KEY_VAULT_DIR)).toContain(`user-${ids.q}.key`);
    for (const token of [QUEUES.mail, QUEUES.media]) {
      const jobs = await h.app.get<Queue>(getQueueToken(token)).getJobs(['waiting', 'delayed', 'failed', 'paused']);
      expect(
        jobs.filter(
          (j) => JSON.stringify(j?.data ?? {}).includes(ids.p) || JSON.stringify(j?.data ?? {}).includes(a.pRecording),
        ),
      ).toEqual([]);
    }
    // P's session is over
    expect((await c.p.get('/api/auth/me')).status).toBe(401);
    // the receipt
    const receipts = (await c.admin.get('/api/admin/deletion-receipts')).body.items;
    expect(receipts[0]).toMatchObject({
      kind: 'erasure',
      subjectId: ids.p,
      verified: true,
      counts: expect.objectContaining({
        answers: 2,
        recordings: 1,
        feedbackReceived: 2,
        feedbackGivenAnonymised: 1,
        keysDestroyed: 1,
      }),
    });
    expect(receipts[0].objects).toEqual([{ key: saved.key, verified: true }]);
  });

  it("keeps the operator's impersonations of P in its review of its support staff, without P's name or the reason", async () => {
    expect((await eraseP()).status).toBe(200);
    const [row] = await h.db.query(`SELECT reason, ended_at FROM impersonations WHERE target_user_id = $1`, [ids.p]);
    expect(row).toMatchObject({ reason: null, ended_at: expect.any(Date) });
    const listed = await c.superuser.get('/api/superuser/impersonations');
    expect(listed.body.items).toContainEqual(
      expect.objectContaining({ targetUserId: ids.p, targetUserName: null, reason: null, tenantName: 'Tenant A' }),
    );
    const report = await c.superuser.get('/api/superuser/report');
    expect(report.body.impersonationCount).toBeGreaterThanOrEqual(1);
    const csv = await c.superuser.get('/api/superuser/impersonations/export');
    expect(csv.text).toContain(ids.p);
    expect(csv.text).not.toContain('Pia');
  });

  it("leaves Q's data intact, with P's published review of Q anonymised", async () => {
    expect((await eraseP()).status).toBe(200);
    const fb = await c.q.get(`/api/answers/${a.qText}/feedback`);
    expect(fb.status).toBe(200);
    const peer = fb.body.reviews.find((r: { source: string }) => r.source === 'peer');
    expect(peer).toMatchObject({ summary: 'Peer P on Q', reviewerId: null, reviewerName: null });
    expect(fb.body.reviews.find((r: { source: string }) => r.source === 'coach').summary).toBe('Coach on q');
    const media = await c.q.get(`/api/recordings/${a.qRecording}/content`);
    expect(media.status).toBe(200);
    expect((await c.q.get(`/api/recordings/${a.qRecording}/transcript`)).status).toBe(200);
  });

  it('the backup taken before the erasure can be read while P exists, and no longer once the key was destroyed with P', async () => {
    expect((await eraseP()).status).toBe(200);
    await expect(sealedOver(backup).get({ tenantId: ids.tenant, key: saved.key }, saved.envelope)).rejects.toThrow(
      KeyDestroyedError,
    );
  });

  it('a superuser erases a user of another tenant, with the reason on the receipt', async () => {
    const res = await c.superuser.post(`/api/superuser/users/${ids.participantB}/erase`, {
      reason: 'Contract end request #12',
      confirmEmail: emails.participantB,
    });
    expect(res.status).toBe(200);
    const [r] = await h.db.query(`SELECT kind, reason, verified FROM deletion_receipts WHERE id = $1`, [
      res.body.receiptId,
    ]);
    expect(r).toEqual({ kind: 'erasure', reason: 'Contract end request #12', verified: true });
    expect((await h.db.query(`SELECT count(*)::int AS n FROM users WHERE id = $1`, [ids.participantB]))[0].n).toBe(0);

    // the organisation's administrators download the receipt signed, to hand to the person or an
    // auditor: it checks against the installation's published key, and says what the list says
    const adminB = await h.signIn(emails.adminB);
    const signed = await adminB.get(`/api/admin/deletion-receipts/${res.body.receiptId}/signed`);
    expect(signed.status).toBe(200);
    expect(signed.headers['content-type']).toMatch(/^application\/jwt/);
    expect(signed.headers['content-disposition']).toMatch(
      new RegExp(
        `^attachment; filename="deletion-receipt-\\d{4}-\\d{2}-\\d{2}-${res.body.receiptId.slice(0, 8)}\\.jwt"$`,
      ),
    );
    const keys = await (await h.client()).get('/api/receipts/keys');
    const check = await checkReceipt(signed.text, keys.body, h.config.PUBLIC_URL);
    expect(check).toMatchObject({
      valid: true,
      kind: 'erasure',
      subject: ids.participantB,
      receiptId: res.body.receiptId,
    });
    const listed = (await adminB.get('/api/admin/deletion-receipts')).body.items.find(
      (x: { id: string }) => x.id === res.body.receiptId,
    );
    const [{ name: organisationName }] = await h.db.query(`SELECT name FROM tenants WHERE id = $1`, [ids.tenantB]);
    expect(check.valid && check.claims).toMatchObject({ organisation: ids.tenantB, organisationName, receipt: listed });
    // another organisation's administrator cannot tell it exists; a participant may not ask
    expect((await c.admin.get(`/api/admin/deletion-receipts/${res.body.receiptId}/signed`)).status).toBe(404);
    expect((await c.q.get(`/api/admin/deletion-receipts/${res.body.receiptId}/signed`)).status).toBe(403);
  });
});
