import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { Moto, startMoto } from '@rehearse/server/testing';
import { createServer, type IncomingMessage, request, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { Client, Harness, seedTwoTenants, startHarness } from '../../test/harness';
import { publishedCourse, VIDEO_EXERCISE } from '../../test/courses';
import { appendUpload, createUpload, JFK_VIDEO, uploadFile, waitForRecording } from '../../test/media';
import { readFile } from 'node:fs/promises';
import { eventually as until, sharedEnv, startApp, stopProcess } from '../../test/processes';
import { freePort } from '../../test/browser';

const BATCH = 6;

/**
 * Past one host: two API processes and two worker processes behind one address (a round-robin
 * proxy, as a load balancer would be) share only PostgreSQL, Redis and an S3 service with a KMS
 * (moto, tools/scripts/ensure-moto.sh): the object store, the staged uploads (UPLOAD_STAGING=s3)
 * and the key vault (KEY_VAULT=kms). Each process has folders of its own, as on hosts of their
 * own. Nothing is pinned to one of them: a session made by one API is honoured by the other, an
 * upload's chunks land on both, and a batch of answers is transcribed exactly once each by
 * whichever worker is free. (Throughput with two workers: npm run bench:replicas.)
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
  /** a course of its own for the staging test, so the batch's attempts are not shared */
  let stagingCourse: { id: string };
  let moto: Moto;
  /** the two API processes' ports (the proxy takes turns between them) */
  let ports: number[] = [];
  let world: Awaited<ReturnType<typeof seedTwoTenants>>;
  const hostDirs: string[] = [];
  /** folders of one "host": its own staging, vault, work and object folders, none shared */
  const ownFolders = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rehearse-host-'));
    hostDirs.push(dir);
    return {
      UPLOAD_DIR: join(dir, 'uploads'),
      KEY_VAULT_DIR: join(dir, 'keys/vault'),
      WORK_DIR: join(dir, 'work'),
      STORAGE_DIR: join(dir, 'objects'),
      BACKUP_DIR: join(dir, 'backups'),
    };
  };

  beforeAll(async () => {
    // the harness's own process seeds the organisation and sends the e-mail; it serves no requests here
    h = await startHarness({ APP_SECRET: secret }, { mediaWorker: false });
    moto = await startMoto();
    const kmsKeyId = await moto.kmsKey();
    for (const b of ['rehearse', 'rehearse-keys']) await moto.bucket(b); // the staging bucket is made by the API itself
    const shared = sharedEnv(h, secret, {
      BCRYPT_COST: '4',
      BACKUP_ENABLED: 'false',
      OPENAPI_ENABLED: 'false',
      PUBLIC_URL: 'http://localhost:3000',
      ...moto.env({ keys: 'rehearse-keys', uploads: 'rehearse-uploads' }, kmsKeyId),
      STORAGE_DRIVER: 's3',
      S3_BUCKET: 'rehearse',
    });
    ports = [await freePort(), await freePort()];
    for (const port of ports) procs.push(startApp('api', { ...shared, ...(await ownFolders()), PORT: String(port) }));
    for (let i = 0; i < 2; i++) {
      const worker = startApp('worker', { ...shared, ...(await ownFolders()), LOG_LEVEL: 'info' }, [
        'ignore',
        'pipe',
        'inherit',
      ]);
      procs.push(worker);
      // each worker's structured log says which recordings it transcribed
      createInterface({ input: worker.stdout as NodeJS.ReadableStream }).on('line', (line) => {
        try {
          const entry = JSON.parse(line) as { msg?: string; recordingId?: string };
          if (entry.msg === 'transcribed' && entry.recordingId)
            transcribedBy.set(entry.recordingId, [
              ...(transcribedBy.get(entry.recordingId) ?? []),
              worker.pid as number,
            ]);
        } catch {
          // not a log line of ours
        }
      });
    }
    let next = 0;
    proxy = createServer((req, res) => {
      const port = ports[next++ % ports.length];
      perBackend.set(port, (perBackend.get(port) ?? 0) + 1);
      const upstream = request(
        { host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers },
        (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        },
      );
      upstream.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      req.pipe(upstream);
    });
    // idle connections kept as long as the API keeps them (75 s): with Node's 5 s, a client reusing a
    // connection the proxy was closing at that moment got "socket hang up" (a load balancer's race, not the API's)
    proxy.keepAliveTimeout = 75_000;
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    for (const port of ports)
      await until(
        async () => (await fetch(`http://127.0.0.1:${port}/api/health`)).ok,
        90_000,
        `the API on port ${port}`,
      );

    world = await seedTwoTenants(h);
    const through = () => new Client(base as never).init();
    const developer = await h.signIn(world.a.emails.developer, undefined, { client: await through() });
    const admin = await h.signIn(world.a.emails.admin, undefined, { client: await through() });
    participant = await h.signIn(world.a.emails.participant, undefined, { client: await through() });
    participant2 = await h.signIn(world.a.emails.participant2, undefined, { client: await through() });
    course = await publishedCourse(developer, { media: true });
    stagingCourse = await publishedCourse(developer, { media: true });
    expect(
      (await admin.post('/api/admin/enrolments', { courseId: stagingCourse.id, userId: world.a.ids.participant }))
        .status,
    ).toBe(201);
    for (const userId of [world.a.ids.participant, world.a.ids.participant2])
      expect((await admin.post('/api/admin/enrolments', { courseId: course.id, userId })).status).toBe(201);
  }, 180_000);

  afterAll(async () => {
    await Promise.all(procs.map((p) => stopProcess(p)));
    await new Promise((r) => proxy?.close(r));
    await moto?.stop();
    await h?.close();
    await Promise.all(hostDirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('stages an upload in the shared bucket: created on one API, its offset asked of and the rest sent to the other, submitted, and gone from the bucket', async () => {
    const bytes = await readFile(JFK_VIDEO);
    const created = await createUpload(participant, bytes.length, {
      purpose: 'answer',
      filename: 'jfk.mp4',
      filetype: 'video/mp4',
    });
    expect(created.status).toBe(201);
    const location = created.headers['location'] as string;
    const uploadId = location.split('/').pop() as string;
    const half = Math.floor(bytes.length / 2);
    expect((await appendUpload(participant, location, 0, bytes.subarray(0, half))).status).toBe(204);
    // the next request goes to the other API, which knows the offset from the bucket alone
    const head = await participant.capture(await participant.agent.head(location).set('Tus-Resumable', '1.0.0'));
    expect([head.status, head.headers['upload-offset']]).toEqual([200, String(half)]);
    // another person cannot see it on either API
    for (let i = 0; i < 2; i++)
      expect(
        (await participant2.capture(await participant2.agent.head(location).set('Tus-Resumable', '1.0.0'))).status,
      ).toBe(404);
    expect((await appendUpload(participant, location, half, bytes.subarray(half))).status).toBe(204);
    const listed = await moto.s3.send(new ListObjectsV2Command({ Bucket: 'rehearse-uploads' }));
    expect((listed.Contents ?? []).map((o) => o.Key)).toEqual(expect.arrayContaining([uploadId, `${uploadId}.info`]));
    // no API process kept the upload in its own folder
    for (const dir of hostDirs) expect(await readdir(join(dir, 'uploads')).catch(() => [])).toEqual([]);
    const submitted = await participant.post(
      `/api/my/courses/${stagingCourse.id}/exercises/${VIDEO_EXERCISE}/recordings`,
      { uploadId },
    );
    expect([submitted.status, submitted.body.message]).toEqual([201, undefined]);
    expect((await waitForRecording(participant, submitted.body.recording.id, 180_000)).body).toMatchObject({
      status: 'transcribed',
    });
    const after = await moto.s3.send(new ListObjectsV2Command({ Bucket: 'rehearse-uploads', Prefix: uploadId }));
    expect(after.Contents ?? []).toEqual([]);
    // the recording is sealed under a key the service made, kept in the vault's bucket only
    const keys = await moto.s3.send(new ListObjectsV2Command({ Bucket: 'rehearse-keys' }));
    expect((keys.Contents ?? []).map((o) => o.Key)).toContain(`user-${world.a.ids.participant}.key`);
    for (const dir of hostDirs) expect(await readdir(join(dir, 'keys/vault')).catch(() => [])).toEqual([]);
  }, 300_000);

  it('a chunk sent again through the other API while the first try is still arriving: the upload completes, holding the file’s bytes exactly, whatever the first try leaves behind', async () => {
    // the person signed in on each API process directly (one session each), as two tabs behind a
    // load balancer: tus-js-client sends a chunk again (after asking the offset) when the first
    // try seems lost, and a load balancer may send it to the other process while the first still
    // arrives there (a connection that stalled, not closed)
    const direct: Client[] = [];
    // (one after the other: each waits for its own sign-in code)
    for (const port of ports)
      direct.push(
        await h.signIn(world.a.emails.participant2, undefined, {
          client: await new Client(`http://127.0.0.1:${port}` as never).init(),
        }),
      );
    const bytes = randomBytes(3 * 1024 * 1024 + 12_345);
    const created = await createUpload(direct[0], bytes.length, {
      purpose: 'answer',
      filename: 'twice.bin',
      filetype: 'application/octet-stream',
    });
    expect(created.status).toBe(201);
    const location = created.headers['location'] as string;
    const uploadId = location.split('/').pop() as string;
    const cookie = (direct[0].agent as unknown as { jar: { getCookies(a: object): { toValueString(): string }[] } }).jar
      .getCookies({ domain: '127.0.0.1', path: '/', secure: false, script: false })
      .map((c) => c.toValueString())
      .join('; ');
    // the first try: a megabyte of the chunk, then nothing more (the connection stays open)
    const first = request({
      host: '127.0.0.1',
      port: ports[0],
      method: 'PATCH',
      path: location,
      headers: {
        cookie,
        'x-xsrf-token': direct[0].xsrf,
        'tus-resumable': '1.0.0',
        'upload-offset': '0',
        'content-type': 'application/offset+octet-stream',
        'content-length': String(bytes.length),
      },
    });
    const firstAnswer = new Promise<number | string>((resolve) => {
      first.on('response', (res: IncomingMessage) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      first.on('error', (e) => resolve(e.message));
    });
    first.write(bytes.subarray(0, 1024 * 1024));
    await new Promise((r) => setTimeout(r, 1_000));
    // the second try, through the other process, from where it says the upload stands
    const head = async (c: Client) =>
      Number((await c.capture(await c.agent.head(location).set('Tus-Resumable', '1.0.0'))).headers['upload-offset']);
    // sent in chunks of a megabyte, as tus-js-client does; the stalled first try's connection goes
    // after the first of them (as a stalled one does at last), leaving behind what it had received
    let offset = await head(direct[1]);
    for (let sent = 0; offset < bytes.length && sent < 20; sent++) {
      const chunk = bytes.subarray(offset, offset + 1024 * 1024);
      const res = await appendUpload(direct[1], location, offset, chunk);
      if (sent === 0) {
        first.destroy();
        await firstAnswer;
        await new Promise((r) => setTimeout(r, 500));
      }
      // a conflict: the offset moved under it (the first try's bytes kept): ask again, go on from there
      if (res.status === 409) offset = await head(direct[1]);
      else {
        expect(res.status).toBe(204);
        offset += chunk.length;
      }
    }
    // both processes say the upload is complete, and what the bucket holds is the file, byte for byte
    expect([await head(direct[0]), await head(direct[1])]).toEqual([bytes.length, bytes.length]);
    const object = await moto.s3.send(new GetObjectCommand({ Bucket: 'rehearse-uploads', Key: uploadId }));
    const stored = Buffer.from(
      await (object.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
    );
    expect(stored.length).toBe(bytes.length);
    expect(stored.equals(bytes)).toBe(true);
    expect(
      (
        await direct[1].capture(
          await direct[1].agent.delete(location).set('X-XSRF-TOKEN', direct[1].xsrf).set('Tus-Resumable', '1.0.0'),
        )
      ).status,
    ).toBe(204);
  }, 120_000);

  it('cancels a finished upload through either API: 204, nothing of it left in the bucket, and a second cancel 404', async () => {
    const bytes = (await readFile(JFK_VIDEO)).subarray(0, 64 * 1024);
    const created = await createUpload(participant, bytes.length, { purpose: 'answer', filename: 'jfk.mp4' });
    const location = created.headers['location'] as string;
    const uploadId = location.split('/').pop() as string;
    expect((await appendUpload(participant, location, 0, bytes)).status).toBe(204);
    const cancel = async () =>
      (
        await participant.capture(
          await participant.agent.delete(location).set('X-XSRF-TOKEN', participant.xsrf).set('Tus-Resumable', '1.0.0'),
        )
      ).status;
    // its multipart upload is complete: the tus store's own removal answered S3's error, a 500
    expect(await cancel()).toBe(204);
    const left = await moto.s3.send(new ListObjectsV2Command({ Bucket: 'rehearse-uploads', Prefix: uploadId }));
    expect(left.Contents ?? []).toEqual([]);
    // the next request goes to the other API, which read the upload before (its cache)
    expect(await cancel()).toBe(404);
    expect(await cancel()).toBe(404);
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
    for (const { by, uploadId } of uploads)
      submitted.push(
        await by.post(`/api/my/courses/${course.id}/exercises/${VIDEO_EXERCISE}/recordings`, { uploadId }),
      );
    expect(submitted.map((r) => [r.status, r.body.message])).toEqual(uploads.map(() => [201, undefined]));
    const ids = submitted.map((r) => r.body.recording.id as string);
    for (const [i, id] of ids.entries())
      expect((await waitForRecording(uploads[i].by, id, 180_000)).body).toMatchObject({ status: 'transcribed' });

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

  it('a sign-out or a deactivation through one API process ends the session on the other at once (each keeps sessions in memory, told of changes by PostgreSQL)', async () => {
    const through = () => new Client(base as never).init();
    /** GET /api/auth/me through the proxy until both processes have answered `status` (each request goes to the next one) */
    const bothAnswer = async (c: Client, status: number) => {
      const end = Date.now() + 5_000; // the cache's own bound is 10 s: only a notice explains 5
      let inARow = 0;
      while (inARow < 2 && Date.now() < end) inARow = (await c.get('/api/auth/me')).status === status ? inARow + 1 : 0;
      return inARow === 2;
    };
    const coach = await h.signIn(world.a.emails.coach, undefined, { client: await through() });
    // both processes have served (and kept) the session
    expect(await bothAnswer(coach, 200)).toBe(true);
    expect((await coach.post('/api/auth/logout')).status).toBeLessThan(300);
    expect(await bothAnswer(coach, 401)).toBe(true);

    const admin = await h.signIn(world.b.emails.admin, undefined, { client: await through() });
    const participant = await h.signIn(world.b.emails.participant, undefined, { client: await through() });
    expect(await bothAnswer(participant, 200)).toBe(true);
    expect((await admin.post(`/api/admin/users/${world.b.ids.participant}/deactivate`)).status).toBe(200);
    expect(await bothAnswer(participant, 401)).toBe(true);
  }, 60_000);
});
