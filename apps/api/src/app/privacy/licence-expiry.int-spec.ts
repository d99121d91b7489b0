import { readdir } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { QUEUES } from '@rehearse/shared/contracts';
import { join } from 'node:path';
import { LicenceExpiryDeletions, Shredder } from '@rehearse/server/privacy';
import { createMetrics, DependencyUnavailableError, longDate } from '@rehearse/server/core';
import { LicenceLifecycleRepository } from '@rehearse/server/accounts';
import type { SpeechEngine } from '@rehearse/server/speech';
import { BLOB_STORE, type BlobStore, KeyVault, userKeyId } from '@rehearse/server/storage';
// the check is a workspace tool (tools/ is no Nx project): what npm run receipt:verify runs
// eslint-disable-next-line @nx/enforce-module-boundaries
import { checkReceipt } from '../../../../../tools/lib/receipt-verify';
import { Client, Harness, PASSWORD, seedTwoTenants, startHarness } from '../../test/harness';
import { AUDIO_EXERCISE, exerciseBody } from '../../test/courses';
import { JFK_WAV, uploadFile, waitForRecording } from '../../test/media';
import { pipelineWith } from '../../test/pipeline';

const DAY = 86_400_000;
const TEXT_EXERCISE = '5f0e8b1a-2c3d-4e5f-8a9b-0c1d2e3f4a5b';
const EMPATHY = '0b6c1f38-8d3c-4c8e-9a52-2f1d2b3c4d5e';

const addDays = (iso: string, days: number) =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

async function files(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      if (e.isDirectory()) await walk(join(d, e.name));
      else out.push(join(d, e.name).slice(dir.length + 1));
    }
  };
  await walk(dir);
  return out.sort();
}

/**
 * Licence expiry with a moved clock. Participant P's licence expires on day 0 (E); participant K's
 * too, and K asks to keep their recordings. Day 0 hides P's answers everywhere; day 31 sends exactly
 * one notice; day 45 deletes P's recordings (objects gone, receipt verified) and keeps K's.
 */
describe('licence expiry: hiding, notice, keep requests and deletion', () => {
  let h: Harness;
  let retention: LicenceExpiryDeletions;
  const ids = {} as Record<'tenant' | 'p' | 'k' | 'coach' | 'admin' | 'course' | 'group', string>;
  const emails = {} as Record<'p' | 'k' | 'coach' | 'admin', string>;
  const c = {} as Record<'p' | 'k' | 'coach' | 'admin', Client>;
  let expiry: string;
  const p = {} as Record<'text' | 'audio' | 'recording', string>;
  const k = {} as Record<'audio' | 'recording', string>;
  let shift = 0;

  const move = (days: number) => {
    h.clock.advance(days * DAY);
    shift += days;
  };
  /** The organisation's retention settings as a new organisation has them (45 days, notice 14, approval, 365). */
  const defaultRetention = () =>
    h.db.query(
      `UPDATE tenants SET retention_delete_after_days = 45, retention_notice_days = 14, retention_keep_policy = 'approval', retention_keep_days = 365 WHERE id = $1`,
      [ids.tenant],
    );
  /** The group as the set-up made it (P and K, the coach): a participant a test added leaves it. */
  const groupAsAtStart = () =>
    c.admin.put(`/api/admin/groups/${ids.group}/members`, { participants: [ids.p, ids.k], coaches: [ids.coach] });
  const signInAll = async () => {
    for (const who of ['p', 'k', 'coach', 'admin'] as const) c[who] = await h.signIn(emails[who]);
  };

  /**
   * Another participant of the group (its members: P, K and them) with a transcribed audio answer,
   * whose licence expired `daysAgo` days ago: their id, client and the expiry date.
   */
  const expiredParticipant = async (name: string, email: string, daysAgo: number) => {
    const id = await h.createUser(ids.tenant, name, email, ['participant']);
    await c.admin.put(`/api/admin/groups/${ids.group}/members`, {
      participants: [ids.p, ids.k, id],
      coaches: [ids.coach],
    });
    const client = await h.signIn(email);
    const answer = await client.post(`/api/my/courses/${ids.course}/exercises/${AUDIO_EXERCISE}/recordings`, {
      uploadId: await uploadFile(client, JFK_WAV),
    });
    expect((await waitForRecording(client, answer.body.recording.id)).body.status).toBe('transcribed');
    const expired = addDays(h.clock.today(), -daysAgo);
    expect(
      (await c.admin.put(`/api/admin/users/${id}/licence`, { startsOn: '2026-01-01', expiresOn: expired })).status,
    ).toBe(200);
    return { id, client, expired, recording: answer.body.recording.id as string };
  };

  beforeAll(async () => {
    h = await startHarness();
    retention = h.app.get(LicenceExpiryDeletions);
    const world = await seedTwoTenants(h);
    Object.assign(ids, {
      tenant: world.a.tenantId,
      p: world.a.ids.participant,
      k: world.a.ids.participant2,
      coach: world.a.ids.coach,
      admin: world.a.ids.admin,
    });
    Object.assign(emails, {
      p: world.a.emails.participant,
      k: world.a.emails.participant2,
      coach: world.a.emails.coach,
      admin: world.a.emails.admin,
    });
    await signInAll();
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
    const created = await dev.post('/api/authoring/courses', { title: 'Lifecycle course', language: 'en' });
    const saved = await dev.put(`/api/authoring/courses/${created.body.id}/draft`, {
      revision: created.body.draft.revision,
      content: {
        title: 'Lifecycle course',
        description: '',
        language: 'en',
        modules: [
          {
            id: '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
            title: 'M',
            exercises: [
              exerciseBody(TEXT_EXERCISE, rubric.body.id, { feedback: ['coach', 'peer'] }),
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
    expect(saved.status).toBe(200);
    const published = await dev.post(`/api/authoring/courses/${created.body.id}/publish`, {
      changeSummary: 'First version',
    });
    expect({ status: published.status, body: published.status === 200 ? null : published.body }).toEqual({
      status: 200,
      body: null,
    });
    ids.course = created.body.id;
    const group = await c.admin.post('/api/admin/groups', { name: 'Lifecycle group' });
    ids.group = group.body.id;
    await groupAsAtStart();
    expect(
      (await c.admin.post('/api/admin/enrolments', { courseId: ids.course, groupId: ids.group, dueOn: '2027-12-31' }))
        .status,
    ).toBe(201);

    p.text = (
      await c.p.post(`/api/my/courses/${ids.course}/exercises/${TEXT_EXERCISE}/text-answers`, {
        text: 'I am sorry, let me fix it.',
      })
    ).body.id;
    const pa = await c.p.post(`/api/my/courses/${ids.course}/exercises/${AUDIO_EXERCISE}/recordings`, {
      uploadId: await uploadFile(c.p, JFK_WAV),
    });
    Object.assign(p, { audio: pa.body.id, recording: pa.body.recording.id });
    const ka = await c.k.post(`/api/my/courses/${ids.course}/exercises/${AUDIO_EXERCISE}/recordings`, {
      uploadId: await uploadFile(c.k, JFK_WAV),
    });
    Object.assign(k, { audio: ka.body.id, recording: ka.body.recording.id });
    expect((await waitForRecording(c.p, p.recording)).body.status).toBe('transcribed');
    expect((await waitForRecording(c.k, k.recording)).body.status).toBe('transcribed');
    // the coach's feedback on P's text answer, and P shares it with the group (K reviews it)
    const draft = await c.coach.put(`/api/answers/${p.text}/review`, {
      scores: { [EMPATHY]: 3 },
      summary: 'Good',
      comments: [],
    });
    expect(
      (await c.coach.post(`/api/answers/${p.text}/review/publish`, { revision: draft.body.revision })).status,
    ).toBe(200);
    expect((await c.p.post(`/api/my/answers/${p.text}/share`, {})).status).toBe(200);

    expiry = addDays(h.clock.today(), 1);
    for (const who of ['p', 'k'] as const) {
      expect(
        (await c.admin.put(`/api/admin/users/${ids[who]}/licence`, { startsOn: '2026-01-01', expiresOn: expiry }))
          .status,
      ).toBe(200);
    }
  }, 120_000);

  afterAll(async () => {
    h?.clock.advance(-shift * DAY);
    await h?.close();
  });

  /** Every route of the earlier issues that shows P's answers, with who asks. */
  const hiddenRoutes = (): [string, keyof typeof c, string][] => [
    ['recording', 'p', `/api/recordings/${p.recording}`],
    ['recording content', 'p', `/api/recordings/${p.recording}/content`],
    ['transcript', 'p', `/api/recordings/${p.recording}/transcript`],
    ['captions', 'p', `/api/recordings/${p.recording}/captions`],
    ['AI report', 'p', `/api/recordings/${p.recording}/assessment`],
    ['live status', 'p', `/api/recordings/${p.recording}/events`],
    ['feedback', 'p', `/api/answers/${p.text}/feedback`],
    ['coach: recording', 'coach', `/api/recordings/${p.recording}`],
    ['coach: content', 'coach', `/api/recordings/${p.recording}/content`],
    ['coach: transcript', 'coach', `/api/recordings/${p.recording}/transcript`],
    ['coach: captions', 'coach', `/api/recordings/${p.recording}/captions`],
    ['coach: review screen', 'coach', `/api/answers/${p.audio}/review`],
    ['coach: feedback', 'coach', `/api/answers/${p.text}/feedback`],
    ['peer: review screen', 'k', `/api/answers/${p.text}/review`],
    ['admin: recording', 'admin', `/api/recordings/${p.recording}`],
    ['admin: feedback', 'admin', `/api/answers/${p.text}/feedback`],
  ];

  // One timeline, in order (each day builds on the one before, as the clock only moves forward):
  it('a licence ends, day by day: before expiry the answers are there; day 0 they are hidden from everyone; day 31 one notice each and a request to keep; day 45 the recordings are deleted but the kept ones; an extended licence reopens them', async () => {
    await defaultRetention();
    // before expiry, the answers are there for their owner, coach, peer and administrator
    for (const [label, who, path] of hiddenRoutes().filter(([l]) => l !== 'live status')) {
      expect({ label, status: (await c[who].get(path)).status }).toEqual({ label, status: 200 });
    }
    // transcript search has two paths: the coach's people and the administrator's organisation
    for (const who of ['coach', 'admin'] as const) {
      expect(
        (await c[who].get('/api/transcripts/search?q=country')).body.items.map(
          (i: { participantId: string }) => i.participantId,
        ),
      ).toContain(ids.p);
    }
    expect((await c.p.get('/api/my/retention')).body).toMatchObject({
      licenceExpiresOn: expiry,
      hidden: false,
      deletionDueOn: null,
      recordings: 1,
    });

    // day 0: the expired licence hides every answer, recording, transcript, caption, search hit and feedback, from everyone; reports keep their numbers
    const overview = (await c.admin.get(`/api/reports/overview?courseId=${ids.course}`)).body;
    move(1); // the expiry date
    await signInAll();
    for (const [label, who, path] of hiddenRoutes()) {
      expect({ label, status: (await c[who].get(path)).status }).toEqual({ label, status: 404 });
    }
    expect((await c.p.get(`/api/my/courses/${ids.course}/answers`)).body).toEqual([]);
    expect(
      (await c.coach.get('/api/coaching/reviews')).body.items.map((i: { participantId: string }) => i.participantId),
    ).not.toContain(ids.p);
    expect((await c.coach.get('/api/transcripts/search?q=country')).body.items).toEqual([]);
    expect(
      (await c.admin.get('/api/transcripts/search?q=country')).body.items.map(
        (i: { participantId: string }) => i.participantId,
      ),
    ).not.toContain(ids.p);
    expect((await c.k.get('/api/my/peer-reviews')).body.map((r: { answerId: string }) => r.answerId)).not.toContain(
      p.text,
    );
    // no new answers on an expired licence
    const refused = await c.p.post(`/api/my/courses/${ids.course}/exercises/${TEXT_EXERCISE}/text-answers`, {
      text: 'Another try',
    });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain(`expired on ${expiry}`);
    // aggregate numbers stay
    expect((await c.admin.get(`/api/reports/overview?courseId=${ids.course}`)).body).toEqual(overview);
    expect((await c.p.get('/api/my/retention')).body).toMatchObject({
      hidden: true,
      deletionDueOn: addDays(expiry, 45),
      noticeSentAt: null,
      mayAskToKeep: false,
      keep: null,
    });
    // the notice period has not begun: asking to keep is too early
    expect((await c.k.post('/api/my/retention/keep')).status).toBe(409);
    expect(await retention.sweep()).toEqual({ notices: 0, deleted: 0 });

    // day 31: exactly one notice each, by e-mail and in the app; K asks to keep their recordings and an administrator approves
    move(31);
    await signInAll();
    const before = h.mailbox.messages.length;
    expect(await retention.sweep()).toEqual({ notices: 2, deleted: 0 });
    expect(await retention.sweep()).toEqual({ notices: 0, deleted: 0 });
    const mail = await h.mailbox.waitFor(emails.p, /will be deleted on/, 15_000, before);
    // the date as an English reader writes it ("15 January 2027")
    expect(mail.subject).toBe(`Your Rehearse recordings will be deleted on ${longDate('en', addDays(expiry, 45))}`);
    expect(mail.subject).toMatch(/ on \d{1,2} [A-Z][a-z]+ \d{4}$/);
    await h.mailbox.waitFor(emails.k, /will be deleted on/, 15_000, before);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.mailbox.messages.slice(before).filter((m) => m.to.includes(emails.p)).length).toBe(1);
    const mine = (await c.p.get('/api/my/retention')).body;
    expect(mine).toMatchObject({ hidden: true, deletionDueOn: addDays(expiry, 45), mayAskToKeep: true });
    expect(mine.noticeSentAt).not.toBeNull();

    const asked = await c.k.post('/api/my/retention/keep');
    expect(asked.status).toBe(200);
    expect(asked.body.keep).toMatchObject({ status: 'requested' });
    expect((await c.k.post('/api/my/retention/keep')).status).toBe(409);
    await h.mailbox.waitFor(emails.admin, /asks to keep their recordings/, 15_000, before);
    const requests = await c.admin.get('/api/admin/retention/requests');
    // (the automatic-policy test's participant has a request of their own when it ran first)
    expect(requests.body.filter((r: { userId: string }) => r.userId === ids.k || r.userId === ids.p)).toEqual([
      expect.objectContaining({ userId: ids.k, status: 'requested', deletionDueOn: addDays(expiry, 45) }),
    ]);
    expect((await c.coach.get('/api/admin/retention/requests')).status).toBe(403);
    expect((await c.admin.post(`/api/admin/retention/requests/${ids.k}`, { decision: 'maybe' })).status).toBe(400);
    // three approvals at once (a double click, two administrators): one decides, the others are told
    const decisions = await Promise.all(
      [1, 2, 3].map(() => c.admin.post(`/api/admin/retention/requests/${ids.k}`, { decision: 'approve' })),
    );
    expect(decisions.map((d) => d.status).sort()).toEqual([200, 409, 409]);
    const approved = decisions.find((d) => d.status === 200) as (typeof decisions)[number];
    expect(approved.body).toMatchObject({ status: 'approved', keepUntil: addDays(expiry, 45 + 365) });
    expect((await c.admin.post(`/api/admin/retention/requests/${ids.k}`, { decision: 'decline' })).status).toBe(409);
    // the decision is on K's account activity once (the two refused decisions are not), by the administrator
    const decided = (await c.k.get('/api/account/activity')).body.items.filter(
      (e: { action: string }) => e.action === 'user.keep_request_decided',
    );
    expect(decided).toEqual([
      expect.objectContaining({ details: { granted: true }, actorId: ids.admin, actorRole: 'administrator' }),
    ]);
    expect((await c.k.get('/api/my/retention')).body).toMatchObject({
      deletionDueOn: addDays(expiry, 45 + 365),
      keep: { status: 'approved' },
    });

    // day 45: P’s recordings are deleted (objects gone, transcripts gone, receipt verified); K keeps theirs
    const keys: { id: string; object_key: string }[] = await h.db.query(
      `SELECT id, object_key FROM recordings WHERE id = ANY($1::uuid[])`,
      [[p.recording, k.recording]],
    );
    const keyOf = (id: string) => keys.find((x) => x.id === id)?.object_key as string;
    expect(await files(h.config.STORAGE_DIR)).toEqual(expect.arrayContaining([keyOf(p.recording), keyOf(k.recording)]));
    move(13); // day 44: not yet
    expect(await retention.sweep()).toEqual({ notices: 0, deleted: 0 });
    move(1); // day 45
    const beforeDeletion = h.mailbox.messages.length;
    expect(await retention.sweep()).toEqual({ notices: 0, deleted: 1 });
    expect(await retention.sweep()).toEqual({ notices: 0, deleted: 0 });
    // P is told, once, with where the receipt is; K, whose recordings stay, is not
    const told = await h.mailbox.waitFor(emails.p, /recordings were deleted/, 15_000, beforeDeletion);
    expect(told.text).toContain('your practice recordings were deleted on');
    expect(told.text).toContain('http://localhost:3000/my/data');
    expect(
      h.mailbox.messages
        .slice(beforeDeletion)
        .filter((m) => /recordings were deleted/.test(m.subject))
        .map((m) => m.to),
    ).toEqual([emails.p]);
    const stored = await files(h.config.STORAGE_DIR);
    expect(stored).not.toContain(keyOf(p.recording));
    expect(stored).toContain(keyOf(k.recording));
    const [rec] = await h.db.query(`SELECT status, envelope FROM recordings WHERE id = $1`, [p.recording]);
    expect(rec).toEqual({ status: 'deleted', envelope: null });
    expect(
      (await h.db.query(`SELECT count(*)::int AS n FROM transcripts WHERE recording_id = $1`, [p.recording]))[0].n,
    ).toBe(0);
    expect(
      (await h.db.query(`SELECT count(*)::int AS n FROM ai_reports WHERE recording_id = $1`, [p.recording]))[0].n,
    ).toBe(0);
    expect(
      (await h.db.query(`SELECT count(*)::int AS n FROM transcripts WHERE recording_id = $1`, [k.recording]))[0].n,
    ).toBe(1);

    await signInAll();
    const receipts = await c.admin.get('/api/admin/deletion-receipts');
    expect(receipts.status).toBe(200);
    expect(receipts.body.items).toEqual([
      expect.objectContaining({
        kind: 'licence_expiry',
        subjectId: ids.p,
        verified: true,
        counts: expect.objectContaining({ recordings: 1, transcripts: 1 }),
        objects: [{ key: keyOf(p.recording), verified: true }],
      }),
    ]);
    expect((await c.p.get('/api/my/retention')).body).toMatchObject({ recordings: 0, deletionDueOn: null });
    expect((await c.p.get('/api/my/retention')).body.mediaDeletedAt).not.toBeNull();
    // P downloads the receipt of it, signed: it checks against the installation's key, which anyone
    // may read, and says what the administrators' list says; nobody else gets it by this route
    const ownStatus = (await c.p.get('/api/my/retention')).body;
    expect(ownStatus.receiptId).toBe(receipts.body.items[0].id);
    const signed = await c.p.get(`/api/my/deletion-receipts/${ownStatus.receiptId}/signed`);
    expect(signed.status).toBe(200);
    expect(signed.headers['content-type']).toMatch(/^application\/jwt/);
    const keySet = (await (await h.client()).get('/api/receipts/keys')).body;
    const check = await checkReceipt(signed.text, keySet, h.config.PUBLIC_URL);
    expect(check).toMatchObject({
      valid: true,
      kind: 'licence_expiry',
      subject: ids.p,
      receiptId: ownStatus.receiptId,
    });
    expect(check.valid && check.claims['receipt']).toEqual(receipts.body.items[0]);
    for (const other of [c.k, c.admin])
      expect((await other.get(`/api/my/deletion-receipts/${ownStatus.receiptId}/signed`)).status).toBe(404);
    expect((await c.k.get('/api/my/retention')).body.receiptId).toBeNull();
    expect((await c.coach.get('/api/admin/deletion-receipts')).status).toBe(403);

    // an administrator reopens access by extending the licence: answers and feedback return, the deleted recording says so
    expect(
      (await c.admin.put(`/api/admin/users/${ids.p}/licence`, { startsOn: '2026-01-01', expiresOn: '2028-12-31' }))
        .status,
    ).toBe(200);
    expect((await c.p.get(`/api/answers/${p.text}/feedback`)).status).toBe(200);
    expect(
      (await c.coach.get(`/api/answers/${p.text}/feedback`)).body.reviews.map((r: { summary: string }) => r.summary),
    ).toEqual(['Good']);
    const summary = await c.p.get(`/api/recordings/${p.recording}`);
    expect(summary.status).toBe(200);
    expect(summary.body.status).toBe('deleted');
    for (const sub of ['content', 'transcript', 'captions', 'assessment'])
      expect({ sub, status: (await c.p.get(`/api/recordings/${p.recording}/${sub}`)).status }).toEqual({
        sub,
        status: 404,
      });
    expect((await c.p.get('/api/my/retention')).body).toMatchObject({ hidden: false, deletionDueOn: null, keep: null });
  });

  it('checks the tenant retention settings', async () => {
    await defaultRetention();
    expect((await c.admin.get('/api/admin/retention-settings')).body).toEqual({
      deleteAfterDays: 45,
      noticeDays: 14,
      keepPolicy: 'approval',
      keepDays: 365,
    });
    expect(
      (
        await c.admin.put('/api/admin/retention-settings', {
          deleteAfterDays: 10,
          noticeDays: 14,
          keepPolicy: 'approval',
          keepDays: 30,
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await c.admin.put('/api/admin/retention-settings', {
          deleteAfterDays: 0,
          noticeDays: -1,
          keepPolicy: 'never',
          keepDays: 'x',
        })
      ).status,
    ).toBe(400);
    const saved = await c.admin.put('/api/admin/retention-settings', {
      deleteAfterDays: 60,
      noticeDays: 7,
      keepPolicy: 'automatic',
      keepDays: 90,
    });
    expect(saved.body).toEqual({ deleteAfterDays: 60, noticeDays: 7, keepPolicy: 'automatic', keepDays: 90 });
    expect((await c.coach.put('/api/admin/retention-settings', saved.body)).status).toBe(403);
    // as they were, for the other tests
    await defaultRetention();
  });

  it('a deletion notice lost from the queue is queued again by the next sweep; until it has gone out none is shown as sent', async () => {
    const mailQueue = h.worker.get<Queue>(getQueueToken(QUEUES.mail));
    // due in 5 days: inside the 14-day notice period
    const { id: nId, client: n, expired } = await expiredParticipant('Participant N', 'n@a.test', 40);
    try {
      const before = h.mailbox.messages.length;
      const noticesToN = () => h.mailbox.messages.slice(before).filter((m) => m.to === 'n@a.test');
      // the worker takes no mail for a moment, and the notice's job is lost (Redis restarted without its data)
      await mailQueue.pause(true);
      try {
        await retention.sweep();
        const job = await mailQueue.getJob(`retention-notice:${nId}:${addDays(expired, 45)}`);
        expect(job).toBeTruthy();
        await job?.remove();
      } finally {
        await mailQueue.resume(true);
      }
      await new Promise((r) => setTimeout(r, 300));
      expect(noticesToN()).toEqual([]);
      expect((await n.get('/api/my/retention')).body).toMatchObject({ noticeSentAt: null, mayAskToKeep: true });
      // the next sweep finds it not sent and queues it again: it goes out once, and shows as sent
      await retention.sweep();
      await h.mailbox.waitFor('n@a.test', /will be deleted on/, 15_000, before);
      for (let i = 0; i < 50 && (await n.get('/api/my/retention')).body.noticeSentAt === null; i++)
        await new Promise((r) => setTimeout(r, 100));
      expect((await n.get('/api/my/retention')).body.noticeSentAt).not.toBeNull();
      await retention.sweep();
      await new Promise((r) => setTimeout(r, 300));
      expect(noticesToN()).toHaveLength(1);
      // due in five days, but the notice went out only today: the recordings go 14 days from today,
      // and the page says so (it said the due date, five days off); had it gone out only in three
      // days (a mail server down meanwhile), 14 days from then
      expect((await n.get('/api/my/retention')).body.deletionDueOn).toBe(addDays(h.clock.today(), 14));
      await h.db.query(
        `UPDATE licences SET notice_mailed_at = notice_mailed_at + interval '3 days' WHERE user_id = $1`,
        [nId],
      );
      expect((await n.get('/api/my/retention')).body.deletionDueOn).toBe(addDays(h.clock.today(), 3 + 14));
    } finally {
      // N's licence runs again and N leaves the group: the other tests' sweeps neither notice nor
      // delete anything of N's, and the coach's searches do not find N's answer
      await c.admin.put(`/api/admin/users/${nId}/licence`, { startsOn: '2026-01-01', expiresOn: '2099-12-31' });
      await groupAsAtStart();
    }
  });

  it('with the automatic policy (60 days, notice 7, keep 90), asking to keep is granted at once', async () => {
    const automatic = { deleteAfterDays: 60, noticeDays: 7, keepPolicy: 'automatic', keepDays: 90 };
    expect((await c.admin.put('/api/admin/retention-settings', automatic)).status).toBe(200);
    try {
      // due in 5 days: inside the 7-day notice period
      const { client: r, expired, recording } = await expiredParticipant('Participant R', 'r@a.test', 55);
      expect((await r.get('/api/my/retention')).body).toMatchObject({
        hidden: true,
        deletionDueOn: addDays(expired, 60),
        mayAskToKeep: true,
        keepPolicy: 'automatic',
      });
      const kept = await r.post('/api/my/retention/keep');
      expect(kept.status).toBe(200);
      expect(kept.body.keep).toMatchObject({ status: 'approved', until: addDays(expired, 60 + 90) });
      expect(kept.body.deletionDueOn).toBe(addDays(expired, 150));
      // nothing is deleted now; the notice is for the new date, when its notice period comes
      expect(await retention.sweep()).toEqual({ notices: 0, deleted: 0 });
      expect((await h.db.query(`SELECT status FROM recordings WHERE id = $1`, [recording]))[0].status).toBe(
        'transcribed',
      );
    } finally {
      await defaultRetention();
    }
  });

  it('a licence extended while the sweep is deleting: the person’s recordings stay (the sweep asks again, under the licence’s lock)', async () => {
    // expired 60 days ago; its notice went out 20 days ago: the deletion is due
    const { id, client, recording } = await expiredParticipant('Participant X', 'x@a.test', 60);
    const lifecycles = h.app.get(LicenceLifecycleRepository, { strict: false });
    try {
      const dueOn = (await lifecycles.lifecycleOf(ids.tenant, id))?.due_on;
      await h.db.query(
        `UPDATE licences SET notice_sent_for = $2::date, notice_sent_at = now() - interval '20 days',
                notice_mailed_at = now() - interval '20 days' WHERE user_id = $1`,
        [id, dueOn],
      );
      // the administrator extends the licence after the sweep has read whom to delete
      const listed = lifecycles.readyForDeletion.bind(lifecycles);
      let extended = 0;
      const ready = jest.spyOn(lifecycles, 'readyForDeletion').mockImplementationOnce(async (today: string) => {
        const rows = await listed(today);
        expect(rows.map((r) => r.user_id)).toContain(id);
        extended = (
          await c.admin.put(`/api/admin/users/${id}/licence`, { startsOn: '2026-01-01', expiresOn: '2099-12-31' })
        ).status;
        return rows;
      });
      try {
        await retention.sweep();
      } finally {
        ready.mockRestore();
      }
      expect(extended).toBe(200);
      const [kept] = await h.db.query(`SELECT status, envelope IS NOT NULL AS keyed FROM recordings WHERE id = $1`, [
        recording,
      ]);
      expect(kept).toEqual({ status: 'transcribed', keyed: true });
      expect((await client.get(`/api/recordings/${recording}/transcript`)).status).toBe(200);
      const [{ receipts }] = await h.db.query(
        `SELECT count(*)::int AS receipts FROM deletion_receipts WHERE subject_id = $1`,
        [id],
      );
      expect(receipts).toBe(0);
    } finally {
      // X's licence runs and X leaves the group, as after the other tests of their own
      await c.admin.put(`/api/admin/users/${id}/licence`, { startsOn: '2026-01-01', expiresOn: '2099-12-31' });
      await groupAsAtStart();
    }
  });

  it('an answer submitted as its person is being erased (their key already forgotten) is refused with a 404, not a 500', async () => {
    const email = 'forgotten-midway@a.test';
    const id = await h.createUser(ids.tenant, 'Forgotten Midway', email, ['participant']);
    await c.admin.patch(`/api/admin/groups/${ids.group}/members`, { addParticipants: [id] });
    try {
      const client = await h.signIn(email);
      const uploadId = await uploadFile(client, JFK_WAV);
      // the erasure forgets the key after it has deleted the person: a request that passed the
      // session check before that reaches the vault after it
      await h.app.get(KeyVault).forget(userKeyId(id));
      const refused = await client.post(`/api/my/courses/${ids.course}/exercises/${AUDIO_EXERCISE}/recordings`, {
        uploadId,
      });
      expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 404, code: 'not_found' });
      const [{ n }] = await h.db.query(`SELECT count(*)::int AS n FROM recordings WHERE owner_id = $1`, [id]);
      expect(n).toBe(0);
      expect(await h.app.get(KeyVault).get(userKeyId(id))).toBeNull();
    } finally {
      await groupAsAtStart();
    }
  });

  it('a recording deleted while it is being transcribed keeps no transcript, no AI report and its deleted state', async () => {
    // a participant of their own, with an answer the worker has transcribed
    const email = 'midway@a.test';
    const id = await h.createUser(ids.tenant, 'Mid Way', email, ['participant']);
    await c.admin.patch(`/api/admin/groups/${ids.group}/members`, { addParticipants: [id] });
    const client = await h.signIn(email);
    const answer = await client.post(`/api/my/courses/${ids.course}/exercises/${AUDIO_EXERCISE}/recordings`, {
      uploadId: await uploadFile(client, JFK_WAV),
    });
    const recording = answer.body.recording.id as string;
    expect((await waitForRecording(client, recording)).body.status).toBe('transcribed');
    // its job again (a retry, a stalled job taken over), with an engine that waits while the
    // licence expiry's deletion shreds the person's recordings
    await h.db.query(`UPDATE recordings SET status = 'queued' WHERE id = $1`, [recording]);
    let heard!: () => void;
    const hearing = new Promise<void>((r) => (heard = r));
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const engine: SpeechEngine = {
      name: 'whisper.cpp',
      model: 'ggml-tiny.en.bin',
      async transcribe(pcm) {
        heard();
        await released;
        const words = ['And', 'so', 'my', 'fellow', 'Americans'].map((text, i) => ({
          text,
          start: i / 2,
          end: i / 2 + 0.4,
          confidence: 0.9,
        }));
        return {
          engine: this.name,
          model: this.model,
          language: 'en',
          text: 'And so my fellow Americans',
          words,
          audioSeconds: pcm.length / 16_000,
        };
      },
      close: async () => undefined,
    };
    const published: string[] = [];
    const pipeline = pipelineWith(h, engine, published, createMetrics('test'));
    const running = pipeline.run(recording);
    await hearing;
    const shredded = await h.worker.get(Shredder).shredRecordingsOf(ids.tenant, id);
    expect(shredded?.counts['recordings']).toBe(1);
    release();
    expect(await running).toBe('skipped');
    // nothing the person said is kept, and the recording is not shown as transcribed again
    expect(published).toEqual(['probing', 'extracting', 'transcribing']);
    const [kept] = await h.db.query(
      `SELECT r.status, r.envelope,
              (SELECT count(*)::int FROM transcripts t WHERE t.recording_id = r.id) AS transcripts,
              (SELECT count(*)::int FROM ai_reports a WHERE a.recording_id = r.id) AS reports
         FROM recordings r WHERE r.id = $1`,
      [recording],
    );
    expect(kept).toEqual({ status: 'deleted', envelope: null, transcripts: 0, reports: 0 });
    expect((await client.get(`/api/recordings/${recording}/transcript`)).status).toBe(404);
    // the participant leaves the group, as after the other tests of their own
    await groupAsAtStart();
  });

  it('objects a deletion could not confirm gone (object storage away) are deleted again later, and the receipt says so then', async () => {
    // an organisation of its own: its receipts are this test's alone
    const tenant = await h.tenants.createTenant({
      name: 'Unconfirmed',
      slug: 'unconfirmed',
      admin: { name: 'Una Admin', email: 'admin@unconfirmed.test', password: PASSWORD },
    });
    const admin = await h.signIn('admin@unconfirmed.test');
    const store = h.worker.get<symbol, BlobStore>(BLOB_STORE);
    const shredder = h.worker.get(Shredder);
    const keys = [1, 2].map((n) => `tenants/${tenant.tenantId}/recordings/left-behind-${n}`);
    for (const key of keys) await store.put(key, Readable.from(Buffer.from('ciphertext')), 10);
    // an older deletion whose object the store goes on refusing: it must not hold the others back
    const stuckKey = `tenants/${tenant.tenantId}/recordings/refused-for-good`;
    await store.put(stuckKey, Readable.from(Buffer.from('ciphertext')), 10);
    const realDelete = store.delete.bind(store);
    const away = jest.spyOn(store, 'delete').mockImplementation(async (key: string) => {
      if (key === stuckKey) throw new Error('AccessDenied');
      return realDelete(key);
    });
    const stuck = await shredder.receipt('erasure', tenant.tenantId, tenant.admin.id, {
      counts: { recordings: 1 },
      objects: await shredder.deleteObjects([stuckKey]),
    });
    away.mockRejectedValueOnce(new DependencyUnavailableError('object storage answered 503'));
    let receipt: string;
    try {
      const objects = await shredder.deleteObjects(keys);
      expect(objects).toEqual([
        { key: keys[0], verified: false },
        { key: keys[1], verified: true },
      ]);
      receipt = await shredder.receipt('licence_expiry', tenant.tenantId, tenant.admin.id, {
        counts: { recordings: 2 },
        objects,
      });
    } catch (e) {
      away.mockRestore();
      throw e;
    }
    const shown = async () =>
      ((await admin.get('/api/admin/deletion-receipts')).body.items as { id: string }[]).find((r) => r.id === receipt);
    expect(await shown()).toMatchObject({ verified: false });
    expect(await store.stat(keys[0])).not.toBeNull();

    // the hourly sweep deletes it again, a page at a time: gone, and the receipt verified; the
    // object still refused stays on its receipt
    try {
      expect(await shredder.finishUnverified(1)).toBeGreaterThanOrEqual(1);
    } finally {
      away.mockRestore();
    }
    expect(await store.stat(keys[0])).toBeNull();
    expect(await store.stat(stuckKey)).not.toBeNull();
    expect((await h.db.query(`SELECT verified FROM deletion_receipts WHERE id = $1`, [stuck]))[0].verified).toBe(false);
    expect(await shown()).toMatchObject({
      verified: true,
      objects: [
        { key: keys[0], verified: true },
        { key: keys[1], verified: true },
      ],
    });
    expect(
      (
        await h.db.query(`SELECT count(*)::int AS n FROM deletion_receipts WHERE id = $1 AND NOT verified`, [receipt])
      )[0].n,
    ).toBe(0);
  });
});
