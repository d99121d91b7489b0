/**
 * TranscriptionRepository on real PostgreSQL (the medium tier): a transcription that finishes after
 * its recording was deleted (the licence ended, the owner was erased) stores nothing and leaves
 * the recording deleted, whichever of the two comes first.
 */
import type { AiReport } from '@rehearse/shared/contracts';
import { openMediumDatabase, type MediumDatabase, type Rows } from '@rehearse/server/database';
import { RecordingsRepository } from './recordings.repository';
import { type TranscriptionResult, TranscriptionRepository } from './transcription.repository';

const RESULT: TranscriptionResult = {
  engine: 'whisper.cpp',
  model: 'ggml-tiny.en.bin',
  language: 'en',
  text: 'My address is 12 Elm Street',
  noSpeech: false,
  audioSeconds: 3,
  processingMs: 900,
  words: ['My', 'address', 'is', '12', 'Elm', 'Street'].map((text, i) => ({
    start: i / 2,
    end: i / 2 + 0.4,
    text,
    confidence: 0.9,
  })),
  segments: [{ start: 0, end: 3, text: 'My address is 12 Elm Street' }],
  report: { version: 1 } as unknown as AiReport,
};

describe('TranscriptionRepository (medium tier)', () => {
  let m: MediumDatabase;
  let rows: Rows;
  let jobs: TranscriptionRepository;
  let recordings: RecordingsRepository;

  beforeAll(async () => {
    m = await openMediumDatabase();
    rows = m.rows;
    jobs = new TranscriptionRepository(m.db);
    recordings = new RecordingsRepository(m.db);
  });
  afterAll(() => m?.close());

  /** an answer recording being transcribed */
  async function inProgress() {
    const tenant = await rows.tenant();
    const owner = await rows.user(tenant);
    const answer = await rows.answer(tenant, owner, await rows.course(tenant));
    return { tenant, owner, recording: await rows.recording(tenant, answer, 'transcribing') };
  }

  /** what is kept of the recording: its state and how many transcripts, words and AI reports */
  async function kept(recording: string) {
    const [row] = await m.db.query(
      `SELECT r.status,
              (SELECT count(*)::int FROM transcripts t WHERE t.recording_id = r.id) AS transcripts,
              (SELECT count(*)::int FROM transcript_words w JOIN transcripts t ON t.id = w.transcript_id WHERE t.recording_id = r.id) AS words,
              (SELECT count(*)::int FROM ai_reports a WHERE a.recording_id = r.id) AS reports
         FROM recordings r WHERE r.id = $1`,
      [recording],
    );
    return row;
  }

  it('stores the result of a recording still there: its transcript, words and report, marked transcribed', async () => {
    const r = await inProgress();
    expect(await jobs.setStatus(r.tenant, r.recording, 'indexing')).toBe(true);
    expect(await jobs.storeResult(r.tenant, r.recording, RESULT)).toBe(true);
    expect(await kept(r.recording)).toEqual({ status: 'transcribed', transcripts: 1, words: 6, reports: 1 });
  });

  it('stores nothing for a recording deleted while it was being transcribed, and no stage or failure brings it back', async () => {
    const r = await inProgress();
    // the licence expiry's deletion, between the transcription's start and its end
    await m.db.transaction((t) => recordings.shred(r.tenant, [r.recording], new Date(), t));
    expect(await jobs.setStatus(r.tenant, r.recording, 'indexing')).toBe(false);
    expect(
      await jobs.setStatus(r.tenant, r.recording, 'failed', { reason: 'processing_failed', message: 'gave up' }),
    ).toBe(false);
    expect(await jobs.storeResult(r.tenant, r.recording, RESULT)).toBe(false);
    expect(await kept(r.recording)).toEqual({ status: 'deleted', transcripts: 0, words: 0, reports: 0 });
  });

  it('stores nothing for a recording erased with its owner meanwhile (its row gone)', async () => {
    const r = await inProgress();
    await m.db.query(`DELETE FROM recordings WHERE id = $1`, [r.recording]);
    expect(await jobs.setStatus(r.tenant, r.recording, 'indexing')).toBe(false);
    expect(await jobs.storeResult(r.tenant, r.recording, RESULT)).toBe(false);
    const [{ n }] = await m.db.query(`SELECT count(*)::int AS n FROM transcripts WHERE recording_id = $1`, [
      r.recording,
    ]);
    expect(n).toBe(0);
  });

  it('a result that comes while the deletion is under way waits for it, then stores nothing', async () => {
    const r = await inProgress();
    // the shredder's transaction: the person's recordings locked, then shredded
    const deletion = m.db.createQueryRunner();
    await deletion.connect();
    try {
      await deletion.startTransaction();
      const locked = await recordings.lockAnswerRecordingsOf(r.tenant, r.owner, deletion.manager);
      expect(locked.map((x) => x.id)).toEqual([r.recording]);
      const storing = jobs.storeResult(r.tenant, r.recording, RESULT);
      await recordings.shred(r.tenant, [r.recording], new Date(), deletion.manager);
      // (the result is still waiting for the recording's row)
      expect(await kept(r.recording)).toEqual({ status: 'transcribing', transcripts: 0, words: 0, reports: 0 });
      await deletion.commitTransaction();
      expect(await storing).toBe(false);
    } finally {
      await deletion.release();
    }
    expect(await kept(r.recording)).toEqual({ status: 'deleted', transcripts: 0, words: 0, reports: 0 });
  });
});
