import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { DataSource } from 'typeorm';
import {
  AiReport,
  AiSettings,
  FillerLists,
  MediaFailure,
  RecordingStatus,
  recogniserOf,
} from '@rehearse/shared/contracts';
import { assess, measureAudio } from '@rehearse/server/assessment';
import { APP_CONFIG, AppConfig, WorkFolder } from '@rehearse/server/core';
import { extractPcm, MediaError } from '@rehearse/server/media';
import { noSpeechDetected, SpeechEngine, Transcript } from '@rehearse/server/speech';
import { Envelope, SealedObjects } from '@rehearse/server/storage';
import { segmentsFromWords } from './captions';
import { RecordingEvents } from './recording-events';
import { SPEECH_ENGINE } from './speech-setup';

/** A failure that retrying cannot fix (bad input, no engine for the language). */
export class UnrecoverableMediaError extends Error {
  constructor(
    message: string,
    readonly reason: MediaFailure,
  ) {
    super(message);
  }
}

export type PipelineOutcome = 'transcribed' | 'skipped' | 'failed';

interface JobRow {
  id: string;
  tenant_id: string;
  object_key: string;
  envelope: Envelope;
  status: RecordingStatus;
  language: string;
  exercise_id: string;
  content: { modules?: { exercises?: { id: string; ai?: AiSettings }[] }[] };
  /** the tenant's own filler lists (a language left out uses the built-in list) */
  filler_lists: FillerLists;
}

/** The AI coach's report, from the words, the sound and the exercise's settings in the answered version. */
function aiReport(rec: JobRow, pcm: Float32Array, transcript: Transcript, language: string): AiReport {
  const exercise = (rec.content?.modules ?? []).flatMap((m) => m.exercises ?? []).find((e) => e.id === rec.exercise_id);
  const audio = measureAudio(pcm);
  return assess({
    words: transcript.words,
    durationSeconds: audio.durationSeconds,
    language,
    settings: exercise?.ai ?? {},
    fillers: rec.filler_lists,
    audio,
    recogniser: recogniserOf(transcript.engine, transcript.model),
  });
}

/**
 * probe → extract 16 kHz mono audio → transcribe → store words and passages (the full-text index
 * and the captions come from them) in one transaction. Idempotent: the transcript is replaced,
 * never doubled (one per recording, enforced by a unique key), and a finished recording is skipped.
 * The decrypted media exists only in a private temporary folder that is always removed.
 */
@Injectable()
export class TranscriptionPipeline {
  private readonly logger = new Logger(TranscriptionPipeline.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SPEECH_ENGINE) private readonly engine: SpeechEngine,
    private readonly sealed: SealedObjects,
    private readonly events: RecordingEvents,
    private readonly work: WorkFolder,
  ) {}

  private async stage(
    rec: JobRow,
    status: RecordingStatus,
    failure?: { reason: MediaFailure; message: string },
  ): Promise<void> {
    await this.db.query(
      `UPDATE recordings SET status = $2, failure = $3, failure_message = $4, updated_at = now() WHERE id = $1`,
      [rec.id, status, failure?.reason ?? null, failure?.message ?? null],
    );
    await this.events.publish(rec.tenant_id, {
      id: rec.id,
      status,
      failure: failure?.reason ?? null,
      failureMessage: failure?.message ?? null,
    });
  }

  async run(recordingId: string): Promise<PipelineOutcome> {
    const [rec]: JobRow[] = await this.db.query(
      `SELECT r.id, r.tenant_id, r.object_key, r.envelope, r.status, r.exercise_id, c.language, cv.content, tn.filler_lists
         FROM recordings r JOIN courses c ON c.id = r.course_id JOIN tenants tn ON tn.id = r.tenant_id
         JOIN answers a ON a.id = r.answer_id JOIN course_versions cv ON cv.id = a.course_version_id
        WHERE r.id = $1 AND r.purpose = 'answer'`,
      [recordingId],
    );
    // deleted since it was queued, or already done: nothing to do (a re-delivered job is harmless)
    if (!rec || rec.status === 'transcribed' || rec.status === 'failed' || rec.status === 'deleted') return 'skipped';
    await this.db.query(`UPDATE recordings SET attempts = attempts + 1 WHERE id = $1`, [rec.id]);
    const dir = await this.work.create('media');
    try {
      await this.stage(rec, 'probing');
      const file = join(dir, 'media');
      await pipeline(
        await this.sealed.get({ tenantId: rec.tenant_id, key: rec.object_key }, rec.envelope),
        createWriteStream(file, { mode: 0o600 }),
      );
      // intake checked the file (type, streams, length); decoding finds anything broken since
      await this.stage(rec, 'extracting');
      const pcm = await extractPcm(file, this.config.RECORDING_MAX_SECONDS + 60);
      await this.stage(rec, 'transcribing');
      const language = this.config.WHISPER_LANGUAGE === 'course' ? rec.language : this.config.WHISPER_LANGUAGE;
      const started = Date.now();
      const transcript = await this.engine.transcribe(pcm, { language, workDir: dir }).catch((e: Error) => {
        if (/has only an English model/.test(e.message)) throw new UnrecoverableMediaError(e.message, 'no_engine');
        throw e;
      });
      const processingMs = Date.now() - started;
      await this.stage(rec, 'indexing');
      const segments = segmentsFromWords(transcript.words);
      const report = aiReport(
        rec,
        pcm,
        transcript,
        transcript.language === 'auto' ? rec.language : transcript.language,
      );
      await this.db.transaction(async (m) => {
        await m.query(`DELETE FROM ai_reports WHERE recording_id = $1`, [rec.id]);
        await m.query(`INSERT INTO ai_reports (tenant_id, recording_id, report) VALUES ($1, $2, $3)`, [
          rec.tenant_id,
          rec.id,
          JSON.stringify(report),
        ]);
        await m.query(`DELETE FROM transcripts WHERE recording_id = $1`, [rec.id]);
        const [t]: { id: string }[] = await m.query(
          `INSERT INTO transcripts (tenant_id, recording_id, engine, model, language, text, no_speech, audio_seconds, processing_ms)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id`,
          [
            rec.tenant_id,
            rec.id,
            transcript.engine,
            transcript.model,
            transcript.language,
            transcript.text,
            noSpeechDetected(transcript),
            transcript.audioSeconds,
            processingMs,
          ],
        );
        const w = transcript.words;
        if (w.length) {
          await m.query(
            `INSERT INTO transcript_words (transcript_id, tenant_id, idx, start_s, end_s, text, confidence)
             SELECT $1, $2, i - 1, s, e, x, c FROM unnest($3::real[], $4::real[], $5::text[], $6::real[]) WITH ORDINALITY AS u(s, e, x, c, i)`,
            [
              t.id,
              rec.tenant_id,
              w.map((x) => x.start),
              w.map((x) => x.end),
              w.map((x) => x.text.slice(0, 200)),
              w.map((x) => x.confidence),
            ],
          );
        }
        if (segments.length) {
          await m.query(
            `INSERT INTO transcript_segments (transcript_id, tenant_id, idx, start_s, end_s, text)
             SELECT $1, $2, i - 1, s, e, x FROM unnest($3::real[], $4::real[], $5::text[]) WITH ORDINALITY AS u(s, e, x, i)`,
            [
              t.id,
              rec.tenant_id,
              segments.map((x) => x.start),
              segments.map((x) => x.end),
              segments.map((x) => x.text),
            ],
          );
        }
        await m.query(
          `UPDATE recordings SET status = 'transcribed', failure = NULL, failure_message = NULL, transcribed_at = now(), updated_at = now() WHERE id = $1`,
          [rec.id],
        );
      });
      await this.events.publish(rec.tenant_id, {
        id: rec.id,
        status: 'transcribed',
        failure: null,
        failureMessage: null,
      });
      this.logger.log(
        {
          recordingId: rec.id,
          engine: transcript.engine,
          words: transcript.words.length,
          audioSeconds: transcript.audioSeconds,
          processingMs,
        },
        'transcribed',
      );
      return 'transcribed';
    } catch (e) {
      const failure =
        e instanceof MediaError || e instanceof UnrecoverableMediaError
          ? { reason: e.reason as MediaFailure, message: e.message }
          : null;
      if (!failure) throw e; // retried with backoff by the queue
      await this.stage(rec, 'failed', failure);
      this.logger.warn({ recordingId: rec.id, reason: failure.reason }, 'recording failed');
      return 'failed';
    } finally {
      await rm(dir, { recursive: true, force: true });
      await this.work.removeOrphans().catch(() => 0);
    }
  }

  /** Marks a recording failed after its last retry (the error was not the input's fault). */
  async giveUp(recordingId: string, message: string): Promise<void> {
    const [rec]: JobRow[] = await this.db.query(
      `SELECT r.id, r.tenant_id, r.status FROM recordings r WHERE r.id = $1`,
      [recordingId],
    );
    if (!rec || rec.status === 'transcribed' || rec.status === 'failed') return;
    await this.stage(rec, 'failed', {
      reason: 'processing_failed',
      message: `Processing failed after several attempts: ${message}`,
    });
  }
}
