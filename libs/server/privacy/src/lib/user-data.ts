/**
 * Where a user's personal data lives, column by column, and what erasure does with it. Every
 * column that refers to a user must be listed here: a test reads the schema and fails on any
 * user reference without an entry (Moodle's privacy provider coverage test is the model).
 *
 * - `delete`: the row goes with the user (directly or by cascade from a row that goes);
 * - `anonymise`: the row stays, the reference is cleared (feedback this user gave on others' work,
 *   authorship of shared course content);
 * - `keep`: the row stays as an accountability record that holds no personal data besides the
 *   user's random id, which no longer resolves to anyone (privacy log, deletion receipts).
 */
export type ErasureAction = 'delete' | 'anonymise' | 'keep';

export interface UserDataColumn {
  erase: ErasureAction;
  /** the section of the export's data.json that holds it, or why it is not exported ("no: …") */
  export: string;
  why: string;
}

export const USER_DATA: Record<string, UserDataColumn> = {
  'users.id': { erase: 'delete', export: 'profile', why: 'the profile' },
  'memberships.user_id': { erase: 'delete', export: 'profile', why: 'roles in the tenant' },
  'licences.user_id': { erase: 'delete', export: 'licence', why: 'the licence and its lifecycle' },
  'licences.keep_decided_by': {
    erase: 'anonymise',
    export: "no: a decision about someone else's recordings",
    why: "an administrator's decision on someone else's keep request",
  },
  'mfa_challenges.user_id': {
    erase: 'delete',
    export: 'no: one-time sign-in codes are secrets that expire in minutes',
    why: 'sign-in codes',
  },
  'trusted_devices.user_id': { erase: 'delete', export: 'trustedDevices', why: 'trusted devices' },
  'invitations.user_id': {
    erase: 'delete',
    export: 'no: one-time sign-up links are secrets',
    why: 'invitations to the user',
  },
  'password_resets.user_id': {
    erase: 'delete',
    export: 'no: one-time links to choose a new password are secrets that expire in minutes',
    why: 'password reset links',
  },
  'email_changes.user_id': {
    erase: 'delete',
    export:
      'no: links that confirm a new address are secrets; a confirmed address is the profile’s, and the one it replaced is forgotten once told',
    why: 'changes of e-mail address waiting for (or confirmed by) the new address',
  },
  'security_notices.user_id': {
    erase: 'delete',
    export: 'no: notices that the password, address or authenticator app changed, kept until sent (and 30 days after)',
    why: 'notices of changes to the account',
  },
  'mail_outbox.user_id': {
    erase: 'delete',
    export: 'no: e-mails to the user not sent yet (ids of what they tell of), kept until the mail server has them',
    why: 'e-mails to the user waiting to be sent',
  },
  'invitations.created_by': {
    erase: 'anonymise',
    export: 'no: invitations of other people',
    why: 'invitations this user sent to others',
  },
  'impersonations.target_user_id': {
    erase: 'keep',
    export: 'impersonations',
    why: "the operator's impersonations of the user: kept for the review of its support staff under the random id, their reason erased",
  },
  'impersonations.superuser_id': {
    erase: 'keep',
    export: 'no: operator staff are not erased or exported here',
    why: 'superusers are operator staff and are not erased through this path (refused)',
  },
  'sessions.user_id': { erase: 'delete', export: 'sessions', why: 'signed-in sessions' },
  'sessions.impersonator_id': {
    erase: 'delete',
    export: 'no: sessions in which a superuser acts as someone else belong to that person',
    why: 'a superuser impersonating someone (ends with the superuser)',
  },
  'account_activity.subject_id': {
    erase: 'delete',
    export: 'accountHistory',
    why: "the changes administrators made to the user's account (invitation, roles, licence, deactivation, groups, keep requests)",
  },
  'account_activity.actor_id': {
    erase: 'anonymise',
    export: "no: changes this user made to other people's accounts",
    why: 'the change stays on the organisation’s record without the name of who made it',
  },
  'account_activity.impersonator_id': {
    erase: 'anonymise',
    export: 'no: operator staff',
    why: 'the change stays on the organisation’s record; operator staff are not erased here',
  },
  'privacy_log.actor_id': {
    erase: 'keep',
    export: "no: these rows record what this user looked at of other people's data",
    why: 'accountability record of who looked at whose data (append-only, hash-chained); only the random id stays',
  },
  'privacy_log.subject_id': {
    erase: 'keep',
    export: 'privacyLog',
    why: 'accountability record; only the random id stays',
  },
  'privacy_log.impersonator_id': {
    erase: 'keep',
    export: 'no: operator staff',
    why: 'accountability record; only the random id stays',
  },
  'rubrics.created_by': {
    erase: 'anonymise',
    export: 'no: course content belongs to the organisation',
    why: 'tenant course content the user authored',
  },
  'courses.created_by': {
    erase: 'anonymise',
    export: 'no: course content belongs to the organisation',
    why: 'tenant course content the user authored',
  },
  'course_versions.published_by': {
    erase: 'anonymise',
    export: 'no: course content belongs to the organisation',
    why: 'tenant course content the user published',
  },
  'group_members.user_id': { erase: 'delete', export: 'groups', why: 'group memberships' },
  'enrolments.user_id': { erase: 'delete', export: 'enrolments', why: 'personal enrolments' },
  'enrolments.coach_id': {
    erase: 'anonymise',
    export: "no: other people's enrolments",
    why: 'enrolments of others this user coached',
  },
  'answers.user_id': {
    erase: 'delete',
    export: 'answers',
    why: 'answers (with their recordings, transcripts, AI reports, shares and all feedback on them)',
  },
  'recordings.owner_id': {
    erase: 'delete',
    export: 'answers',
    why: "answer recordings (objects deleted and verified, the user's key destroyed); prompt media the user uploaded stays with the course, unowned",
  },
  'course_reminders.user_id': {
    erase: 'delete',
    export: 'no: a note that a reminder of a due course was decided, kept only so that it is sent once',
    why: "the user's courses and due dates the reminder sweep looked at",
  },
  'mail_preferences.user_id': {
    erase: 'delete',
    export: 'mailPreferences',
    why: 'the e-mails the user turned off (or on again), and when',
  },
  'coach_digests.user_id': {
    erase: 'delete',
    export: 'coachDigest',
    why: "a coach's choice about the morning e-mail, and the day it was last looked at",
  },
  'reviews.reviewer_id': {
    erase: 'anonymise',
    export: 'feedbackGiven',
    why: "feedback this user published on others' answers stays without their name; their unpublished drafts go",
  },
  'deletion_receipts.subject_id': {
    erase: 'keep',
    export: 'deletionReceipts',
    why: 'proof that the deletion happened; only the random id stays',
  },
  'deletion_receipts.requested_by': {
    erase: 'keep',
    export: 'no: deletions this user ordered about others',
    why: 'who ordered a deletion; only the random id stays',
  },
  'user_identities.user_id': {
    erase: 'delete',
    export: 'identities',
    why: 'links to the identity provider (the issuer and dates are exported; the directory and object ids are not, since administrators read exports too)',
  },
  'data_exports.subject_id': {
    erase: 'delete',
    export: 'exports',
    why: 'archives of their data (objects deleted with them)',
  },
  'data_exports.requested_by': {
    erase: 'anonymise',
    export: 'no: exports of other people this user asked for',
    why: "an administrator's export of someone else",
  },
};
