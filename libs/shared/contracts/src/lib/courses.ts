import type { AiMetricId } from './assessment';
import type { RecordingSummary } from './recordings';
/** Course content: edited as a draft document, published as frozen versions. */
export const ANSWER_TYPES = ['video', 'audio', 'text'] as const;
export type AnswerType = (typeof ANSWER_TYPES)[number];
export const FEEDBACK_SOURCES = ['coach', 'peer', 'self', 'ai'] as const;
export type FeedbackSource = (typeof FEEDBACK_SOURCES)[number];
export const TEST_KINDS = ['practice', 'baseline', 'final'] as const;
export type TestKind = (typeof TEST_KINDS)[number];
export const COURSE_LANGUAGES = ['en', 'nl', 'de', 'fr', 'es', 'pt'] as const;
export type CourseLanguage = (typeof COURSE_LANGUAGES)[number];

export const LIMITS = {
  title: 200,
  description: 5000,
  instructions: 20000,
  prompt: 5000,
  modules: 50,
  exercisesPerModule: 50,
  phrases: 50,
  phrase: 200,
  criteria: 20,
  levels: 10,
  coverBytes: 512 * 1024,
  /** revisions (optimistic concurrency) are PostgreSQL integers */
  revision: 2_147_483_647,
} as const;

export interface AiSettings {
  language: CourseLanguage;
  keyPhrases: string[];
  avoidPhrases: string[];
  wpmMin: number | null;
  wpmMax: number | null;
  maxFillersPerMinute: number | null;
  targetDurationSeconds: number | null;
  /** rubric criteria the AI proposes a score for, from the metrics linked to each */
  criterionLinks?: AiCriterionLink[];
}

export interface AiCriterionLink {
  criterionId: string;
  metrics: AiMetricId[];
}

/** How an exercise that allows peer feedback hands out reviews. */
export interface PeerReviewSettings {
  /** reviews each shared answer gets (N) */
  reviewers: number;
  /** days a reviewer has before the review lapses and goes to someone else */
  dueDays: number;
  /** the rubric criteria peers score; empty: all */
  criterionIds: string[];
}

export interface RubricLevel {
  score: number;
  descriptor: string;
}

export interface RubricCriterion {
  id: string;
  title: string;
  description: string;
  weight: number;
  levels: RubricLevel[];
}

/** A rubric as frozen into a published course version. */
export interface RubricSnapshot {
  id: string;
  title: string;
  description: string;
  criteria: RubricCriterion[];
}

export interface Rubric extends RubricSnapshot {
  revision: number;
  archived: boolean;
  updatedAt: string;
  usedBy: number;
}

export interface ExerciseContent {
  /** stable across versions, so answers can be matched to the exercise they answered */
  id: string;
  title: string;
  /** Markdown; rendered and sanitised by the server */
  instructions: string;
  prompt: string | null;
  /** a video or audio the trainee watches before answering (uploaded as prompt media) */
  promptMediaId?: string | null;
  answerType: AnswerType;
  preparationSeconds: number;
  maxAnswerSeconds: number;
  attemptsAllowed: number;
  testKind: TestKind;
  feedback: FeedbackSource[];
  rubricId: string | null;
  ai: AiSettings;
  /** when feedback includes peers; defaults apply when absent */
  peerReview?: PeerReviewSettings | null;
  /** when feedback includes self: the trainee assesses themselves before seeing others' feedback */
  selfAssessmentFirst?: boolean;
  /** present in published versions only: the rubric as it was when published */
  rubric?: RubricSnapshot | null;
}

export interface ModuleContent {
  id: string;
  title: string;
  exercises: ExerciseContent[];
}

export interface CourseContent {
  title: string;
  description: string;
  language: CourseLanguage;
  modules: ModuleContent[];
}

export type CourseStatus = 'draft' | 'published' | 'archived';

export interface CourseSummary {
  id: string;
  title: string;
  language: CourseLanguage;
  status: CourseStatus;
  hasDraft: boolean;
  publishedVersion: number | null;
  exerciseCount: number;
  hasCover: boolean;
  updatedAt: string;
}

export interface CourseVersionInfo {
  id: string;
  version: number;
  state: 'draft' | 'published' | 'superseded';
  changeSummary: string | null;
  publishedAt: string | null;
  publishedByName: string | null;
}

/** An exercise of a published version: as authored, with its rubric frozen at publication. */
export interface PublishedExerciseContent extends ExerciseContent {
  rubric: RubricSnapshot | null;
}

export interface PublishedModuleContent extends ModuleContent {
  exercises: PublishedExerciseContent[];
}

/** A published version's content: the draft's shape, each exercise with its frozen rubric. */
export interface PublishedCourseContent extends CourseContent {
  modules: PublishedModuleContent[];
}

export interface CourseDetail extends CourseSummary {
  draft: { versionId: string; version: number; revision: number; content: CourseContent } | null;
  published: { versionId: string; version: number; publishedAt: string; content: PublishedCourseContent } | null;
  versions: CourseVersionInfo[];
}

/** The portable file a course is exported to and imported from. */
export interface CourseExportFile {
  format: 'rehearse.course';
  formatVersion: 1;
  exportedAt: string;
  course: CourseContent;
  rubrics: RubricSnapshot[];
  cover: { type: 'image/png' | 'image/jpeg' | 'image/webp'; base64: string } | null;
}

export interface ImportProblem {
  path: string;
  message: string;
}

export interface Group {
  id: string;
  name: string;
  description: string;
  participantCount: number;
  coachCount: number;
}

export interface GroupMember {
  userId: string;
  name: string;
  email: string;
  role: 'participant' | 'coach';
}

/** Changes to a group's members: people added to or removed from a role (the rest stay). */
export interface GroupMembersChange {
  addParticipants?: string[];
  addCoaches?: string[];
  removeParticipants?: string[];
  removeCoaches?: string[];
}

export interface Enrolment {
  id: string;
  courseId: string;
  courseTitle: string;
  groupId: string | null;
  groupName: string | null;
  userId: string | null;
  userName: string | null;
  coachId: string | null;
  coachName: string | null;
  startsOn: string | null;
  dueOn: string | null;
}

/** The trainee's view of an exercise: rendered instructions, frozen rubric, own progress. */
export interface LearnerExercise {
  id: string;
  title: string;
  instructionsHtml: string;
  prompt: string | null;
  promptMediaId: string | null;
  answerType: AnswerType;
  preparationSeconds: number;
  maxAnswerSeconds: number;
  attemptsAllowed: number;
  attemptsUsed: number;
  testKind: TestKind;
  feedback: FeedbackSource[];
  rubric: RubricSnapshot | null;
  answered: boolean;
  feedbackReceived: boolean;
}

export interface LearnerModule {
  id: string;
  title: string;
  exercises: LearnerExercise[];
  answered: number;
  total: number;
}

export interface LearnerCourseSummary {
  id: string;
  title: string;
  description: string;
  language: CourseLanguage;
  version: number;
  exercisesTotal: number;
  exercisesAnswered: number;
  feedbackReceived: number;
  startsOn: string | null;
  dueOn: string | null;
  hasCover: boolean;
}

export interface LearnerCourse extends LearnerCourseSummary {
  modules: LearnerModule[];
}

export interface AnswerSummary {
  id: string;
  courseId: string;
  courseVersion: number;
  exerciseId: string;
  exerciseTitle: string;
  attempt: number;
  answerType: AnswerType;
  text: string | null;
  submittedAt: string;
  /** the exercise and rubric exactly as they were when answered */
  exercise: LearnerExercise;
  /** video and audio answers: the stored recording and its processing state */
  recording: RecordingSummary | null;
}

export interface ParticipantProgress {
  userId: string;
  name: string;
  courses: LearnerCourseSummary[];
}
