import type { Locale } from './locale';
/**
 * Queue names and the typed job catalogue. Payloads carry ids only, and besides them the
 * `correlationId` of the request that queued the job where there was one (`traced()` in
 * `@rehearse/server/core`): the worker's lines for the job carry it. A mail job may carry
 * `kept: true`: its e-mail is kept in `mail_outbox` until sent (MailOutbox in `@rehearse/server/mail`).
 */
export const QUEUES = { mail: 'mail', media: 'media', exports: 'exports' } as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export interface MailJobs {
  /** An e-mailed sign-in code; the worker reads the sealed code from the challenge row. */
  /** `locale`: the sign-in page's language, for a person who has not chosen one yet */
  'mfa-code': { challengeId: string; locale?: Locale | null };
  /** An invitation link; the worker reads the sealed token from the invitation row. */
  invitation: { invitationId: string };
  /** A password reset link; the worker reads the sealed token from the reset's row. */
  'password-reset': { resetId: string; locale?: Locale | null };
  /** The link that confirms a new e-mail address, to that address; the worker reads the sealed token from the change's row. */
  'email-change': { changeId: string; locale?: Locale | null };
  /**
   * A notice to a user that something changed on their account. `emailChangeId` (with
   * 'email-changed'): the confirmed change, whose replaced address the notice goes to. `noticeId`:
   * its row in `security_notices`, kept until sent (a job queued before there were rows has none).
   */
  'security-notice': { userId: string; notice: SecurityNotice; emailChangeId?: string; noticeId?: string };
  /** A coach or peer published feedback on the trainee's answer. */
  'feedback-published': { reviewId: string };
  /** A trainee was given a peer review to do. */
  'peer-review-assigned': { reviewId: string };
  /** A trainee's peer review is due within a day (once per review). */
  'peer-review-reminder': { reviewId: string };
  /** The user's recordings will be deleted on `dueOn` (their licence expired); they may ask to keep them. */
  'retention-notice': { userId: string; dueOn: string };
  /** The user's recordings were deleted (their licence expired): the deletion's receipt, which they may download signed. */
  'recordings-deleted': { userId: string; receiptId: string };
  /** A data export is ready to download (to whoever asked for it). */
  'export-ready': { exportId: string };
  /** A user asked to keep their recordings; one mail per administrator of the tenant. */
  'retention-keep-requested': { userId: string; adminId: string };
  /**
   * The end of the administrator's organisation's agreement was set or changed to `endsOn`, or
   * cleared (null): when everything of the organisation is destroyed.
   */
  'agreement-end': { adminId: string; endsOn: string | null };
  /** Everything of the administrator's organisation is destroyed on `destroyOn`, in DESTRUCTION_NOTICE_DAYS or fewer. */
  'destruction-soon': { adminId: string; destroyOn: string };
  /** The nightly check of the administrator's organisation's privacy log at `checkedAt` found it changed or cut short. */
  'privacy-log-broken': { adminId: string; checkedAt: string };
  /** A coach's morning e-mail: how many answers wait for their feedback (counted when it is sent). */
  'coach-digest': { coachId: string };
  /** A trainee's unfinished course is due on `dueOn` (YYYY-MM-DD): once per due date. */
  'course-due-soon': { userId: string; courseId: string; dueOn: string };
}
export type MailJobName = keyof MailJobs;
/** Every mail job, once (the compiler keeps it complete): the worker refuses to start without a composer for each. */
export const MAIL_JOB_NAMES = Object.keys({
  'mfa-code': true,
  invitation: true,
  'password-reset': true,
  'email-change': true,
  'security-notice': true,
  'feedback-published': true,
  'peer-review-assigned': true,
  'peer-review-reminder': true,
  'retention-notice': true,
  'recordings-deleted': true,
  'export-ready': true,
  'retention-keep-requested': true,
  'agreement-end': true,
  'destruction-soon': true,
  'privacy-log-broken': true,
  'coach-digest': true,
  'course-due-soon': true,
} satisfies Record<MailJobName, true>) as MailJobName[];
export type SecurityNotice = 'password-changed' | 'email-changed' | 'totp-enabled' | 'totp-disabled';

export interface MailJob<N extends MailJobName = MailJobName> {
  name: N;
  payload: MailJobs[N];
}

export interface MediaJobs {
  /** probe, extract audio, transcribe, index and caption one stored recording */
  transcribe: { recordingId: string };
}
export type MediaJobName = keyof MediaJobs;

export interface ExportJobs {
  /** build one data export archive */
  build: { exportId: string };
}

/** One job per recording: adding it twice is a no-op while it is queued or running. */
export const transcribeJobId = (recordingId: string) => `transcribe:${recordingId}`;

/** One job per data export: queued again by the sweep or a retry without building it twice. */
export const exportJobId = (exportId: string) => `export:${exportId}`;

/** Redis channel on which the worker announces each recording's stage (the API relays it over SSE). */
export const RECORDING_EVENTS_CHANNEL = 'recording-events';
