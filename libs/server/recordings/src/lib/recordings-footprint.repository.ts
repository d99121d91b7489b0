import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Queryable } from '@rehearse/server/database';
import type { Envelope } from '@rehearse/server/storage';
import { segmentsFromWords, toWebVtt } from './captions';

/** A recording of the person's to copy into their export, with its transcript as text and captions. */
export interface ExportedRecording {
  id: string;
  answer_id: string;
  object_key: string;
  envelope: Envelope;
  container: string;
  text: string | null;
  vtt: string | null;
}

/** What an answer's line in the export says of its recording and AI report. */
export interface AnswerRecordingFacts {
  recordingId: string | null;
  recordingStatus: string | null;
  durationSeconds: number | null;
  uploadedFileName: string | null;
  aiReport: { report: unknown } | null;
}

/**
 * A person's and an organisation's footprint in recordings' tables (recordings, transcripts and
 * their words, AI reports), for privacy's export, erasure and destruction. Methods that take part
 * in privacy's transaction take it last.
 */
@Injectable()
export class RecordingsFootprintRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The ids of the person's answer recordings (a queued job could name one). */
  async jobIdsOf(tenantId: string, userId: string): Promise<string[]> {
    const rows = (await this.db.query(
      `SELECT id::text FROM recordings WHERE owner_id = $1 AND tenant_id = $2 AND purpose = 'answer'`,
      [userId, tenantId],
    )) as { id: string }[];
    return rows.map((r) => r.id);
  }

  /** The person's stored answer recordings not deleted yet: their objects to shred. */
  async storedObjectsOf(tenantId: string, userId: string): Promise<{ id: string; object_key: string }[]> {
    return (await this.db.query(
      `SELECT id, object_key FROM recordings WHERE owner_id = $1 AND tenant_id = $2 AND purpose = 'answer' AND status <> 'deleted'`,
      [userId, tenantId],
    )) as { id: string; object_key: string }[];
  }

  /**
   * How many answer recordings each of these people still has (not deleted): by person, those with none left out.
   * @withoutTenant the retention sweep asks for the people of every organisation at once (their licences, read
   * with their organisations, name them)
   */
  async keptAnswerRecordings(userIds: string[]): Promise<Map<string, number>> {
    if (!userIds.length) return new Map();
    const rows = (await this.db.query(
      `SELECT owner_id, count(*)::int AS n FROM recordings
        WHERE owner_id = ANY($1::uuid[]) AND purpose = 'answer' AND status <> 'deleted' GROUP BY owner_id`,
      [userIds],
    )) as { owner_id: string; n: number }[];
    return new Map(rows.map((r) => [r.owner_id, r.n]));
  }

  /** Each answer's recording and AI report, by answer id, read in the caller's transaction. */
  async factsOfAnswers(
    tenantId: string,
    answerIds: string[],
    m: Queryable,
  ): Promise<Map<string, AnswerRecordingFacts>> {
    if (!answerIds.length) return new Map();
    const rows = (await m.query(
      `SELECT r.answer_id, r.id AS "recordingId", r.status AS "recordingStatus", r.duration_seconds AS "durationSeconds", r.original_name AS "uploadedFileName",
              (SELECT row_to_json(ar) FROM (SELECT report FROM ai_reports WHERE recording_id = r.id) ar) AS "aiReport"
         FROM recordings r WHERE r.answer_id = ANY($1::uuid[]) AND r.tenant_id = $2`,
      [answerIds, tenantId],
    )) as ({ answer_id: string } & AnswerRecordingFacts)[];
    return new Map(rows.map(({ answer_id, ...facts }) => [answer_id, facts]));
  }

  /** The person's answer recordings to copy into their export, each with its transcript's text and captions. */
  async exportOf(tenantId: string, userId: string, m: Queryable): Promise<ExportedRecording[]> {
    const recordings = (await m.query(
      `SELECT id, answer_id, object_key, envelope, container FROM recordings WHERE owner_id = $1 AND tenant_id = $2 AND purpose = 'answer' AND status <> 'deleted' AND envelope IS NOT NULL`,
      [userId, tenantId],
    )) as { id: string; answer_id: string; object_key: string; envelope: Envelope; container: string }[];
    const out: ExportedRecording[] = [];
    for (const rec of recordings) out.push({ ...rec, ...(await this.transcriptFiles(tenantId, rec.id, m)) });
    return out;
  }

  /** How many answer recordings the person has, and transcripts of them (in the erasure's transaction). */
  async countsOf(tenantId: string, userId: string, m: Queryable): Promise<{ recordings: number; transcripts: number }> {
    const [c] = (await m.query(
      `SELECT (SELECT count(*)::int FROM recordings WHERE owner_id = $1 AND tenant_id = $2 AND purpose = 'answer') AS recordings,
              (SELECT count(*)::int FROM transcripts t JOIN recordings r ON r.id = t.recording_id WHERE r.owner_id = $1 AND r.tenant_id = $2 AND r.purpose = 'answer') AS transcripts`,
      [userId, tenantId],
    )) as { recordings: number; transcripts: number }[];
    return c;
  }

  /** Prompt media the person uploaded belongs to the course: it stays, unowned. */
  async releasePromptsOf(tenantId: string, userId: string, m: Queryable): Promise<void> {
    await m.query(
      `UPDATE recordings SET owner_id = NULL WHERE owner_id = $1 AND tenant_id = $2 AND purpose = 'prompt'`,
      [userId, tenantId],
    );
  }

  /** Deletes every recording the person still owns (in the erasure's transaction, after their prompts went free). */
  async deleteOwnedBy(tenantId: string, userId: string, m: Queryable): Promise<void> {
    await m.query(`DELETE FROM recordings WHERE owner_id = $1 AND tenant_id = $2`, [userId, tenantId]);
  }

  /** The ids of the organisation's recordings (a queued job could name one). */
  async organisationJobIds(tenantId: string): Promise<string[]> {
    const rows = (await this.db.query(`SELECT id::text AS id FROM recordings WHERE tenant_id = $1`, [tenantId])) as {
      id: string;
    }[];
    return rows.map((r) => r.id);
  }

  private async transcriptFiles(
    tenantId: string,
    recordingId: string,
    m: Queryable,
  ): Promise<{ text: string | null; vtt: string | null }> {
    const [t] = (await m.query(`SELECT id, text FROM transcripts WHERE recording_id = $1 AND tenant_id = $2`, [
      recordingId,
      tenantId,
    ])) as { id: string; text: string }[];
    if (!t) return { text: null, vtt: null };
    const words = (await m.query(
      `SELECT start_s, end_s, text, confidence FROM transcript_words WHERE transcript_id = $1 ORDER BY idx`,
      [t.id],
    )) as { start_s: number; end_s: number; text: string; confidence: number | null }[];
    return {
      text: t.text,
      vtt: toWebVtt(
        segmentsFromWords(
          words.map((w) => ({ start: w.start_s, end: w.end_s, text: w.text, confidence: w.confidence })),
        ),
      ),
    };
  }
}
