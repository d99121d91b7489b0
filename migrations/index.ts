import { DataSource } from 'typeorm';
import { dataSourceOptions, grantRuntimeRole } from '@rehearse/server/database';
import { InitialSchema1763830000000 } from './1763830000000-initial-schema';
import { CoursesGroups1763900000000 } from './1763900000000-courses-groups';
import { Recordings1764000000000 } from './1764000000000-recordings';
import { AiReports1764100000000 } from './1764100000000-ai-reports';
import { Feedback1764200000000 } from './1764200000000-feedback';
import { DataLifecycle1764300000000 } from './1764300000000-data-lifecycle';
import { Sso1764400000000 } from './1764400000000-sso';
import { SecurityHardening1764500000000 } from './1764500000000-security-hardening';
import { Scale1764600000000 } from './1764600000000-scale';
import { ScaleQueries1764610000000 } from './1764610000000-scale-queries';
import { HomePages1764620000000 } from './1764620000000-home-pages';
import { UserLocale1764700000000 } from './1764700000000-user-locale';
import { SessionNotices1764800000000 } from './1764800000000-session-notices';
import { AnswersOfOwner1764810000000 } from './1764810000000-answers-of-owner';
import { AnswersAwaitingCoach1764820000000 } from './1764820000000-answers-awaiting-coach';
import { SearchWalk1764830000000 } from './1764830000000-search-walk';
import { ParticipantsInGroup1764840000000 } from './1764840000000-participants-in-group';
import { PrivacyLogAppend1764850000000 } from './1764850000000-privacy-log-append';
import { TranscriptSearchWords1764860000000 } from './1764860000000-transcript-search-words';
import { PasswordResets1764870000000 } from './1764870000000-password-resets';
import { EmailChanges1764960000000 } from './1764960000000-email-changes';
import { PrivacyLogByObject1764970000000 } from './1764970000000-privacy-log-by-object';
import { NaturalOrder1765000000000 } from './1765000000000-natural-order';
import { PeerReviewReminders1765010000000 } from './1765010000000-peer-review-reminders';
import { CoachDigests1765020000000 } from './1765020000000-coach-digests';
import { CourseReminders1765030000000 } from './1765030000000-course-reminders';
import { MailPreferences1765040000000 } from './1765040000000-mail-preferences';
import { UnsentInvitations1765050000000 } from './1765050000000-unsent-invitations';
import { NoticeMailed1765060000000 } from './1765060000000-notice-mailed';
import { SecurityNotices1765070000000 } from './1765070000000-security-notices';
import { MailOutbox1765080000000 } from './1765080000000-mail-outbox';
import { InvitationMailed1765090000000 } from './1765090000000-invitation-mailed';
import { NamesOnOneLine1765100000000 } from './1765100000000-names-on-one-line';
import { TitlesOnOneLine1765110000000 } from './1765110000000-titles-on-one-line';
import { PrivacyLogByTime1765120000000 } from './1765120000000-privacy-log-by-time';
import { PrivacyLogBySupport1765130000000 } from './1765130000000-privacy-log-by-support';
import { ImpersonationsByStart1765140000000 } from './1765140000000-impersonations-by-start';
import { ImpersonationsOutliveErasure1765150000000 } from './1765150000000-impersonations-outlive-erasure';
import { DestructionReportsNameTheOrganisation1765160000000 } from './1765160000000-destruction-reports-name-the-organisation';
import { DestructionNotices1765170000000 } from './1765170000000-destruction-notices';
import { AccountActivity1765180000000 } from './1765180000000-account-activity';
import { PrivacyLogChecks1765190000000 } from './1765190000000-privacy-log-checks';
import { ReceiptsSignedWhenWritten1765200000000 } from './1765200000000-receipts-signed-when-written';
import { EmailAddressesInOneForm1765210000000 } from './1765210000000-email-addresses-in-one-form';
import { SubmissionsRemembered1765220000000 } from './1765220000000-submissions-remembered';

/** Every migration, in order. New migrations are appended here. */
export const MIGRATIONS = [
  InitialSchema1763830000000,
  CoursesGroups1763900000000,
  Recordings1764000000000,
  AiReports1764100000000,
  Feedback1764200000000,
  DataLifecycle1764300000000,
  Sso1764400000000,
  SecurityHardening1764500000000,
  Scale1764600000000,
  ScaleQueries1764610000000,
  HomePages1764620000000,
  UserLocale1764700000000,
  SessionNotices1764800000000,
  AnswersOfOwner1764810000000,
  AnswersAwaitingCoach1764820000000,
  SearchWalk1764830000000,
  ParticipantsInGroup1764840000000,
  PrivacyLogAppend1764850000000,
  TranscriptSearchWords1764860000000,
  PasswordResets1764870000000,
  EmailChanges1764960000000,
  PrivacyLogByObject1764970000000,
  NaturalOrder1765000000000,
  PeerReviewReminders1765010000000,
  CoachDigests1765020000000,
  CourseReminders1765030000000,
  MailPreferences1765040000000,
  UnsentInvitations1765050000000,
  NoticeMailed1765060000000,
  SecurityNotices1765070000000,
  MailOutbox1765080000000,
  InvitationMailed1765090000000,
  NamesOnOneLine1765100000000,
  TitlesOnOneLine1765110000000,
  PrivacyLogByTime1765120000000,
  PrivacyLogBySupport1765130000000,
  ImpersonationsByStart1765140000000,
  ImpersonationsOutliveErasure1765150000000,
  DestructionReportsNameTheOrganisation1765160000000,
  DestructionNotices1765170000000,
  AccountActivity1765180000000,
  PrivacyLogChecks1765190000000,
  ReceiptsSignedWhenWritten1765200000000,
  EmailAddressesInOneForm1765210000000,
  SubmissionsRemembered1765220000000,
];

export function migrationDataSource(databaseUrl: string): DataSource {
  return new DataSource(dataSourceOptions(databaseUrl, MIGRATIONS));
}

export interface MigrateOptions {
  /**
   * The role the API and the worker connect as. It is granted what it needs on every table after
   * the migrations ran (and owns nothing, so it can neither disable the privacy log's triggers nor
   * change the schema). null: the application connects as the owner (development only).
   */
  runtimeRole?: string | null;
}

/** Runs every pending migration (as the schema's owner), each in its own transaction; returns the names applied. */
export async function migrate(databaseUrl: string, opts: MigrateOptions = {}): Promise<string[]> {
  const ds = migrationDataSource(databaseUrl);
  await ds.initialize();
  try {
    const done = await ds.runMigrations({ transaction: 'each' });
    if (opts.runtimeRole) await grantRuntimeRole((sql) => ds.query(sql), opts.runtimeRole);
    return done.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}
