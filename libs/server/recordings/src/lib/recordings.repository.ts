import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sql } from 'kysely';
import { DataSource } from 'typeorm';
import { type Queryable, rows, run, typed } from '@rehearse/server/database';
import type { AiReport, MediaFailure, RecordingStatus } from '@rehearse/shared/contracts';
import type { Envelope } from '@rehearse/server/storage';
import { answerOfSql, versionTitlesSql } from '@rehearse/server/courses';
import { RECORDING_ROW, type RecordingRow } from './recordings.common';

/** A recording's states after which no job waits for it. */
export const FINISHED_RECORDING_STATES = ['transcribed', 'failed', 'ready', 'deleted'] as const;

/** A recording's transcript with its timed passages and words. */
export interface StoredTranscript {
  id: string;
  engine: string;
  model: string;
  language: string;
  text: string;
  no_speech: boolean;
  audio_seconds: number;
  created_at: Date;
  segments: { start_s: number; end_s: number; text: string }[];
  words: { start_s: number; end_s: number; text: string; confidence: number | null }[];
}

/** The answer of an answer recording, as `answerOf` reads it. */
export interface RecordingAnswerRow {
  answer_id: string;
  user_id: string;
  course_id: string;
  exercise_id: string;
  attempt: number;
  submitted_at: Date;
  course_title: string | null;
  exercise_title: string | null;
}

/** A new recording's row. */
export interface NewRecording {
  id: string;
  ownerId: string;
  purpose: 'answer' | 'prompt';
  answerId: string | null;
  courseId: string;
  exerciseId: string | null;
  objectKey: string;
  envelope: Envelope;
  container: string;
  contentType: string;
  sizeBytes: number;
  durationSeconds: number | null;
  hasVideo: boolean;
  originalName: string | null;
  status: string;
  /** the upload it was made from (one upload makes one recording: submitting it again finds this one) */
  uploadId: string | null;
}

/** The recording an upload was made into, as a repeated submission answers with it. */
export interface MadeFromUpload {
  id: string;
  purpose: 'answer' | 'prompt';
  answer_id: string | null;
  course_id: string;
  exercise_id: string | null;
  content_type: string;
  has_video: boolean;
  duration_seconds: number | null;
}

/**
 * The statements of recordings on `recordings`, `transcripts` (with their passages and words)
 * and `ai_reports`. Each method takes the tenant first, but the worker's sweep, which looks
 * across organisations (it serves them all): `unfinishedAnswers` answers ids only, and each job
 * loads its recording with the recording's own tenant.
 */
@Injectable()
export class RecordingsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Answer recordings not finished and untouched for `olderThanSeconds`, the longest waiting first.
   * @withoutTenant the worker's sweep re-queues them for every organisation (each job loads its own tenant)
   */
  async unfinishedAnswers(olderThanSeconds: number, limit = 500): Promise<string[]> {
    const found = await rows(
      this.db,
      typed
        .selectFrom('recordings')
        .select('id')
        .where('purpose', '=', 'answer')
        .where('status', 'not in', FINISHED_RECORDING_STATES)
        .where('updated_at', '<', sql<Date>`now() - make_interval(secs => ${olderThanSeconds})`)
        .orderBy('updated_at')
        .limit(limit),
    );
    return found.map((r) => r.id);
  }

  /**
   * Recordings whose media the store holds (those with a data key: not shredded), `limit` at a
   * time after the id `after`, for the storage check.
   * @withoutTenant the operator's storage check covers every organisation
   */
  async storedMedia(
    after: string | null,
    limit: number,
  ): Promise<{ id: string; tenant_id: string; purpose: string; object_key: string; envelope: Envelope }[]> {
    let q = typed
      .selectFrom('recordings')
      .select(['id', 'tenant_id', 'purpose', 'object_key', 'envelope'])
      .where('envelope', 'is not', null)
      .orderBy('id')
      .limit(limit);
    if (after) q = q.where('id', '>', after);
    // (the column's JSON is an envelope as the intake wrote it)
    return (await rows(this.db, q)).map((r) => ({ ...r, envelope: r.envelope as unknown as Envelope }));
  }

  /** The recording of that purpose in the organisation, with what the access checks and summaries need. */
  async row(
    tenantId: string,
    id: string,
    purpose: 'answer' | 'prompt',
    m: Queryable = this.db,
  ): Promise<RecordingRow | undefined> {
    const [row] = (await m.query(`${RECORDING_ROW} WHERE r.id = $1 AND r.tenant_id = $2 AND r.purpose = $3`, [
      id,
      tenantId,
      purpose,
    ])) as RecordingRow[];
    return row;
  }

  /**
   * The answer an answer recording belongs to, with its course's and exercise's titles in the course
   * version answered (the answer and the version through courses' read models).
   */
  async answerOf(
    tenantId: string,
    recordingId: string,
    m: Queryable = this.db,
  ): Promise<RecordingAnswerRow | undefined> {
    const [row] = (await m.query(
      `SELECT r.answer_id, a.user_id, a.course_id, a.exercise_id, a.attempt, a.submitted_at, v.course_title, v.exercise_title
         FROM recordings r
        CROSS JOIN LATERAL (${answerOfSql('r.answer_id')}) a
         LEFT JOIN LATERAL (${versionTitlesSql('a.course_version_id', 'a.exercise_id')}) v ON TRUE
        WHERE r.id = $1 AND r.tenant_id = $2 AND r.purpose = 'answer'`,
      [recordingId, tenantId],
    )) as RecordingAnswerRow[];
    return row;
  }

  /** Where the recording's processing stands. */
  async status(
    tenantId: string,
    id: string,
  ): Promise<{ status: RecordingStatus; failure: MediaFailure | null; failure_message: string | null } | undefined> {
    const [row] = await rows(
      this.db,
      typed
        .selectFrom('recordings')
        .select(['status', 'failure', 'failure_message'])
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id),
    );
    return row as { status: RecordingStatus; failure: MediaFailure | null; failure_message: string | null } | undefined;
  }

  /** The AI coach's report on the recording. */
  async aiReport(tenantId: string, recordingId: string, m: Queryable = this.db): Promise<AiReport | undefined> {
    const [row] = await rows(
      m,
      typed
        .selectFrom('ai_reports')
        .select('report')
        .where('tenant_id', '=', tenantId)
        .where('recording_id', '=', recordingId),
    );
    return row ? (row.report as unknown as AiReport) : undefined;
  }

  /** The recording's transcript with its passages and words in order. */
  async transcript(
    tenantId: string,
    recordingId: string,
    m: Queryable = this.db,
  ): Promise<StoredTranscript | undefined> {
    const [t] = await rows(
      m,
      typed
        .selectFrom('transcripts')
        .select(['id', 'engine', 'model', 'language', 'text', 'no_speech', 'audio_seconds', 'created_at'])
        .where('tenant_id', '=', tenantId)
        .where('recording_id', '=', recordingId),
    );
    if (!t) return undefined;
    const segments = await rows(
      m,
      typed
        .selectFrom('transcript_segments')
        .select(['start_s', 'end_s', 'text'])
        .where('tenant_id', '=', tenantId)
        .where('transcript_id', '=', t.id)
        .orderBy('idx'),
    );
    const words = await rows(
      m,
      typed
        .selectFrom('transcript_words')
        .select(['start_s', 'end_s', 'text', 'confidence'])
        .where('tenant_id', '=', tenantId)
        .where('transcript_id', '=', t.id)
        .orderBy('idx'),
    );
    return { ...t, segments, words };
  }

  /** Stores a new recording's row. */
  async insert(tenantId: string, r: NewRecording, m: Queryable): Promise<void> {
    await run(
      m,
      typed.insertInto('recordings').values({
        id: r.id,
        tenant_id: tenantId,
        owner_id: r.ownerId,
        purpose: r.purpose,
        answer_id: r.answerId,
        course_id: r.courseId,
        exercise_id: r.exerciseId,
        object_key: r.objectKey,
        envelope: JSON.stringify(r.envelope),
        container: r.container,
        content_type: r.contentType,
        size_bytes: r.sizeBytes,
        duration_seconds: r.durationSeconds,
        has_video: r.hasVideo,
        original_name: r.originalName,
        status: r.status,
        upload_id: r.uploadId,
      }),
    );
  }

  /** The recording the person made from this upload, if any (not deleted). */
  async madeFromUpload(tenantId: string, ownerId: string, uploadId: string): Promise<MadeFromUpload | undefined> {
    const [found] = await rows(
      this.db,
      typed
        .selectFrom('recordings')
        .select([
          'id',
          'purpose',
          'answer_id',
          'course_id',
          'exercise_id',
          'content_type',
          'has_video',
          'duration_seconds',
        ])
        .where('tenant_id', '=', tenantId)
        .where('owner_id', '=', ownerId)
        .where('upload_id', '=', uploadId)
        .where('status', '<>', 'deleted'),
    );
    return found as MadeFromUpload | undefined;
  }

  /** The person's answer recordings not deleted yet, locked until the caller's transaction ends. */
  async lockAnswerRecordingsOf(
    tenantId: string,
    ownerId: string,
    m: Queryable,
  ): Promise<{ id: string; object_key: string }[]> {
    return rows(
      m,
      typed
        .selectFrom('recordings')
        .select(['id', 'object_key'])
        .where('tenant_id', '=', tenantId)
        .where('owner_id', '=', ownerId)
        .where('purpose', '=', 'answer')
        .where('status', '<>', 'deleted')
        .forUpdate(),
    );
  }

  /**
   * Shreds the recordings' data in the database: transcripts (with their words and passages) and
   * AI reports go, the data keys (envelopes) are dropped, and each recording is marked deleted.
   */
  async shred(tenantId: string, ids: string[], at: Date, m: Queryable): Promise<void> {
    if (!ids.length) return;
    await run(m, typed.deleteFrom('transcripts').where('tenant_id', '=', tenantId).where('recording_id', 'in', ids));
    await run(m, typed.deleteFrom('ai_reports').where('tenant_id', '=', tenantId).where('recording_id', 'in', ids));
    await run(
      m,
      typed
        .updateTable('recordings')
        .set({ status: 'deleted', envelope: null, deleted_at: at, updated_at: at })
        .where('tenant_id', '=', tenantId)
        .where('id', 'in', ids),
    );
  }
}
