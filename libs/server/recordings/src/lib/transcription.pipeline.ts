import { Inject, Injectable, Logger } from '@nestjs/common';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import {
  type AiReport,
  type AiSettings,
  type FillerLists,
  type MediaFailure,
  type RecordingStatus,
  recogniserOf,
} from '@rehearse/shared/contracts';
import { TenantsRepository } from '@rehearse/server/accounts';
import { LearningRepository } from '@rehearse/server/courses';
import { assess, measureAudio } from '@rehearse/server/assessment';
import { APP_CONFIG, AppConfig, METRICS, type Metrics, WorkFolder } from '@rehearse/server/core';
import { extractPcm, MediaError } from '@rehearse/server/media';
import { noSpeechDetected, SpeechEngine, Transcript } from '@rehearse/server/speech';
import { SealedObjects } from '@rehearse/server/storage';
import { segmentsFromWords } from './captions';
import { RecordingEvents } from './recording-events';
import { SPEECH_ENGINE } from './speech-setup';
import { type TranscriptionJob, TranscriptionRepository } from './transcription.repository';

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

/** A job's recording with what its course and organisation say: the language, the answered version, the fillers. */
type JobRow = TranscriptionJob & {
  language: string;
  exercise_id: string;
  content: { modules?: { exercises?: { id: string; ai?: AiSettings }[] }[] };
  /** the tenant's own filler lists (a language left out uses the built-in list) */
  filler_lists: FillerLists;
};

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
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SPEECH_ENGINE) private readonly engine: SpeechEngine,
    private readonly sealed: SealedObjects,
    private readonly events: RecordingEvents,
    private readonly work: WorkFolder,
    private readonly jobs: TranscriptionRepository,
    private readonly answers: LearningRepository,
    private readonly tenants: TenantsRepository,
    @Inject(METRICS) private readonly metrics: Metrics,
  ) {}

  /** The recording a job names, with its answer's course language and version and its organisation's fillers. */
  private async job(recordingId: string): Promise<JobRow | undefined> {
    const rec = await this.jobs.job(recordingId);
    if (!rec) return undefined;
    const answered = await this.answers.answeredVersion(rec.tenant_id, rec.answer_id);
    if (!answered) return undefined;
    const settings = await this.tenants.feedbackSettings(rec.tenant_id);
    return { ...rec, ...answered, filler_lists: settings?.fillers ?? {} };
  }

  /** Moves the recording to `status` and tells its pages; false (nothing told) when it was deleted meanwhile. */
  private async stage(
    rec: { id: string; tenant_id: string },
    status: RecordingStatus,
    failure?: { reason: MediaFailure; message: string },
  ): Promise<boolean> {
    if (!(await this.jobs.setStatus(rec.tenant_id, rec.id, status, failure))) return false;
    await this.events.publish(rec.tenant_id, {
      id: rec.id,
      status,
      failure: failure?.reason ?? null,
      failureMessage: failure?.message ?? null,
    });
    return true;
  }

  /** A recording deleted while it was being worked on (its licence ended, its owner erased): its words are not kept. */
  private deletedMeanwhile(rec: { id: string }): PipelineOutcome {
    this.logger.log({ recordingId: rec.id }, 'recording deleted while it was being transcribed: nothing stored');
    return 'skipped';
  }

  async run(recordingId: string): Promise<PipelineOutcome> {
    const rec = await this.job(recordingId);
    // deleted since it was queued, or already done: nothing to do (a re-delivered job is harmless)
    if (!rec || rec.status === 'transcribed' || rec.status === 'failed' || rec.status === 'deleted') return 'skipped';
    await this.jobs.countAttempt(rec.tenant_id, rec.id);
    const dir = await this.work.create('media');
    try {
      if (!(await this.stage(rec, 'probing'))) return this.deletedMeanwhile(rec);
      const file = join(dir, 'media');
      await pipeline(
        await this.sealed.get({ tenantId: rec.tenant_id, key: rec.object_key }, rec.envelope),
        createWriteStream(file, { mode: 0o600 }),
      );
      // intake checked the file (type, streams, length); decoding finds anything broken since
      if (!(await this.stage(rec, 'extracting'))) return this.deletedMeanwhile(rec);
      const pcm = await extractPcm(file, this.config.RECORDING_MAX_SECONDS + 60);
      if (!(await this.stage(rec, 'transcribing'))) return this.deletedMeanwhile(rec);
      const language = this.config.WHISPER_LANGUAGE === 'course' ? rec.language : this.config.WHISPER_LANGUAGE;
      const started = Date.now();
      const transcript = await this.engine.transcribe(pcm, { language, workDir: dir }).catch((e: Error) => {
        if (/has only an English model/.test(e.message)) throw new UnrecoverableMediaError(e.message, 'no_engine');
        throw e;
      });
      const processingMs = Date.now() - started;
      if (!(await this.stage(rec, 'indexing'))) return this.deletedMeanwhile(rec);
      const segments = segmentsFromWords(transcript.words);
      const report = aiReport(
        rec,
        pcm,
        transcript,
        transcript.language === 'auto' ? rec.language : transcript.language,
      );
      const stored = await this.jobs.storeResult(rec.tenant_id, rec.id, {
        engine: transcript.engine,
        model: transcript.model,
        language: transcript.language,
        text: transcript.text,
        noSpeech: noSpeechDetected(transcript),
        audioSeconds: transcript.audioSeconds,
        processingMs,
        words: transcript.words,
        segments,
        report,
      });
      if (!stored) return this.deletedMeanwhile(rec);
      const measured = { engine: transcript.engine, model: transcript.model };
      this.metrics.transcriptionSeconds.observe(measured, processingMs / 1000);
      this.metrics.transcribedAudioSeconds.inc(measured, transcript.audioSeconds);
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
      if (!(await this.stage(rec, 'failed', failure))) return this.deletedMeanwhile(rec);
      this.logger.warn({ recordingId: rec.id, reason: failure.reason }, 'recording failed');
      return 'failed';
    } finally {
      await rm(dir, { recursive: true, force: true });
      await this.work.removeOrphans().catch(() => 0);
    }
  }

  /** Marks a recording failed after its last retry (the error was not the input's fault). */
  async giveUp(recordingId: string, message: string): Promise<void> {
    const rec = await this.jobs.state(recordingId);
    if (!rec || rec.status === 'transcribed' || rec.status === 'failed' || rec.status === 'deleted') return;
    await this.stage(rec, 'failed', {
      reason: 'processing_failed',
      message: `Processing failed after several attempts: ${message}`,
    });
  }
}
