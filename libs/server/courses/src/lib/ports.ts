import type { Queryable } from '@rehearse/server/database';
import type { RecordingSummaryRow } from './recording-summary';

/**
 * What courses asks of the libraries built on it, which it cannot import (recordings and feedback
 * depend on courses): each question is an abstract class that serves as the injection token, the
 * owning library answers it from its own tables, and the application binds the two
 * (`DomainPortsModule` in feedback). So courses reads no recording or review itself.
 */

/** Recordings' answers to courses: an answer's recording, the organisation's prompt media. */
export abstract class AnswerRecordings {
  /**
   * The recording of each answer (with its transcript's engine and model), by answer id, in the
   * organisation; answers without a recording are left out.
   */
  abstract ofAnswers(
    tenantId: string,
    answerIds: readonly string[],
    m?: Queryable,
  ): Promise<Map<string, RecordingSummaryRow>>;

  /** Which of the ids are prompt media of the organisation (uploaded for its courses). */
  abstract promptMedia(tenantId: string, ids: readonly string[], m?: Queryable): Promise<Set<string>>;
}

/** A coach's or peer's review published on an answer. */
export interface PublishedOnAnswer {
  answer_id: string;
  source: 'coach' | 'peer';
  published_at: Date;
}

/** Feedback's answer to courses: what was published on a trainee's answers. */
export abstract class AnswerFeedback {
  /** The newest coach and peer reviews published on these answers of the organisation, at most `limit`, newest first. */
  abstract recentlyPublished(
    tenantId: string,
    answerIds: readonly string[],
    limit: number,
  ): Promise<PublishedOnAnswer[]>;
}

/** The recording columns of an answer that has none. */
export const NO_RECORDING: RecordingSummaryRow = {
  rec_id: null,
  rec_has_video: false,
  rec_content_type: '',
  rec_size: '0',
  rec_duration: null,
  rec_status: 'queued',
  rec_failure: null,
  rec_failure_message: null,
  rec_created_at: new Date(0),
  rec_transcribed_at: null,
  rec_engine: null,
  rec_model: null,
};
