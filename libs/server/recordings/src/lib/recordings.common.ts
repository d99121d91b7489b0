// What the recording services share: the row the access checks read, the media answer, limits.
import type { RecordingSummaryRow } from '@rehearse/server/courses';
import { Envelope, type RangedResponse } from '@rehearse/server/storage';

/** Columns for a RecordingSummaryRow: select them from `recordings r LEFT JOIN transcripts t ON t.recording_id = r.id`. */
export const RECORDING_SUMMARY_COLUMNS = `r.id AS rec_id, r.has_video AS rec_has_video, r.content_type AS rec_content_type, r.size_bytes AS rec_size,
  r.duration_seconds AS rec_duration, r.status AS rec_status, r.failure AS rec_failure, r.failure_message AS rec_failure_message,
  r.created_at AS rec_created_at, r.transcribed_at AS rec_transcribed_at, t.engine AS rec_engine, t.model AS rec_model`;

/** A recording row with what the access checks need. */
export interface RecordingRow extends RecordingSummaryRow {
  id: string;
  tenant_id: string;
  owner_id: string | null;
  purpose: 'answer' | 'prompt';
  object_key: string;
  envelope: Envelope;
  size_bytes: string;
}

/** What a media read answers: a status, headers and (except for 304, 412 and 416) a body. */
export type MediaResponse = RangedResponse;

export const RECORDING_ROW = `SELECT r.tenant_id, r.owner_id, r.purpose, r.object_key, r.envelope, r.size_bytes, ${RECORDING_SUMMARY_COLUMNS}, r.id
  FROM recordings r LEFT JOIN transcripts t ON t.recording_id = r.id`;

/** Repeated reads of the same recording by the same person within this window are one privacy-log entry (a player issues many range requests). */
export const READ_LOG_WINDOW_MINUTES = 10;
/** A found passage of fewer words than this is shown with the passages before and after it. */
export const SHORT_PASSAGE_WORDS = 5;
/** Transcript search ranks at most this many of the newest matching passages. */
export const SEARCH_CANDIDATES = 500;
/**
 * A coach's search starts from the full-text index when PostgreSQL expects at most this many
 * matching passages in the whole organisation (a rare word or name), and otherwise walks the
 * coach's own answers, newest first (a common word finds its candidates within a few hundred).
 * Measured on the 10,000-person organisation (`npm run bench:scale`): the index costs about 4 µs
 * per match, walking a coach's 2,000 answers about 45 ms when the word is rare.
 */
export const SEARCH_RARE_ESTIMATE = 6_000;
/** ...and reads at most this many of the index's matches before it walks the answers after all (an estimate far off). */
export const SEARCH_INDEX_MATCHES = 20_000;

/** Slack over an exercise's maximum answer length (browsers stop a recorder a little late). */
export const LENGTH_SLACK_SECONDS = 15;
