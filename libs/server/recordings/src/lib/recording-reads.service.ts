import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Observable, defer, from, map, merge, takeWhile } from 'rxjs';
import { DataSource, EntityManager } from 'typeorm';
import {
  AiReport,
  isFinalStatus,
  RecordingDetail,
  RecordingEvent,
  RecordingSummary,
  TranscriptView,
} from '@rehearse/shared/contracts';
import { AccessService, Actor, PrivacyLogRepository, PrivacyLogService, PrivacyRead } from '@rehearse/server/access';
import { PeopleDirectoryRepository } from '@rehearse/server/accounts';
import { AppError, Clock, notFound, translateApiMessage } from '@rehearse/server/core';
import { toRecordingSummary } from '@rehearse/server/courses';
import {
  ByteRange,
  decideRead,
  MediaRequest,
  rangedResponse,
  SealedObjectError,
  SealedObjects,
} from '@rehearse/server/storage';
import { RecordingEvents } from './recording-events';
import { toWebVtt } from './captions';
import { MediaResponse, READ_LOG_WINDOW_MINUTES, RecordingRow } from './recordings.common';
import { RecordingsRepository } from './recordings.repository';

/**
 * Reading a recording: its summary, ranged playback, transcript, captions, AI report and live
 * status, each behind the access checks (tenant, owner, coach, administrator, licence) and
 * privacy-logged when it is someone else's.
 */
@Injectable()
export class RecordingReadsService {
  private readonly logger = new Logger(RecordingReadsService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly sealed: SealedObjects,
    private readonly access: AccessService,
    private readonly privacy: PrivacyLogService,
    private readonly privacyLog: PrivacyLogRepository,
    private readonly events: RecordingEvents,
    private readonly clock: Clock,
    private readonly recordings: RecordingsRepository,
    private readonly people: PeopleDirectoryRepository,
  ) {}

  /**
   * An answer recording the actor may see (or 404): the access core's checks 3 and 4 for
   * `recording.read` (own, coach, administrator, or a peer it is shared with), then the row.
   */
  private async visible(
    m: EntityManager,
    actor: Actor,
    id: string,
    opts: { deleted?: boolean } = {},
  ): Promise<RecordingRow> {
    const tenantId = this.access.tenantOf(actor, 'Recording');
    await this.access.require(actor, 'recording.read', id, m);
    const row = await this.recordings.row(tenantId, id, 'answer', m);
    // a recording deleted after licence expiry keeps its summary; its media, transcript and captions are gone
    if (!row || (row.rec_status === 'deleted' && !opts.deleted)) throw notFound('Recording');
    return row;
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
      const logged = await this.privacyLog.loggedSince(m, row.tenant_id, {
        actorId: actor.userId,
        impersonatorId: actor.impersonatorId,
        objectType,
        objectId: row.id,
        action,
        since,
      });
      if (logged) return;
    }
    await this.privacy.record(m, actor, read);
  }

  /** A recording's status and the answer it belongs to (whose, which exercise of which course, which attempt). */
  async summary(actor: Actor, id: string): Promise<RecordingDetail> {
    return this.db.transaction(async (m) => {
      const row = await this.visible(m, actor, id, { deleted: true });
      const answer = await this.recordings.answerOf(row.tenant_id, row.id, m);
      if (!answer) throw notFound('Recording');
      const names = await this.people.names(row.tenant_id, [answer.user_id], m);
      await this.logRead(m, actor, row, 'recording', 'view', true);
      return {
        ...(toRecordingSummary(row, actor.profile?.locale ?? null) as RecordingSummary),
        answer: {
          answerId: answer.answer_id,
          participantId: answer.user_id,
          participantName: names.get(answer.user_id) ?? '',
          courseId: answer.course_id,
          courseTitle: answer.course_title ?? '',
          exerciseId: answer.exercise_id,
          exerciseTitle: answer.exercise_title ?? '',
          attempt: answer.attempt,
          submittedAt: answer.submitted_at.toISOString(),
        },
      };
    });
  }

  /** Playback of an answer recording with HTTP Range support; privacy-logged for others' recordings. */
  async answerMedia(actor: Actor, id: string, request: MediaRequest): Promise<MediaResponse> {
    const row = await this.db.transaction(async (m) => {
      const r = await this.visible(m, actor, id);
      await this.logRead(m, actor, r, 'recording', 'play', true);
      return r;
    });
    return this.mediaResponse(row, request);
  }

  /** Prompt media: training content, readable by every member of its tenant. */
  async promptMedia(actor: Actor, id: string, request: MediaRequest): Promise<MediaResponse> {
    const tenantId = this.access.tenantOf(actor, 'Prompt media');
    const row = await this.recordings.row(tenantId, id, 'prompt');
    if (!row) throw notFound('Prompt media');
    return this.mediaResponse(row, request);
  }

  /**
   * The media's answer to a GET: whole, a range, 416 past the end, or, for the conditional
   * headers a browser's media cache sends, 304 (the copy it holds is current: `no-cache` makes it
   * ask, and it need not fetch the video again), 412, or the whole body where If-Range names
   * another copy. The entity tag is strong: a recording's bytes never change under its id.
   */
  private mediaResponse(row: RecordingRow, request: MediaRequest): Promise<MediaResponse> {
    const size = row.envelope.size;
    const etag = `"${row.id}-${size}"`;
    return rangedResponse(
      decideRead(request, size, etag),
      size,
      {
        'Content-Type': row.rec_content_type,
        'Cache-Control': 'private, no-cache',
        'Content-Disposition': 'inline',
        ETag: etag,
      },
      request.head ? null : (range) => this.open(row, range),
    );
  }

  /**
   * The recording's bytes, decrypted. A stored file missing or of another size than its envelope
   * says (a disk incident, a partial restore) is the server's fault, said as such: the operator
   * finds every such file with `npm run storage:check`, and the log names this one.
   */
  private async open(row: RecordingRow, range?: ByteRange) {
    try {
      return await this.sealed.get({ tenantId: row.tenant_id, key: row.object_key }, row.envelope, range);
    } catch (e) {
      if (!(e instanceof SealedObjectError)) throw e;
      this.logger.error(
        { recordingId: row.id, tenantId: row.tenant_id, objectKey: row.object_key, problem: e.message },
        'A recording cannot be read from the store (npm run storage:check lists every such object)',
      );
      throw new AppError(
        HttpStatus.INTERNAL_SERVER_ERROR,
        'internal_error',
        "This recording's stored file is missing or damaged. Your administrator can find such files with the storage check.",
      );
    }
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
      const report = await this.recordings.aiReport(row.tenant_id, row.id, m);
      if (!report) throw notFound('AI report');
      await this.logRead(m, actor, row, 'ai_report', 'view', true);
      return report;
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
    const t = await this.recordings.transcript(row.tenant_id, row.id, m);
    if (!t) throw notFound('Transcript');
    const { segments, words } = t;
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
    const current = defer(() => from(this.recordings.status(row.tenant_id, id))).pipe(
      map((r): RecordingEvent => ({
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
}
