import { createMetrics } from '@rehearse/server/core';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { QUEUES } from '@rehearse/shared/contracts';
import { TranscriptionPipeline } from '@rehearse/server/recordings';
import { WhisperCppEngine } from '@rehearse/server/speech';
import { Client, Harness, seedTwoTenants, startHarness } from '../../test/harness';
import { AUDIO_EXERCISE, exerciseBody, publishedCourse, VIDEO_EXERCISE } from '../../test/courses';
import { ASR, createUpload, JFK_VIDEO, JFK_WAV, upload, uploadFile, waitForRecording } from '../../test/media';
import { pipelineWith } from '../../test/pipeline';

async function files(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    if (e.isDirectory()) out.push(...(await files(join(dir, e.name))));
    else out.push(join(dir, e.name));
  }
  return out;
}

describe('recordings: upload, storage, pipeline, playback, captions, search', () => {
  let h: Harness;
  let world: Awaited<ReturnType<typeof seedTwoTenants>>;
  let c: Record<
    'participant' | 'participant2' | 'coach' | 'admin' | 'developer' | 'participantB' | 'coachB' | 'adminB',
    Client
  >;
  let course: { id: string; exercise: string };
  let video: Buffer;
  /** participant A's transcribed answer on the phone (JFK), made for the tests that read one */
  let recordingId: string;

  /** A transcribed answer of `who` on the audio exercise (JFK): its recording's id. */
  const transcribedAnswer = async (who: Client): Promise<string> => {
    const answer = await who.post(`/api/my/courses/${course.id}/exercises/${AUDIO_EXERCISE}/recordings`, {
      uploadId: await uploadFile(who, JFK_WAV),
    });
    expect(answer.status).toBe(201);
    expect((await waitForRecording(who, answer.body.recording.id)).body.status).toBe('transcribed');
    return answer.body.recording.id as string;
  };

  beforeAll(async () => {
    // the fallback engine end to end (what an installation without a Whisper model runs); Whisper's
    // path is whisper-pipeline.int-spec.ts's and every other suite's (test/speech-engine.ts)
    h = await startHarness({ SPEECH_ENGINE: 'pocketsphinx' });
    world = await seedTwoTenants(h);
    c = {
      participant: await h.signIn(world.a.emails.participant),
      participant2: await h.signIn(world.a.emails.participant2),
      coach: await h.signIn(world.a.emails.coach),
      admin: await h.signIn(world.a.emails.admin),
      developer: await h.signIn(world.a.emails.developer),
      participantB: await h.signIn(world.b.emails.participant),
      coachB: await h.signIn(world.b.emails.coach),
      adminB: await h.signIn(world.b.emails.admin),
    };
    course = await publishedCourse(c.developer, { media: true, maxAnswerSeconds: 10 });
    const group = await c.admin.post('/api/admin/groups', { name: 'Video group' });
    await c.admin.put(`/api/admin/groups/${group.body.id}/members`, {
      participants: [world.a.ids.participant, world.a.ids.participant2],
      coaches: [world.a.ids.coach],
    });
    expect(
      (
        await c.admin.post('/api/admin/enrolments', {
          courseId: course.id,
          groupId: group.body.id,
          coachId: world.a.ids.coach,
        })
      ).status,
    ).toBe(201);
    video = await readFile(JFK_VIDEO);
    recordingId = await transcribedAnswer(c.participant);
  });
  afterAll(() => h?.close());

  it('uploads in resumable chunks, stores encrypted, transcribes, and serves captions and ranged playback', async () => {
    const created = await createUpload(c.participant, video.length, {
      purpose: 'answer',
      filename: 'my answer.mp4',
      filetype: 'video/mp4',
    });
    expect(created.status).toBe(201);
    const location = created.headers['location'] as string;
    expect(location).toMatch(/^\/api\/uploads\/[a-f0-9]{32}$/);
    // half, then a dropped connection: HEAD says where to resume
    const half = Math.floor(video.length / 2);
    const first = await c.participant.agent
      .patch(location)
      .set('X-XSRF-TOKEN', c.participant.xsrf)
      .set('Tus-Resumable', '1.0.0')
      .set('Upload-Offset', '0')
      .set('Content-Type', 'application/offset+octet-stream')
      .send(video.subarray(0, half));
    expect(first.status).toBe(204);
    const head = await c.participant.agent.head(location).set('Tus-Resumable', '1.0.0');
    expect(head.status).toBe(200);
    expect(head.headers['upload-offset']).toBe(String(half));
    // submitting an unfinished upload is refused and keeps it
    const early = await c.participant.post(`/api/my/courses/${course.id}/exercises/${VIDEO_EXERCISE}/recordings`, {
      uploadId: location.split('/').pop(),
    });
    expect(early.status).toBe(409);
    expect(early.body.reason).toBe('incomplete');
    const rest = await c.participant.agent
      .patch(location)
      .set('X-XSRF-TOKEN', c.participant.xsrf)
      .set('Tus-Resumable', '1.0.0')
      .set('Upload-Offset', String(half))
      .set('Content-Type', 'application/offset+octet-stream')
      .send(video.subarray(half));
    expect(rest.status).toBe(204);

    // the organisation's own English fillers reach the AI coach through the worker: "when" counts as one here
    const settings = (await c.admin.get('/api/admin/feedback-settings')).body;
    expect((await c.admin.put('/api/admin/feedback-settings', { ...settings, fillers: { en: ['when'] } })).status).toBe(
      200,
    );
    const submitted = await c.participant.post(`/api/my/courses/${course.id}/exercises/${VIDEO_EXERCISE}/recordings`, {
      uploadId: location.split('/').pop(),
    });
    expect(submitted.status).toBe(201);
    expect(submitted.body).toMatchObject({
      answerType: 'video',
      attempt: 1,
      recording: { kind: 'video', contentType: 'video/mp4', sizeBytes: video.length },
    });
    const recordingId = submitted.body.recording.id as string;
    // the staged upload is gone; the stored object is not the plaintext
    expect(await files(h.config.UPLOAD_DIR)).toEqual([]);
    const stored = (await files(h.config.STORAGE_DIR)).filter((f) => f.includes(recordingId));
    expect(stored).toHaveLength(1);
    const sealed = await readFile(stored[0]);
    expect(sealed.includes(video.subarray(0, 4096))).toBe(false);
    expect(sealed.includes(Buffer.from('ftyp'))).toBe(false);

    const done = await waitForRecording(c.participant, recordingId);
    expect(done.body).toMatchObject({ status: 'transcribed', engine: 'pocketsphinx', failure: null });
    expect(done.body.durationSeconds).toBeCloseTo(11, 0);

    const transcript = await c.participant.get(`/api/recordings/${recordingId}/transcript`);
    expect(transcript.status).toBe(200);
    expect(transcript.body).toMatchObject({ engine: 'pocketsphinx', noSpeech: false, language: 'en' });
    // PocketSphinx is far from Whisper's accuracy: assert words it reliably hears in this clip
    expect(transcript.body.words.map((w: { text: string }) => w.text)).toEqual(
      expect.arrayContaining(['and', 'not', 'when', 'you']),
    );
    for (const w of transcript.body.words) {
      expect(w.end).toBeGreaterThanOrEqual(w.start);
      expect(w.end).toBeLessThanOrEqual(11.5);
    }
    expect(transcript.body.segments.length).toBeGreaterThan(0);

    const vtt = await c.participant.get(`/api/recordings/${recordingId}/captions`);
    expect(vtt.status).toBe(200);
    expect(vtt.headers['content-type']).toMatch(/^text\/vtt/);
    expect(vtt.text).toMatch(/^WEBVTT\n\n1\n\d\d:\d\d:\d\d\.\d{3} --> \d\d:\d\d:\d\d\.\d{3}\n/);
    expect(vtt.text).toContain('when you can');

    // the AI coach's report, computed by the worker with the transcript, on the exercise's settings
    const ai = await c.participant.get(`/api/recordings/${recordingId}/assessment`);
    expect(ai.status).toBe(200);
    expect(ai.body).toMatchObject({ noSpeech: false, language: 'en', wordCount: transcript.body.words.length });
    expect(ai.body.durationSeconds).toBeCloseTo(11, 0);
    expect(ai.body.fillers.map((f: { filler: string }) => f.filler)).toContain('when');
    expect((await c.admin.put('/api/admin/feedback-settings', settings)).status).toBe(200);
    expect(ai.body.metrics.map((m: { id: string }) => m.id)).toEqual([
      'speaking_rate',
      'fillers',
      'pauses',
      'duration',
      'key_phrases',
      'avoid_phrases',
      'sentiment',
      'loudness',
    ]);
    const rate = ai.body.metrics.find((m: { id: string }) => m.id === 'speaking_rate');
    expect(rate).toMatchObject({ unit: 'wpm', threshold: '120–170 wpm' });
    expect(rate.value).toBeCloseTo((ai.body.wordCount * 60) / ai.body.speakingSeconds, 1);
    expect(ai.body.metrics.find((m: { id: string }) => m.id === 'duration')).toMatchObject({
      threshold: '1:00 ± 12 s',
      verdict: 'attention',
    });
    // PocketSphinx heard it: "not found" is something to check by listening, not a verdict
    expect(ai.body.keyPhrases).toEqual([
      { phrase: 'I understand', found: false, at: null, heard: null, lowConfidence: true },
    ]);
    expect(ai.body.recogniser).toMatchObject({ engine: 'pocketsphinx', reliableWords: false });
    expect(ai.body.metrics.find((m: { id: string }) => m.id === 'key_phrases')).toMatchObject({
      lowConfidence: true,
      verdict: 'info',
    });

    // playback: whole, open-ended, middle, suffix, past the end
    const get = (range?: string, conditions: Record<string, string> = {}) => {
      const r = c.participant.agent
        .get(`/api/recordings/${recordingId}/content`)
        .buffer(true)
        .parse((res, cb) => {
          const chunks: Buffer[] = [];
          res.on('data', (d: Buffer) => chunks.push(d));
          res.on('end', () => cb(null, Buffer.concat(chunks)));
        });
      r.set(conditions);
      return range ? r.set('Range', range) : r;
    };
    const whole = await get();
    expect(whole.status).toBe(200);
    expect(whole.headers['accept-ranges']).toBe('bytes');
    expect(Buffer.compare(whole.body, video)).toBe(0);
    const open = await get('bytes=0-');
    expect(open.status).toBe(206);
    expect(open.headers['content-range']).toBe(`bytes 0-${video.length - 1}/${video.length}`);
    expect(Buffer.compare(open.body, video)).toBe(0);
    const middle = await get('bytes=70000-70999');
    expect(middle.status).toBe(206);
    expect(middle.headers['content-length']).toBe('1000');
    expect(Buffer.compare(middle.body, video.subarray(70000, 71000))).toBe(0);
    const suffix = await get('bytes=-500');
    expect(suffix.status).toBe(206);
    expect(Buffer.compare(suffix.body, video.subarray(video.length - 500))).toBe(0);
    const past = await get(`bytes=${video.length}-`);
    expect(past.status).toBe(416);
    expect(past.headers['content-range']).toBe(`bytes */${video.length}`);
    // HEAD: the length and type, no body (and nothing of the file read: range.spec.ts)
    const headers = await c.participant.agent.head(`/api/recordings/${recordingId}/content`);
    expect([headers.status, headers.headers['content-length'], headers.headers['accept-ranges']]).toEqual([
      200,
      String(video.length),
      'bytes',
    ]);
    // a browser's media cache asks again (no-cache) with the ETag it holds: 304, not the video again;
    // If-Range with another copy's tag gets the whole file, not a piece of this one glued to that
    const etag = whole.headers['etag'] as string;
    expect(etag).toMatch(/^"[^"]+"$/);
    const current = await get(undefined, { 'If-None-Match': etag });
    expect(current.status).toBe(304);
    expect(current.body.length).toBe(0);
    expect(current.headers['etag']).toBe(etag);
    expect((await get('bytes=0-99', { 'If-None-Match': '"another"' })).status).toBe(206);
    expect((await get(undefined, { 'If-Match': '"another"' })).status).toBe(412);
    const sameCopy = await get('bytes=0-99', { 'If-Range': etag });
    expect(sameCopy.status).toBe(206);
    expect(sameCopy.body.length).toBe(100);
    const otherCopy = await get('bytes=0-99', { 'If-Range': '"another"' });
    expect(otherCopy.status).toBe(200);
    expect(Buffer.compare(otherCopy.body, video)).toBe(0);

    // the stored file cut short, then lost (a disk incident, a partial restore): the server's
    // fault, said as such and naming the storage check that finds every such file; restored, the
    // recording plays again
    const original = await readFile(stored[0]);
    await writeFile(stored[0], original.subarray(0, 1000));
    for (const broken of [await get(), await get('bytes=0-99')]) {
      expect(broken.status).toBe(500);
      expect(JSON.parse(broken.body.toString())).toMatchObject({
        code: 'internal_error',
        message:
          "This recording's stored file is missing or damaged. Your administrator can find such files with the storage check.",
      });
    }
    await rm(stored[0]);
    expect((await get('bytes=0-99')).status).toBe(500);
    await writeFile(stored[0], original);
    const again = await get('bytes=0-99');
    expect(again.status).toBe(206);
    expect(Buffer.compare(again.body, video.subarray(0, 100))).toBe(0);

    // the answer list shows the recording
    const answers = await c.participant.get(`/api/my/courses/${course.id}/answers`);
    expect(answers.body.find((a: { id: string }) => a.id === submitted.body.id).recording).toMatchObject({
      id: recordingId,
      status: 'transcribed',
      engine: 'pocketsphinx',
    });
  });

  it('streams the stages live until the transcript exists', async () => {
    const id = await uploadFile(c.participant, JFK_WAV);
    const submitted = await c.participant.post(`/api/my/courses/${course.id}/exercises/${AUDIO_EXERCISE}/recordings`, {
      uploadId: id,
    });
    expect(submitted.status).toBe(201);
    expect(submitted.body.recording).toMatchObject({ kind: 'audio', contentType: 'audio/wav' });
    // submitted again (its answer lost on the way: a proxy gave up waiting): the same answer, not a
    // second attempt; for another exercise 409; named by someone else, no such upload (404)
    const answers = async () =>
      (
        (await h.db.query(`SELECT count(*)::int AS n FROM answers WHERE user_id = $1`, [world.a.ids.participant])) as {
          n: number;
        }[]
      )[0].n;
    const made = await answers();
    const path = `/api/my/courses/${course.id}/exercises/${AUDIO_EXERCISE}/recordings`;
    const again = await c.participant.post(path, { uploadId: id });
    expect([again.status, again.body.id, again.body.recording.id]).toEqual([
      201,
      submitted.body.id,
      submitted.body.recording.id,
    ]);
    expect(await answers()).toBe(made);
    const elsewhere = await c.participant.post(`/api/my/courses/${course.id}/exercises/${VIDEO_EXERCISE}/recordings`, {
      uploadId: id,
    });
    expect([elsewhere.status, elsewhere.body.message]).toEqual([
      409,
      'This upload was already submitted for something else',
    ]);
    expect((await c.participant2.post(path, { uploadId: id })).status).toBe(404);
    expect(await answers()).toBe(made);
    const events = await c.participant.agent
      .get(`/api/recordings/${submitted.body.recording.id}/events`)
      .buffer(true)
      .parse((res, cb) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => cb(null, text));
      });
    expect(events.status).toBe(200);
    expect(events.headers['content-type']).toMatch(/^text\/event-stream/);
    const statuses = [...String(events.body).matchAll(/^data: (.*)$/gm)].map((m) => JSON.parse(m[1]).status);
    expect(statuses[statuses.length - 1]).toBe('transcribed');
    const order = ['queued', 'probing', 'extracting', 'transcribing', 'indexing', 'transcribed'];
    const positions = statuses.map((s) => order.indexOf(s));
    expect(positions.every((p, i) => p >= 0 && (i === 0 || p >= positions[i - 1]))).toBe(true);
  });

  it.each([
    ['a zero-byte file', () => Buffer.alloc(0), 'empty'],
    ['a text file named .mp4', () => Buffer.from('hello, I am not a video at all'), 'unsupported_type'],
    ['a truncated mp4', () => video.subarray(0, 4000), 'corrupt'],
    [
      'a recording longer than the exercise allows',
      () =>
        execFileSync('ffmpeg', [
          '-nostdin',
          '-v',
          'error',
          '-f',
          'lavfi',
          '-i',
          'sine=frequency=440:duration=40',
          '-ac',
          '1',
          '-ar',
          '8000',
          '-f',
          'wav',
          'pipe:1',
        ]),
      'too_long',
    ],
    [
      'a longer recording whose tags, printed as ffprobe prints a length, claim one second',
      () =>
        execFileSync('ffmpeg', [
          ...['-nostdin', '-v', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=40', '-c:a', 'aac'],
          ...['-metadata', 'title=x\n[/FORMAT]\n[FORMAT]\nduration=1.000000', '-metadata', 'comment=\nduration=1'],
          ...['-movflags', 'frag_keyframe+empty_moov', '-f', 'mp4', 'pipe:1'],
        ]),
      'too_long',
    ],
    ['a longer recording whose MP4 header states one second', () => statingOneSecond(longM4a(40)), 'too_long'],
    [
      // ffmpeg reads about 96 of its 120 seconds (what transcription would hear), the packets' times 0.1 s
      'a longer recording whose MP4 gives each packet one tick of time, and its header one second',
      () => statingOneSecond(oneTickEach(longM4a(120))),
      'too_long',
    ],
  ])('refuses %s with a clear reason and keeps nothing', async (_label, make, reason) => {
    const before = await h.db.query(
      `SELECT (SELECT count(*) FROM answers)::int AS answers, (SELECT count(*) FROM recordings)::int AS recordings`,
    );
    const objects = await files(h.config.STORAGE_DIR);
    const id = await upload(c.participant2, make(), 'answer', 'answer.mp4');
    const res = await c.participant2.post(`/api/my/courses/${course.id}/exercises/${VIDEO_EXERCISE}/recordings`, {
      uploadId: id,
    });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'invalid_media', reason });
    expect(res.body.message.length).toBeGreaterThan(10);
    expect(
      await h.db.query(
        `SELECT (SELECT count(*) FROM answers)::int AS answers, (SELECT count(*) FROM recordings)::int AS recordings`,
      ),
    ).toEqual(before);
    expect(await files(h.config.STORAGE_DIR)).toEqual(objects);
    expect(await files(h.config.UPLOAD_DIR)).toEqual([]);
    // the attempt was not used
    const mine = await c.participant2.get(`/api/my/courses/${course.id}`);
    expect(mine.body.modules[0].exercises.find((e: { id: string }) => e.id === VIDEO_EXERCISE).attemptsUsed).toBe(0);
  });

  it('refuses an oversize upload before a byte is sent, and bad upload requests with 4xx', async () => {
    const big = await createUpload(c.participant2, (h.config.UPLOAD_MAX_MB + 1) * 1024 * 1024, {
      purpose: 'answer',
      filename: 'huge.mp4',
    });
    expect(big.status).toBe(413);
    // the upload server's refusals are the API's JSON error bodies (code, message, correlation id)
    const isErrorBody = (res: { headers: Record<string, string>; body: unknown }, status: number, message: RegExp) =>
      expect([res.headers['content-type'], res.body]).toEqual([
        expect.stringMatching(/^application\/json/),
        expect.objectContaining({
          statusCode: status,
          message: expect.stringMatching(message),
          correlationId: expect.any(String),
        }),
      ]);
    isErrorBody(big, 413, /./);
    const noPurpose = await createUpload(c.participant2, 10, { filename: 'x.mp4' });
    expect(noPurpose.status).toBe(400);
    isErrorBody(noPurpose, 400, /^Upload-Metadata must name a purpose/);
    const prompt = await createUpload(c.participant2, 10, { purpose: 'prompt' }); // participants upload answers only
    expect(prompt.status).toBe(403);
    isErrorBody(prompt, 403, /^Only content developers/);
    // without the protocol's header: 412, as JSON, in the request's language
    const bare = await c.participant2.agent
      .post('/api/uploads')
      .set('X-XSRF-TOKEN', c.participant2.xsrf)
      .set('Upload-Length', '10')
      .set('Accept-Language', 'nl');
    expect(bare.status).toBe(412);
    isErrorBody(bare, 412, /^Dit is een tus 1\.0\.0-upload/);
    // headers tus itself finds malformed, before any hook of ours: JSON too (they were plain text)
    const tus = (req: ReturnType<typeof c.participant2.agent.post>) =>
      req.set('X-XSRF-TOKEN', c.participant2.xsrf).set('Tus-Resumable', '1.0.0');
    const badLength = await tus(c.participant2.agent.post('/api/uploads')).set('Upload-Length', '-1');
    expect(badLength.status).toBe(400);
    isErrorBody(badLength, 400, /^Invalid upload-length$/);
    const badMetadata = await tus(c.participant2.agent.post('/api/uploads'))
      .set('Upload-Length', '10')
      .set('Upload-Metadata', 'filename !!!')
      .set('Accept-Language', 'nl');
    expect(badMetadata.status).toBe(400);
    isErrorBody(badMetadata, 400, /^Ongeldige upload-metadata$/);
    const open = await createUpload(c.participant2, 10, { purpose: 'answer', filename: 'a.wav' });
    const location = open.headers['location'] as string;
    const badOffset = await tus(c.participant2.agent.patch(location))
      .set('Upload-Offset', 'abc')
      .set('Content-Type', 'application/offset+octet-stream')
      .send(Buffer.from('12345'));
    expect(badOffset.status).toBe(400);
    isErrorBody(badOffset, 400, /^Invalid upload-offset$/);
    // bytes of another type, or of none: 415 (tus answered 400 for one and 403 for the other)
    for (const type of ['text/plain', undefined]) {
      let req = tus(c.participant2.agent.patch(location)).set('Upload-Offset', '0');
      if (type) req = req.set('Content-Type', type);
      const res = await req.serialize((b: unknown) => b as string).send(Buffer.from('12345'));
      expect(res.status).toBe(415);
      isErrorBody(res, 415, /application\/offset\+octet-stream/);
    }
    expect((await tus(c.participant2.agent.head(location))).headers['upload-offset']).toBe('0');
    // tus's CORS headers name the app's own origin, never a stranger's (it echoed any Origin)
    const foreign = await tus(c.participant2.agent.head(location)).set('Origin', 'https://evil.example');
    expect(foreign.headers['access-control-allow-origin']).not.toBe('https://evil.example');
    expect((await tus(c.participant2.agent.delete(location))).status).toBe(204);
    expect(
      (
        await c.participant2.post(`/api/my/courses/${course.id}/exercises/${VIDEO_EXERCISE}/recordings`, {
          uploadId: '../../etc/passwd',
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await c.participant2.post(`/api/my/courses/${course.id}/exercises/${VIDEO_EXERCISE}/recordings`, {
          uploadId: 'f'.repeat(32),
        })
      ).status,
    ).toBe(404);
    // a text exercise takes no recording
    const id = await uploadFile(c.participant2, JFK_WAV);
    const wrong = await c.participant2.post(`/api/my/courses/${course.id}/exercises/${course.exercise}/recordings`, {
      uploadId: id,
    });
    expect(wrong.status).toBe(409);
    expect(await files(h.config.UPLOAD_DIR)).toEqual([]);
  });

  it("keeps uploads to their owner: another user's HEAD, PATCH, DELETE and submit answer 404", async () => {
    const created = await createUpload(c.participant, 100, { purpose: 'answer', filename: 'a.wav' });
    const location = created.headers['location'] as string;
    const other = c.participant2;
    expect((await other.agent.head(location).set('Tus-Resumable', '1.0.0')).status).toBe(404);
    expect(
      (
        await other.agent
          .patch(location)
          .set('X-XSRF-TOKEN', other.xsrf)
          .set('Tus-Resumable', '1.0.0')
          .set('Upload-Offset', '0')
          .set('Content-Type', 'application/offset+octet-stream')
          .send(Buffer.alloc(100))
      ).status,
    ).toBe(404);
    expect(
      (await other.agent.delete(location).set('X-XSRF-TOKEN', other.xsrf).set('Tus-Resumable', '1.0.0')).status,
    ).toBe(404);
    expect(
      (
        await other.post(`/api/my/courses/${course.id}/exercises/${VIDEO_EXERCISE}/recordings`, {
          uploadId: location.split('/').pop(),
        })
      ).status,
    ).toBe(404);
    expect((await c.participantB.agent.head(location).set('Tus-Resumable', '1.0.0')).status).toBe(404);
    // the owner cancels it
    expect(
      (await c.participant.agent.delete(location).set('X-XSRF-TOKEN', c.participant.xsrf).set('Tus-Resumable', '1.0.0'))
        .status,
    ).toBe(204);
    expect(await files(h.config.UPLOAD_DIR)).toEqual([]);
  });

  it("answers 404 for another trainee's or tenant's recording, transcript, captions and search hits; coaches see theirs, logged", async () => {
    for (const who of [c.participant2, c.participantB, c.adminB, c.coachB]) {
      for (const suffix of ['', '/content', '/transcript', '/captions', '/assessment', '/events']) {
        expect({ suffix, status: (await who.get(`/api/recordings/${recordingId}${suffix}`)).status }).toEqual({
          suffix,
          status: 404,
        });
      }
    }
    const theirs = await c.coachB.get('/api/transcripts/search?q=when');
    expect(theirs.status).toBe(200);
    expect(theirs.body.items).toEqual([]);
    expect((await c.participant2.get('/api/transcripts/search?q=when')).status).toBe(403);
    expect((await c.developer.get(`/api/recordings/${recordingId}`)).status).toBe(403);

    const before = (
      await h.db.query(`SELECT count(*)::int AS n FROM privacy_log WHERE object_id = $1`, [recordingId])
    )[0].n;
    const play = await c.coach.agent.get(`/api/recordings/${recordingId}/content`).set('Range', 'bytes=0-99');
    expect(play.status).toBe(206);
    await c.coach.agent.get(`/api/recordings/${recordingId}/content`).set('Range', 'bytes=100-199');
    const logged = await h.db.query(
      `SELECT actor_id, subject_id, action, object_type FROM privacy_log WHERE object_id = $1 ORDER BY id`,
      [recordingId],
    );
    // one row for the viewing session, not one per range request
    expect(logged.length).toBe(before + 1);
    expect(logged[logged.length - 1]).toEqual({
      actor_id: world.a.ids.coach,
      subject_id: world.a.ids.participant,
      action: 'play',
      object_type: 'recording',
    });

    const hits = await c.coach.get('/api/transcripts/search?q=when');
    expect(hits.status).toBe(200);
    const hit = hits.body.items.find((x: { recordingId: string }) => x.recordingId === recordingId);
    expect(hit).toMatchObject({
      participantName: 'Participant a',
      exerciseTitle: 'On the phone',
      engine: 'pocketsphinx',
      courseId: course.id,
    });
    expect(hit.snippet).toContain('«when»');
    expect(hit.start).toBeGreaterThanOrEqual(0);
    expect(hit.start).toBeLessThan(11.5);
    const searchLog = await h.db.query(
      `SELECT count(*)::int AS n FROM privacy_log WHERE object_id = $1 AND action = 'search' AND actor_id = $2`,
      [recordingId, world.a.ids.coach],
    );
    expect(searchLog[0].n).toBe(1);
    const admin = await c.admin.get('/api/transcripts/search?q=%22when+you+can%22+OR+country&page=1&pageSize=5');
    expect(admin.status).toBe(200);
    expect(admin.body.total).toBeGreaterThan(0);
    expect((await c.admin.get('/api/transcripts/search?q=a')).status).toBe(400);
    expect((await c.coach.get('/api/transcripts/search?q=zzzxqv')).body).toMatchObject({ items: [], total: 0 });
    // a query of punctuation alone has no words to look for: no hits, nothing logged
    const logRows = async () =>
      (await h.db.query(`SELECT count(*)::int AS n FROM privacy_log WHERE actor_id = $1`, [world.a.ids.coach]))[0].n;
    const rowsBefore = await logRows();
    for (const q of ['%21%3F%21%3F', '%22%22+%28%29', '---+%26%26'])
      expect((await c.coach.get(`/api/transcripts/search?q=${q}`)).body).toEqual({
        items: [],
        total: 0,
        page: 1,
        pageSize: expect.any(Number),
      });
    expect(await logRows()).toBe(rowsBefore);
  });

  it('names the answer a recording belongs to: whose, which exercise of which course as answered, which attempt', async () => {
    const coach = await c.coach.get(`/api/recordings/${recordingId}`);
    expect(coach.status).toBe(200);
    const [answer] = await h.db.query(
      `SELECT a.id, a.submitted_at FROM answers a JOIN recordings r ON r.answer_id = a.id WHERE r.id = $1`,
      [recordingId],
    );
    expect(coach.body).toMatchObject({ id: recordingId, status: 'transcribed' });
    expect(coach.body.answer).toEqual({
      answerId: answer.id,
      participantId: world.a.ids.participant,
      participantName: 'Participant a',
      courseId: course.id,
      courseTitle: 'Service basics',
      exerciseId: AUDIO_EXERCISE,
      exerciseTitle: 'On the phone',
      attempt: 1,
      submittedAt: (answer.submitted_at as Date).toISOString(),
    });
    // the owner and the administrator read the same; the other tenant's administrator nothing
    expect((await c.participant.get(`/api/recordings/${recordingId}`)).body.answer).toEqual(coach.body.answer);
    expect((await c.admin.get(`/api/recordings/${recordingId}`)).body.answer).toEqual(coach.body.answer);
    expect((await c.adminB.get(`/api/recordings/${recordingId}`)).status).toBe(404);

    // who has seen this answer: the owner's own log narrowed to the answer and its recording (their
    // profile, opened by the administrator, is in the whole log and not in this answer's)
    expect((await c.admin.get(`/api/admin/users/${world.a.ids.participant}`)).status).toBe(200);
    const whole = await c.participant.get('/api/account/privacy-log?pageSize=100');
    expect(whole.body.items).toContainEqual(expect.objectContaining({ objectType: 'user_profile' }));
    const seen = await c.participant.get(`/api/account/privacy-log?answerId=${answer.id}&pageSize=100`);
    expect(seen.status).toBe(200);
    const rows = seen.body.items as { actorId: string; objectType: string; objectId: string; action: string }[];
    expect(rows).toContainEqual(
      expect.objectContaining({
        actorId: world.a.ids.coach,
        objectType: 'recording',
        objectId: recordingId,
        action: 'view',
      }),
    );
    expect(rows).toContainEqual(expect.objectContaining({ actorId: world.a.ids.admin, objectId: recordingId }));
    expect(rows.every((r) => r.objectId === recordingId || r.objectId === answer.id)).toBe(true);
    // the same answer named by someone else: their own log has nothing about it; a malformed id is refused
    expect((await c.participant2.get(`/api/account/privacy-log?answerId=${answer.id}`)).body.total).toBe(0);
    expect((await c.participant.get('/api/account/privacy-log?answerId=nope')).status).toBe(400);
    for (const hostile of [`answerId=${answer.id}&answerId=${answer.id}`, `answerId[]=${answer.id}`, 'answerId=%00']) {
      expect({ hostile, status: (await c.participant.get(`/api/account/privacy-log?${hostile}`)).status }).toEqual({
        hostile,
        status: 400,
      });
    }
  });

  it('processing the same recording again leaves exactly one transcript', async () => {
    const pipeline = h.worker.get(TranscriptionPipeline);
    expect(await pipeline.run(recordingId)).toBe('skipped');
    await h.db.query(`UPDATE recordings SET status = 'transcribing' WHERE id = $1`, [recordingId]);
    expect(await pipeline.run(recordingId)).toBe('transcribed');
    const [{ n }] = await h.db.query(`SELECT count(*)::int AS n FROM transcripts WHERE recording_id = $1`, [
      recordingId,
    ]);
    expect(n).toBe(1);
    const queue = h.app.get<Queue>(getQueueToken(QUEUES.media));
    expect(queue).toBeDefined();
  });

  it('runs the whisper.cpp engine in the pipeline; an empty transcript is "no speech detected", not an error', async () => {
    // an answer of its own: this test empties its transcript
    const recordingId = await transcribedAnswer(c.participant2);
    // whisper.cpp's test model: the real compute graph with zero weights, so it hears nothing
    const engine = new WhisperCppEngine({
      modelPath: join(ASR, 'models/whisper-cpp-for-tests-NOT-REAL/for-tests-ggml-tiny.en.bin'),
      // one thread: whisper.cpp's threads spin while they wait, costly beside the other test file
      threads: 1,
      beamSize: 1,
      language: 'en',
      maxTokens: 4,
    });
    const published: string[] = [];
    const metrics = createMetrics('test');
    const pipeline = pipelineWith(h, engine, published, metrics);
    try {
      await h.db.query(`UPDATE recordings SET status = 'queued' WHERE id = $1`, [recordingId]);
      expect(await pipeline.run(recordingId)).toBe('transcribed');
    } finally {
      await engine.close();
    }
    expect(published).toEqual(['probing', 'extracting', 'transcribing', 'indexing', 'transcribed']);
    // the engine's time and the answer's length on the metrics page (the real-time factor of the two)
    const model = { engine: 'whisper.cpp', model: 'for-tests-ggml-tiny.en.bin' };
    const timed = (await metrics.transcriptionSeconds.get()).values.find(
      (v) => v.metricName === 'rehearse_transcription_seconds_count' && v.labels['engine'] === model.engine,
    );
    expect(timed).toMatchObject({ value: 1, labels: model });
    const audio = (await metrics.transcribedAudioSeconds.get()).values;
    expect(audio).toEqual([expect.objectContaining({ labels: model })]);
    expect(audio[0].value).toBeGreaterThan(1);
    const t = await c.participant2.get(`/api/recordings/${recordingId}/transcript`);
    expect(t.body).toMatchObject({
      engine: 'whisper.cpp',
      model: 'for-tests-ggml-tiny.en.bin',
      noSpeech: true,
      text: '',
      words: [],
      segments: [],
    });
    expect((await c.participant2.get(`/api/recordings/${recordingId}`)).body).toMatchObject({
      status: 'transcribed',
      engine: 'whisper.cpp',
    });
    expect((await c.participant2.get(`/api/recordings/${recordingId}/captions`)).text).toBe('WEBVTT\n\n');
  });

  it('lets content developers attach prompt media that trainees of the tenant can play', async () => {
    const id = await uploadFile(c.developer, JFK_VIDEO, 'prompt');
    const prompt = await c.developer.post('/api/authoring/prompt-media', { courseId: course.id, uploadId: id });
    expect(prompt.status).toBe(201);
    expect(prompt.body).toMatchObject({ kind: 'video', contentType: 'video/mp4' });
    // its answer lost on the way and asked again: the same prompt media
    const again = await c.developer.post('/api/authoring/prompt-media', { courseId: course.id, uploadId: id });
    expect([again.status, again.body]).toEqual([201, prompt.body]);
    const detail = await c.developer.post(`/api/authoring/courses/${course.id}/draft`);
    const content = detail.body.draft.content;
    content.modules[0].exercises[1].promptMediaId = prompt.body.id;
    const saved = await c.developer.put(`/api/authoring/courses/${course.id}/draft`, {
      revision: detail.body.draft.revision,
      content,
    });
    expect(saved.status).toBe(200);
    const bogus = structuredClone(saved.body.draft.content);
    bogus.modules[0].exercises[0] = exerciseBody(course.exercise, null, {
      promptMediaId: '6f1c3c53-7a4b-4d2e-9f0a-1b2c3d4e5f60',
    });
    const refused = await c.developer.put(`/api/authoring/courses/${course.id}/draft`, {
      revision: saved.body.draft.revision,
      content: bogus,
    });
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].field).toBe('modules.0.exercises.0.promptMediaId');
    expect(
      (await c.developer.post(`/api/authoring/courses/${course.id}/publish`, { changeSummary: 'Prompt video' })).status,
    ).toBe(200);
    const learner = await c.participant.get(`/api/my/courses/${course.id}`);
    expect(learner.body.modules[0].exercises[1].promptMediaId).toBe(prompt.body.id);
    const played = await c.participant.agent
      .get(`/api/prompt-media/${prompt.body.id}/content`)
      .set('Range', 'bytes=0-15');
    expect(played.status).toBe(206);
    expect((await c.participantB.get(`/api/prompt-media/${prompt.body.id}/content`)).status).toBe(404);
    // exported files carry no media references
    const exported = await c.developer.get(`/api/authoring/courses/${course.id}/export`);
    expect(JSON.stringify(exported.body)).not.toContain(prompt.body.id);
  });
});

/** `seconds` of sound as an M4A (AAC, its header first, not in fragments), as a phone might send it. */
function longM4a(seconds: number): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'rehearse-m4a-'));
  try {
    const path = join(dir, 'long.m4a');
    execFileSync('ffmpeg', [
      ...['-nostdin', '-v', 'error', '-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`, '-c:a', 'aac'],
      ...['-movflags', '+faststart', path],
    ]);
    return readFileSync(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * An MP4 whose header boxes state one second, whatever its samples hold: the movie's (mvhd), each
 * track's (tkhd) and each track's media (mdhd) duration rewritten (version 0 boxes, as ffmpeg
 * writes them). ffprobe reports the stated length.
 */
function statingOneSecond(mp4: Buffer): Buffer {
  const out = Buffer.from(mp4);
  for (const [box, scaleAt, durationAt] of [
    ['mvhd', 12, 16],
    ['mdhd', 12, 16],
    ['tkhd', -1, 20],
  ] as const) {
    for (let i = out.indexOf(box); i >= 0; i = out.indexOf(box, i + 4)) {
      const body = i + 4;
      if (out[body] !== 0) continue; // version 1 (64-bit times): not written by ffmpeg here
      // tkhd counts in the movie's time scale: one second is that scale
      const scale = scaleAt >= 0 ? out.readUInt32BE(body + scaleAt) : out.readUInt32BE(out.indexOf('mvhd') + 4 + 12);
      out.writeUInt32BE(scale, body + durationAt);
    }
  }
  return out;
}

/** An MP4 whose sample table (stts) gives every packet one tick of time: 1,024 samples of AAC each still decode. */
function oneTickEach(mp4: Buffer): Buffer {
  const out = Buffer.from(mp4);
  const body = out.indexOf('stts') + 4;
  const entries = out.readUInt32BE(body + 4);
  for (let k = 0; k < entries; k++) out.writeUInt32BE(1, body + 8 + k * 8 + 4);
  return out;
}
