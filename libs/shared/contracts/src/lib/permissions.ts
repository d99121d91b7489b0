import { TenantRole } from './roles';

/**
 * Every API route declares exactly one permission (or is explicitly public).
 * The access guard denies any route that declares none.
 */
export const PERMISSIONS = [
  'account.self', // read and change one's own profile, sessions, devices
  'privacy.self', // see who looked at one's own data
  'users.read', // administrators: list and open users of their tenant
  'users.write', // administrators: invite, import, roles, licences, deactivate
  'privacy.read', // administrators: read and export the privacy log of their tenant
  'tenant.read', // administrators: tenant settings
  'tenant.write',
  'superuser.impersonate', // superusers: start impersonation
  'superuser.report', // superusers: list superusers and impersonations
  'superuser.users', // superusers: find users across tenants
  'superuser.erase', // superusers: erase a user of any tenant (right to be forgotten)
  'superuser.tenants', // superusers: agreements (end dates) and destruction reports
  'courses.author', // content developers: courses, rubrics, import and export
  'groups.manage', // administrators: groups, members, enrolments
  'courses.learn', // participants: their enrolled courses, answers
  'coaching.read', // coaches: their groups and the progress of their participants
  'courses.view', // anyone in a tenant: course covers they may see (checked per course)
  'media.upload', // participants (answers) and content developers (prompt media): resumable uploads
  'recordings.read', // a recording, its transcript and captions (checked per recording: own, coach, administrator)
  'transcripts.search', // coaches and administrators: search transcripts of recordings they may see
  'feedback.give', // coaches, peers and trainees on themselves: review an answer (checked per answer)
  'feedback.read', // the feedback on an answer (checked per answer: owner, coach, administrator)
  'reports.read', // coaches (their groups) and administrators: participation, scores, AI agreement
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Role-to-permission table: the second of the four access checks. */
export const ROLE_PERMISSIONS: Record<TenantRole, readonly Permission[]> = {
  participant: [
    'account.self',
    'privacy.self',
    'courses.learn',
    'courses.view',
    'media.upload',
    'recordings.read',
    'feedback.give',
    'feedback.read',
  ],
  coach: [
    'account.self',
    'privacy.self',
    'coaching.read',
    'courses.view',
    'recordings.read',
    'transcripts.search',
    'feedback.give',
    'feedback.read',
    'reports.read',
  ],
  content_developer: ['account.self', 'privacy.self', 'courses.author', 'courses.view', 'media.upload'],
  administrator: [
    'account.self',
    'privacy.self',
    'users.read',
    'users.write',
    'privacy.read',
    'tenant.read',
    'tenant.write',
    'groups.manage',
    'courses.view',
    'recordings.read',
    'transcripts.search',
    'feedback.read',
    'reports.read',
  ],
};

export const SUPERUSER_PERMISSIONS: readonly Permission[] = [
  'account.self',
  'privacy.self',
  'superuser.impersonate',
  'superuser.report',
  'superuser.users',
  'superuser.erase',
  'superuser.tenants',
];

export function permissionsFor(roles: readonly TenantRole[], isSuperuser: boolean): Set<Permission> {
  const granted = new Set<Permission>();
  for (const role of roles) for (const p of ROLE_PERMISSIONS[role]) granted.add(p);
  if (isSuperuser) for (const p of SUPERUSER_PERMISSIONS) granted.add(p);
  return granted;
}

/**
 * Check 3 of four: how a person stands to someone's answer (and to what belongs to it — its
 * recording, transcript, captions, AI report and feedback). Each relation counts only together
 * with the role permission named here: a coach relation needs `coaching.read`, a peer's
 * `courses.learn`, and "administrator" is the administrator role in the answer's organisation.
 * The access core (libs/server/access) computes them in one place; an answer hidden by its
 * owner's expired licence (check 4) has no relations at all.
 */
export const ANSWER_RELATIONS = {
  owner: 'the answer is their own',
  coach:
    'they coach its owner in its course (a coach of a group enrolled in the course, or the coach of the owner’s own enrolment)',
  peer: 'it was shared with a group they take part in, while that enrolment is open and the course not archived',
  administrator: 'they administer its organisation',
} as const;
export type AnswerRelation = keyof typeof ANSWER_RELATIONS;

/** How a person stands to an export of personal data (one person's, or the organisation's). */
export const EXPORT_RELATIONS = {
  subject: 'it is an export of their own data',
  administrator:
    'they administer its organisation (`users.write` for a person’s export, `tenant.write` for the organisation’s)',
} as const;
export type ExportRelation = keyof typeof EXPORT_RELATIONS;

/** How a person stands to a group of the organisation (a coach sees its members' progress). */
export const GROUP_RELATIONS = {
  coach: 'they are one of the group’s coaches',
} as const;
export type GroupRelation = keyof typeof GROUP_RELATIONS;

/** How a person stands to another person of the organisation, whose data they would export. */
export const PERSON_RELATIONS = {
  self: 'it is their own data',
  administrator: 'they administer the person’s organisation (`users.write`)',
} as const;
export type PersonRelation = keyof typeof PERSON_RELATIONS;

/**
 * Every relation the access core knows, in words, by the kind of object it is to (docs/routes.md):
 * one name may mean different things to different objects (a coach of an answer's owner, a coach of
 * a group; an administrator of an answer's organisation, of a person's).
 */
export const OBJECT_RELATIONS = {
  answer: ANSWER_RELATIONS,
  recording: ANSWER_RELATIONS,
  export: EXPORT_RELATIONS,
  group: GROUP_RELATIONS,
  person: PERSON_RELATIONS,
} as const;
export type ObjectRelation = AnswerRelation | ExportRelation | GroupRelation | PersonRelation;

/**
 * Object permissions, next to the role permissions above: what a route does to one object and
 * which relations allow it. A route declares one with @RequireObject (libs/server/access); the
 * access guard checks it before the handler runs and answers 404 for an object the actor may not
 * see (existence is never disclosed). docs/routes.md shows route → permission → relation.
 */
export const OBJECT_PERMISSIONS = {
  'answer.feedback': { object: 'answer', relations: ['owner', 'coach', 'administrator'] },
  'answer.review': { object: 'answer', relations: ['owner', 'coach', 'peer'] },
  'answer.share': { object: 'answer', relations: ['owner'] },
  'recording.read': { object: 'recording', relations: ['owner', 'coach', 'peer', 'administrator'] },
  'export.read': { object: 'export', relations: ['subject', 'administrator'] },
  'group.coach': { object: 'group', relations: ['coach'] },
  'person.export': { object: 'person', relations: ['self', 'administrator'] },
} as const satisfies Record<
  string,
  | { object: 'answer' | 'recording'; relations: readonly AnswerRelation[] }
  | { object: 'export'; relations: readonly ExportRelation[] }
  | { object: 'group'; relations: readonly GroupRelation[] }
  | { object: 'person'; relations: readonly PersonRelation[] }
>;
export type ObjectPermission = keyof typeof OBJECT_PERMISSIONS;

/**
 * List permissions: which of the organisation's objects a list route shows — those to which the
 * actor has one of the relations, never one hidden by an expired licence. A route declares one with
 * @ListsObjects (libs/server/access); its service asks the access core for the actor's scope
 * (`AccessService.listScope`), and the list's repository turns that scope into its query with the
 * access library's relation fragments. docs/routes.md shows route → list permission → relation.
 */
export const LIST_PERMISSIONS = {
  'recordings.search': { object: 'recording', relations: ['owner', 'coach', 'administrator'], listing: 'Transcript' },
  'answers.awaiting-review': { object: 'answer', relations: ['coach'], listing: 'Answer' },
  'answers.report': { object: 'answer', relations: ['coach', 'administrator'], listing: 'Report' },
} as const satisfies Record<
  string,
  /** `listing`: what the list shows, as its 404 names it for an actor outside any organisation */
  { object: 'answer' | 'recording'; relations: readonly AnswerRelation[]; listing: string }
>;
export type ListPermission = keyof typeof LIST_PERMISSIONS;
export type ObjectKind = (typeof OBJECT_PERMISSIONS)[ObjectPermission]['object'];
