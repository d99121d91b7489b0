import { DiscoveryService, Reflector } from '@nestjs/core';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { AccessService, LIST_KEY, PERMISSION_KEY, PUBLIC_KEY } from '@rehearse/server/access';
import { Client, Harness, seedTwoTenants, startHarness } from '../../test/harness';
import { AUDIO_EXERCISE, publishedCourse } from '../../test/courses';
import { createUpload, JFK_WAV, uploadFile, waitForRecording } from '../../test/media';

type ActorName =
  | 'anonymous'
  | 'participantA'
  | 'coachA'
  | 'developerA'
  | 'adminA'
  | 'participantB'
  | 'coachB'
  | 'developerB'
  | 'adminB'
  | 'superuser';
const ACTORS: ActorName[] = [
  'anonymous',
  'participantA',
  'coachA',
  'developerA',
  'adminA',
  'participantB',
  'coachB',
  'developerB',
  'adminB',
  'superuser',
];

/** Objects of tenant A the routes act on. */
interface Targets {
  user: string;
  course: string;
  exercise: string;
  rubric: string;
  group: string;
  participant: string;
  enrolment: string;
  /** participant A's answer recording (transcribed) */
  recording: string;
  /** the answer that recording belongs to */
  answer: string;
  /** participant A's unfinished upload */
  upload: string;
  /** a deletion receipt of tenant A */
  receipt: string;
  prompt: string;
  /**
   * What the destructive routes destroy, made for them alone, so that whatever order the tests run
   * in, no other route finds its object gone: another unfinished upload of participant A, another
   * course with a cover and a draft to publish, an enrolment of the target user, an empty group.
   */
  spare: { upload: string; course: string; enrolment: string; group: string };
}

interface Route {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** the route pattern as Nest registers it */
  pattern: string;
  /** the concrete request; T = the target user (a participant of tenant A) */
  path: (t: Targets) => string;
  /** the body, or made from the targets (their ids) */
  body?: unknown;
  headers?: Record<string, string>;
  expect: Partial<Record<ActorName, number>> & { signedIn?: number };
}

/** A 1x1 PNG. */
const PNG =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

const RANDOM_UUID = '6f1c3c53-7a4b-4d2e-9f0a-1b2c3d4e5f60';
const admin = (a: number, b: number) => ({ signedIn: 403, adminA: a, adminB: b });
const su = (code: number) => ({ signedIn: 403, superuser: code });
const author = (a: number, b: number) => ({ signedIn: 403, developerA: a, developerB: b });
const learner = (a: number, b: number) => ({ signedIn: 403, participantA: a, participantB: b });
const coach = (a: number, b: number) => ({ signedIn: 403, coachA: a, coachB: b });
const uploader = (a: number, b: number) => ({
  signedIn: 403,
  participantA: a,
  participantB: b,
  developerA: a,
  developerB: b,
});
/** an answer recording of participant A: the owner, A's coach and administrator; B's people get 404 */
const recording = (owner: number) => ({
  signedIn: 403,
  participantA: owner,
  coachA: owner,
  adminA: owner,
  participantB: 404,
  coachB: 404,
  adminB: 404,
});
const TUS = { 'Tus-Resumable': '1.0.0' };

/**
 * Role × relation × route → status. Relations: own tenant (admin A on A's participant), other
 * tenant (admin B on it: 404), wrong role (403), nobody signed in (401). Allowed calls use bodies
 * that either change nothing or change the target participant only.
 */
const ROUTES: Route[] = [
  { method: 'GET', pattern: '/api/auth/me', path: () => '/api/auth/me', expect: { signedIn: 200 } },
  { method: 'GET', pattern: '/api/home', path: () => '/api/home', expect: { signedIn: 200 } },
  {
    method: 'POST',
    pattern: '/api/auth/impersonation/end',
    path: () => '/api/auth/impersonation/end',
    expect: { signedIn: 409 },
  },
  {
    method: 'PATCH',
    pattern: '/api/account/profile',
    path: () => '/api/account/profile',
    body: {},
    expect: { signedIn: 200 },
  },
  {
    method: 'POST',
    pattern: '/api/account/password',
    path: () => '/api/account/password',
    body: { currentPassword: 'wrong', newPassword: 'x' },
    expect: { signedIn: 400 },
  },
  {
    method: 'POST',
    pattern: '/api/account/email',
    path: () => '/api/account/email',
    body: { password: 'wrong', email: 'x@example.test' },
    expect: { signedIn: 400 },
  },
  { method: 'GET', pattern: '/api/account/email', path: () => '/api/account/email', expect: { signedIn: 200 } },
  // nobody here has a change waiting: there is nothing to cancel
  { method: 'DELETE', pattern: '/api/account/email', path: () => '/api/account/email', expect: { signedIn: 404 } },
  // the e-mails a person may stop: each person's own; the operator's staff have no organisation
  {
    method: 'GET',
    pattern: '/api/account/mail-preferences',
    path: () => '/api/account/mail-preferences',
    expect: { signedIn: 200, superuser: 404 },
  },
  {
    method: 'PATCH',
    pattern: '/api/account/mail-preferences',
    path: () => '/api/account/mail-preferences',
    body: { courseDue: true },
    expect: { signedIn: 200, superuser: 404 },
  },
  {
    method: 'POST',
    pattern: '/api/account/totp/setup',
    path: () => '/api/account/totp/setup',
    body: { password: 'wrong' },
    expect: { signedIn: 400 },
  },
  {
    method: 'POST',
    pattern: '/api/account/totp/enable',
    path: () => '/api/account/totp/enable',
    body: { code: '000000' },
    expect: { signedIn: 400 },
  },
  {
    method: 'POST',
    pattern: '/api/account/totp/disable',
    path: () => '/api/account/totp/disable',
    body: { password: 'wrong' },
    expect: { signedIn: 400, superuser: 403 },
  },
  {
    method: 'GET',
    pattern: '/api/account/trusted-devices',
    path: () => '/api/account/trusted-devices',
    expect: { signedIn: 200 },
  },
  {
    method: 'DELETE',
    pattern: '/api/account/trusted-devices/:id',
    path: () => `/api/account/trusted-devices/${RANDOM_UUID}`,
    expect: { signedIn: 404 },
  },
  { method: 'GET', pattern: '/api/account/sessions', path: () => '/api/account/sessions', expect: { signedIn: 200 } },
  // everyone may sign out everywhere else (each actor here has this one session, which stays)
  {
    method: 'DELETE',
    pattern: '/api/account/sessions',
    path: () => '/api/account/sessions',
    expect: { signedIn: 200 },
  },
  {
    method: 'DELETE',
    pattern: '/api/account/sessions/:id',
    path: () => '/api/account/sessions/0123456789abcdef0123456789abcdef',
    expect: { signedIn: 404 },
  },
  {
    method: 'GET',
    pattern: '/api/account/privacy-log',
    path: () => '/api/account/privacy-log',
    expect: { signedIn: 200 },
  },
  {
    method: 'GET',
    pattern: '/api/account/activity',
    path: () => '/api/account/activity',
    expect: { signedIn: 200 },
  },
  { method: 'GET', pattern: '/api/admin/users', path: () => '/api/admin/users', expect: admin(200, 200) },
  { method: 'POST', pattern: '/api/admin/users', path: () => '/api/admin/users', body: {}, expect: admin(400, 400) },
  {
    method: 'POST',
    pattern: '/api/admin/users/import',
    path: () => '/api/admin/users/import',
    body: { csv: 'name,email,role\n' },
    expect: admin(200, 200),
  },
  {
    method: 'GET',
    pattern: '/api/admin/users/:id',
    path: (t) => `/api/admin/users/${t.user}`,
    expect: admin(200, 404),
  },
  {
    method: 'PUT',
    pattern: '/api/admin/users/:id/roles',
    path: (t) => `/api/admin/users/${t.user}/roles`,
    body: { roles: ['participant'] },
    expect: admin(200, 404),
  },
  {
    method: 'PUT',
    pattern: '/api/admin/users/:id/licence',
    path: (t) => `/api/admin/users/${t.user}/licence`,
    body: { startsOn: '2026-01-01', expiresOn: '2027-12-31' },
    expect: admin(200, 404),
  },
  {
    method: 'PUT',
    pattern: '/api/admin/users/licences',
    path: () => '/api/admin/users/licences',
    body: (t: Targets) => ({ userIds: [t.user], licence: { startsOn: '2026-01-01', expiresOn: '2027-12-31' } }),
    expect: admin(200, 404),
  },
  {
    method: 'POST',
    pattern: '/api/admin/users/:id/deactivate',
    path: (t) => `/api/admin/users/${t.user}/deactivate`,
    expect: admin(200, 404),
  },
  {
    method: 'POST',
    pattern: '/api/admin/users/:id/reactivate',
    path: (t) => `/api/admin/users/${t.user}/reactivate`,
    expect: admin(200, 404),
  },
  {
    method: 'POST',
    pattern: '/api/admin/users/:id/invitation',
    path: (t) => `/api/admin/users/${t.user}/invitation`,
    expect: admin(409, 404),
  },
  {
    method: 'GET',
    pattern: '/api/admin/privacy-log',
    path: (t) => `/api/admin/privacy-log?subjectId=${t.user}`,
    expect: admin(200, 404),
  },
  {
    method: 'GET',
    pattern: '/api/admin/activity',
    path: (t) => `/api/admin/activity?subjectId=${t.user}`,
    expect: admin(200, 404),
  },
  {
    method: 'GET',
    pattern: '/api/admin/activity/export',
    path: (t) => `/api/admin/activity/export?subjectId=${t.user}`,
    expect: admin(200, 404),
  },
  {
    method: 'GET',
    pattern: '/api/admin/privacy-log/integrity',
    path: () => '/api/admin/privacy-log/integrity',
    expect: admin(200, 200),
  },
  {
    method: 'GET',
    pattern: '/api/admin/privacy-log/export',
    path: (t) => `/api/admin/privacy-log/export?subjectId=${t.user}`,
    expect: admin(200, 404),
  },
  { method: 'GET', pattern: '/api/superuser/users', path: () => '/api/superuser/users', expect: su(200) },
  { method: 'GET', pattern: '/api/my/retention', path: () => '/api/my/retention', expect: { signedIn: 200 } },
  {
    method: 'POST',
    pattern: '/api/my/retention/keep',
    path: () => '/api/my/retention/keep',
    expect: { signedIn: 409 },
  },
  {
    method: 'GET',
    pattern: '/api/admin/retention/requests',
    path: () => '/api/admin/retention/requests',
    expect: admin(200, 200),
  },
  {
    method: 'POST',
    pattern: '/api/admin/retention/requests/:id',
    path: (t) => `/api/admin/retention/requests/${t.user}`,
    body: { decision: 'approve' },
    expect: admin(404, 404),
  },
  {
    method: 'GET',
    pattern: '/api/admin/retention-settings',
    path: () => '/api/admin/retention-settings',
    expect: admin(200, 200),
  },
  {
    method: 'PUT',
    pattern: '/api/admin/retention-settings',
    path: () => '/api/admin/retention-settings',
    body: { deleteAfterDays: 45, noticeDays: 14, keepPolicy: 'approval', keepDays: 365 },
    expect: admin(200, 200),
  },
  {
    method: 'GET',
    pattern: '/api/admin/deletion-receipts',
    path: () => '/api/admin/deletion-receipts',
    expect: admin(200, 200),
  },
  // a receipt about oneself: the target participant's own, not any other person's (superusers have none)
  {
    method: 'GET',
    pattern: '/api/my/deletion-receipts/:id/signed',
    path: (t) => `/api/my/deletion-receipts/${t.receipt}/signed`,
    expect: { signedIn: 404 },
  },
  // tenant A's receipt, signed for its administrators; tenant B's cannot tell it exists
  {
    method: 'GET',
    pattern: '/api/admin/deletion-receipts/:id/signed',
    path: (t) => `/api/admin/deletion-receipts/${t.receipt}/signed`,
    expect: admin(200, 404),
  },
  // wrong confirmation: nobody is erased by the matrix
  {
    method: 'POST',
    pattern: '/api/admin/users/:id/erase',
    path: (t) => `/api/admin/users/${t.user}/erase`,
    body: { reason: 'On the user’s request', confirmEmail: 'wrong@example.test' },
    expect: admin(400, 404),
  },
  // superusers have no tenant and no data of their own here
  {
    method: 'GET',
    pattern: '/api/my/exports',
    path: () => '/api/my/exports',
    expect: { signedIn: 200, superuser: 404 },
  },
  {
    method: 'GET',
    pattern: '/api/admin/users/:id/exports',
    path: (t) => `/api/admin/users/${t.user}/exports`,
    expect: admin(200, 404),
  },
  { method: 'GET', pattern: '/api/exports/:id', path: () => `/api/exports/${RANDOM_UUID}`, expect: { signedIn: 404 } },
  {
    method: 'GET',
    pattern: '/api/exports/:id/download',
    path: () => `/api/exports/${RANDOM_UUID}/download`,
    expect: { signedIn: 404 },
  },
  {
    method: 'POST',
    pattern: '/api/my/exports',
    path: () => '/api/my/exports',
    expect: { signedIn: 202, superuser: 404 },
  },
  {
    method: 'POST',
    pattern: '/api/admin/users/:id/exports',
    path: (t) => `/api/admin/users/${t.user}/exports`,
    expect: admin(202, 404),
  },
  {
    method: 'GET',
    pattern: '/api/admin/exports/organisation',
    path: () => '/api/admin/exports/organisation',
    expect: admin(200, 200),
  },
  {
    method: 'POST',
    pattern: '/api/admin/exports/organisation',
    path: () => '/api/admin/exports/organisation',
    expect: admin(202, 202),
  },
  { method: 'GET', pattern: '/api/admin/sso', path: () => '/api/admin/sso', expect: admin(200, 200) },
  {
    method: 'PUT',
    pattern: '/api/admin/sso',
    path: () => '/api/admin/sso',
    body: {
      enabled: false,
      issuer: 'https://login.microsoftonline.com/x/v2.0',
      clientId: 'c',
      directoryId: 'x',
      jitParticipants: false,
      trustIdpMfa: false,
    },
    expect: admin(200, 200),
  },
  // no SSO configured: nothing to link to (superusers have no tenant); a page load, so back to the account page, which says so
  { method: 'GET', pattern: '/api/account/sso/link', path: () => '/api/account/sso/link', expect: { signedIn: 302 } },
  { method: 'GET', pattern: '/api/account/sso', path: () => '/api/account/sso', expect: { signedIn: 200 } },
  { method: 'GET', pattern: '/api/superuser/tenants', path: () => '/api/superuser/tenants', expect: su(200) },
  // a body no organisation can be made of: the superuser is refused for it alone, nothing is made
  {
    method: 'POST',
    pattern: '/api/superuser/tenants',
    path: () => '/api/superuser/tenants',
    body: {},
    expect: su(400),
  },
  {
    method: 'GET',
    pattern: '/api/superuser/destruction-reports',
    path: () => '/api/superuser/destruction-reports',
    expect: su(200),
  },
  {
    method: 'GET',
    pattern: '/api/superuser/destruction-reports/:id',
    path: () => `/api/superuser/destruction-reports/${RANDOM_UUID}`,
    expect: su(404),
  },
  {
    method: 'GET',
    pattern: '/api/superuser/destruction-reports/:id/signed',
    path: () => `/api/superuser/destruction-reports/${RANDOM_UUID}/signed`,
    expect: su(404),
  },
  {
    method: 'PUT',
    pattern: '/api/superuser/tenants/:id/agreement',
    path: () => `/api/superuser/tenants/${RANDOM_UUID}/agreement`,
    body: { endsOn: null },
    expect: su(404),
  },
  {
    method: 'POST',
    pattern: '/api/superuser/users/:id/erase',
    path: (t) => `/api/superuser/users/${t.user}/erase`,
    body: { reason: 'On the user’s request', confirmEmail: 'wrong@example.test' },
    expect: su(400),
  },
  {
    method: 'POST',
    pattern: '/api/superuser/impersonations',
    path: () => '/api/superuser/impersonations',
    body: { userId: 'x', reason: '' },
    expect: su(400),
  },
  { method: 'GET', pattern: '/api/superuser/report', path: () => '/api/superuser/report', expect: su(200) },
  {
    method: 'GET',
    pattern: '/api/superuser/impersonations',
    path: () => '/api/superuser/impersonations',
    expect: su(200),
  },
  {
    method: 'GET',
    pattern: '/api/superuser/impersonations/export',
    path: () => '/api/superuser/impersonations/export',
    expect: su(200),
  },
  // authoring
  { method: 'GET', pattern: '/api/authoring/courses', path: () => '/api/authoring/courses', expect: author(200, 200) },
  {
    method: 'POST',
    pattern: '/api/authoring/courses',
    path: () => '/api/authoring/courses',
    body: { title: 42 },
    expect: author(400, 400),
  },
  {
    method: 'POST',
    pattern: '/api/authoring/courses/import',
    path: () => '/api/authoring/courses/import',
    body: {},
    expect: author(400, 400),
  },
  {
    method: 'GET',
    pattern: '/api/authoring/courses/:id',
    path: (t) => `/api/authoring/courses/${t.course}`,
    expect: author(200, 404),
  },
  {
    method: 'PUT',
    pattern: '/api/authoring/courses/:id/draft',
    path: (t) => `/api/authoring/courses/${t.course}/draft`,
    body: {},
    expect: author(400, 400),
  },
  {
    method: 'POST',
    pattern: '/api/authoring/courses/:id/draft',
    path: (t) => `/api/authoring/courses/${t.course}/draft`,
    expect: author(200, 404),
  },
  {
    method: 'POST',
    pattern: '/api/authoring/courses/:id/publish',
    // a draft of its own to publish (the draft route above may run before or after it)
    path: (t) => `/api/authoring/courses/${t.spare.course}/publish`,
    body: { changeSummary: 'Matrix check' },
    expect: author(200, 404),
  },
  {
    method: 'POST',
    pattern: '/api/authoring/courses/:id/duplicate',
    path: (t) => `/api/authoring/courses/${t.course}/duplicate`,
    expect: author(200, 404),
  },
  {
    method: 'PUT',
    pattern: '/api/authoring/courses/:id/archived',
    path: (t) => `/api/authoring/courses/${t.course}/archived`,
    body: { archived: false },
    expect: author(200, 404),
  },
  {
    method: 'GET',
    pattern: '/api/authoring/courses/:id/export',
    path: (t) => `/api/authoring/courses/${t.course}/export`,
    expect: author(200, 404),
  },
  {
    method: 'GET',
    pattern: '/api/authoring/courses/:id/preview',
    path: (t) => `/api/authoring/courses/${t.course}/preview`,
    expect: author(200, 404),
  },
  {
    method: 'PUT',
    pattern: '/api/authoring/courses/:id/cover',
    path: (t) => `/api/authoring/courses/${t.course}/cover`,
    body: { dataUrl: PNG },
    expect: author(200, 404),
  },
  { method: 'GET', pattern: '/api/authoring/rubrics', path: () => '/api/authoring/rubrics', expect: author(200, 200) },
  {
    method: 'POST',
    pattern: '/api/authoring/rubrics',
    path: () => '/api/authoring/rubrics',
    body: {},
    expect: author(400, 400),
  },
  {
    method: 'GET',
    pattern: '/api/authoring/rubrics/:id',
    path: (t) => `/api/authoring/rubrics/${t.rubric}`,
    expect: author(200, 404),
  },
  {
    method: 'PUT',
    pattern: '/api/authoring/rubrics/:id',
    path: (t) => `/api/authoring/rubrics/${t.rubric}`,
    body: {},
    expect: author(400, 400),
  },
  {
    method: 'PUT',
    pattern: '/api/authoring/rubrics/:id/archived',
    path: (t) => `/api/authoring/rubrics/${t.rubric}/archived`,
    body: { archived: false },
    expect: author(200, 404),
  },
  // groups and enrolments
  { method: 'GET', pattern: '/api/admin/courses', path: () => '/api/admin/courses', expect: admin(200, 200) },
  { method: 'GET', pattern: '/api/admin/groups', path: () => '/api/admin/groups', expect: admin(200, 200) },
  { method: 'POST', pattern: '/api/admin/groups', path: () => '/api/admin/groups', body: {}, expect: admin(400, 400) },
  {
    method: 'GET',
    pattern: '/api/admin/groups/:id',
    path: (t) => `/api/admin/groups/${t.group}`,
    expect: admin(200, 404),
  },
  {
    method: 'PUT',
    pattern: '/api/admin/groups/:id',
    path: (t) => `/api/admin/groups/${t.group}`,
    body: { name: 'Group X' },
    expect: admin(200, 404),
  },
  {
    method: 'PUT',
    pattern: '/api/admin/groups/:id/members',
    path: (t) => `/api/admin/groups/${t.group}/members`,
    body: 'MEMBERS',
    expect: admin(200, 404),
  },
  {
    method: 'GET',
    pattern: '/api/admin/groups/:id/members',
    path: (t) => `/api/admin/groups/${t.group}/members`,
    expect: admin(200, 404),
  },
  {
    method: 'PATCH',
    pattern: '/api/admin/groups/:id/members',
    path: (t) => `/api/admin/groups/${t.group}/members`,
    body: {},
    expect: admin(200, 404),
  },
  {
    method: 'GET',
    pattern: '/api/admin/enrolments',
    path: (t) => `/api/admin/enrolments?courseId=${t.course}`,
    expect: admin(200, 200),
  },
  {
    method: 'POST',
    pattern: '/api/admin/enrolments',
    path: () => '/api/admin/enrolments',
    body: {},
    expect: admin(400, 400),
  },
  // the trainee and the coach
  { method: 'GET', pattern: '/api/my/courses', path: () => '/api/my/courses', expect: learner(200, 200) },
  {
    method: 'GET',
    pattern: '/api/my/courses/:id',
    path: (t) => `/api/my/courses/${t.course}`,
    expect: learner(200, 404),
  },
  {
    method: 'GET',
    pattern: '/api/my/courses/:id/answers',
    path: (t) => `/api/my/courses/${t.course}/answers`,
    expect: learner(200, 404),
  },
  {
    method: 'POST',
    pattern: '/api/my/courses/:courseId/exercises/:exerciseId/text-answers',
    path: (t) => `/api/my/courses/${t.course}/exercises/${t.exercise}/text-answers`,
    body: { text: 'My answer' },
    expect: learner(201, 404),
  },
  { method: 'GET', pattern: '/api/coaching/groups', path: () => '/api/coaching/groups', expect: coach(200, 200) },
  {
    method: 'GET',
    pattern: '/api/coaching/groups/:id',
    path: (t) => `/api/coaching/groups/${t.group}`,
    expect: coach(200, 404),
  },
  {
    method: 'GET',
    pattern: '/api/coaching/groups/:id/members',
    path: (t) => `/api/coaching/groups/${t.group}/members`,
    expect: coach(200, 404),
  },
  {
    method: 'GET',
    pattern: '/api/coaching/groups/:id/courses',
    path: (t) => `/api/coaching/groups/${t.group}/courses`,
    expect: coach(200, 404),
  },
  {
    method: 'GET',
    pattern: '/api/coaching/groups/:id/courses/:courseId',
    path: (t) => `/api/coaching/groups/${t.group}/courses/${t.course}`,
    expect: coach(200, 404),
  },
  {
    method: 'GET',
    pattern: '/api/coaching/groups/:id/participants/:userId/progress',
    path: (t) => `/api/coaching/groups/${t.group}/participants/${t.participant}/progress`,
    expect: coach(200, 404),
  },
  {
    method: 'GET',
    pattern: '/api/courses/:id/cover',
    path: (t) => `/api/courses/${t.course}/cover`,
    expect: { signedIn: 404, participantA: 200, coachA: 200, developerA: 200, superuser: 403 },
  },
  // recordings
  {
    method: 'POST',
    pattern: '/api/uploads',
    path: () => '/api/uploads',
    headers: { ...TUS, 'Upload-Length': '10' },
    expect: uploader(400, 400),
  },
  {
    method: 'HEAD',
    pattern: '/api/uploads/:uploadId',
    path: (t) => `/api/uploads/${t.upload}`,
    headers: TUS,
    expect: { ...uploader(404, 404), participantA: 200 },
  },
  {
    method: 'PATCH',
    pattern: '/api/uploads/:uploadId',
    path: (t) => `/api/uploads/${t.upload}`,
    headers: { ...TUS, 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' },
    body: 'x',
    expect: { ...uploader(404, 404), participantA: 204 },
  },
  {
    method: 'POST',
    pattern: '/api/my/courses/:courseId/exercises/:exerciseId/recordings',
    path: (t) => `/api/my/courses/${t.course}/exercises/${t.exercise}/recordings`,
    body: { uploadId: 'f'.repeat(32) },
    expect: learner(404, 404),
  },
  {
    method: 'POST',
    pattern: '/api/authoring/prompt-media',
    path: () => '/api/authoring/prompt-media',
    body: {},
    expect: author(400, 400),
  },
  {
    method: 'GET',
    pattern: '/api/prompt-media/:id/content',
    path: (t) => `/api/prompt-media/${t.prompt}/content`,
    expect: { signedIn: 404, participantA: 200, coachA: 200, developerA: 200, adminA: 200, superuser: 403 },
  },
  {
    method: 'GET',
    pattern: '/api/recordings/:id',
    path: (t) => `/api/recordings/${t.recording}`,
    expect: recording(200),
  },
  {
    method: 'GET',
    pattern: '/api/recordings/:id/content',
    path: (t) => `/api/recordings/${t.recording}/content`,
    expect: recording(200),
  },
  {
    method: 'GET',
    pattern: '/api/recordings/:id/transcript',
    path: (t) => `/api/recordings/${t.recording}/transcript`,
    expect: recording(200),
  },
  {
    method: 'GET',
    pattern: '/api/recordings/:id/assessment',
    path: (t) => `/api/recordings/${t.recording}/assessment`,
    expect: recording(200),
  },
  {
    method: 'GET',
    pattern: '/api/recordings/:id/captions',
    path: (t) => `/api/recordings/${t.recording}/captions`,
    expect: recording(200),
  },
  {
    method: 'GET',
    pattern: '/api/recordings/:id/events',
    path: (t) => `/api/recordings/${t.recording}/events`,
    expect: recording(200),
  },
  {
    method: 'GET',
    pattern: '/api/transcripts/search',
    path: () => '/api/transcripts/search?q=when',
    expect: { signedIn: 403, coachA: 200, adminA: 200, coachB: 200, adminB: 200 },
  },
  // feedback: the owner reviews themselves (self), A's coach as coach; administrators read only
  { method: 'GET', pattern: '/api/coaching/reviews', path: () => '/api/coaching/reviews', expect: coach(200, 200) },
  {
    method: 'GET',
    pattern: '/api/coaching/reviews/courses',
    path: () => '/api/coaching/reviews/courses',
    expect: coach(200, 200),
  },
  // the coach's own morning e-mail: each coach's own row, whoever asks
  { method: 'GET', pattern: '/api/coaching/digest', path: () => '/api/coaching/digest', expect: coach(200, 200) },
  {
    method: 'PUT',
    pattern: '/api/coaching/digest',
    path: () => '/api/coaching/digest',
    body: { enabled: true },
    expect: coach(200, 200),
  },
  {
    method: 'GET',
    pattern: '/api/answers/:id/review',
    path: (t) => `/api/answers/${t.answer}/review`,
    expect: { signedIn: 403, participantA: 200, coachA: 200, participantB: 404, coachB: 404 },
  },
  {
    method: 'PUT',
    pattern: '/api/answers/:id/review',
    path: (t) => `/api/answers/${t.answer}/review`,
    body: { scores: {}, summary: '', comments: [] },
    expect: { signedIn: 403, participantA: 200, coachA: 200, participantB: 404, coachB: 404 },
  },
  {
    method: 'POST',
    pattern: '/api/answers/:id/review/publish',
    path: (t) => `/api/answers/${t.answer}/review/publish`,
    body: { revision: 999 },
    expect: { signedIn: 403, participantA: 409, coachA: 409, participantB: 404, coachB: 404 },
  },
  {
    method: 'GET',
    pattern: '/api/answers/:id/feedback',
    path: (t) => `/api/answers/${t.answer}/feedback`,
    expect: recording(200),
  },
  {
    method: 'POST',
    pattern: '/api/my/answers/:id/share',
    path: (t) => `/api/my/answers/${t.answer}/share`,
    body: {},
    expect: learner(409, 404),
  },
  { method: 'GET', pattern: '/api/my/peer-reviews', path: () => '/api/my/peer-reviews', expect: learner(200, 200) },
  {
    method: 'GET',
    pattern: '/api/reports/overview',
    path: (t) => `/api/reports/overview?groupId=${t.group}`,
    expect: { signedIn: 403, coachA: 200, adminA: 200, coachB: 404, adminB: 404 },
  },
  {
    method: 'GET',
    pattern: '/api/reports/export',
    path: (t) => `/api/reports/export?table=criteria&groupId=${t.group}`,
    expect: { signedIn: 403, coachA: 200, adminA: 200, coachB: 404, adminB: 404 },
  },
  {
    method: 'GET',
    pattern: '/api/admin/feedback-settings',
    path: () => '/api/admin/feedback-settings',
    expect: admin(200, 200),
  },
  {
    method: 'PUT',
    pattern: '/api/admin/feedback-settings',
    path: () => '/api/admin/feedback-settings',
    body: { markerTags: ['empathy'], fillers: {} },
    expect: admin(200, 200),
  },
  // the destructive ones, on objects of their own
  {
    method: 'DELETE',
    pattern: '/api/uploads/:uploadId',
    path: (t) => `/api/uploads/${t.spare.upload}`,
    headers: TUS,
    expect: { ...uploader(404, 404), participantA: 204 },
  },
  {
    method: 'DELETE',
    pattern: '/api/authoring/courses/:id/cover',
    path: (t) => `/api/authoring/courses/${t.spare.course}/cover`,
    expect: author(200, 404),
  },
  {
    method: 'DELETE',
    pattern: '/api/admin/enrolments/:id',
    path: (t) => `/api/admin/enrolments/${t.spare.enrolment}`,
    expect: { ...admin(404, 404), adminA: 204 },
  },
  {
    method: 'DELETE',
    pattern: '/api/admin/groups/:id',
    path: (t) => `/api/admin/groups/${t.spare.group}`,
    expect: { ...admin(404, 404), adminA: 204 },
  },
];

/** Routes anyone may call. Adding a public route means adding it here, deliberately. */
const PUBLIC_ROUTES = [
  'GET /api/auth/csrf',
  'POST /api/auth/login',
  'POST /api/auth/mfa',
  'POST /api/auth/mfa/email',
  'POST /api/auth/logout',
  'GET /api/invitations/:token',
  'POST /api/invitations/accept',
  // a forgotten password: asked for, and the link's page, before anyone can sign in
  'POST /api/auth/password-reset',
  'GET /api/auth/password-reset/:token',
  'POST /api/auth/password-reset/complete',
  // a new e-mail address confirmed by the link mailed to it, in whichever browser it is opened
  'GET /api/auth/email-change/:token',
  'POST /api/auth/email-change/confirm',
  // an e-mail's signed stop link, and mail programs' one-click unsubscribe (RFC 8058): no sign-in
  'GET /api/mail/unsubscribe',
  'POST /api/mail/unsubscribe',
  'GET /api/health',
  'GET /api/health/live',
  // the key that signs receipts: checked by whoever is handed one, with no account here
  'GET /api/receipts/keys',
  // single sign-on: the start and the identity provider's answer happen before anyone is signed in
  'GET /api/auth/sso/callback',
  'GET /api/auth/sso/:slug/info',
  'GET /api/auth/sso/:slug/start',
];

function expected(route: Route, actor: ActorName): number {
  if (actor === 'anonymous') return 401;
  return route.expect[actor] ?? route.expect.signedIn ?? 403;
}

describe('access core', () => {
  let h: Harness;
  let target: Targets;
  let members: unknown;
  const clients = {} as Record<ActorName, Client>;

  beforeAll(async () => {
    h = await startHarness();
    const world = await seedTwoTenants(h);
    const su = await h.createSuperuser('support@rehearse.test');
    clients.anonymous = await h.client();
    clients.participantA = await h.signIn(world.a.emails.participant);
    clients.coachA = await h.signIn(world.a.emails.coach);
    clients.developerA = await h.signIn(world.a.emails.developer);
    clients.adminA = await h.signIn(world.a.emails.admin);
    clients.participantB = await h.signIn(world.b.emails.participant);
    clients.coachB = await h.signIn(world.b.emails.coach);
    clients.developerB = await h.signIn(world.b.emails.developer);
    clients.adminB = await h.signIn(world.b.emails.admin);
    clients.superuser = await h.signInTotp('support@rehearse.test', su.secret);
    // tenant A: a published course with a rubric, a group with a coach, enrolled
    const course = await publishedCourse(clients.developerA, { media: true });
    const group = await clients.adminA.post('/api/admin/groups', { name: 'Group A' });
    members = { participants: [world.a.ids.participant], coaches: [world.a.ids.coach] };
    await clients.adminA.put(`/api/admin/groups/${group.body.id}/members`, members);
    const enrolment = await clients.adminA.post('/api/admin/enrolments', {
      courseId: course.id,
      groupId: group.body.id,
      coachId: world.a.ids.coach,
      dueOn: '2027-01-31',
    });
    expect(enrolment.status).toBe(201);
    await clients.developerA.put(`/api/authoring/courses/${course.id}/cover`, { dataUrl: PNG });
    target = {
      user: world.a.ids.participant2,
      course: course.id,
      exercise: course.exercise,
      rubric: course.rubric,
      group: group.body.id,
      participant: world.a.ids.participant,
      enrolment: enrolment.body.id,
      recording: '',
      answer: '',
      upload: '',
      receipt: '',
      prompt: '',
      spare: { upload: '', course: '', enrolment: '', group: '' },
    };
    // participant A answers on audio (transcribed before the matrix runs) and leaves an upload unfinished
    const answer = await clients.participantA.post(
      `/api/my/courses/${course.id}/exercises/${AUDIO_EXERCISE}/recordings`,
      { uploadId: await uploadFile(clients.participantA, JFK_WAV) },
    );
    expect(answer.status).toBe(201);
    target.recording = answer.body.recording.id;
    target.answer = answer.body.id;
    expect((await waitForRecording(clients.participantA, target.recording)).body.status).toBe('transcribed');
    const newUpload = async () =>
      (await createUpload(clients.participantA, 1000, { purpose: 'answer', filename: 'later.webm' })).headers[
        'location'
      ]
        .split('/')
        .pop() as string;
    target.upload = await newUpload();
    const prompt = await clients.developerA.post('/api/authoring/prompt-media', {
      courseId: course.id,
      uploadId: await uploadFile(clients.developerA, JFK_WAV, 'prompt'),
    });
    expect(prompt.status).toBe(201);
    target.prompt = prompt.body.id;
    // the spare objects of the destructive routes
    target.spare.upload = await newUpload();
    const spareCourse = await publishedCourse(clients.developerA);
    expect(
      (await clients.developerA.put(`/api/authoring/courses/${spareCourse.id}/cover`, { dataUrl: PNG })).status,
    ).toBe(200);
    target.spare.course = spareCourse.id;
    expect((await clients.developerA.post(`/api/authoring/courses/${spareCourse.id}/draft`, {})).status).toBe(200);
    const spareEnrolment = await clients.adminA.post('/api/admin/enrolments', {
      courseId: spareCourse.id,
      userId: target.user,
      dueOn: '2027-01-31',
    });
    expect(spareEnrolment.status).toBe(201);
    target.spare.enrolment = spareEnrolment.body.id;
    const spareGroup = await clients.adminA.post('/api/admin/groups', { name: 'Group A (spare)' });
    expect(spareGroup.status).toBe(201);
    target.spare.group = spareGroup.body.id;
    const [receipt] = await h.db.query(
      `INSERT INTO deletion_receipts (tenant_id, kind, subject_id, created_at, verified, counts, objects)
       VALUES ($1, 'licence_expiry', $2, now(), true, '{"recordings": 0}', '[]') RETURNING id`,
      [world.a.tenantId, target.user],
    );
    target.receipt = receipt.id;
  });
  afterAll(() => h.close());

  function registeredRoutes(): { key: string; permission?: string; isPublic: boolean; list?: string }[] {
    const reflector = h.app.get(Reflector);
    const out: { key: string; permission?: string; isPublic: boolean; list?: string }[] = [];
    for (const wrapper of h.app.get(DiscoveryService).getControllers()) {
      const cls = wrapper.metatype as { prototype: Record<string, unknown> } | undefined;
      if (!cls) continue;
      const base = String(Reflect.getMetadata(PATH_METADATA, cls) ?? '');
      for (const name of Object.getOwnPropertyNames(cls.prototype)) {
        const handler = cls.prototype[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const sub = Reflect.getMetadata(PATH_METADATA, handler);
        if (sub === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
        const path = ['/api', base, String(sub)]
          .filter((p) => p && p !== '/')
          .join('/')
          .replace(/\/+/g, '/');
        out.push({
          key: `${method} ${path}`,
          permission: reflector.getAllAndOverride<string>(PERMISSION_KEY, [
            handler as () => void,
            cls as unknown as () => void,
          ]),
          isPublic:
            reflector.getAllAndOverride<boolean>(PUBLIC_KEY, [handler as () => void, cls as unknown as () => void]) ===
            true,
          list: reflector.getAllAndOverride<string>(LIST_KEY, [handler as () => void, cls as unknown as () => void]),
        });
      }
    }
    return out;
  }

  it('every route declares a permission or is on the public allow-list (default deny)', () => {
    const routes = registeredRoutes();
    expect(routes.length).toBeGreaterThan(20);
    const undeclared = routes.filter((r) => !r.permission && !r.isPublic).map((r) => r.key);
    expect(undeclared).toEqual([]);
    expect(
      routes
        .filter((r) => r.isPublic)
        .map((r) => r.key)
        .sort(),
    ).toEqual([...PUBLIC_ROUTES].sort());
  });

  it('the matrix covers every protected route of the running app', () => {
    const protectedRoutes = registeredRoutes()
      .filter((r) => !r.isPublic)
      .map((r) => r.key)
      .sort();
    expect(ROUTES.map((r) => `${r.method} ${r.pattern}`).sort()).toEqual(protectedRoutes);
  });

  describe.each(ROUTES)('$method $pattern', (route) => {
    it.each(ACTORS)('as %s', async (actor) => {
      const c = clients[actor];
      const path = route.path(target);
      const body =
        route.body === 'MEMBERS'
          ? members
          : typeof route.body === 'function'
            ? (route.body as (t: Targets) => unknown)(target)
            : route.body;
      let res;
      if (route.method === 'GET') res = await c.get(path);
      else if (route.method === 'HEAD') res = await c.agent.head(path).set(route.headers ?? {});
      else res = await c.send(route.method.toLowerCase() as 'post', path, body, route.headers);
      expect({ actor, status: res.status }).toEqual({ actor, status: expected(route, actor) });
      expect(res.status).not.toBe(500);
    });
  });

  it("tenant B's administrator does not see tenant A's people in lists", async () => {
    const res = await clients.adminB.get('/api/admin/users?pageSize=100');
    expect(res.status).toBe(200);
    expect(res.body.items.map((u: { email: string }) => u.email).every((e: string) => e.endsWith('@b.test'))).toBe(
      true,
    );
    const log = await clients.adminB.get('/api/admin/privacy-log?pageSize=100');
    expect(log.body.items.every((e: { tenantId: string }) => e.tenantId !== null)).toBe(true);
    expect(log.body.items.some((e: { subjectId: string }) => e.subjectId === target.user)).toBe(false);
  });

  it('each list route takes its scope from the access core for the list permission it declares (docs/routes.md)', async () => {
    // a request for each route that declares @ListsObjects, by someone who may call it
    const requests: Record<string, [ActorName, string]> = {
      'GET /api/transcripts/search': ['coachA', '/api/transcripts/search?q=order'],
      'GET /api/coaching/reviews': ['coachA', '/api/coaching/reviews'],
      'GET /api/coaching/reviews/courses': ['coachA', '/api/coaching/reviews/courses'],
      'GET /api/reports/overview': ['adminA', '/api/reports/overview'],
      'GET /api/reports/export': ['adminA', '/api/reports/export?table=criteria'],
    };
    const lists = registeredRoutes().filter((r) => r.list);
    expect(lists.map((r) => r.key).sort()).toEqual(Object.keys(requests).sort());
    const access = h.app.get(AccessService);
    for (const route of lists) {
      const asked = jest.spyOn(access, 'listScope');
      try {
        const [who, url] = requests[route.key];
        const res = await clients[who].get(url);
        expect([route.key, res.status]).toEqual([route.key, 200]);
        expect([route.key, asked.mock.calls.map((c) => c[1])]).toEqual([route.key, [route.list]]);
      } finally {
        asked.mockRestore();
      }
    }
  });

  it('a removed role applies on the very next request', async () => {
    const world = await h.db.query(`SELECT id, tenant_id FROM users WHERE email = 'coach@a.test'`);
    const coach = world[0];
    const promoted = await clients.adminA.put(`/api/admin/users/${coach.id}/roles`, {
      roles: ['coach', 'administrator'],
    });
    expect(promoted.status).toBe(200);
    expect((await clients.coachA.get('/api/admin/users')).status).toBe(200);
    await clients.adminA.put(`/api/admin/users/${coach.id}/roles`, { roles: ['coach'] });
    expect((await clients.coachA.get('/api/admin/users')).status).toBe(403);
  });
});
