import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { CourseContent, CourseLanguage } from '@rehearse/shared/contracts';
import { answersShown, openEnrolment } from '@rehearse/server/access';
import { lockUntilCommit, type Queryable } from '@rehearse/server/database';
import { type AnswerRowBase, exerciseTitleSql } from './content';
import type { RecordingSummaryRow } from './recording-summary';

export interface EnrolledRow {
  course_id: string;
  version_id: string;
  version: number;
  content: CourseContent;
  language: CourseLanguage;
  has_cover: boolean;
  starts_on: string | null;
  due_on: string | null;
}

/**
 * Courses a user may take: published, not archived, and enrolled directly or through one of the
 * user's groups. `via` limits it to enrolments of one group (a coach's view of that group).
 */
const ENROLLED = (via: 'any' | 'group') => `
  SELECT DISTINCT ON (c.id) c.id AS course_id, v.id AS version_id, v.version, v.content, c.language,
         c.cover IS NOT NULL AS has_cover, to_char(e.starts_on, 'YYYY-MM-DD') AS starts_on, to_char(e.due_on, 'YYYY-MM-DD') AS due_on
    FROM enrolments e
    JOIN courses c ON c.id = e.course_id AND c.archived_at IS NULL
    JOIN course_versions v ON v.course_id = c.id AND v.state = 'published'
   WHERE e.tenant_id = $1
     AND ${
       via === 'group'
         ? `e.group_id = $3 AND EXISTS (SELECT 1 FROM group_members gm WHERE gm.group_id = e.group_id AND gm.user_id = $2 AND gm.role = 'participant')`
         : `(e.user_id = $2 OR e.group_id IN (SELECT gm.group_id FROM group_members gm WHERE gm.user_id = $2 AND gm.role = 'participant'))`
     }
   ORDER BY c.id, e.due_on NULLS LAST`;

/** A trainee's answer with its course version, as their course page lists it (its recording comes from recordings). */
export type LearnerAnswerRow = Omit<AnswerRowBase, keyof RecordingSummaryRow> & { content: CourseContent };

/** An answer with the version answered, without its recording (recordings') or who may see it (the access core's). */
export type AnsweredRow = LearnerAnswerRow & { tenant_id: string; user_id: string };

/** One attempt at an exercise, with the content of the version answered. */
export interface AttemptAnswerRow {
  id: string;
  exercise_id: string;
  attempt: number;
  submitted_at: Date;
  content: CourseContent;
}

/** An answer as its reviewers see it: whose, which exercise, the content of the version answered. */
export interface AnswerToReview {
  user_id: string;
  exercise_id: string;
  content: CourseContent;
}

/**
 * The statements of learning: the courses a person takes (directly or through their groups), their
 * answers and attempts, and what their home page shows of them (on courses' own tables; an
 * answer's recording and its feedback are recordings' and feedback's answers: ./ports.ts). Each
 * method takes the tenant first.
 */
@Injectable()
export class LearningRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The published courses the person is enrolled in (through `groupId` only, when given). */
  async enrolled(tenantId: string, userId: string, groupId?: string, m: Queryable = this.db): Promise<EnrolledRow[]> {
    return (await m.query(
      ENROLLED(groupId ? 'group' : 'any'),
      groupId ? [tenantId, userId, groupId] : [tenantId, userId],
    )) as EnrolledRow[];
  }

  /** The published courses a group is enrolled in. */
  async groupCourses(tenantId: string, groupId: string, m: Queryable = this.db): Promise<EnrolledRow[]> {
    return (await m.query(
      `SELECT DISTINCT ON (c.id) c.id AS course_id, v.id AS version_id, v.version, v.content, c.language, c.cover IS NOT NULL AS has_cover,
              to_char(e.starts_on, 'YYYY-MM-DD') AS starts_on, to_char(e.due_on, 'YYYY-MM-DD') AS due_on
         FROM enrolments e JOIN courses c ON c.id = e.course_id AND c.archived_at IS NULL
         JOIN course_versions v ON v.course_id = c.id AND v.state = 'published'
        WHERE e.tenant_id = $1 AND e.group_id = $2 ORDER BY c.id`,
      [tenantId, groupId],
    )) as EnrolledRow[];
  }

  /** How many answers the person gave to each exercise of the courses, keyed `course:exercise`. */
  async attemptCounts(
    tenantId: string,
    userId: string,
    courseIds: string[],
    m: Queryable = this.db,
  ): Promise<Map<string, number>> {
    if (!courseIds.length) return new Map();
    const rows = (await m.query(
      `SELECT course_id, exercise_id, count(*)::int AS n FROM answers
        WHERE tenant_id = $1 AND user_id = $2 AND course_id = ANY($3) GROUP BY course_id, exercise_id`,
      [tenantId, userId, courseIds],
    )) as { course_id: string; exercise_id: string; n: number }[];
    return new Map(rows.map((r) => [`${r.course_id}:${r.exercise_id}`, r.n]));
  }

  /** How many answers the person gave to the exercise. */
  async answersTo(
    tenantId: string,
    userId: string,
    courseId: string,
    exerciseId: string,
    m: Queryable = this.db,
  ): Promise<number> {
    const [{ n }] = (await m.query(
      `SELECT count(*)::int AS n FROM answers WHERE tenant_id = $1 AND user_id = $2 AND course_id = $3 AND exercise_id = $4`,
      [tenantId, userId, courseId, exerciseId],
    )) as { n: number }[];
    return n;
  }

  /**
   * The person's answers in the course, oldest first (none while their licence has expired, as of
   * `today`), without their recordings (recordings answers for those: AnswerRecordings).
   */
  async answersIn(tenantId: string, userId: string, courseId: string, today: string): Promise<LearnerAnswerRow[]> {
    return (await this.db.query(
      `SELECT a.id, a.course_id, a.exercise_id, a.attempt, a.answer_type, a.text_answer, a.submitted_at, v.version, v.content
           FROM answers a JOIN course_versions v ON v.id = a.course_version_id
          WHERE a.user_id = $1 AND a.course_id = $2 AND a.tenant_id = $3 AND ${answersShown('a.user_id', '$4')} ORDER BY a.submitted_at`,
      [userId, courseId, tenantId, today],
    )) as LearnerAnswerRow[];
  }

  /** Holds, until the caller's transaction ends, the lock on the person answering the exercise (one attempt at a time). */
  async lockAnswering(
    tenantId: string,
    userId: string,
    courseId: string,
    exerciseId: string,
    m: Queryable,
  ): Promise<void> {
    await lockUntilCommit(m, `answer:${tenantId}:${userId}:${courseId}:${exerciseId}`);
  }

  /** A new answer (its recording follows for media answers); its id. */
  async insertAnswer(
    tenantId: string,
    a: {
      userId: string;
      courseId: string;
      versionId: string;
      exerciseId: string;
      attempt: number;
      answerType: string;
      text: string | null;
      /** the browser's id of the submission (a written answer's), so that a repeated one finds this answer */
      submissionId?: string | null;
    },
    m: Queryable,
  ): Promise<string> {
    const [row] = (await m.query(
      `INSERT INTO answers (tenant_id, user_id, course_id, course_version_id, exercise_id, attempt, answer_type, text_answer, submission_id) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id`,
      [
        tenantId,
        a.userId,
        a.courseId,
        a.versionId,
        a.exerciseId,
        a.attempt,
        a.answerType,
        a.text,
        a.submissionId ?? null,
      ],
    )) as { id: string }[];
    return row.id;
  }

  /** The person's answer made by this submission, if any (`lockAnswering` held by the caller). */
  async answerOfSubmission(
    tenantId: string,
    userId: string,
    submissionId: string,
    m: Queryable,
  ): Promise<{ id: string; course_id: string; exercise_id: string } | undefined> {
    const [row] = (await m.query(
      `SELECT id, course_id, exercise_id FROM answers WHERE tenant_id = $1 AND user_id = $2 AND submission_id = $3`,
      [tenantId, userId, submissionId],
    )) as { id: string; course_id: string; exercise_id: string }[];
    return row;
  }

  /** The ids of the person's answers that are shown (none while their licence has expired, as of `today`). */
  async shownAnswerIds(tenantId: string, userId: string, today: string): Promise<string[]> {
    const found = (await this.db.query(
      `SELECT a.id FROM answers a WHERE a.user_id = $1 AND a.tenant_id = $2 AND ${answersShown('a.user_id', '$3')}`,
      [userId, tenantId, today],
    )) as { id: string }[];
    return found.map((r) => r.id);
  }

  /** The course and exercise titles of these answers, by answer id (as each was answered). */
  async answerTitles(
    tenantId: string,
    answerIds: readonly string[],
  ): Promise<Map<string, { course_title: string; exercise_title: string | null }>> {
    if (!answerIds.length) return new Map();
    const found = (await this.db.query(
      `SELECT a.id, v.content->>'title' AS course_title, ${exerciseTitleSql('v.content', 'a.exercise_id')} AS exercise_title
         FROM answers a JOIN course_versions v ON v.id = a.course_version_id
        WHERE a.id = ANY($1::uuid[]) AND a.tenant_id = $2`,
      [[...new Set(answerIds)], tenantId],
    )) as { id: string; course_title: string; exercise_title: string | null }[];
    return new Map(found.map((r) => [r.id, { course_title: r.course_title, exercise_title: r.exercise_title }]));
  }

  /** The answered exercise's course language and the content of the version answered (undefined: no such answer). */
  async answeredVersion(
    tenantId: string,
    answerId: string,
  ): Promise<{ language: string; exercise_id: string; content: CourseContent } | undefined> {
    const [row] = (await this.db.query(
      `SELECT c.language, a.exercise_id, cv.content FROM answers a JOIN courses c ON c.id = a.course_id
         JOIN course_versions cv ON cv.id = a.course_version_id
        WHERE a.id = $1 AND a.tenant_id = $2`,
      [answerId, tenantId],
    )) as { language: string; exercise_id: string; content: CourseContent }[];
    return row;
  }

  /** Whether the person is a participant of the group. */
  async isParticipantOf(tenantId: string, groupId: string, userId: string, m: Queryable = this.db): Promise<boolean> {
    const found = (await m.query(
      `SELECT 1 FROM group_members p WHERE p.group_id = $1 AND p.user_id = $2 AND p.role = 'participant' AND p.tenant_id = $3`,
      [groupId, userId, tenantId],
    )) as unknown[];
    return found.length > 0;
  }

  /**
   * A course's cover, for an author (`author`) or someone enrolled in it directly or through a
   * group (`personId`); undefined when there is none or they may not see it.
   */
  async cover(
    tenantId: string,
    courseId: string,
    who: { author: boolean; personId: string },
  ): Promise<{ type: string; bytes: Buffer } | undefined> {
    const [row] = (await this.db.query(
      `SELECT c.cover_type, c.cover FROM courses c WHERE c.id = $1 AND c.tenant_id = $2 AND c.cover IS NOT NULL AND (
         $3::boolean
         OR EXISTS (SELECT 1 FROM enrolments e WHERE e.course_id = c.id AND (e.user_id = $4 OR e.group_id IN (SELECT group_id FROM group_members WHERE user_id = $4))))`,
      [courseId, tenantId, who.author, who.personId],
    )) as { cover_type: string | null; cover: Buffer | null }[];
    return row?.cover && row.cover_type ? { type: row.cover_type, bytes: row.cover } : undefined;
  }

  /**
   * These answers of the organisation as their reviewers see them (owner, exercise, the version's
   * content), by id; answers hidden by an expired licence as of `today` are left out.
   */
  async answersToReview(
    tenantId: string,
    answerIds: readonly string[],
    today: string,
    m: Queryable = this.db,
  ): Promise<Map<string, AnswerToReview>> {
    if (!answerIds.length) return new Map();
    const found = (await m.query(
      `SELECT a.id, a.user_id, a.exercise_id, v.content
         FROM answers a JOIN course_versions v ON v.id = a.course_version_id
        WHERE a.id = ANY($1::uuid[]) AND a.tenant_id = $2 AND ${answersShown('a.user_id', '$3')}`,
      [[...new Set(answerIds)], tenantId, today],
    )) as (AnswerToReview & { id: string })[];
    return new Map(found.map(({ id, ...a }) => [id, a]));
  }

  /**
   * An answer shared with a group for peer review, as the peer sweep sees it, with whether its
   * review is still open `today`: the course not archived, the owner's answers not hidden, the
   * group's enrolment in the course open.
   */
  async sharedInGroup(
    tenantId: string,
    answerId: string,
    groupId: string,
    today: string,
    m: Queryable = this.db,
  ): Promise<(AnswerToReview & { open: boolean }) | undefined> {
    const [row] = (await m.query(
      `SELECT a.user_id, v.content, a.exercise_id,
              (c.archived_at IS NULL AND ${answersShown('a.user_id', '$3')} AND EXISTS (SELECT 1 FROM enrolments e WHERE e.group_id = $4 AND e.course_id = a.course_id AND ${openEnrolment('e', '$3')})) AS open
         FROM answers a JOIN course_versions v ON v.id = a.course_version_id JOIN courses c ON c.id = a.course_id
        WHERE a.id = $1 AND a.tenant_id = $2`,
      [answerId, tenantId, today, groupId],
    )) as (AnswerToReview & { open: boolean })[];
    return row;
  }

  /** The answer in the organisation with the content of the version answered (whoever may see it is the access core's to decide). */
  async answerWithVersion(
    tenantId: string,
    answerId: string,
    m: Queryable = this.db,
  ): Promise<AnsweredRow | undefined> {
    const [row] = (await m.query(
      `SELECT a.id, a.tenant_id, a.user_id, a.course_id, a.exercise_id, a.attempt, a.answer_type, a.text_answer, a.submitted_at,
              v.version, v.content
         FROM answers a JOIN course_versions v ON v.id = a.course_version_id
        WHERE a.id = $1 AND a.tenant_id = $2`,
      [answerId, tenantId],
    )) as AnsweredRow[];
    return row;
  }

  /** Every attempt of the person in the course with the content of the version answered, in attempt order. */
  async attemptsIn(
    tenantId: string,
    userId: string,
    courseId: string,
    m: Queryable = this.db,
  ): Promise<AttemptAnswerRow[]> {
    return (await m.query(
      `SELECT a.id, a.exercise_id, a.attempt, a.submitted_at, v.content
         FROM answers a JOIN course_versions v ON v.id = a.course_version_id
        WHERE a.user_id = $1 AND a.course_id = $2 AND a.tenant_id = $3 ORDER BY a.attempt, a.submitted_at`,
      [userId, courseId, tenantId],
    )) as AttemptAnswerRow[];
  }
}
