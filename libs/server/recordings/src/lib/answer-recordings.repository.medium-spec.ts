/**
 * Answers' recordings as other libraries show them (AnswerRecordingsRepository) on real PostgreSQL:
 * answers' recordings with their transcript's engine, their AI reports, and an organisation's
 * prompt media — each within the organisation asked about only.
 */
import { openMediumDatabase, type MediumDatabase, type Rows } from '@rehearse/server/database';
import { AnswerRecordingsRepository } from './answer-recordings.repository';

describe('recordings answering courses (medium tier)', () => {
  let m: MediumDatabase;
  let rows: Rows;
  let recordings: AnswerRecordingsRepository;

  beforeAll(async () => {
    m = await openMediumDatabase();
    rows = m.rows;
    recordings = new AnswerRecordingsRepository(m.db);
  });
  afterAll(() => m?.close());

  it('gives each answer its recording and transcript engine, leaves out answers without one and other organisations’', async () => {
    const tenant = await rows.tenant();
    const owner = await rows.user(tenant);
    const course = await rows.course(tenant);
    const transcribed = await rows.answer(tenant, owner, course);
    const waiting = await rows.answer(tenant, owner, course, { attempt: 2 });
    const text = await rows.answer(tenant, owner, course, { attempt: 3 });
    const recording = await rows.recording(tenant, transcribed);
    await rows.recording(tenant, waiting, 'transcribing');
    await m.db.query(
      `INSERT INTO transcripts (tenant_id, recording_id, engine, model, language, text, no_speech, audio_seconds, processing_ms)
       VALUES ($1, $2, 'whisper.cpp', 'tiny.en', 'en', 'Hello', false, 4.5, 900)`,
      [tenant, recording],
    );

    const found = await recordings.ofAnswers(tenant, [transcribed, waiting, text, transcribed]);
    expect([...found.keys()].sort()).toEqual([transcribed, waiting].sort());
    expect(found.get(transcribed)).toMatchObject({
      rec_id: recording,
      rec_has_video: true,
      rec_status: 'transcribed',
      rec_engine: 'whisper.cpp',
      rec_model: 'tiny.en',
    });
    expect(found.get(waiting)).toMatchObject({ rec_status: 'transcribing', rec_engine: null });
    expect(await recordings.ofAnswers(await rows.tenant(), [transcribed, waiting])).toEqual(new Map());
    expect(await recordings.ofAnswers(tenant, [])).toEqual(new Map());

    // the AI coach's report, of the answers that have one
    await m.db.query(`INSERT INTO ai_reports (tenant_id, recording_id, report) VALUES ($1, $2, $3)`, [
      tenant,
      recording,
      JSON.stringify({ wordsPerMinute: 141 }),
    ]);
    const reports = await recordings.aiReportsOfAnswers(tenant, [transcribed, waiting, text]);
    expect([...reports.keys()]).toEqual([transcribed]);
    expect(reports.get(transcribed)).toEqual({ wordsPerMinute: 141 });
    expect(await recordings.aiReportsOfAnswers(await rows.tenant(), [transcribed])).toEqual(new Map());
  });

  it('knows the organisation’s prompt media, not an answer’s recording nor another organisation’s media', async () => {
    const tenant = await rows.tenant();
    const other = await rows.tenant();
    // prompt media as a content developer uploads it for a course of the organisation
    const prompt = async (t: string) =>
      (
        await m.db.query(
          `INSERT INTO recordings (tenant_id, owner_id, purpose, course_id, object_key, envelope, container, content_type, size_bytes, has_video, status)
           VALUES ($1::uuid, NULL, 'prompt', $2, 'tenants/' || $1::text || '/prompts/' || gen_random_uuid(), '{}', 'webm', 'video/webm', 1000, true, 'ready') RETURNING id`,
          [t, (await rows.course(t)).id],
        )
      )[0].id as string;
    const mine = await prompt(tenant);
    const theirs = await prompt(other);
    const owner = await rows.user(tenant);
    const answerRecording = await rows.recording(tenant, await rows.answer(tenant, owner, await rows.course(tenant)));

    expect(await recordings.promptMedia(tenant, [mine, theirs, answerRecording])).toEqual(new Set([mine]));
    expect(await recordings.promptMedia(tenant, [])).toEqual(new Set());
  });
});
