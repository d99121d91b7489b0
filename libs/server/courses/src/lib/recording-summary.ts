import { translateApiMessage } from '@rehearse/server/core';
import type { MediaFailure, RecordingStatus, RecordingSummary } from '@rehearse/shared/contracts';

/**
 * A recording as answers show it, in the columns recordings selects for it (recordings'
 * `RECORDING_SUMMARY_COLUMNS`); courses formats it with the answer it belongs to.
 */
export interface RecordingSummaryRow {
  rec_id: string | null;
  rec_has_video: boolean;
  rec_content_type: string;
  rec_size: string;
  rec_duration: number | null;
  rec_status: RecordingStatus;
  rec_failure: MediaFailure | null;
  rec_failure_message: string | null;
  rec_created_at: Date;
  rec_transcribed_at: Date | null;
  rec_engine: string | null;
  rec_model: string | null;
}

/** A recording as the API shows it; `locale`: the reader's language, for the failure's words. */
export function toRecordingSummary(r: RecordingSummaryRow, locale: string | null = null): RecordingSummary | null {
  if (!r.rec_id) return null;
  return {
    id: r.rec_id,
    kind: r.rec_has_video ? 'video' : 'audio',
    contentType: r.rec_content_type,
    sizeBytes: Number(r.rec_size),
    durationSeconds: r.rec_duration,
    status: r.rec_status,
    failure: r.rec_failure,
    failureMessage: r.rec_failure_message === null ? null : translateApiMessage(locale, r.rec_failure_message),
    createdAt: r.rec_created_at.toISOString(),
    transcribedAt: r.rec_transcribed_at?.toISOString() ?? null,
    engine: r.rec_engine,
    model: r.rec_model,
  };
}
