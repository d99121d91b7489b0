/**
 * RecordingsRepository on real PostgreSQL (the medium tier): a recording, its transcript and AI
 * report read within their organisation only; the worker's sweep finds unfinished answers.
 */
import { randomUUID } from 'node:crypto';
import { openMediumDatabase, type MediumDatabase, type Rows } from '@rehearse/server/database';
import { RecordingsRepository } from './recordings.repository';

describe('RecordingsRepository (medium tier)', () => {
  let m: MediumDatabase;
  let rows: Rows;
  let recordings: RecordingsRepository;

  beforeAll(async () => {
    m = await openMediumDatabase();
    rows = m.rows;
    recordings = new RecordingsRepository(m.db);
  });
  afterAll(() => m?.close());

  async function transcribedAnswer() {
    const tenant = await rows.tenant();
    const owner = await rows.user(tenant);
    const course = await rows.course(tenant);
    const answer = await rows.answer(tenant, owner, course);
    const recording = await rows.recording(tenant, answer);
    const [{ id: transcript }] = await m.db.query(
      `INSERT INTO transcripts (tenant_id, recording_id, engine, model, language, text, no_speech, audio_seconds, processing_ms)
       VALUES ($1, $2, 'whisper.cpp', 'tiny.en', 'en', 'Hello there. Thanks', false, 4.5, 900) RETURNING id`,
      [tenant, recording],
    );
    // stored out of order: read back by their index
    for (const [idx, start, text] of [
      [1, 2.1, 'Thanks'],
      [0, 0, 'Hello there.'],
    ] as const) {
      await m.db.query(
        `INSERT INTO transcript_segments (tenant_id, transcript_id, idx, start_s, end_s, text) VALUES ($1, $2, $3, $4::real, $4::real + 1, $5)`,
        [tenant, transcript, idx, start, text],
      );
      await m.db.query(
        `INSERT INTO transcript_words (tenant_id, transcript_id, idx, start_s, end_s, text, confidence) VALUES ($1, $2, $3, $4::real, $4::real + 0.5, $5, 0.9)`,
        [tenant, transcript, idx, start, text.split(' ')[0]],
      );
    }
    await m.db.query(`INSERT INTO ai_reports (tenant_id, recording_id, report) VALUES ($1, $2, $3)`, [
      tenant,
      recording,
      JSON.stringify({ version: 1, pace: { wordsPerMinute: 140 } }),
    ]);
    return { tenant, owner, course, answer, recording };
  }

  it('reads a recording of the right purpose, its transcript in order and its AI report, within its organisation only', async () => {
    const a = await transcribedAnswer();
    const b = await rows.tenant();
    expect(await recordings.row(a.tenant, a.recording, 'answer')).toMatchObject({
      id: a.recording,
      owner_id: a.owner,
      rec_status: 'transcribed',
      rec_engine: 'whisper.cpp',
    });
    expect(await recordings.row(a.tenant, a.recording, 'prompt')).toBeUndefined();
    expect(await recordings.row(b, a.recording, 'answer')).toBeUndefined();
    const t = await recordings.transcript(a.tenant, a.recording);
    expect(t).toMatchObject({ engine: 'whisper.cpp', model: 'tiny.en', text: 'Hello there. Thanks', no_speech: false });
    expect(t?.segments.map((s) => s.text)).toEqual(['Hello there.', 'Thanks']);
    expect(t?.words.map((w) => w.text)).toEqual(['Hello', 'Thanks']);
    expect(await recordings.transcript(b, a.recording)).toBeUndefined();
    expect(await recordings.aiReport(a.tenant, a.recording)).toEqual({ version: 1, pace: { wordsPerMinute: 140 } });
    expect(await recordings.aiReport(b, a.recording)).toBeUndefined();
    expect(await recordings.status(a.tenant, a.recording)).toEqual({
      status: 'transcribed',
      failure: null,
      failure_message: null,
    });
    expect(await recordings.status(b, a.recording)).toBeUndefined();
  });

  it('stores a new recording, and the sweep finds unfinished answers left long enough, across organisations', async () => {
    const a = await transcribedAnswer();
    const id = randomUUID();
    const another = await rows.answer(a.tenant, a.owner, a.course, { attempt: 2 });
    await m.db.transaction((t) =>
      recordings.insert(
        a.tenant,
        {
          id,
          ownerId: a.owner,
          purpose: 'answer',
          answerId: another,
          courseId: a.course.id,
          exerciseId: a.course.exerciseIds[0],
          objectKey: `tenants/${a.tenant}/recordings/${id}`,
          envelope: {
            format: 1,
            segmentSize: 65536,
            noncePrefix: 'AAAA',
            keyId: 'k',
            wrappedKey: 'w',
            size: 10,
          } as never,
          container: 'webm',
          contentType: 'video/webm',
          sizeBytes: 10,
          durationSeconds: 3.5,
          hasVideo: true,
          originalName: 'answer.webm',
          status: 'queued',
          uploadId: '0123456789abcdef0123456789abcdef',
        },
        t,
      ),
    );
    expect(await recordings.status(a.tenant, id)).toMatchObject({ status: 'queued' });
    // found again by its upload: the owner's, in the organisation; nobody else's
    expect(await recordings.madeFromUpload(a.tenant, a.owner, '0123456789abcdef0123456789abcdef')).toEqual({
      id,
      purpose: 'answer',
      answer_id: another,
      course_id: a.course.id,
      exercise_id: a.course.exerciseIds[0],
      content_type: 'video/webm',
      has_video: true,
      duration_seconds: 3.5,
    });
    const stranger = await rows.user(a.tenant);
    expect(await recordings.madeFromUpload(a.tenant, stranger, '0123456789abcdef0123456789abcdef')).toBeUndefined();
    expect(
      await recordings.madeFromUpload(await rows.tenant(), a.owner, '0123456789abcdef0123456789abcdef'),
    ).toBeUndefined();
    // not untouched long enough yet; then, once its last change is old, found
    expect(await recordings.unfinishedAnswers(3600)).not.toContain(id);
    await m.db.query(`UPDATE recordings SET updated_at = now() - interval '2 hours' WHERE id = $1`, [id]);
    expect(await recordings.unfinishedAnswers(3600)).toContain(id);
    expect(await recordings.unfinishedAnswers(3600)).not.toContain(a.recording);
  });
});
