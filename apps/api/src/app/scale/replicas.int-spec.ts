import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, request, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { Client, Harness, seedTwoTenants, startHarness } from '../../test/harness';
import { publishedCourse, VIDEO_EXERCISE } from '../../test/courses';
import { JFK_VIDEO, uploadFile, waitForRecording } from '../../test/media';
import { eventually as until, sharedEnv, startApp, stopProcess } from '../../test/processes';
import { freePort } from '../../test/browser';

const BATCH = 6;

/**
 * Past one process: two API processes and two worker processes share PostgreSQL, Redis, the
 * object store and the upload staging, behind one address (a round-robin proxy, as a load
 * balancer would be), and nothing is pinned to one of them: a session made by one API is honoured
 * by the other, an upload's chunks land on both, and a batch of answers is transcribed exactly
 * once each by whichever worker is free. (Throughput with two workers: npm run bench:replicas.)
 */
describe('two API processes and two workers behind one address', () => {
  let h: Harness;
  let proxy: Server;
  let base: string;
  const procs: ChildProcess[] = [];
  const perBackend = new Map<number, number>();
  /** recording id → pids of the worker processes that logged it transcribed */
  const transcribedBy = new Map<string, number[]>();
  const secret = randomBytes(24).toString('hex');
  let participant: Client;
  let participant2: Client;
  let course: { id: string };

  beforeAll(async () => {
    // the harness's own process seeds the organisation and sends the e-mail; it serves no requests here
    h = await startHarness({ APP_SECRET: secret }, { mediaWorker: false });
    const shared = sharedEnv(h, secret, { BCRYPT_COST: '4', BACKUP_ENABLED: 'false', OPENAPI_ENABLED: 'false', PUBLIC_URL: 'http://localhost:3000' });
    const ports = [await freePort(), await freePort()];
    for (const port of ports) procs.push(startApp('api', { ...shared, PORT: String(port) }));
    for (let i = 0; i < 2; i++) {
      const worker = startApp('worker', { ...shared, LOG_LEVEL: 'info' }, ['ignore', 'pipe', 'inherit']);
      procs.push(worker);
      // each worker's structured log says which recordings it transcribed
      createInterface({ input: worker.stdout as NodeJS.ReadableStream }).on('line', (line) => {
        try {
          const entry = JSON.parse(line) as { msg?: string; recordingId?: string };
          if (entry.msg === 'transcribed' && entry.recordingId) transcribedBy.set(entry.recordingId, [...(transcribedBy.get(entry.recordingId) ?? []), worker.pid as number]);
        } catch {
          // not a log line of ours
        }
      });
    }
    let next = 0;
    proxy = createServer((req, res) => {
      const port = ports[next++ % ports.length];
      perBackend.set(port, (perBackend.get(port) ?? 0) + 1);
      const upstream = request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      upstream.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      req.pipe(upstream);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    for (const port of ports) await until(async () => (await fetch(`http://127.0.0.1:${port}/api/health`)).ok, 90_000, `the API on port ${port}`);

    const world = await seedTwoTenants(h);
    const through = () => new Client(base as never).init();
    const developer = await h.signIn(world.a.emails.developer, undefined, { client: await through() });
    const admin = await h.signIn(world.a.emails.admin, undefined, { client: await through() });
    participant = await h.signIn(world.a.emails.participant, undefined, { client: await through() });
    participant2 = await h.signIn(world.a.emails.participant2, undefined, { client: await through() });
    course = await publishedCourse(developer, { media: true });
    for (const userId of [world.a.ids.participant, world.a.ids.participant2]) expect((await admin.post('/api/admin/enrolments', { courseId: course.id, userId })).status).toBe(201);
  }, 180_000);

  afterAll(async () => {
    await Promise.all(procs.map((p) => stopProcess(p)));
    await new Promise((r) => proxy?.close(r));
    await h?.close();
  });

  it('serves one session from both processes and transcribes a batch of answers exactly once each, on both workers', async () => {
    // each upload's creation and chunks alternate between the two API processes; three attempts
    // of the exercise each for two participants
    const uploads: { by: Client; uploadId: string }[] = [];
    for (let i = 0; i < BATCH; i++) {
      const by = i % 2 ? participant2 : participant;
      uploads.push({ by, uploadId: await uploadFile(by, JFK_VIDEO) });
    }
    // then the batch is submitted in quick succession, so both workers have work waiting
    const submitted = [];
    for (const { by, uploadId } of uploads) submitted.push(await by.post(`/api/my/courses/${course.id}/exercises/${VIDEO_EXERCISE}/recordings`, { uploadId }));
    expect(submitted.map((r) => [r.status, r.body.message])).toEqual(uploads.map(() => [201, undefined]));
    const ids = submitted.map((r) => r.body.recording.id as string);
    for (const [i, id] of ids.entries()) expect((await waitForRecording(uploads[i].by, id, 180_000)).body).toMatchObject({ status: 'transcribed' });

    // both API processes served the same signed-in people
    expect([...perBackend.values()].every((n) => n > BATCH)).toBe(true);
    expect(perBackend.size).toBe(2);
    const rows: { id: string; transcripts: number; attempts: number }[] = await h.db.query(
      `SELECT r.id, (SELECT count(*)::int FROM transcripts t WHERE t.recording_id = r.id) AS transcripts, r.attempts FROM recordings r WHERE r.id = ANY($1::uuid[])`,
      [ids],
    );
    expect(rows.map((r) => r.transcripts)).toEqual(ids.map(() => 1));
    expect(rows.map((r) => r.attempts)).toEqual(ids.map(() => 1));
    await until(async () => ids.every((id) => transcribedBy.has(id)), 10_000, 'the workers to log every transcription');
    // each answer by exactly one worker, and both workers took part
    expect(ids.map((id) => transcribedBy.get(id)?.length)).toEqual(ids.map(() => 1));
    expect(new Set(ids.map((id) => (transcribedBy.get(id) as number[])[0])).size).toBe(2);
  }, 300_000);
});
