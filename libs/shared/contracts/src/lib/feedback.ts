/** Feedback on answers: coach reviews, peer and self assessment, AI-proposed scores, reports. */
import type { AiMetricId } from './assessment';
import type { AnswerSummary, RubricCriterion } from './courses';

export type ReviewSource = 'coach' | 'peer' | 'self';
/** assigned: a peer review handed out, not started; lapsed: its reviewer let the due date pass. */
export type ReviewState = 'assigned' | 'draft' | 'published' | 'lapsed';

export const FEEDBACK_LIMITS = {
  summary: 5000,
  comment: 2000,
  comments: 200,
  tag: 40,
  tags: 30,
  fillersPerLanguage: 100,
  filler: 40,
} as const;

/** Default peer review settings of an exercise that opens itself to peers. */
export const PEER_DEFAULTS = { reviewers: 2, dueDays: 7 } as const;

/** The marker tags a new tenant starts with; administrators edit them. */
export const DEFAULT_MARKER_TAGS = [
  'good opening',
  'empathy',
  'clear next step',
  'interrupts',
  'jargon',
  'good question',
];

export interface ReviewComment {
  /** seconds into the recording (0 for text answers) */
  at: number;
  text: string;
  tag: string | null;
  /** set when the comment is an AI finding the coach accepted */
  aiFinding: string | null;
}

/** An AI finding offered to the coach as a draft marker on the timeline. */
export interface AiMarker {
  /** stable per report: "filler:3", "pause:0", "avoid:1", "key:0" */
  key: string;
  kind: 'filler' | 'pause' | 'avoid_phrase' | 'key_phrase';
  at: number;
  end: number;
  label: string;
  decision: 'proposed' | 'accepted' | 'dismissed';
  /** heard by a weak recogniser or with low confidence: the coach confirms it by listening */
  lowConfidence?: boolean;
}

/** The AI's proposal for one rubric criterion, from the metrics linked to it. */
export interface AiProposedScore {
  criterionId: string;
  score: number;
  /** the linked metrics that had a verdict, and how many of them passed */
  basis: AiMetricId[];
  passed: number;
}

export interface Review {
  id: string;
  answerId: string;
  source: ReviewSource;
  state: ReviewState;
  reviewerId: string | null;
  /** null once the reviewer was forgotten */
  reviewerName: string | null;
  scores: Record<string, number>;
  /** weighted over the criteria this reviewer scores; null until all are scored */
  total: number | null;
  summary: string;
  comments: ReviewComment[];
  revision: number;
  dueAt: string | null;
  publishedAt: string | null;
  updatedAt: string;
}

/** Everything the review screen needs, for whoever reviews (coach, peer, or the trainee on themselves). */
export interface ReviewContext {
  answer: AnswerSummary;
  participantId: string;
  participantName: string;
  role: ReviewSource;
  /** the criteria this reviewer scores (peers: those the exercise opens to them) */
  criteria: RubricCriterion[];
  markerTags: string[];
  review: Review | null;
  /** coach only: the AI's draft markers and proposed scores */
  aiMarkers: AiMarker[];
  aiProposed: AiProposedScore[];
  /** coach only: what peers and the trainee published */
  otherReviews: Review[];
}

export interface ReviewDraftInput {
  /** the revision the client edited; absent on the first save */
  revision?: number;
  scores: Record<string, number>;
  summary: string;
  comments: ReviewComment[];
  aiDecisions?: Record<string, 'accepted' | 'dismissed'>;
}

/** The trainee's (and their coach's) view of all feedback on one answer. */
export interface AnswerFeedback {
  answer: AnswerSummary;
  participantId: string;
  participantName: string;
  /** the exercise asks for a self-assessment first and it is not yet published: others' feedback is held back */
  selfAssessmentPending: boolean;
  reviews: Review[];
  share: AnswerShare | null;
  peersAllowed: boolean;
  /** earlier and later attempts at the same exercise, with their totals */
  attempts: AttemptResult[];
  /** across the course: each exercise the participant answered, first attempt (baseline) against latest (final) */
  courseProgress: ExerciseProgress[];
}

export interface ExerciseProgress {
  exerciseId: string;
  exerciseTitle: string;
  attempts: number;
  baseline: AttemptResult;
  final: AttemptResult;
}

export interface AnswerShare {
  groupId: string;
  groupName: string;
  sharedAt: string;
  reviewersAssigned: number;
  reviewsPublished: number;
}

export interface AttemptResult {
  answerId: string;
  attempt: number;
  submittedAt: string;
  coachTotal: number | null;
  selfTotal: number | null;
  peerTotal: number | null;
  /** speaking rate and fillers per minute from the AI report, where there is one */
  wpm: number | null;
  fillersPerMinute: number | null;
}

export interface ReviewQueueItem {
  answerId: string;
  participantId: string;
  participantName: string;
  groupName: string | null;
  courseId: string;
  courseTitle: string;
  exerciseTitle: string;
  attempt: number;
  answerType: 'video' | 'audio' | 'text';
  submittedAt: string;
  dueOn: string | null;
  /** the review exists as a draft (yours) */
  drafted: boolean;
}

/** A course with answers waiting in the coach's queue: what the queue's choice of one course offers. */
export interface ReviewQueueCourse {
  courseId: string;
  courseTitle: string;
  /** answers of this course waiting for your feedback */
  waiting: number;
}

export interface PeerAssignment {
  answerId: string;
  courseTitle: string;
  exerciseTitle: string;
  /** the trainee who shared it */
  participantName: string;
  state: ReviewState;
  assignedAt: string;
  dueAt: string | null;
}

export interface FeedbackSettings {
  markerTags: string[];
  /** per language; a language without an entry uses the built-in list */
  fillers: Record<string, string[]>;
}

/** A coach's morning e-mail: how many answers wait for their feedback (sent only when some do). */
export interface CoachDigestSetting {
  /** the coach wants it (until they turn it off) */
  enabled: boolean;
  /** the hour of the day (0–23) on the installation's clocks from which it is sent; null: the installation sends none */
  hour: number | null;
  /** the installation's time zone (TIME_ZONE), whose clocks `hour` is read on */
  timeZone: string;
  /** that hour today, as a moment (ISO 8601), to show in the reader's own time; null: none is sent */
  from: string | null;
}

export interface AgreementRow {
  courseId: string;
  courseTitle: string;
  exerciseId: string;
  exerciseTitle: string;
  /** criterion scores the AI proposed and a coach published */
  pairs: number;
  /** share (0–1) where both gave the same level; null without pairs */
  exact: number | null;
  /** share where they were at most one level apart */
  adjacent: number | null;
  meanAbsoluteDifference: number | null;
}

export interface CriterionTrend {
  groupId: string | null;
  groupName: string;
  courseId: string;
  courseTitle: string;
  criterionId: string;
  criterionTitle: string;
  /** YYYY-MM */
  month: string;
  meanScore: number;
  reviews: number;
}

export interface ReportOverview {
  participants: number;
  /** participants with at least one answer */
  active: number;
  participationRate: number | null;
  answers: number;
  reviewed: number;
  /** mean coach total of baseline answers against final answers */
  baselineMean: number | null;
  finalMean: number | null;
  /** one page of the mean coach score per group, course, criterion and month */
  criteria: CriterionTrend[];
  /** rows of the criteria table in all, and which page `criteria` is */
  criteriaTotal: number;
  page: number;
  pageSize: number;
  /** the chart's series: mean coach score per criterion and month over everything in view */
  trend: CriterionSeriesPoint[];
  agreement: AgreementRow[];
  /** when the figures were computed, for an organisation-wide view served from a snapshot; null: now */
  asOf: string | null;
}

export interface CriterionSeriesPoint {
  criterionId: string;
  criterionTitle: string;
  /** YYYY-MM */
  month: string;
  meanScore: number;
  reviews: number;
}
