import { TenantsRepository } from '@rehearse/server/accounts';
import { type Metrics, WorkFolder } from '@rehearse/server/core';
import { LearningRepository } from '@rehearse/server/courses';
import { RecordingEvents, TranscriptionPipeline, TranscriptionRepository } from '@rehearse/server/recordings';
import type { SpeechEngine } from '@rehearse/server/speech';
import { SealedObjects } from '@rehearse/server/storage';
import type { Harness } from './harness';

/**
 * The worker's transcription pipeline of the harness, with a speech engine of the test's own and the
 * stages it tells recorded into `published` instead of sent to the pages.
 */
export function pipelineWith(
  h: Harness,
  engine: SpeechEngine,
  published: string[],
  metrics: Metrics,
): TranscriptionPipeline {
  const events = {
    publish: async (_t: string, e: { status: string }) => void published.push(e.status),
  } as unknown as RecordingEvents;
  return new TranscriptionPipeline(
    h.config,
    engine,
    h.worker.get(SealedObjects),
    events,
    h.worker.get(WorkFolder),
    new TranscriptionRepository(h.db),
    h.worker.get(LearningRepository, { strict: false }),
    h.worker.get(TenantsRepository, { strict: false }),
    metrics,
  );
}
