import { imageSize } from 'image-size';
import type {
  AnswerSummary,
  CourseContent,
  ExerciseContent,
  ImportProblem,
  LearnerExercise,
  RubricSnapshot,
} from '@rehearse/shared/contracts';
import { renderMarkdown } from './markdown';
import { RecordingSummaryRow, toRecordingSummary } from './recording-summary';

/**
 * Checks that ids are unique and rubric references resolve (with the criteria that peer review and
 * AI links name); returns every problem found. `rubrics`: rubric id → its criterion ids.
 */
export function contentProblems(
  content: CourseContent,
  rubrics: ReadonlyMap<string, ReadonlySet<string>>,
  prefix = 'content',
): ImportProblem[] {
  const problems: ImportProblem[] = [];
  const seen = new Map<string, string>();
  content.modules.forEach((m, mi) => {
    const mPath = `${prefix}.modules.${mi}`;
    if (seen.has(m.id)) problems.push({ path: `${mPath}.id`, message: `duplicates the id of ${seen.get(m.id)}` });
    seen.set(m.id, mPath);
    m.exercises.forEach((e, ei) => {
      const ePath = `${mPath}.exercises.${ei}`;
      if (seen.has(e.id)) problems.push({ path: `${ePath}.id`, message: `duplicates the id of ${seen.get(e.id)}` });
      seen.set(e.id, ePath);
      const criteria = e.rubricId ? rubrics.get(e.rubricId) : undefined;
      if (e.rubricId && !criteria)
        problems.push({ path: `${ePath}.rubricId`, message: 'names a rubric that does not exist' });
      (e.ai.criterionLinks ?? []).forEach((l, li) => {
        if (!criteria?.has(l.criterionId))
          problems.push({
            path: `${ePath}.ai.criterionLinks.${li}.criterionId`,
            message: "names no criterion of the exercise's rubric",
          });
      });
      (e.peerReview?.criterionIds ?? []).forEach((id, ci) => {
        if (!criteria?.has(id))
          problems.push({
            path: `${ePath}.peerReview.criterionIds.${ci}`,
            message: "names no criterion of the exercise's rubric",
          });
      });
      if (e.selfAssessmentFirst && !e.feedback.includes('self'))
        problems.push({ path: `${ePath}.selfAssessmentFirst`, message: 'needs self feedback to be enabled' });
      if (e.ai.wpmMin !== null && e.ai.wpmMax !== null && e.ai.wpmMin > e.ai.wpmMax)
        problems.push({ path: `${ePath}.ai.wpmMax`, message: 'must not be below wpmMin' });
      if (e.answerType === 'text' && e.feedback.includes('ai'))
        problems.push({ path: `${ePath}.feedback`, message: 'AI feedback needs a video or audio answer' });
    });
  });
  return problems;
}

export function rubricProblems(rubric: { criteria: RubricSnapshot['criteria'] }, prefix: string): ImportProblem[] {
  const problems: ImportProblem[] = [];
  const ids = new Set<string>();
  rubric.criteria.forEach((c, ci) => {
    if (ids.has(c.id)) problems.push({ path: `${prefix}.criteria.${ci}.id`, message: 'is used twice' });
    ids.add(c.id);
    const scores = c.levels.map((l) => l.score);
    if (new Set(scores).size !== scores.length)
      problems.push({ path: `${prefix}.criteria.${ci}.levels`, message: 'scores must differ' });
  });
  return problems;
}

/**
 * SQL: the title of exercise `exerciseId` (an id column) inside a course version's `content`
 * (a jsonb column), for queries that list answers with their exercise's title.
 */
export function exerciseTitleSql(content: string, exerciseId: string): string {
  return `(SELECT ex->>'title' FROM jsonb_array_elements(${content}->'modules') mo CROSS JOIN LATERAL jsonb_array_elements(mo->'exercises') ex
            WHERE ex->>'id' = ${exerciseId}::text LIMIT 1)`;
}

/** A published course stores rubrics as snapshots; drafts and export files do not. */
export function stripSnapshots(content: CourseContent): CourseContent {
  return {
    ...content,
    modules: content.modules.map((m) => ({ ...m, exercises: m.exercises.map(({ rubric: _rubric, ...e }) => e) })),
  };
}

export function exerciseCount(content: CourseContent): number {
  return content.modules.reduce((n, m) => n + m.exercises.length, 0);
}

export function findExercise(content: CourseContent, exerciseId: string): ExerciseContent | undefined {
  for (const m of content.modules) for (const e of m.exercises) if (e.id === exerciseId) return e;
  return undefined;
}

/** The trainee's view of one exercise, with the rubric as it was frozen. */
export function learnerExercise(
  e: ExerciseContent,
  attemptsUsed: number,
  feedbackReceived: boolean,
  rubrics?: Map<string, RubricSnapshot>,
): LearnerExercise {
  return {
    id: e.id,
    title: e.title,
    instructionsHtml: renderMarkdown(e.instructions),
    prompt: e.prompt,
    promptMediaId: e.promptMediaId ?? null,
    answerType: e.answerType,
    preparationSeconds: e.preparationSeconds,
    maxAnswerSeconds: e.maxAnswerSeconds,
    attemptsAllowed: e.attemptsAllowed,
    attemptsUsed,
    testKind: e.testKind,
    feedback: e.feedback,
    rubric: e.rubric ?? (e.rubricId ? (rubrics?.get(e.rubricId) ?? null) : null),
    answered: attemptsUsed > 0,
    feedbackReceived,
  };
}

/** An answer row (with the recording-summary columns) as the API shows it, with its exercise as answered. */
export interface AnswerRowBase extends RecordingSummaryRow {
  id: string;
  course_id: string;
  version: number;
  exercise_id: string;
  attempt: number;
  answer_type: AnswerSummary['answerType'];
  text_answer: string | null;
  submitted_at: Date;
}

export function toAnswerSummary(
  a: AnswerRowBase,
  exercise: ExerciseContent,
  locale: string | null = null,
): AnswerSummary {
  return {
    id: a.id,
    courseId: a.course_id,
    courseVersion: a.version,
    exerciseId: a.exercise_id,
    exerciseTitle: exercise.title,
    attempt: a.attempt,
    answerType: a.answer_type,
    text: a.text_answer,
    submittedAt: a.submitted_at.toISOString(),
    exercise: learnerExercise(exercise, a.attempt, false),
    recording: toRecordingSummary(a, locale),
  };
}

/** The most pixels a course's cover may have on each side. */
export const COVER_MAX_SIDE = 4096;

/**
 * Why these bytes are no cover a learner's browser should be asked to draw, or null: a PNG, JPEG
 * or WebP whose header the image-size library reads, at most COVER_MAX_SIDE pixels on each side.
 * 512 KB of PNG can say 50,000 × 50,000 pixels, ten gigabytes once a browser decodes it: every
 * learner's page of the course would run out of memory.
 */
export function coverProblem(bytes: Buffer): string | null {
  let size: { width?: number; height?: number };
  try {
    size = imageSize(bytes);
  } catch {
    return 'is not a PNG, JPEG or WebP image that can be read';
  }
  const { width = 0, height = 0 } = size;
  if (width < 1 || height < 1) return 'is not a PNG, JPEG or WebP image that can be read';
  if (width > COVER_MAX_SIDE || height > COVER_MAX_SIDE)
    return `is ${width} × ${height} pixels; a cover may be at most ${COVER_MAX_SIDE} pixels on each side`;
  return null;
}

/** Image type by magic bytes, never by the declared type. */
export function imageType(bytes: Buffer): 'image/png' | 'image/jpeg' | 'image/webp' | null {
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'image/png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (
    bytes.length >= 12 &&
    bytes.subarray(0, 4).toString('latin1') === 'RIFF' &&
    bytes.subarray(8, 12).toString('latin1') === 'WEBP'
  )
    return 'image/webp';
  return null;
}
