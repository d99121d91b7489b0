import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bull';
import { AnswerSummary, PromptMediaView, QUEUES, transcribeJobId } from '@rehearse/shared/contracts';
import { AccessService, Actor } from '@rehearse/server/access';
import { APP_CONFIG, AppConfig, conflict, notFound, traced } from '@rehearse/server/core';
import { CoursesRepository, LearningService } from '@rehearse/server/courses';
import { LENGTH_SLACK_SECONDS } from './recordings.common';
import { UploadIntake } from './upload-intake';
import { type MadeFromUpload, RecordingsRepository } from './recordings.repository';

/**
 * Recordings coming in: a trainee's answer (checked against the exercise, recorded with its answer,
 * then queued for transcription) or a developer's prompt media. The upload's way into the sealed
 * store and the database is UploadIntake's.
 */
@Injectable()
export class RecordingIntakeService {
  private readonly logger = new Logger(RecordingIntakeService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectQueue(QUEUES.media) private readonly queue: Queue,
    private readonly uploads: UploadIntake,
    private readonly access: AccessService,
    private readonly learning: LearningService,
    private readonly courses: CoursesRepository,
    private readonly recordings: RecordingsRepository,
  ) {}

  /**
   * What the upload was already made into by this person, when it was submitted before: a
   * submission can succeed while its answer never reaches the browser (a proxy gave up waiting,
   * the connection dropped), and the browser asks again. It gets the same answer, not a second
   * one (on a test of two attempts, the second). Made into something else (another exercise, or a
   * prompt): 409.
   */
  private async submittedBefore(
    actor: Actor,
    uploadId: string,
    purpose: 'answer' | 'prompt',
    courseId: string,
    exerciseId: string | null,
  ): Promise<MadeFromUpload | null> {
    const made = await this.recordings.madeFromUpload(this.access.tenantOf(actor, 'Course'), actor.userId, uploadId);
    if (!made) return null;
    if (made.purpose !== purpose || made.course_id !== courseId || made.exercise_id !== exerciseId)
      throw conflict('This upload was already submitted for something else');
    return made;
  }

  /**
   * Turns a finished upload into an answer: checks the exercise, checks the file by its content,
   * encrypts it into the store under a server-made key, records answer and recording in one
   * transaction and queues the transcription. Whatever happens, the staged upload is removed; a
   * refused file leaves nothing behind.
   */
  async submitAnswer(actor: Actor, courseId: string, exerciseId: string, uploadId: string): Promise<AnswerSummary> {
    const before = await this.submittedBefore(actor, uploadId, 'answer', courseId, exerciseId);
    const earlier = before && (await this.learning.myAnswers(actor, courseId)).find((a) => a.id === before.answer_id);
    if (earlier) return earlier;
    const { recordingId, answerId } = await this.uploads.store(
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

  /** Queues transcription; a second call for the same recording is a no-op while the job exists. */
  async enqueue(recordingId: string): Promise<void> {
    await this.queue
      .add('transcribe', { recordingId, ...traced() }, { jobId: transcribeJobId(recordingId) })
      .catch((e: Error) => {
        // the worker's sweep finds recordings left queued, so a Redis hiccup delays, never loses, work
        this.logger.warn(`could not queue transcription of ${recordingId}: ${e.message}`);
      });
  }

  /** A content developer's prompt video or audio; referenced from an exercise by its id. */
  async uploadPrompt(actor: Actor, courseId: string, uploadId: string): Promise<PromptMediaView> {
    const before = await this.submittedBefore(actor, uploadId, 'prompt', courseId, null);
    if (before)
      return {
        id: before.id,
        kind: before.has_video ? 'video' : 'audio',
        contentType: before.content_type,
        durationSeconds: before.duration_seconds ?? 0,
      };
    const { recordingId, media } = await this.uploads.store(
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
