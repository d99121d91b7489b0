import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sql } from 'kysely';
import { DataSource } from 'typeorm';
import type { AiReport, MediaFailure, RecordingStatus } from '@rehearse/shared/contracts';
import { type Queryable, rows, run, typed } from '@rehearse/server/database';
import type { Envelope } from '@rehearse/server/storage';

/** What a transcription job needs of its recording (the answer's course and the organisation's fillers are theirs to give). */
export interface TranscriptionJob {
  id: string;
  tenant_id: string;
  object_key: string;
  envelope: Envelope;
  status: RecordingStatus;
  answer_id: string;
}

/** A finished transcription: the transcript, its timed words and passages, and the AI coach's report. */
export interface TranscriptionResult {
  engine: string;
  model: string;
  language: string;
  text: string;
  noSpeech: boolean;
  audioSeconds: number;
  processingMs: number;
  words: { start: number; end: number; text: string; confidence: number | null }[];
  segments: { start: number; end: number; text: string }[];
  report: AiReport;
}

/**
 * The worker's statements on a recording being transcribed. A job names only its recording: it
 * is loaded with its own tenant (`job`), and every later statement takes that tenant first.
 */
@Injectable()
export class TranscriptionRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * The answer recording a job names.
   * @withoutTenant a job names only its recording; its tenant comes with it
   */
  async job(recordingId: string): Promise<TranscriptionJob | undefined> {
    const [row] = (await this.db.query(
      `SELECT r.id, r.tenant_id, r.object_key, r.envelope, r.status, r.answer_id FROM recordings r WHERE r.id = $1 AND r.purpose = 'answer'`,
      [recordingId],
    )) as TranscriptionJob[];
    return row;
  }

  /**
   * The recording's tenant and state, for a job that gives up (undefined: the recording is gone).
   * @withoutTenant a job names only its recording; its tenant comes with it
   */
  async state(recordingId: string): Promise<{ id: string; tenant_id: string; status: string } | undefined> {
    const [row] = await rows(
      this.db,
      typed.selectFrom('recordings').select(['id', 'tenant_id', 'status']).where('id', '=', recordingId),
    );
    return row;
  }

  /** One more attempt at the recording. */
  async countAttempt(tenantId: string, recordingId: string): Promise<void> {
    await run(
      this.db,
      typed
        .updateTable('recordings')
        .set({ attempts: sql<number>`attempts + 1` })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', recordingId),
    );
  }

  /**
   * The recording's stage, and why it failed (cleared otherwise). False when there is no such
   * recording any more, or it was deleted meanwhile (its licence ended, its owner erased): a
   * deleted recording stays deleted.
   */
  async setStatus(
    tenantId: string,
    recordingId: string,
    status: RecordingStatus,
    failure?: { reason: MediaFailure; message: string },
  ): Promise<boolean> {
    const { count } = await run(
      this.db,
      typed
        .updateTable('recordings')
        .set({
          status,
          failure: failure?.reason ?? null,
          failure_message: failure?.message ?? null,
          updated_at: sql<Date>`now()`,
        })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', recordingId)
        .where('status', '<>', 'deleted'),
    );
    return count > 0;
  }

  /**
   * Stores the result in one transaction and marks the recording transcribed: the report and the
   * transcript replace any earlier ones (never doubled), words and passages go in one statement each.
   * Nothing is stored (false) when the recording was deleted while it was being transcribed (its
   * licence ended, its owner was erased): a deletion's transcript and report stay gone. The
   * recording's row is locked first, so a deletion either waits for this transaction (and then
   * deletes what it stored) or went first (and this one stores nothing).
   */
  async storeResult(tenantId: string, recordingId: string, result: TranscriptionResult): Promise<boolean> {
    return this.db.transaction(async (m: Queryable) => {
      const [current] = await rows(
        m,
        typed
          .selectFrom('recordings')
          .select('status')
          .where('tenant_id', '=', tenantId)
          .where('id', '=', recordingId)
          .forUpdate(),
      );
      if (!current || current.status === 'deleted') return false;
      await run(
        m,
        typed.deleteFrom('ai_reports').where('tenant_id', '=', tenantId).where('recording_id', '=', recordingId),
      );
      await run(
        m,
        typed
          .insertInto('ai_reports')
          .values({ tenant_id: tenantId, recording_id: recordingId, report: JSON.stringify(result.report) }),
      );
      await run(
        m,
        typed.deleteFrom('transcripts').where('tenant_id', '=', tenantId).where('recording_id', '=', recordingId),
      );
      const [t] = await rows(
        m,
        typed
          .insertInto('transcripts')
          .values({
            tenant_id: tenantId,
            recording_id: recordingId,
            engine: result.engine,
            model: result.model,
            language: result.language,
            text: result.text,
            no_speech: result.noSpeech,
            audio_seconds: result.audioSeconds,
            processing_ms: result.processingMs,
          })
          .returning('id'),
      );
      const w = result.words;
      // any number of words and passages: their fields as arrays, unnested in order
      if (w.length)
        await m.query(
          `INSERT INTO transcript_words (transcript_id, tenant_id, idx, start_s, end_s, text, confidence)
           SELECT $1, $2, i - 1, s, e, x, c FROM unnest($3::real[], $4::real[], $5::text[], $6::real[]) WITH ORDINALITY AS u(s, e, x, c, i)`,
          [
            t.id,
            tenantId,
            w.map((x) => x.start),
            w.map((x) => x.end),
            w.map((x) => x.text.slice(0, 200)),
            w.map((x) => x.confidence),
          ],
        );
      const s = result.segments;
      if (s.length)
        await m.query(
          `INSERT INTO transcript_segments (transcript_id, tenant_id, idx, start_s, end_s, text)
           SELECT $1, $2, i - 1, s, e, x FROM unnest($3::real[], $4::real[], $5::text[]) WITH ORDINALITY AS u(s, e, x, i)`,
          [t.id, tenantId, s.map((x) => x.start), s.map((x) => x.end), s.map((x) => x.text)],
        );
      await run(
        m,
        typed
          .updateTable('recordings')
          .set({
            status: 'transcribed',
            failure: null,
            failure_message: null,
            transcribed_at: sql<Date>`now()`,
            updated_at: sql<Date>`now()`,
          })
          .where('tenant_id', '=', tenantId)
          .where('id', '=', recordingId),
      );
      return true;
    });
  }
}
