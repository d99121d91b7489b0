import { Client, Harness, seedTwoTenants, startHarness } from '../../test/harness';
import { AUDIO_EXERCISE, publishedCourse } from '../../test/courses';
import { JFK_WAV, uploadFile } from '../../test/media';

/**
 * A recording's live status stream (server-sent events) does not outlive the access it was opened
 * with: it ends after EVENT_STREAM_MAX_SECONDS (1 s here; 300 by default) and the browser opens it
 * again through every access check (the stream's `retry`), so a sign-out stops it. No media worker:
 * the recording stays queued, as one waiting for a busy worker does.
 */
describe('the live status stream of a recording', () => {
  let h: Harness;
  let participant: Client;
  let recordingId: string;

  beforeAll(async () => {
    h = await startHarness({ EVENT_STREAM_MAX_SECONDS: '1' }, { mediaWorker: false });
    const world = await seedTwoTenants(h);
    const dev = await h.signIn(world.a.emails.developer);
    const admin = await h.signIn(world.a.emails.admin);
    const course = await publishedCourse(dev, { media: true });
    await admin.post('/api/admin/enrolments', { courseId: course.id, userId: world.a.ids.participant });
    participant = await h.signIn(world.a.emails.participant);
    const submitted = await participant.post(`/api/my/courses/${course.id}/exercises/${AUDIO_EXERCISE}/recordings`, {
      uploadId: await uploadFile(participant, JFK_WAV),
    });
    expect(submitted.status).toBe(201);
    recordingId = submitted.body.recording.id;
  });
  afterAll(() => h?.close());

  const stream = (client: Client) =>
    client.agent
      .get(`/api/recordings/${recordingId}/events`)
      .buffer(true)
      .parse((res, cb) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => cb(null, text));
      });

  it('ends after its time with the recording still waiting; opened again it says where it is; after a sign-out it is refused', async () => {
    const started = Date.now();
    const first = await stream(participant);
    expect(first.status).toBe(200);
    // it ended by itself (the recording is not done) and told the browser to come back
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(String(first.body)).toMatch(/^retry: 3000$/m);
    expect([...String(first.body).matchAll(/^data: (.*)$/gm)].map((m) => JSON.parse(m[1]).status)).toEqual(['queued']);
    expect((await stream(participant)).status).toBe(200);
    expect((await participant.post('/api/auth/logout')).status).toBeLessThan(300);
    expect((await stream(participant)).status).toBe(401);
  });
});
