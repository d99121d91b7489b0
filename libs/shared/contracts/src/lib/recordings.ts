/** Recordings (answers on camera or microphone), prompt media, transcripts and search. */

/** Pipeline stages in order; `transcribed` and `failed` are final. Prompt media is `ready` once stored. */
export const RECORDING_STAGES = ['queued', 'probing', 'extracting', 'transcribing', 'indexing', 'transcribed'] as const;
export type RecordingStage = (typeof RECORDING_STAGES)[number];
/** Every status a recording can have. `deleted`: the recording's object, transcript and data key are gone (licence expiry); the answer stays */
export const RECORDING_STATUSES = [...RECORDING_STAGES, 'failed', 'ready', 'deleted'] as const;
export type RecordingStatus = (typeof RECORDING_STATUSES)[number];

export function isFinalStatus(s: RecordingStatus): boolean {
  return s === 'transcribed' || s === 'failed' || s === 'ready' || s === 'deleted';
}

/** Why an upload was refused or a recording failed: machine-readable, with a human message beside it. */
export type MediaFailure =
  | 'unsupported_type'
  | 'corrupt'
  | 'no_audio'
  | 'too_long'
  | 'empty'
  | 'too_large'
  | 'incomplete'
  | 'no_engine'
  | 'processing_failed';

export type MediaPurpose = 'answer' | 'prompt';

/** Upload metadata a client sends with a tus creation request. */
export interface UploadMetadata {
  purpose: MediaPurpose;
  filename?: string;
  filetype?: string;
}

export interface RecordingSummary {
  id: string;
  kind: 'video' | 'audio';
  contentType: string;
  sizeBytes: number;
  durationSeconds: number | null;
  status: RecordingStatus;
  failure: MediaFailure | null;
  failureMessage: string | null;
  createdAt: string;
  transcribedAt: string | null;
  /** engine and model of the transcript, once there is one */
  engine: string | null;
  model: string | null;
}

/** Whose answer it is, to which exercise of which course (the titles of the course version answered). */
export interface AnswerOrigin {
  answerId: string;
  participantId: string;
  participantName: string;
  courseId: string;
  courseTitle: string;
  exerciseId: string;
  exerciseTitle: string;
  submittedAt: string;
}

/** The answer a recording belongs to. */
export interface RecordingAnswer extends AnswerOrigin {
  /** which of the participant's attempts at the exercise this is, from 1 */
  attempt: number;
}

/** One recording as `GET /recordings/:id` answers it: its summary and the answer it belongs to. */
export interface RecordingDetail extends RecordingSummary {
  answer: RecordingAnswer;
}

/** A live status event, as sent over server-sent events. */
export interface RecordingEvent {
  id: string;
  status: RecordingStatus;
  failure: MediaFailure | null;
  failureMessage: string | null;
}

export interface TranscriptWordView {
  text: string;
  start: number;
  end: number;
  confidence: number | null;
}

export interface TranscriptSegmentView {
  start: number;
  end: number;
  text: string;
}

export interface TranscriptView {
  recordingId: string;
  engine: string;
  model: string;
  language: string;
  text: string;
  /** the engine heard nothing: a result, not an error */
  noSpeech: boolean;
  audioSeconds: number;
  segments: TranscriptSegmentView[];
  words: TranscriptWordView[];
  createdAt: string;
}

export interface TranscriptSearchHit extends AnswerOrigin {
  recordingId: string;
  /** seconds into the recording where the matching passage starts */
  start: number;
  end: number;
  /** the passage, with matches wrapped in «» (plain text: render it as text, not HTML) */
  snippet: string;
  engine: string;
}

export interface PromptMediaView {
  id: string;
  kind: 'video' | 'audio';
  contentType: string;
  durationSeconds: number | null;
}
