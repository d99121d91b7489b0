import { AnswerRecordingsRepository } from './answer-recordings.repository';
import { RecordingsFootprintRepository } from './recordings-footprint.repository';
import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { useMediaPrograms } from '@rehearse/server/media';
import { APP_CONFIG, AppConfig, METRICS, Metrics, WorkFolder } from '@rehearse/server/core';
import { AccountsRepositoriesModule } from '@rehearse/server/accounts';
import { CoursesModule, CoursesRepositoriesModule } from '@rehearse/server/courses';
import { QueueModule } from '@rehearse/server/mail';
import { StorageModule } from '@rehearse/server/storage';
import { MediaProcessor } from './media.processor';
import { RecordingEvents } from './recording-events';
import { RecordingIntakeService } from './recording-intake.service';
import { UploadIntake } from './upload-intake';
import { intakeLoad, useIntakeConcurrency } from './media-intake';
import { RecordingsRepository } from './recordings.repository';
import { RecordingReadsService } from './recording-reads.service';
import { TranscriptSearchService } from './transcript-search.service';
import { TranscriptSearchRepository } from './transcript-search.repository';
import { SPEECH_ENGINE, SPEECH_STATE, selectSpeechEngine, SpeechState } from './speech-setup';
import { TranscriptionPipeline } from './transcription.pipeline';
import { TranscriptionRepository } from './transcription.repository';
import { UploadStaging } from './upload-staging';
import { RedisUploadLedger } from './upload-ledger';
import type { SpeechEngine } from '@rehearse/server/speech';
import { UploadJanitor } from './upload-janitor';

/** The API side: uploads, submission, playback, transcripts, captions, search and live status. */
@Module({
  imports: [QueueModule, StorageModule, CoursesModule, AccountsRepositoriesModule],
  providers: [
    RecordingIntakeService,
    UploadIntake,
    RecordingReadsService,
    TranscriptSearchService,
    RecordingsRepository,
    TranscriptSearchRepository,
    RecordingEvents,
    UploadJanitor,
    { provide: RedisUploadLedger, inject: [APP_CONFIG], useFactory: (c: AppConfig) => RedisUploadLedger.connect(c) },
    {
      provide: UploadStaging,
      inject: [APP_CONFIG, WorkFolder, RedisUploadLedger],
      useFactory: (c: AppConfig, work: WorkFolder, ledger: RedisUploadLedger) => new UploadStaging(c, work, ledger),
    },
  ],
  exports: [RecordingIntakeService, RecordingReadsService, TranscriptSearchService, UploadStaging, RecordingEvents],
})
export class RecordingsModule implements OnModuleInit {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(METRICS) private readonly metrics: Metrics,
  ) {}

  /** intake's ffprobe and ffmpeg: the configured ones (FFMPEG_PATH, FFPROBE_PATH), so many at once */
  onModuleInit(): void {
    useMediaPrograms(this.config);
    useIntakeConcurrency(this.config.MEDIA_INTAKE_CONCURRENCY);
    this.metrics.sources.intakeLoad = intakeLoad;
  }
}

const ENGINE_SELECTION = Symbol('ENGINE_SELECTION');

/**
 * The transcription pipeline with the engine chosen at start, without a queue's consumer: the
 * worker's (MediaWorkerModule), and the demo seed's, which transcribes the answers its coach
 * reviews before reviewing them, as they would have been in the weeks the demo pretends.
 */
@Module({
  imports: [QueueModule, StorageModule, CoursesRepositoriesModule, AccountsRepositoriesModule],
  providers: [
    RecordingEvents,
    TranscriptionPipeline,
    RecordingsRepository,
    TranscriptionRepository,
    { provide: ENGINE_SELECTION, inject: [APP_CONFIG], useFactory: selectSpeechEngine },
    { provide: SPEECH_ENGINE, inject: [ENGINE_SELECTION], useFactory: (s: { engine: SpeechEngine }) => s.engine },
    { provide: SPEECH_STATE, inject: [ENGINE_SELECTION], useFactory: (s: { state: SpeechState }) => s.state },
  ],
  exports: [SPEECH_STATE, SPEECH_ENGINE, TranscriptionPipeline, RecordingsRepository],
})
export class TranscriptionModule implements OnModuleInit {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** the pipeline's ffmpeg: the configured one (FFMPEG_PATH) */
  onModuleInit(): void {
    useMediaPrograms(this.config);
  }
}

/** The worker side: the transcription pipeline on the media queue, with the engine chosen at start. */
@Module({
  imports: [QueueModule, TranscriptionModule],
  providers: [MediaProcessor],
  exports: [TranscriptionModule, MediaProcessor],
})
export class MediaWorkerModule {}

/**
 * The recordings repositories alone, for libraries that act on recordings or show them (privacy's
 * shredder, a person's footprint for their export and erasure, feedback's views of an answer,
 * courses' questions through feedback's DomainPortsModule).
 */
@Module({
  providers: [RecordingsRepository, RecordingsFootprintRepository, AnswerRecordingsRepository],
  exports: [RecordingsRepository, RecordingsFootprintRepository, AnswerRecordingsRepository],
})
export class RecordingsRepositoriesModule {}
