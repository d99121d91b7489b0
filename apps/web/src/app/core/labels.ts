import {
  type AiMarker,
  type AiMetricId,
  type AnswerType,
  type CourseStatus,
  type FeedbackSource,
  type KeepStatus,
  RECOGNISER_ACCURACY,
  type TenantRole,
  type TestKind,
  type UserStatus,
} from '@rehearse/shared/contracts';

/** A role's name in the reader's language (the contracts' ROLE_LABELS are the API's English names). */
export const ROLE_NAMES: Record<TenantRole, string> = {
  participant: $localize`:a tenant role:Participant`,
  coach: $localize`:a tenant role:Coach`,
  content_developer: $localize`:a tenant role:Content developer`,
  administrator: $localize`:a tenant role:Administrator`,
};

/** An account's state in the reader's language. */
export const USER_STATUS_NAMES: Record<UserStatus, string> = {
  invited: $localize`:an account state:invited`,
  active: $localize`:an account state:active`,
  deactivated: $localize`:an account state:deactivated`,
};

/** A speech engine by the name people know it by ("Whisper", not its program "whisper.cpp"). */
export function engineName(engine: string): string {
  return engine === 'whisper.cpp' ? 'Whisper' : engine === 'pocketsphinx' ? 'PocketSphinx' : engine;
}

/** What to expect of the recogniser that made a transcript (measured by npm run bench:asr), in the reader's language. */
export function recogniserAccuracy(engine: string, model: string): string {
  const known = RECOGNISER_ACCURACY[`${engine} ${model}`] ?? RECOGNISER_ACCURACY[engine];
  if (!known) {
    return engine === 'whisper.cpp'
      ? $localize`Whisper; this model was not measured here (tiny.en misheard about 1 word in 16 on real read speech)`
      : $localize`not measured here: check word-level findings by listening`;
  }
  return known.wer >= 0.3
    ? $localize`about ${Math.round(known.wer * 100)}:count: words in 100 misheard on real speech: check word-level findings by listening`
    : $localize`about 1 word in ${Math.round(1 / known.wer)}:count: misheard on real read speech`;
}

/**
 * Accessible names that carry data ("Progress in Handling complaints"): attribute bindings need a
 * string, so they are translated here rather than with i18n-aria-label in the templates.
 */
export const ARIA = {
  yourAccount: (name: string) => $localize`${name}:name:, your account`,
  agreementEnds: (name: string) => $localize`Agreement of ${name}:name: ends on`,
  selectPerson: (name: string) => $localize`Select ${name}:name:`,
  editComment: (at: string) => $localize`Edit comment at ${at}:time:`,
  playFrom: (at: string) => $localize`Play from ${at}:time:`,
  removeComment: (at: string) => $localize`Remove comment at ${at}:time:`,
  recordingOf: (name: string) => $localize`${name}:name:’s recording`,
  playSegment: (text: string, from: string) => $localize`${text}:text: (play from ${from}:seconds: seconds)`,
  progressIn: (title: string) => $localize`Progress in ${title}:title:`,
  removeCriterion: (n: number) => $localize`Remove criterion ${n}:number:`,
  moduleTitle: (n: number) => $localize`Title of module ${n}:number:`,
  moveModuleUp: (title: string) => $localize`Move module ${title}:title: up`,
  moveModuleDown: (title: string) => $localize`Move module ${title}:title: down`,
  deleteModule: (title: string) => $localize`Delete module ${title}:title:`,
  exercisesOf: (title: string) => $localize`Exercises of ${title}:title:`,
  moveUp: (title: string) => $localize`Move ${title}:title: up`,
  moveDown: (title: string) => $localize`Move ${title}:title: down`,
  remove: (title: string) => $localize`Delete ${title}:title:`,
};

/** The names of the API's enumerations as a reader sees them. */
export const ANSWER_TYPE_NAMES: Record<AnswerType, string> = {
  video: $localize`:an answer type:video`,
  audio: $localize`:an answer type:audio`,
  text: $localize`:an answer type:text`,
};

export const COURSE_STATUS_NAMES: Record<CourseStatus, string> = {
  draft: $localize`:a course's state:draft`,
  published: $localize`:a course's state:published`,
  archived: $localize`:a course's state:archived`,
};

export const VERSION_STATE_NAMES: Record<'draft' | 'published' | 'superseded', string> = {
  draft: $localize`:a course version's state:draft`,
  published: $localize`:a course version's state:published`,
  superseded: $localize`:a course version's state:superseded`,
};

export const KEEP_STATUS_NAMES: Record<KeepStatus, string> = {
  requested: $localize`:a request to keep recordings:requested`,
  approved: $localize`:a request to keep recordings:approved`,
  declined: $localize`:a request to keep recordings:declined`,
};

export const DECISION_NAMES: Record<AiMarker['decision'], string> = {
  proposed: $localize`:an AI finding the coach has not decided on:proposed`,
  accepted: $localize`:an AI finding:accepted`,
  dismissed: $localize`:an AI finding:dismissed`,
};

export const TEST_KIND_NAMES: Record<TestKind, string> = {
  practice: $localize`:an exercise's kind:Practice`,
  baseline: $localize`:an exercise's kind:Baseline test`,
  final: $localize`:an exercise's kind:Final test`,
};

export const FEEDBACK_SOURCE_NAMES: Record<FeedbackSource, string> = {
  coach: $localize`:who gives feedback:coach`,
  peer: $localize`:who gives feedback:peers`,
  self: $localize`:who gives feedback:self-assessment`,
  ai: $localize`:who gives feedback:AI coach`,
};

export const AI_METRIC_NAMES: Record<AiMetricId, string> = {
  speaking_rate: $localize`:an AI metric:speaking rate`,
  fillers: $localize`:an AI metric:filler words`,
  pauses: $localize`:an AI metric:pauses`,
  duration: $localize`:an AI metric:duration`,
  key_phrases: $localize`:an AI metric:key phrases`,
  avoid_phrases: $localize`:an AI metric:phrases to avoid`,
  sentiment: $localize`:an AI metric:tone`,
  loudness: $localize`:an AI metric:loudness consistency`,
};

/** What a deletion receipt counted; a name not listed (a table of a destroyed organisation) is shown as it is. */
export const RECEIPT_COUNT_NAMES: Record<string, string> = {
  answers: $localize`:deleted things:answers`,
  recordings: $localize`:deleted things:recordings`,
  transcripts: $localize`:deleted things:transcripts`,
  feedbackReceived: $localize`:deleted things:feedback received`,
  feedbackGivenAnonymised: $localize`:deleted things:feedback given, anonymised`,
  sessions: $localize`:deleted things:sessions`,
  exports: $localize`:deleted things:exports`,
  feedbackDraftsDeleted: $localize`:deleted things:unpublished feedback on others deleted`,
  organisationExportsWithdrawn: $localize`:deleted things:organisation exports withdrawn`,
  keysDestroyed: $localize`:deleted things:keys destroyed`,
  queuedJobs: $localize`:deleted things:queued jobs`,
  objects: $localize`:deleted things:stored objects`,
  users: $localize`:deleted things:people`,
};

/**
 * The role a privacy-log row names ("coach", "administrator+coach", "superuser", "superuser-as-participant")
 * in the reader's language.
 */
export function actorRoleName(label: string): string {
  const roles = (value: string) =>
    value
      .split('+')
      .map((r) =>
        r in ROLE_NAMES ? ROLE_NAMES[r as TenantRole] : r === 'user' ? $localize`:a person without a role:user` : r,
      )
      .join(', ');
  if (label === 'superuser') return $localize`:a privacy-log role:Superuser`;
  if (label.startsWith('superuser-as-'))
    return $localize`:a privacy-log role:Superuser as ${roles(label.slice('superuser-as-'.length))}:roles:`;
  return roles(label);
}
