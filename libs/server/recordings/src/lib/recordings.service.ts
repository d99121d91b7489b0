import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bull';
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { Observable, defer, from, map, merge, takeWhile } from 'rxjs';
import { DataSource, EntityManager } from 'typeorm';
import {
  AiReport,
  AnswerSummary,
  isFinalStatus,
  MediaFailure,
  Page,
  PromptMediaView,
  QUEUES,
  RecordingEvent,
  RecordingStatus,
  RecordingSummary,
  TranscriptSearchHit,
  TranscriptView,
  transcribeJobId,
} from '@rehearse/shared/contracts';
import { AccessService, Actor, PrivacyLogService, PrivacyRead } from '@rehearse/server/access';
import { APP_CONFIG, AppConfig, Clock, notFound, translateApiMessage, WorkFolder } from '@rehearse/server/core';
import {
  answersShown,
  coachedPairs,
  coachesOwner,
  exerciseTitleSql,
  LearningService,
  RECORDING_SUMMARY_COLUMNS,
  RecordingSummaryRow,
  sharedWithPeer,
  toRecordingSummary,
} from '@rehearse/server/courses';
import { BLOB_STORE, BlobStore, ByteRange, Envelope, SealedObjects } from '@rehearse/server/storage';
import { IntakeRules, PreparedMedia, prepareMedia } from './media-intake';
import { parseRange } from './range';
import { RecordingEvents } from './recording-events';
import { toWebVtt } from './captions';
import { UploadStaging } from './upload-staging';

/** A recording row with what the access checks need. */
interface RecordingRow extends RecordingSummaryRow {
  id: string;
  tenant_id: string;
  owner_id: string | null;
  purpose: 'answer' | 'prompt';
  object_key: string;
  envelope: Envelope;
  size_bytes: string;
}

/** What a media read answers: a status, headers and (except for 416) a body. */
export interface MediaResponse {
  status: 200 | 206 | 416;
  headers: Record<string, string>;
  body: Readable | null;
}

const RECORDING_ROW = `SELECT r.tenant_id, r.owner_id, r.purpose, r.object_key, r.envelope, r.size_bytes, ${RECORDING_SUMMARY_COLUMNS}, r.id
  FROM recordings r LEFT JOIN transcripts t ON t.recording_id = r.id`;

/** Repeated reads of the same recording by the same person within this window are one privacy-log entry (a player issues many range requests). */
const READ_LOG_WINDOW_MINUTES = 10;
/** Transcript search ranks at most this many of the newest matching passages. */
export const SEARCH_CANDIDATES = 500;

/** Slack over an exercise's maximum answer length (browsers stop a recorder a little late). */
const LENGTH_SLACK_SECONDS = 15;

/**
 * Who may see an answer recording (check 3): its owner; their coach; an administrator of the
 * tenant. The tenant is checked separately, before.
 */
function visibleTo(r: string, actorParam: string, coachParam: string, adminParam: string): string {
  return `(${r}.owner_id = ${actorParam} OR ${adminParam} OR (${coachParam} AND ${coachesOwner(`${r}.owner_id`, `${r}.course_id`, actorParam)}))`;
}

@Injectable()
export class RecordingsService {
  private readonly logger = new Logger(RecordingsService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(BLOB_STORE) private readonly store: BlobStore,
    @InjectQueue(QUEUES.media) private readonly queue: Queue,
    private readonly sealed: SealedObjects,
    private readonly staging: UploadStaging,
    private readonly access: AccessService,
    private readonly privacy: PrivacyLogService,
    private readonly learning: LearningService,
    private readonly events: RecordingEvents,
    private readonly clock: Clock,
    private readonly work: WorkFolder,
  ) {}

  /**
   * Turns a finished upload into an answer: checks the exercise, checks the file by its content,
   * encrypts it into the store under a server-made key, records answer and recording in one
   * transaction and queues the transcription. Whatever happens, the staged upload is removed; a
   * refused file leaves nothing behind.
   */
  async submitAnswer(actor: Actor, courseId: string, exerciseId: string, uploadId: string): Promise<AnswerSummary> {
    const { recordingId, answerId } = await this.intake(
      actor,
      uploadId,
      'answer',
      async () => {
        const { exercise } = await this.learning.answerable(actor, courseId, exerciseId, 'media');
        const maxSeconds = Math.min(
          this.config.RECORDING_MAX_SECONDS,
          exercise.maxAnswerSeconds + LENGTH_SLACK_SECONDS,
        );
        return { maxSeconds, dropVideo: exercise.answerType === 'audio', requireAudio: true };
      },
      async (m) => {
        const answer = await this.learning.createAnswer(m, actor, courseId, exerciseId, 'media', null);
        return { answerId: answer.id, courseId, exerciseId, status: 'queued' as const };
      },
    );
    await this.enqueue(recordingId);
    return (await this.learning.myAnswers(actor, courseId)).find((a) => a.id === answerId) as AnswerSummary;
  }

  /**
   * The common path of every upload: the staged file is checked with `rules`, sealed into the
   * store, and its row inserted in a transaction with what `row` adds (an answer, say). If the
   * transaction fails the stored object is deleted; the staged upload and work files always go.
   */
  private async intake<
    T extends { answerId: string | null; courseId: string; exerciseId: string | null; status: RecordingStatus },
  >(
    actor: Actor,
    uploadId: string,
    purpose: 'answer' | 'prompt',
    rules: () => Promise<IntakeRules>,
    row: (m: EntityManager) => Promise<T>,
  ): Promise<T & { recordingId: string; media: PreparedMedia }> {
    const tenantId = this.access.tenantOf(actor, 'Course');
    const staged = await this.staging.take(actor, uploadId, purpose);
    try {
      const media = await prepareMedia(staged.path, await rules(), this.work);
      try {
        const id = randomUUID();
        const key = `tenants/${tenantId}/${purpose === 'answer' ? 'recordings' : 'prompts'}/${id}`;
        // a participant's answer is sealed under their own key (destroyed when they are forgotten); prompts under the tenant's
        const envelope = await this.sealed.put(
          { tenantId, key, ownerId: purpose === 'answer' ? actor.userId : null },
          createReadStream(media.path),
          media.size,
        );
        try {
          const extra = await this.db.transaction(async (m) => {
            const r = await row(m);
            await m.query(
              `INSERT INTO recordings (id, tenant_id, owner_id, purpose, answer_id, course_id, exercise_id, object_key, envelope, container, content_type, size_bytes, duration_seconds, has_video, original_name, status)
               VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16)`,
              [
                id,
                tenantId,
                actor.userId,
                purpose,
                r.answerId,
                r.courseId,
                r.exerciseId,
                key,
                envelope,
                media.container,
                media.contentType,
                media.size,
                media.info.durationSeconds,
                media.info.hasVideo,
                staged.filename,
                r.status,
              ],
            );
            return r;
          });
          return { ...extra, recordingId: id, media };
        } catch (e) {
          await this.store.delete(key).catch(() => undefined);
          throw e;
        }
      } finally {
        await media.dispose();
      }
    } finally {
      await this.staging.discard(uploadId);
    }
  }

  /** Queues transcription; a second call for the same recording is a no-op while the job exists. */
  async enqueue(recordingId: string): Promise<void> {
    await this.queue.add('transcribe', { recordingId }, { jobId: transcribeJobId(recordingId) }).catch((e: Error) => {
      // the worker's sweep finds recordings left queued, so a Redis hiccup delays, never loses, work
      this.logger.warn(`could not queue transcription of ${recordingId}: ${e.message}`);
    });
  }

  /** A content developer's prompt video or audio; referenced from an exercise by its id. */
  async uploadPrompt(actor: Actor, courseId: string, uploadId: string): Promise<PromptMediaView> {
    const { recordingId, media } = await this.intake(
      actor,
      uploadId,
      'prompt',
      async () => {
        const [course]: unknown[] = await this.db.query(`SELECT 1 FROM courses WHERE id = $1 AND tenant_id = $2`, [
          courseId,
          this.access.tenantOf(actor, 'Course'),
        ]);
        if (!course) throw notFound('Course');
        return { maxSeconds: this.config.RECORDING_MAX_SECONDS, dropVideo: false, requireAudio: false };
      },
      async () => ({ answerId: null, courseId, exerciseId: null, status: 'ready' as const }),
    );
    return {
      id: recordingId,
      kind: media.info.hasVideo ? 'video' : 'audio',
      contentType: media.contentType,
      durationSeconds: media.info.durationSeconds,
    };
  }

  /** An answer recording the actor may see (or 404), with the four checks in order; peers it is shared with may play it too (not search it). */
  private async visible(
    m: EntityManager,
    actor: Actor,
    id: string,
    opts: { deleted?: boolean } = {},
  ): Promise<RecordingRow> {
    const tenantId = this.access.tenantOf(actor, 'Recording');
    const rows: RecordingRow[] = await m.query(
      `${RECORDING_ROW} WHERE r.id = $1 AND r.tenant_id = $2 AND r.purpose = 'answer' AND ${answersShown('r.owner_id', '$7')} AND (${visibleTo('r', '$3', '$4', '$5')} OR ($6::boolean AND ${sharedWithPeer('r.answer_id', 'r.owner_id', 'r.course_id', '$3', '$7')}))`,
      [
        id,
        tenantId,
        actor.userId,
        actor.permissions.has('coaching.read'),
        actor.roles.includes('administrator'),
        actor.permissions.has('courses.learn'),
        this.clock.today(),
      ],
    );
    // a recording deleted after licence expiry keeps its summary; its media, transcript and captions are gone
    if (!rows[0] || (rows[0].rec_status === 'deleted' && !opts.deleted)) throw notFound('Recording');
    return rows[0];
  }

  /** Writes the privacy-log row for a read of someone else's recording, once per window for repeated reads. */
  private async logRead(
    m: EntityManager,
    actor: Actor,
    row: RecordingRow,
    objectType: string,
    action: string,
    dedupe: boolean,
  ): Promise<void> {
    if (!row.owner_id || !PrivacyLogService.mustLog(actor, row.owner_id)) return;
    const read: PrivacyRead = {
      subjectId: row.owner_id,
      tenantId: row.tenant_id,
      objectType,
      objectId: row.id,
      action,
    };
    if (dedupe) {
      const since = new Date(this.clock.now().getTime() - READ_LOG_WINDOW_MINUTES * 60_000);
      const recent: unknown[] = await m.query(
        `SELECT 1 FROM privacy_log WHERE actor_id = $1 AND object_id = $2 AND action = $3 AND object_type = $4 AND impersonator_id IS NOT DISTINCT FROM $5 AND at > $6 LIMIT 1`,
        [actor.userId, row.id, action, objectType, actor.impersonatorId, since],
      );
      if (recent.length) return;
    }
    await this.privacy.record(m, actor, read);
  }

  async summary(actor: Actor, id: string): Promise<RecordingSummary> {
    return this.db.transaction(async (m) => {
      const row = await this.visible(m, actor, id, { deleted: true });
      await this.logRead(m, actor, row, 'recording', 'view', true);
      return toRecordingSummary(row, actor.profile?.locale ?? null) as RecordingSummary;
    });
  }

  /** Playback of an answer recording with HTTP Range support; privacy-logged for others' recordings. */
  async answerMedia(actor: Actor, id: string, rangeHeader: string | undefined): Promise<MediaResponse> {
    const row = await this.db.transaction(async (m) => {
      const r = await this.visible(m, actor, id);
      await this.logRead(m, actor, r, 'recording', 'play', true);
      return r;
    });
    return this.mediaResponse(row, rangeHeader);
  }

  /** Prompt media: training content, readable by every member of its tenant. */
  async promptMedia(actor: Actor, id: string, rangeHeader: string | undefined): Promise<MediaResponse> {
    const tenantId = this.access.tenantOf(actor, 'Prompt media');
    const rows: RecordingRow[] = await this.db.query(
      `${RECORDING_ROW} WHERE r.id = $1 AND r.tenant_id = $2 AND r.purpose = 'prompt'`,
      [id, tenantId],
    );
    if (!rows[0]) throw notFound('Prompt media');
    return this.mediaResponse(rows[0], rangeHeader);
  }

  private async mediaResponse(row: RecordingRow, rangeHeader: string | undefined): Promise<MediaResponse> {
    const size = row.envelope.size;
    const base: Record<string, string> = {
      'Accept-Ranges': 'bytes',
      'Content-Type': row.rec_content_type,
      'Cache-Control': 'private, no-cache',
      'Content-Disposition': 'inline',
      ETag: `"${row.id}-${size}"`,
    };
    const range = parseRange(rangeHeader, size);
    if (range === 'unsatisfiable')
      return { status: 416, headers: { ...base, 'Content-Range': `bytes */${size}` }, body: null };
    const ref = { tenantId: row.tenant_id, key: row.object_key };
    if (size === 0) return { status: 200, headers: { ...base, 'Content-Length': '0' }, body: null };
    if (!range)
      return {
        status: 200,
        headers: { ...base, 'Content-Length': String(size) },
        body: await this.sealed.get(ref, row.envelope),
      };
    const r: ByteRange = range;
    return {
      status: 206,
      headers: {
        ...base,
        'Content-Length': String(r.end - r.start + 1),
        'Content-Range': `bytes ${r.start}-${r.end}/${size}`,
      },
      body: await this.sealed.get(ref, row.envelope, r),
    };
  }

  async transcript(actor: Actor, id: string): Promise<TranscriptView> {
    return this.db.transaction(async (m) => {
      const row = await this.visible(m, actor, id);
      const view = await this.readTranscript(m, row);
      await this.logRead(m, actor, row, 'transcript', 'view', true);
      return view;
    });
  }

  /** The AI coach's report on an answered recording (computed by the worker after transcription). */
  async assessment(actor: Actor, id: string): Promise<AiReport> {
    return this.db.transaction(async (m) => {
      const row = await this.visible(m, actor, id);
      const [r]: { report: AiReport }[] = await m.query(
        `SELECT report FROM ai_reports WHERE recording_id = $1 AND tenant_id = $2`,
        [row.id, row.tenant_id],
      );
      if (!r) throw notFound('AI report');
      await this.logRead(m, actor, row, 'ai_report', 'view', true);
      return r.report;
    });
  }

  async captions(actor: Actor, id: string): Promise<string> {
    return this.db.transaction(async (m) => {
      const row = await this.visible(m, actor, id);
      const view = await this.readTranscript(m, row);
      await this.logRead(m, actor, row, 'transcript', 'captions', true);
      return toWebVtt(view.segments);
    });
  }

  private async readTranscript(m: EntityManager, row: RecordingRow): Promise<TranscriptView> {
    const [t]: {
      id: string;
      engine: string;
      model: string;
      language: string;
      text: string;
      no_speech: boolean;
      audio_seconds: number;
      created_at: Date;
    }[] = await m.query(
      `SELECT id, engine, model, language, text, no_speech, audio_seconds, created_at FROM transcripts WHERE recording_id = $1 AND tenant_id = $2`,
      [row.id, row.tenant_id],
    );
    if (!t) throw notFound('Transcript');
    const segments: { start_s: number; end_s: number; text: string }[] = await m.query(
      `SELECT start_s, end_s, text FROM transcript_segments WHERE transcript_id = $1 ORDER BY idx`,
      [t.id],
    );
    const words: { start_s: number; end_s: number; text: string; confidence: number | null }[] = await m.query(
      `SELECT start_s, end_s, text, confidence FROM transcript_words WHERE transcript_id = $1 ORDER BY idx`,
      [t.id],
    );
    return {
      recordingId: row.id,
      engine: t.engine,
      model: t.model,
      language: t.language,
      text: t.text,
      noSpeech: t.no_speech,
      audioSeconds: t.audio_seconds,
      segments: segments.map((s) => ({ start: s.start_s, end: s.end_s, text: s.text })),
      words: words.map((w) => ({ start: w.start_s, end: w.end_s, text: w.text, confidence: w.confidence })),
      createdAt: t.created_at.toISOString(),
    };
  }

  /**
   * Live stages of a recording until it is final: the current state from the database first
   * (subscribed before reading, so no change falls between), then the worker's announcements.
   */
  async watch(actor: Actor, id: string): Promise<Observable<RecordingEvent>> {
    const row = await this.db.transaction(async (m) => {
      const r = await this.visible(m, actor, id, { deleted: true });
      await this.logRead(m, actor, r, 'recording', 'view', true);
      return r;
    });
    const live = this.events.watch(row.tenant_id, id);
    const current = defer(() =>
      from(
        this.db.query(`SELECT status, failure, failure_message FROM recordings WHERE id = $1`, [id]) as Promise<
          { status: RecordingStatus; failure: MediaFailure | null; failure_message: string | null }[]
        >,
      ),
    ).pipe(
      map(([r]): RecordingEvent => ({
        id,
        status: r?.status ?? 'failed',
        failure: r?.failure ?? null,
        failureMessage: r?.failure_message ?? null,
      })),
    );
    // a failure in the reader's words
    const locale = actor.profile?.locale ?? null;
    return merge(current, live).pipe(
      map((e) => (e.failureMessage ? { ...e, failureMessage: translateApiMessage(locale, e.failureMessage) } : e)),
      takeWhile((e) => !isFinalStatus(e.status), true),
    );
  }

  /**
   * Full-text search over the transcripts of recordings the actor may see; every hit on someone
   * else's recording is privacy-logged.
   *
   * Shaped for a large organisation: the passages a person may see are narrowed first (their own,
   * plus those of the people they coach; all of the organisation only for an administrator), the
   * newest SEARCH_CANDIDATES matching passages are taken (an index walk for a common word, the
   * full-text index for a rare one), and only those are ranked, so neither the work nor the answer
   * grows with the organisation. Beyond that many matches the total is a lower bound.
   */
  async search(actor: Actor, q: string, page: number, pageSize: number): Promise<Page<TranscriptSearchHit>> {
    const tenantId = this.access.tenantOf(actor, 'Transcript');
    const admin = actor.roles.includes('administrator');
    const coach = actor.permissions.has('coaching.read');
    // whose passages: an administrator's organisation; otherwise the actor's own transcripts and
    // those of the people they coach, found from the coach's side (a common word would otherwise
    // walk the whole organisation's passages to find the coach's few)
    const candidates = admin
      ? `candidates AS MATERIALIZED (
           SELECT s.transcript_id, s.idx, s.start_s, s.end_s, s.text, s.tsv
             FROM transcript_segments s
            WHERE s.tenant_id = $1 AND s.tsv @@ $2::tsquery
            ORDER BY s.created_at DESC
            LIMIT ${SEARCH_CANDIDATES})`
      : `${coach ? `pairs AS MATERIALIZED (SELECT DISTINCT user_id, course_id FROM (${coachedPairs('$3', '$1')}) c),` : ''}
         visible AS MATERIALIZED (
           SELECT t.id, t.created_at FROM recordings r JOIN transcripts t ON t.recording_id = r.id
            WHERE r.owner_id = $3 AND r.purpose = 'answer' AND r.tenant_id = $1
           ${
             coach
               ? `UNION ALL
           SELECT t.id, t.created_at FROM pairs p
             JOIN recordings r ON r.owner_id = p.user_id AND r.course_id = p.course_id AND r.purpose = 'answer' AND r.tenant_id = $1
             JOIN transcripts t ON t.recording_id = r.id
            WHERE p.user_id <> $3`
               : ''
           }),
         -- newest transcripts first, each one's matching passages, until enough are found: a common
         -- word stops after a few hundred transcripts instead of reading all the coach's passages
         candidates AS MATERIALIZED (
           SELECT s.transcript_id, s.idx, s.start_s, s.end_s, s.text, s.tsv, v.created_at
             FROM (SELECT id, created_at FROM visible ORDER BY created_at DESC, id) v
             CROSS JOIN LATERAL (
               SELECT s.transcript_id, s.idx, s.start_s, s.end_s, s.text, s.tsv FROM transcript_segments s
                WHERE s.transcript_id = v.id AND s.tsv @@ $2::tsquery) s
            LIMIT ${SEARCH_CANDIDATES})`;
    // the query as a tsquery value first: planned as a constant, its words' statistics let
    // PostgreSQL choose between walking the newest passages (a common word) and the full-text
    // index (a rare one); a query made only of punctuation finds nothing
    const [{ tsq }]: { tsq: string }[] = await this.db.query(`SELECT websearch_to_tsquery('simple', $1)::text AS tsq`, [
      q,
    ]);
    if (!tsq.trim()) return { items: [], total: 0, page, pageSize };
    return this.privacy.readWithLog(actor, async (m) => {
      const rows: {
        start_s: number;
        end_s: number;
        snippet: string;
        recording_id: string;
        answer_id: string;
        owner_id: string;
        name: string;
        course_id: string;
        exercise_id: string;
        course_title: string;
        exercise_title: string | null;
        engine: string;
        submitted_at: Date;
        total: number;
        candidates: number;
      }[] = await m.query(
        `WITH ${candidates},
              hits AS (
                SELECT c.*, r.id AS recording_id, r.answer_id, r.owner_id, a.course_id, a.exercise_id, a.course_version_id, t.engine, a.submitted_at,
                       ts_rank(c.tsv, $2::tsquery) AS rank, count(*) OVER ()::int AS total, (SELECT count(*) FROM candidates)::int AS candidates
                  FROM candidates c
                  JOIN transcripts t ON t.id = c.transcript_id
                  JOIN recordings r ON r.id = t.recording_id AND r.purpose = 'answer' AND r.tenant_id = $1
                  JOIN answers a ON a.id = r.answer_id
                 WHERE ${visibleTo('r', '$3', '$4', '$5')} AND ${answersShown('r.owner_id', '$8')}
                 ORDER BY rank DESC, a.submitted_at DESC, c.idx
                 LIMIT $6 OFFSET $7)
         SELECT h.start_s, h.end_s, ts_headline('simple', h.text, $2::tsquery, 'StartSel=«, StopSel=», MaxFragments=1, MinWords=8, MaxWords=30') AS snippet,
                h.recording_id, h.answer_id, h.owner_id, (SELECT u.name FROM users u WHERE u.id = h.owner_id) AS name, h.course_id, h.exercise_id, v.content->>'title' AS course_title,
                ${exerciseTitleSql('v.content', 'h.exercise_id')} AS exercise_title,
                h.engine, h.submitted_at, h.total, h.candidates
           FROM hits h
           JOIN course_versions v ON v.id = h.course_version_id
          ORDER BY h.rank DESC, h.submitted_at DESC, h.idx`,
        [tenantId, tsq, actor.userId, coach, admin, pageSize, (page - 1) * pageSize, this.clock.today()],
      );
      const items = rows.map((r): TranscriptSearchHit => ({
        recordingId: r.recording_id,
        answerId: r.answer_id,
        participantId: r.owner_id,
        participantName: r.name,
        courseId: r.course_id,
        courseTitle: r.course_title,
        exerciseId: r.exercise_id,
        exerciseTitle: r.exercise_title ?? '',
        start: r.start_s,
        end: r.end_s,
        snippet: r.snippet,
        engine: r.engine,
        submittedAt: r.submitted_at.toISOString(),
      }));
      const seen = new Set<string>();
      const log: PrivacyRead[] = [];
      for (const h of items) {
        if (seen.has(h.recordingId)) continue;
        seen.add(h.recordingId);
        log.push({
          subjectId: h.participantId,
          tenantId,
          objectType: 'transcript',
          objectId: h.recordingId,
          action: 'search',
        });
      }
      const capped = (rows[0]?.candidates ?? 0) >= SEARCH_CANDIDATES;
      return {
        value: { items, total: rows[0]?.total ?? 0, page, pageSize, ...(capped ? { totalIsLowerBound: true } : {}) },
        log,
      };
    });
  }
}
