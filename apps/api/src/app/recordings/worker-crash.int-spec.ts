import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Client, Harness, seedTwoTenants, startHarness } from '../../test/harness';
import { publishedCourse, VIDEO_EXERCISE } from '../../test/courses';
import { JFK_VIDEO, uploadFile, waitForRecording } from '../../test/media';
import { eventually as until, sharedEnv, startApp } from '../../test/processes';

/** The real worker process (from source), sharing the harness's database, queues and storage. */
function startWorker(h: Harness, secret: string): ChildProcess {
  return startApp('worker', sharedEnv(h, secret, { JOB_LOCK_SECONDS: '2' }));
}

describe('a worker killed or stopped in the middle of a job', () => {
  let h: Harness;
  let participant: Client;
  let course: { id: string };
  const secret = randomBytes(24).toString('hex');
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    // the API process here has no media worker: the worker is a separate process we can kill
    h = await startHarness({ APP_SECRET: secret }, { mediaWorker: false });
    const world = await seedTwoTenants(h);
    const developer = await h.signIn(world.a.emails.developer);
    const admin = await h.signIn(world.a.emails.admin);
    participant = await h.signIn(world.a.emails.participant);
    course = await publishedCourse(developer, { media: true });
    await admin.post('/api/admin/enrolments', { courseId: course.id, userId: world.a.ids.participant });
  });
  afterAll(async () => {
    for (const w of workers) w.kill('SIGKILL');
    await h?.close();
  });

  it('is taken over after a restart: the recording still reaches "transcribed" with exactly one transcript', async () => {
    const submitted = await participant.post(`/api/my/courses/${course.id}/exercises/${VIDEO_EXERCISE}/recordings`, {
      uploadId: await uploadFile(participant, JFK_VIDEO),
    });
    expect(submitted.status).toBe(201);
    const id = submitted.body.recording.id;
    const status = async () =>
      (await h.db.query(`SELECT status FROM recordings WHERE id = $1`, [id]))[0].status as string;

    const first = startWorker(h, secret);
    workers.push(first);
    await until(async () => (await status()) === 'transcribing', 60_000, 'the first worker to start transcribing');
    // the engine's decrypted audio is in the worker's private work folder, nowhere else
    const jobDir = async () =>
      (await readdir(h.config.WORK_DIR).catch(() => [] as string[])).filter((n) => n.startsWith(`${first.pid}-media-`));
    await until(
      async () =>
        (await jobDir()).length === 1 &&
        // the engine's input: audio.wav for whisper.cpp's program, audio.raw for PocketSphinx
        (await readdir(join(h.config.WORK_DIR, (await jobDir())[0])).catch(() => [] as string[])).some((f) =>
          /^audio\.(wav|raw)$/.test(f),
        ),
      30_000,
      'the engine to read its audio from the work folder',
    );
    expect((await stat(h.config.WORK_DIR)).mode & 0o777).toBe(0o700);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    // nothing finishes on its own
    await new Promise((r) => setTimeout(r, 3000));
    expect(await status()).toBe('transcribing');
    expect((await h.db.query(`SELECT count(*)::int AS n FROM transcripts WHERE recording_id = $1`, [id]))[0].n).toBe(0);

    workers.push(startWorker(h, secret));
    const done = await waitForRecording(participant, id, 90_000);
    expect(done.body).toMatchObject({ status: 'transcribed', engine: 'whisper.cpp' });
    const [row] = await h.db.query(
      `SELECT attempts, (SELECT count(*)::int FROM transcripts t WHERE t.recording_id = r.id) AS transcripts FROM recordings r WHERE id = $1`,
      [id],
    );
    expect(row.transcripts).toBe(1);
    expect(row.attempts).toBeGreaterThanOrEqual(2);
    // the killed worker's decrypted work folder was removed by its successor, and the successor's own after its job
    expect(await readdir(h.config.WORK_DIR)).toEqual([]);
  });

  it('stopped (SIGTERM, as a deployment stops it) in the middle of a transcription, it finishes the job first, then exits with 0', async () => {
    // the other test's worker still runs: stopped first, so that this one is the only one
    for (const w of workers.splice(0)) {
      if (w.exitCode !== null || w.signalCode !== null) continue;
      w.kill('SIGKILL');
      await new Promise((r) => w.once('exit', r));
    }
    const submitted = await participant.post(`/api/my/courses/${course.id}/exercises/${VIDEO_EXERCISE}/recordings`, {
      uploadId: await uploadFile(participant, JFK_VIDEO),
    });
    expect(submitted.status).toBe(201);
    const id = submitted.body.recording.id;
    const worker = startWorker(h, secret);
    workers.push(worker);
    const exited = new Promise<number | null>((r) => worker.once('exit', (code) => r(code)));
    await until(
      async () => (await h.db.query(`SELECT status FROM recordings WHERE id = $1`, [id]))[0].status === 'transcribing',
      60_000,
      'the worker to start transcribing',
    );
    worker.kill('SIGTERM');
    // it takes no new job, finishes this one, and stops by itself
    expect(await exited).toBe(0);
    const [row] = await h.db.query(
      `SELECT status, attempts, (SELECT count(*)::int FROM transcripts t WHERE t.recording_id = r.id) AS transcripts FROM recordings r WHERE id = $1`,
      [id],
    );
    expect(row).toEqual({ status: 'transcribed', attempts: 1, transcripts: 1 });
    expect(await readdir(h.config.WORK_DIR)).toEqual([]);
  });
});
