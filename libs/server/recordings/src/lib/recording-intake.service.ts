import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bull';
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { DataSource, EntityManager } from 'typeorm';
import { AnswerSummary, PromptMediaView, QUEUES, RecordingStatus, transcribeJobId } from '@rehearse/shared/contracts';
import { AccessService, Actor } from '@rehearse/server/access';
import { APP_CONFIG, AppConfig, notFound, WorkFolder } from '@rehearse/server/core';
import { CoursesRepository, LearningService } from '@rehearse/server/courses';
import { BLOB_STORE, BlobStore, SealedObjects } from '@rehearse/server/storage';
import { IntakeRules, PreparedMedia, prepareMedia } from './media-intake';
import { UploadStaging } from './upload-staging';
import { LENGTH_SLACK_SECONDS } from './recordings.common';
import { RecordingsRepository } from './recordings.repository';

/**
 * Recordings coming in: a trainee's answer or a developer's prompt media, from the staged upload
 * through the intake checks into the sealed store and the database, then queued for transcription.
 */
@Injectable()
export class RecordingIntakeService {
  private readonly logger = new Logger(RecordingIntakeService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(BLOB_STORE) private readonly store: BlobStore,
    @InjectQueue(QUEUES.media) private readonly queue: Queue,
    private readonly sealed: SealedObjects,
    private readonly staging: UploadStaging,
    private readonly access: AccessService,
    private readonly learning: LearningService,
    private readonly work: WorkFolder,
    private readonly recordings: RecordingsRepository,
    private readonly courses: CoursesRepository,
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
            await this.recordings.insert(
              tenantId,
              {
                id,
                ownerId: actor.userId,
                purpose,
                answerId: r.answerId,
                courseId: r.courseId,
                exerciseId: r.exerciseId,
                objectKey: key,
                envelope,
                container: media.container,
                contentType: media.contentType,
                sizeBytes: media.size,
                durationSeconds: media.info.durationSeconds,
                hasVideo: media.info.hasVideo,
                originalName: staged.filename,
                status: r.status,
              },
              m,
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
        if (!(await this.courses.exists(this.access.tenantOf(actor, 'Course'), courseId))) throw notFound('Course');
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
}
