import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PAUSE_THRESHOLD_SECONDS, speakingSeconds, words as plainWords } from '@rehearse/server/assessment';
import { Client, Harness, seedTwoTenants, startHarness } from '../../test/harness';
import { AUDIO_EXERCISE, publishedCourse } from '../../test/courses';
import { uploadFile, waitForRecording } from '../../test/media';
import { spokenAnswer } from '../../test/speech';

const PARTS = [
  'Thank you for calling customer service. I understand that your order is late.',
  'I am sorry about the delay. Let me check your order right now.',
  'Your parcel will arrive tomorrow morning. Is there anything else I can do for you today?',
];
const SILENCES = [1.5, 2.5]; // seconds, after the first and the second part

/**
 * The AI coach on real speech through the whole product: espeak-ng speech at two rates with
 * silences of known length at known places is uploaded as an answer, processed by the worker
 * (ffmpeg, PocketSphinx, measurement, assessment) and read back from the API.
 */
describe('AI assessment through upload, worker and API on real speech', () => {
  let h: Harness;
  let trainee: Client;
  let course: string;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rehearse-assess-'));
    h = await startHarness();
    const world = await seedTwoTenants(h);
    const dev = await h.signIn(world.a.emails.developer);
    const admin = await h.signIn(world.a.emails.admin);
    course = (await publishedCourse(dev, { media: true })).id;
    expect(
      (await admin.post('/api/admin/enrolments', { courseId: course, userId: world.a.ids.participant })).status,
    ).toBe(201);
    trainee = await h.signIn(world.a.emails.participant);
  });
  afterAll(async () => {
    await h.close();
    await rm(dir, { recursive: true, force: true });
  });

  it.each([130, 200])(
    'at %i wpm: finds every inserted pause, measures the duration, and the rate is words over speaking time',
    async (wpm) => {
      const speech = await spokenAnswer(dir, `answer-${wpm}`, wpm, PARTS, SILENCES);
      const submitted = await trainee.post(`/api/my/courses/${course}/exercises/${AUDIO_EXERCISE}/recordings`, {
        uploadId: await uploadFile(trainee, speech.path),
      });
      expect(submitted.status).toBe(201);
      const id = submitted.body.recording.id;
      expect((await waitForRecording(trainee, id, 120_000)).body.status).toBe('transcribed');
      const report = (await trainee.get(`/api/recordings/${id}/assessment`)).body;
      const transcript = (await trainee.get(`/api/recordings/${id}/transcript`)).body;

      // every inserted pause is found, starting within 0.3 s of where it was inserted, and no other pause of the sound
      for (const [k, start] of speech.pauseStarts.entries()) {
        const found = report.pauses.find((p: { start: number }) => Math.abs(p.start - start) <= 0.3);
        expect({ wpm, pause: k, found: !!found }).toEqual({ wpm, pause: k, found: true });
        expect(found.seconds).toBeGreaterThanOrEqual(SILENCES[k] - 0.3);
        expect(found.source === 'audio' || found.source === 'both').toBe(true);
      }
      // the duration is right within 0.2 s
      expect(Math.abs(report.durationSeconds - speech.durationSeconds)).toBeLessThanOrEqual(0.2);
      // the rate is the transcript's word count over its speaking time (first word to last, less pauses)
      const words = transcript.words as { text: string; start: number; end: number }[];
      expect(report.wordCount).toBe(words.length);
      expect(report.speakingSeconds).toBeCloseTo(speakingSeconds(words, PAUSE_THRESHOLD_SECONDS), 1);
      const rate = report.metrics.find((m: { id: string }) => m.id === 'speaking_rate');
      expect(rate.value).toBeCloseTo((words.length * 60) / report.speakingSeconds, 0);

      // the engine's own word-count error against the script belongs to the engine, not to the metric
      const scripted = PARTS.reduce((n, s) => n + plainWords(s).length, 0);
      console.log(
        `${wpm} wpm script: ${transcript.engine} heard ${words.length} of ${scripted} words (word-count error ${(((words.length - scripted) / scripted) * 100).toFixed(1)} %); rate ${rate.value} wpm over ${report.speakingSeconds} s of speaking; pauses ${JSON.stringify(report.pauses)}`,
      );
    },
    180_000,
  );
});
