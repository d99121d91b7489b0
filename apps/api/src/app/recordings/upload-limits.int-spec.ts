import { readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { Client, Harness, seedTwoTenants, startHarness } from '../../test/harness';
import { AUDIO_EXERCISE, publishedCourse } from '../../test/courses';
import { appendUpload, createUpload, JFK_WAV } from '../../test/media';
import { roomFor } from '@rehearse/server/recordings';
import { DependencyUnavailableError } from '@rehearse/server/core';
import { BLOB_STORE, type BlobStore } from '@rehearse/server/storage';

/**
 * Uploads cannot fill the server's disk: a person holds at most UPLOAD_MAX_OPEN uploads started and
 * not yet submitted or cancelled (one account started 100 uploads of 500 MB each before, all kept
 * until they expired a day later), and no upload is taken that would leave the upload folder's
 * disk with less than UPLOAD_RESERVE_MB free.
 */
describe('upload limits', () => {
  const started = (c: Client) => createUpload(c, 1000, { purpose: 'answer', filename: 'a.wav' });
  const idOf = (location: unknown) => String(location).split('/').pop() as string;

  describe('open uploads per person (UPLOAD_MAX_OPEN=3)', () => {
    let h: Harness;
    let world: Awaited<ReturnType<typeof seedTwoTenants>>;
    let one: Client;
    let other: Client;
    const staged = async () => (await readdir(h.config.UPLOAD_DIR)).filter((f) => !f.endsWith('.json')).length;

    beforeAll(async () => {
      h = await startHarness({ UPLOAD_MAX_OPEN: '3' }, { mediaWorker: false });
      world = await seedTwoTenants(h);
      one = await h.signIn(world.a.emails.participant);
      other = await h.signIn(world.a.emails.participant2);
    });
    afterAll(() => h?.close());

    it('refuses a fourth open upload (429, nothing staged); a cancelled or submitted one makes room', async () => {
      // (another test's uploads may be staged already)
      const before = await staged();
      const first = await Promise.all([started(one), started(one), started(one)]);
      expect(first.map((r) => r.status)).toEqual([201, 201, 201]);
      const fourth = await started(one);
      expect(fourth.status).toBe(429);
      expect(fourth.body).toMatchObject({
        code: 'rate_limited',
        message: 'You have too many unfinished uploads: finish or cancel one before you start another',
      });
      expect(await staged()).toBe(before + 3);
      // someone else's uploads are theirs alone
      expect((await started(other)).status).toBe(201);

      // cancelled (tus DELETE): room for one more
      const cancelled = await one.agent
        .delete(`/api/uploads/${idOf(first[0].headers['location'])}`)
        .set('X-XSRF-TOKEN', one.xsrf)
        .set('Tus-Resumable', '1.0.0');
      expect(cancelled.status).toBe(204);
      const replacement = await createUpload(one, (await readFile(JFK_WAV)).length, {
        purpose: 'answer',
        filename: 'jfk.wav',
      });
      expect(replacement.status).toBe(201);
      expect((await started(one)).status).toBe(429);

      // submitted: room again
      const dev = await h.signIn(world.a.emails.developer);
      const admin = await h.signIn(world.a.emails.admin);
      const course = await publishedCourse(dev, { media: true });
      await admin.post('/api/admin/enrolments', { courseId: course.id, userId: world.a.ids.participant });
      const location = replacement.headers['location'] as string;
      expect((await appendUpload(one, location, 0, await readFile(JFK_WAV))).status).toBe(204);
      const submitted = await one.post(`/api/my/courses/${course.id}/exercises/${AUDIO_EXERCISE}/recordings`, {
        uploadId: idOf(location),
      });
      expect(submitted.status).toBe(201);
      expect((await started(one)).status).toBe(201);
    });

    it('a submission the server cannot store for now (its disk full, object storage away) keeps the upload: submitted again, nothing sent twice', async () => {
      await h.createUser(world.a.tenantId, 'Patient uploader', 'patient@a.test', ['participant']);
      const person = await h.signIn('patient@a.test');
      const [me] = await h.db.query(`SELECT id FROM users WHERE email = 'patient@a.test'`);
      const dev = await h.signIn(world.a.emails.developer);
      const admin = await h.signIn(world.a.emails.admin);
      const course = await publishedCourse(dev, { media: true });
      expect((await admin.post('/api/admin/enrolments', { courseId: course.id, userId: me.id })).status).toBe(201);
      const bytes = await readFile(JFK_WAV);
      const created = await createUpload(person, bytes.length, { purpose: 'answer', filename: 'jfk.wav' });
      const location = created.headers['location'] as string;
      expect((await appendUpload(person, location, 0, bytes)).status).toBe(204);
      const submit = () =>
        person.post(`/api/my/courses/${course.id}/exercises/${AUDIO_EXERCISE}/recordings`, {
          uploadId: idOf(location),
        });
      const offset = async () =>
        await person.agent
          .head(location)
          .set('Tus-Resumable', '1.0.0')
          .then((r) => ({ status: r.status, offset: r.headers['upload-offset'] }));
      const answers = async () =>
        (await h.db.query(`SELECT count(*)::int AS n FROM answers WHERE user_id = $1`, [me.id]))[0].n;

      const store = h.app.get<symbol, BlobStore>(BLOB_STORE);
      // the disk of the storage folder is full: the operating system's own ENOSPC (/dev/full is always full)
      const put = jest.spyOn(store, 'put').mockImplementationOnce(() => writeFile('/dev/full', 'x'));
      try {
        const full = await submit();
        expect({ status: full.status, retryAfter: full.headers['retry-after'], body: full.body }).toMatchObject({
          status: 507,
          retryAfter: '60',
          body: { code: 'unavailable', message: 'The server is short of disk space just now; try again later' },
        });
        expect(await offset()).toEqual({ status: 200, offset: String(bytes.length) });
        // object storage answering that it cannot serve now (S3Store's error after the client's retries)
        put.mockRejectedValueOnce(new DependencyUnavailableError('object storage answered 503'));
        const away = await submit();
        expect({ status: away.status, code: away.body.code }).toEqual({ status: 503, code: 'unavailable' });
        expect(await offset()).toEqual({ status: 200, offset: String(bytes.length) });
        expect(await answers()).toBe(0);
      } finally {
        put.mockRestore();
      }
      // the same upload, submitted again once the server can: one answer, and the upload is gone
      const done = await submit();
      expect(done.status).toBe(201);
      expect(await answers()).toBe(1);
      expect((await offset()).status).toBe(404);
      // a submission refused for the upload itself still ends it (not a recording: nothing to try again)
      const text = Buffer.from('not a recording at all');
      const junk = await createUpload(person, text.length, { purpose: 'answer', filename: 'notes.txt' });
      expect((await appendUpload(person, junk.headers['location'] as string, 0, text)).status).toBe(204);
      const refused = await person.post(`/api/my/courses/${course.id}/exercises/${AUDIO_EXERCISE}/recordings`, {
        uploadId: idOf(junk.headers['location']),
      });
      expect(refused.status).toBeGreaterThanOrEqual(400);
      expect(refused.status).toBeLessThan(500);
      expect((await person.agent.head(junk.headers['location'] as string).set('Tus-Resumable', '1.0.0')).status).toBe(
        404,
      );
    });

    it('several started at once past the limit: never more open than the limit', async () => {
      await h.createUser(world.a.tenantId, 'Busy uploader', 'busy@a.test', ['participant']);
      const busy = await h.signIn('busy@a.test');
      const answers = await Promise.all(Array.from({ length: 8 }, () => started(busy)));
      const accepted = answers.filter((r) => r.status === 201).length;
      expect(answers.every((r) => r.status === 201 || r.status === 429)).toBe(true);
      expect(accepted).toBeGreaterThanOrEqual(1);
      expect(accepted).toBeLessThanOrEqual(3);
    });
  });

  describe('the upload folder keeps UPLOAD_RESERVE_MB free', () => {
    let h: Harness;
    let world: Awaited<ReturnType<typeof seedTwoTenants>>;

    beforeAll(async () => {
      // a reserve larger than any disk here: every upload would take it
      h = await startHarness({ UPLOAD_RESERVE_MB: '1048576' }, { mediaWorker: false });
      world = await seedTwoTenants(h);
    });
    afterAll(() => h?.close());

    it('refuses an upload the disk has no room for (507, the error body, nothing staged)', async () => {
      const c = await h.signIn(world.a.emails.participant);
      const res = await started(c);
      expect(res.status).toBe(507);
      expect(res.body).toMatchObject({
        code: 'unavailable',
        message: 'The server is short of disk space for uploads just now; try again later',
      });
      expect(await readdir(h.config.UPLOAD_DIR)).toEqual([]);
    });

    it('measures the folder’s own disk', async () => {
      expect(await roomFor(tmpdir(), 1000, 0)).toBe(true);
      expect(await roomFor(tmpdir(), 0, Number.MAX_SAFE_INTEGER)).toBe(false);
    });
  });
});
