import { Injectable, Logger, Module, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, AppConfig, repeatEvery, WorkFolder } from '@rehearse/server/core';
import { CoursesModule } from '@rehearse/server/courses';
import { QueueModule } from '@rehearse/server/mail';
import { StorageModule } from '@rehearse/server/storage';
import { MediaProcessor } from './media.processor';
import { RecordingEvents } from './recording-events';
import { RecordingsService } from './recordings.service';
import { SPEECH_ENGINE, SPEECH_STATE, selectSpeechEngine, SpeechState } from './speech-setup';
import { TranscriptionPipeline } from './transcription.pipeline';
import { UploadStaging } from './upload-staging';
import type { SpeechEngine } from '@rehearse/server/speech';

/** Removes staged uploads left past UPLOAD_EXPIRY_HOURS, hourly (and makes the staging bucket when missing). */
@Injectable()
export class UploadJanitor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(UploadJanitor.name);
  private stop: (() => void) | null = null;

  constructor(private readonly staging: UploadStaging) {}

  onApplicationBootstrap(): void {
    const sweep = async () => {
      // the staging bucket (UPLOAD_STAGING=s3) is made when missing; tried again at each sweep
      await this.staging.ready();
      const n = await this.staging.cleanUpExpired();
      if (n) this.logger.log(`removed ${n} expired upload(s)`);
    };
    const failed = (e: Error) => this.logger.warn(`upload clean-up failed: ${e.message}`);
    void sweep().catch(failed);
    this.stop = repeatEvery(3600_000, sweep, failed);
  }

  onModuleDestroy(): void {
    this.stop?.();
  }
}

/** The API side: uploads, submission, playback, transcripts, captions, search and live status. */
@Module({
  imports: [QueueModule, StorageModule, CoursesModule],
  providers: [
    RecordingsService,
    RecordingEvents,
    UploadJanitor,
    {
      provide: UploadStaging,
      inject: [APP_CONFIG, WorkFolder],
      useFactory: (c: AppConfig, work: WorkFolder) => new UploadStaging(c, work),
    },
  ],
  exports: [RecordingsService, UploadStaging, RecordingEvents],
})
export class RecordingsModule {}

const ENGINE_SELECTION = Symbol('ENGINE_SELECTION');

/** The worker side: the transcription pipeline on the media queue, with the engine chosen at start. */
@Module({
  imports: [QueueModule, StorageModule],
  providers: [
    RecordingEvents,
    TranscriptionPipeline,
    MediaProcessor,
    { provide: ENGINE_SELECTION, inject: [APP_CONFIG], useFactory: selectSpeechEngine },
    { provide: SPEECH_ENGINE, inject: [ENGINE_SELECTION], useFactory: (s: { engine: SpeechEngine }) => s.engine },
    { provide: SPEECH_STATE, inject: [ENGINE_SELECTION], useFactory: (s: { state: SpeechState }) => s.state },
  ],
  exports: [SPEECH_STATE, SPEECH_ENGINE, MediaProcessor, TranscriptionPipeline],
})
export class MediaWorkerModule {}
