import type { ReviewQueueItem } from './feedback';

/** A coach's answer waiting longer than this is overdue on the coach's home page. */
export const REVIEW_OVERDUE_DAYS = 7;
/** Licences ending within this many days are listed on the administrator's home page. */
export const LICENCE_WARNING_DAYS = 30;
/** An organisation's administrators are e-mailed this many days before everything of it is destroyed. */
export const DESTRUCTION_NOTICE_DAYS = 14;

/**
 * The people list's licence filter: whose licence has ended (their answers hidden), ends within
 * LICENCE_WARNING_DAYS (the home page's list, whole), or who have none.
 */
export const LICENCE_FILTERS = ['ending', 'ended', 'none'] as const;
export type LicenceFilterName = (typeof LICENCE_FILTERS)[number];

/** The people list's group filter: participants in no group (the home page's list, whole). */
export const GROUP_FILTERS = ['none'] as const;
export type GroupFilterName = (typeof GROUP_FILTERS)[number];

/** The trainee's home: what to do next and what arrived. */
export interface ParticipantHome {
  /** the first unanswered exercise of the course due soonest (courses without a due date last) */
  next: {
    courseId: string;
    courseTitle: string;
    exerciseId: string;
    exerciseTitle: string;
    dueOn: string | null;
  } | null;
  /** unfinished courses with a due date, soonest first (at most 5) */
  due: { courseId: string; title: string; dueOn: string; exercisesAnswered: number; exercisesTotal: number }[];
  /** set when the trainee's licence has ended (then nothing is due and nothing can be answered) */
  licenceEndedOn: string | null;
  /** published coach and peer feedback on the trainee's answers, newest first (at most 5) */
  feedback: {
    answerId: string;
    courseTitle: string;
    exerciseTitle: string;
    source: 'coach' | 'peer';
    publishedAt: string;
  }[];
  /** the peer reviews handed to the trainee and not done yet (answers hidden by an expired licence left out) */
  peerReviews: PeerReviewsToDo;
}

/** A trainee's open peer reviews at a glance. */
export interface PeerReviewsToDo {
  toDo: number;
  /** when the first of them is due (null: none has a due date) */
  nextDueAt: string | null;
}

/** The coach's home: the queue at a glance and the coach's own recent work. */
export interface CoachHome {
  waiting: number;
  /** waiting longer than REVIEW_OVERDUE_DAYS */
  overdue: number;
  /** the oldest waiting answers (at most 5); each listed answer is privacy-logged like the queue */
  oldest: ReviewQueueItem[];
  /** feedback this coach published, newest first (at most 5) */
  recent: { answerId: string; participantName: string; exerciseTitle: string; publishedAt: string }[];
}

/** The administrator's home: people who need a decision. */
export interface AdminHome {
  /** licences ending within LICENCE_WARNING_DAYS (not yet ended), soonest first (at most 5) */
  expiring: { userId: string; name: string; expiresOn: string }[];
  expiringTotal: number;
  /** requests to keep recordings past their deletion date awaiting a decision */
  pendingKeepRequests: number;
  /** active or invited participants in no group (at most 5) */
  withoutGroup: { userId: string; name: string }[];
  withoutGroupTotal: number;
  /** the organisation's agreement with the operator, once it has an end date (null: it does not end) */
  agreement: AgreementEnd | null;
}

/** When an organisation's agreement ends, and the day everything of the organisation is destroyed. */
export interface AgreementEnd {
  endsOn: string;
  destroyOn: string;
}

/** The content developer's home: unfinished and recent work. */
export interface DeveloperHome {
  /** courses with an unpublished draft, last edited first (at most 5) */
  drafts: { courseId: string; title: string; updatedAt: string; published: boolean }[];
  /** published versions, newest first (at most 5) */
  published: { courseId: string; title: string; version: number; publishedAt: string }[];
}

/** GET /api/home: one section per role the person holds in their organisation. */
export interface HomeSummary {
  participant: ParticipantHome | null;
  coach: CoachHome | null;
  admin: AdminHome | null;
  developer: DeveloperHome | null;
}
