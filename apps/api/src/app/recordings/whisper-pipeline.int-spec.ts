import { normaliseWords, wordErrors } from '@rehearse/server/speech';
import { Client, Harness, seedTwoTenants, startHarness } from '../../test/harness';
import { AUDIO_EXERCISE, publishedCourse } from '../../test/courses';
import { JFK_WAV, uploadFile, waitForRecording } from '../../test/media';

const JFK_TEXT =
  'And so my fellow Americans ask not what your country can do for you ask what you can do for your country';

/**
 * The whole recording path once on real Whisper (tiny.en, provisioned by npm test): upload →
 * worker → transcript with DTW word times and confidence → AI report → captions → search.
 */
describe('the recording pipeline on real Whisper', () => {
  let h: Harness;
  let participant: Client;
  let coach: Client;
  let recordingId: string;

  beforeAll(async () => {
    // the harness's installation transcribes with real Whisper: tiny.en through whisper.cpp's
    // program, one thread (testSpeechEnv in ../../test/speech-engine.ts)
    h = await startHarness();
    const world = await seedTwoTenants(h);
    const developer = await h.signIn(world.a.emails.developer);
    const admin = await h.signIn(world.a.emails.admin);
    participant = await h.signIn(world.a.emails.participant);
    coach = await h.signIn(world.a.emails.coach);
    const course = await publishedCourse(developer, { media: true });
    const group = await admin.post('/api/admin/groups', { name: 'Whisper group' });
    await admin.put(`/api/admin/groups/${group.body.id}/members`, {
      participants: [world.a.ids.participant],
      coaches: [world.a.ids.coach],
    });
    await admin.post('/api/admin/enrolments', { courseId: course.id, groupId: group.body.id });
    const answer = await participant.post(`/api/my/courses/${course.id}/exercises/${AUDIO_EXERCISE}/recordings`, {
      uploadId: await uploadFile(participant, JFK_WAV),
    });
    expect(answer.status).toBe(201);
    recordingId = answer.body.recording.id;
    // the pipeline runs once, here: each test below reads what it left
    const done = await waitForRecording(participant, recordingId, 120_000);
    expect(done.body).toMatchObject({ status: 'transcribed', engine: 'whisper.cpp' });
  }, 300_000);
  afterAll(() => h?.close());

  it('transcribes the answer with Whisper: the known sentence, timed words with confidence', async () => {
    const t = await participant.get(`/api/recordings/${recordingId}/transcript`);
    expect(t.status).toBe(200);
    expect(t.body.model).toBe('ggml-tiny.en.bin');
    expect(wordErrors(JFK_TEXT, t.body.text).wer).toBeLessThanOrEqual(0.05);
    expect(t.body.words.map((w: { text: string }) => normaliseWords(w.text).join(' '))).toEqual(
      normaliseWords(JFK_TEXT),
    );
    for (const w of t.body.words) {
      expect(w.end).toBeGreaterThanOrEqual(w.start);
      expect(w.confidence).toBeGreaterThan(0);
    }
    expect(t.body.words[0].start).toBeLessThan(1);
  });

  it('the AI report, the captions and the search all come from Whisper’s words', async () => {
    const report = await participant.get(`/api/recordings/${recordingId}/assessment`);
    expect(report.status).toBe(200);
    const rate = report.body.metrics.find((m: { id: string }) => m.id === 'speaking_rate');
    expect(rate.value).toBeGreaterThan(100);
    expect(rate.value).toBeLessThan(200);
    const captions = await participant.get(`/api/recordings/${recordingId}/captions`);
    expect(captions.text).toMatch(/^WEBVTT/);
    expect(captions.text).toMatch(/your country/i);
    const hits = await coach.get('/api/transcripts/search?q=americans');
    expect(hits.status).toBe(200);
    expect(hits.body.items.map((i: { recordingId: string }) => i.recordingId)).toContain(recordingId);
  });
});
