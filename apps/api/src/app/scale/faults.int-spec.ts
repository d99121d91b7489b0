import type { ChildProcess } from 'node:child_process';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { QUEUES } from '@rehearse/shared/contracts';
import { randomBytes } from 'node:crypto';
import { recreateTemplateDatabase, testRuntimeRole } from '@rehearse/server/database';
import { migrate } from '@rehearse/migrations';
import { Client, Harness, PASSWORD, seedTwoTenants, startHarness } from '../../test/harness';
import { publishedCourse, VIDEO_EXERCISE } from '../../test/courses';
import { createUpload, JFK_VIDEO, uploadFile, waitForRecording } from '../../test/media';
import { eventually as until, sharedEnv, startApp, stopProcess } from '../../test/processes';
import { OwnPostgres, OwnRedis, startOwnPostgres, startOwnRedis } from '../../test/services';

/**
 * Faults of the services Rehearse stands on, with real processes: a PostgreSQL cluster and a Redis
 * of this test's own (stopped, killed and started again), the API, and the worker as a separate
 * process (the worker killed in the middle of a job: recordings/worker-crash.int-spec.ts).
 */
describe('faults survived: Redis and PostgreSQL restarted under a running API and worker', () => {
  let pg: OwnPostgres;
  let redis: OwnRedis;
  let h: Harness;
  let participant: Client;
  let admin: Client;
  let adminEmail: string;
  let course: { id: string; exercise: string };
  let coach: Client;
  let participantEmail: string;
  let worker: ChildProcess | null = null;
  const secret = randomBytes(24).toString('hex');
  const saved = { admin: process.env['TEST_DATABASE_ADMIN_URL'], app: process.env['TEST_DATABASE_APP_URL'] };

  beforeAll(async () => {
    [pg, redis] = await Promise.all([startOwnPostgres(), startOwnRedis()]);
    // this file's databases live in its own cluster (restored for the files after it)
    process.env['TEST_DATABASE_ADMIN_URL'] = pg.ownerUrl('postgres');
    process.env['TEST_DATABASE_APP_URL'] = pg.appUrl('postgres');
    await migrate(await recreateTemplateDatabase(), { runtimeRole: testRuntimeRole() });
    h = await startHarness({ APP_SECRET: secret, REDIS_URL: redis.url }, { mediaWorker: false });
    const world = await seedTwoTenants(h);
    const developer = await h.signIn(world.a.emails.developer);
    adminEmail = world.a.emails.admin;
    admin = await h.signIn(adminEmail);
    participantEmail = world.a.emails.participant;
    participant = await h.signIn(participantEmail);
    coach = await h.signIn(world.a.emails.coach);
    course = await publishedCourse(developer, { media: true });
    await admin.post('/api/admin/enrolments', { courseId: course.id, userId: world.a.ids.participant });
    // the coach coaches the participant's group, which takes the course
    const group = await admin.post('/api/admin/groups', { name: 'Team A' });
    expect(
      (
        await admin.put(`/api/admin/groups/${group.body.id}/members`, {
          participants: [world.a.ids.participant],
          coaches: [world.a.ids.coach],
        })
      ).status,
    ).toBe(200);
    expect((await admin.post('/api/admin/enrolments', { courseId: course.id, groupId: group.body.id })).status).toBe(
      201,
    );
  }, 120_000);

  afterAll(async () => {
    await stopProcess(worker, 'SIGKILL');
    await h?.close();
    process.env['TEST_DATABASE_ADMIN_URL'] = saved.admin;
    process.env['TEST_DATABASE_APP_URL'] = saved.app;
    await redis?.stop();
    await pg?.destroy();
  });

  function startWorker(): ChildProcess {
    // PostgreSQL is the source of truth: whatever Redis lost is found again within seconds here
    return startApp(
      'worker',
      sharedEnv(h, secret, {
        JOB_LOCK_SECONDS: '2',
        MEDIA_SWEEP_AFTER_SECONDS: '1',
        MEDIA_SWEEP_EVERY_SECONDS: '1',
        MAIL_SWEEP_AFTER_SECONDS: '1',
        MAIL_SWEEP_EVERY_SECONDS: '1',
      }),
    );
  }

  async function submit(): Promise<string> {
    const res = await participant.post(`/api/my/courses/${course.id}/exercises/${VIDEO_EXERCISE}/recordings`, {
      uploadId: await uploadFile(participant, JFK_VIDEO),
    });
    expect(res.status).toBe(201);
    return res.body.recording.id as string;
  }

  const transcripts = async (id: string) =>
    (await h.db.query(`SELECT count(*)::int AS n FROM transcripts WHERE recording_id = $1`, [id]))[0].n as number;

  it('Redis restarted with its data gone: the answer waiting in its queue is queued again from PostgreSQL and transcribed once', async () => {
    // no worker yet: the answer must still be waiting when Redis loses it
    await stopProcess(worker, 'SIGKILL');
    worker = null;
    const id = await submit();
    expect((await h.db.query(`SELECT status FROM recordings WHERE id = $1`, [id]))[0].status).toBe('queued');

    // the administrator changes their password just before: its security notice waits in the
    // queue (the mail worker paused) when Redis goes, and is lost with it
    const mailQueue = h.worker.get<Queue>(getQueueToken(QUEUES.mail));
    await mailQueue.pause(true);
    const noticesBefore = h.mailbox.messages.length;
    const changed = await admin.post('/api/account/password', {
      currentPassword: PASSWORD,
      newPassword: 'a long new password while redis was there',
    });
    expect(changed.status).toBe(204);
    // and the coach publishes feedback on a written answer: the participant's e-mail about it is lost too
    const answer = await participant.post(`/api/my/courses/${course.id}/exercises/${course.exercise}/text-answers`, {
      text: 'I understand. Let me check your order.',
    });
    expect(answer.status).toBe(201);
    const draft = await coach.put(`/api/answers/${answer.body.id}/review`, {
      scores: { '0b6c1f38-8d3c-4c8e-9a52-2f1d2b3c4d5e': 5 },
      summary: 'Warm and clear',
      comments: [],
    });
    expect(draft.status).toBe(200);
    const published = await coach.post(`/api/answers/${answer.body.id}/review/publish`, {
      revision: draft.body.revision,
    });
    expect(published.status).toBe(200);

    await redis.kill();
    // meanwhile what needs Redis is refused with a 503 at once (each waited almost four minutes on
    // the queues' connection): an upload, an export (not left "being built" for ever)
    const refused = await createUpload(participant, 1000, { purpose: 'answer', filename: 'a.wav' });
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ code: 'unavailable' });
    const exportRefused = await participant.post('/api/my/exports');
    expect(exportRefused.status).toBe(503);
    // an invitation: the person is saved, the answer says the invitation goes out by itself
    const invited = await admin.post('/api/admin/users', {
      email: 'invited.while.redis.was.away@a.test',
      name: 'Invited Meanwhile',
      roles: ['participant'],
    });
    expect(invited.status).toBe(503);
    expect(invited.body.message).toMatch(/The person is saved, and the invitation goes out by itself/);
    // so does an import's: nobody is lost, all or nothing still holds for the people
    const imported = await admin.post('/api/admin/users/import', {
      csv: 'name,email,role\nImported Meanwhile,imported.while.redis.was.away@a.test,participant\nAnd Another,another.while.redis.was.away@a.test,coach',
    });
    expect(imported.status).toBe(503);
    expect(imported.body.message).toMatch(/The people are saved, and their invitations go out by themselves/);
    const mailsBefore = h.mailbox.messages.length;
    await redis.start(); // empty: the job is gone
    // the API reconnects by itself: its health check pings Redis again
    await until(
      async () => (await participant.get('/api/health')).status === 200,
      30_000,
      'the API to reach the new Redis',
    );

    await mailQueue.resume(true);
    expect((await participant.post('/api/my/exports')).status).toBe(202);
    worker = startWorker();
    // the worker's sweep finds the invitations never sent in PostgreSQL and sends them, each once,
    // with nobody sending them again by hand
    for (const email of [
      'invited.while.redis.was.away@a.test',
      'imported.while.redis.was.away@a.test',
      'another.while.redis.was.away@a.test',
    ]) {
      const mail = await h.mailbox.waitFor(email, /invited/, 60_000, mailsBefore);
      expect(mail.text).toMatch(/\/invitation\/[A-Za-z0-9_-]{40,}/);
    }
    // and the notice of the changed password, and the participant's of the feedback, each once
    await h.mailbox.waitFor(adminEmail, /security notice/, 60_000, noticesBefore);
    await h.mailbox.waitFor(participantEmail, /New feedback/, 60_000, noticesBefore);
    const done = await waitForRecording(participant, id, 120_000);
    expect(done.body).toMatchObject({ status: 'transcribed', engine: 'whisper.cpp' });
    expect(await transcripts(id)).toBe(1);
    expect((await participant.get('/api/auth/me')).status).toBe(200); // sessions live in PostgreSQL
    const invitationMails = h.mailbox.messages
      .slice(mailsBefore)
      .filter((m) => /while\.redis\.was\.away/.test(m.to) && /invited/.test(m.subject));
    expect(invitationMails).toHaveLength(3);
    const passwordNotices = h.mailbox.messages
      .slice(noticesBefore)
      .filter((m) => m.to === adminEmail.toLowerCase() && /security notice/.test(m.subject));
    expect(passwordNotices).toHaveLength(1);
    const feedbackMails = h.mailbox.messages
      .slice(noticesBefore)
      .filter((m) => m.to === participantEmail.toLowerCase() && /New feedback/.test(m.subject));
    expect(feedbackMails).toHaveLength(1);
  }, 180_000);

  it('PostgreSQL restarted: requests meanwhile get a 503 at once (not a hang), then the API and the worker carry on by themselves', async () => {
    // a worker at work before PostgreSQL goes away (the one of the Redis test, or its own, ready
    // once it has transcribed an answer)
    if (!worker) {
      worker = startWorker();
      await waitForRecording(participant, await submit(), 120_000);
    }
    await pg.stop();
    const t0 = Date.now();
    const during = await participant.get('/api/auth/me');
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(during.status).toBe(503);
    expect(during.body).toMatchObject({ code: 'unavailable' });
    expect(during.headers['retry-after']).toBe('5');
    expect((await participant.get('/api/health')).status).toBe(503);

    await pg.start();
    await until(
      async () => (await participant.get('/api/auth/me')).status === 200,
      30_000,
      'the API to reach PostgreSQL again',
    );

    // the worker process lost its connections too, and picks up new work without a restart
    const id = await submit();
    const done = await waitForRecording(participant, id, 120_000);
    expect(done.body).toMatchObject({ status: 'transcribed' });
    expect(await transcripts(id)).toBe(1);
    expect(worker?.exitCode).toBeNull();
  }, 300_000);
});
