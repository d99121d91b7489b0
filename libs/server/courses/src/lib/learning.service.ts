import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type {
  AnswerSummary,
  CourseContent,
  CourseLanguage,
  ExerciseContent,
  LearnerCourse,
  LearnerCourseSummary,
  ParticipantHome,
  ParticipantProgress,
} from '@rehearse/shared/contracts';
import { AccessService, Actor, answersShown, PrivacyLogService } from '@rehearse/server/access';
import { AppError, Clock, forbidden, notFound } from '@rehearse/server/core';
import {
  AnswerRowBase,
  exerciseCount,
  exerciseTitleSql,
  findExercise,
  learnerExercise,
  toAnswerSummary,
} from './content';
import { renderMarkdown } from './markdown';
import { RECORDING_SUMMARY_COLUMNS } from './recording-summary';

interface EnrolledRow {
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

/** The trainee's courses and answers, and a coach's view of their participants' progress. */
@Injectable()
export class LearningService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly access: AccessService,
    private readonly privacy: PrivacyLogService,
    private readonly clock: Clock,
  ) {}

  private async attempts(m: EntityManager, userId: string, courseIds: string[]): Promise<Map<string, number>> {
    if (!courseIds.length) return new Map();
    const rows: { course_id: string; exercise_id: string; n: number }[] = await m.query(
      `SELECT course_id, exercise_id, count(*)::int AS n FROM answers WHERE user_id = $1 AND course_id = ANY($2) GROUP BY course_id, exercise_id`,
      [userId, courseIds],
    );
    return new Map(rows.map((r) => [`${r.course_id}:${r.exercise_id}`, r.n]));
  }

  private summarise(r: EnrolledRow, attempts: Map<string, number>): LearnerCourseSummary {
    const ids = r.content.modules.flatMap((mo) => mo.exercises.map((e) => e.id));
    return {
      id: r.course_id,
      title: r.content.title,
      description: renderMarkdown(r.content.description),
      language: r.language,
      version: r.version,
      exercisesTotal: exerciseCount(r.content),
      exercisesAnswered: ids.filter((id) => (attempts.get(`${r.course_id}:${id}`) ?? 0) > 0).length,
      feedbackReceived: 0, // feedback arrives with the coaching features
      startsOn: r.starts_on,
      dueOn: r.due_on,
      hasCover: r.has_cover,
    };
  }

  private async enrolled(m: EntityManager, tenantId: string, userId: string, groupId?: string): Promise<EnrolledRow[]> {
    return m.query(ENROLLED(groupId ? 'group' : 'any'), groupId ? [tenantId, userId, groupId] : [tenantId, userId]);
  }

  async myCourses(actor: Actor): Promise<LearnerCourseSummary[]> {
    const tenantId = this.access.tenantOf(actor);
    const rows = await this.enrolled(this.db.manager, tenantId, actor.userId);
    const attempts = await this.attempts(
      this.db.manager,
      actor.userId,
      rows.map((r) => r.course_id),
    );
    return rows
      .map((r) => this.summarise(r, attempts))
      .sort((a, b) => (a.dueOn ?? '9999').localeCompare(b.dueOn ?? '9999') || a.title.localeCompare(b.title));
  }

  /**
   * The trainee's home page: the next exercise (first unanswered one of the course due soonest),
   * unfinished courses with due dates, and the newest published coach and peer feedback on their
   * own answers (hidden with the answers when the licence has expired, like everywhere else).
   */
  async home(actor: Actor): Promise<ParticipantHome> {
    const tenantId = this.access.tenantOf(actor);
    const rows = await this.enrolled(this.db.manager, tenantId, actor.userId);
    const attempts = await this.attempts(
      this.db.manager,
      actor.userId,
      rows.map((r) => r.course_id),
    );
    const courses = rows
      .map((r) => ({ row: r, summary: this.summarise(r, attempts) }))
      .sort(
        (a, b) =>
          (a.summary.dueOn ?? '9999').localeCompare(b.summary.dueOn ?? '9999') ||
          a.summary.title.localeCompare(b.summary.title),
      );
    const today = this.clock.today();
    const ended = await this.endedLicence(this.db.manager, actor.userId, today);
    let next: ParticipantHome['next'] = null;
    for (const { row, summary } of ended ? [] : courses) {
      if (summary.dueOn !== null && summary.dueOn < today) continue;
      const exercise = row.content.modules
        .flatMap((mo) => mo.exercises)
        .find((e) => (attempts.get(`${row.course_id}:${e.id}`) ?? 0) === 0);
      if (exercise) {
        next = {
          courseId: row.course_id,
          courseTitle: summary.title,
          exerciseId: exercise.id,
          exerciseTitle: exercise.title,
          dueOn: summary.dueOn,
        };
        break;
      }
    }
    const due = (ended ? [] : courses)
      .filter(({ summary }) => summary.dueOn !== null && summary.exercisesAnswered < summary.exercisesTotal)
      .slice(0, 5)
      .map(({ summary }) => ({
        courseId: summary.id,
        title: summary.title,
        dueOn: summary.dueOn as string,
        exercisesAnswered: summary.exercisesAnswered,
        exercisesTotal: summary.exercisesTotal,
      }));
    const feedback: {
      answer_id: string;
      course_title: string;
      exercise_title: string | null;
      source: 'coach' | 'peer';
      published_at: Date;
    }[] = await this.db.query(
      `SELECT r.answer_id, v.content->>'title' AS course_title, r.source, r.published_at, ${exerciseTitleSql('v.content', 'a.exercise_id')} AS exercise_title
         FROM answers a
         JOIN reviews r ON r.answer_id = a.id AND r.state = 'published' AND r.source IN ('coach', 'peer')
         JOIN course_versions v ON v.id = a.course_version_id
        WHERE a.user_id = $1 AND a.tenant_id = $2 AND ${answersShown('a.user_id', '$3')}
        ORDER BY r.published_at DESC, r.id LIMIT 5`,
      [actor.userId, tenantId, today],
    );
    return {
      next,
      due,
      licenceEndedOn: ended,
      feedback: feedback.map((f) => ({
        answerId: f.answer_id,
        courseTitle: f.course_title,
        exerciseTitle: f.exercise_title ?? '',
        source: f.source,
        publishedAt: f.published_at.toISOString(),
      })),
    };
  }

  /** The day the user's licence ended, if it has (YYYY-MM-DD); null while it runs or without one. */
  private async endedLicence(m: EntityManager, userId: string, today: string): Promise<string | null> {
    const [row]: { expires_on: string }[] = await m.query(
      `SELECT to_char(expires_on, 'YYYY-MM-DD') AS expires_on FROM licences WHERE user_id = $1 AND expires_on <= $2::date`,
      [userId, today],
    );
    return row?.expires_on ?? null;
  }

  private async enrolledCourse(m: EntityManager, actor: Actor, courseId: string): Promise<EnrolledRow> {
    const rows = (await this.enrolled(m, this.access.tenantOf(actor, 'Course'), actor.userId)).filter(
      (r) => r.course_id === courseId,
    );
    if (!rows[0]) throw notFound('Course');
    return rows[0];
  }

  async myCourse(actor: Actor, courseId: string): Promise<LearnerCourse> {
    const r = await this.enrolledCourse(this.db.manager, actor, courseId);
    const attempts = await this.attempts(this.db.manager, actor.userId, [courseId]);
    return {
      ...this.summarise(r, attempts),
      modules: r.content.modules.map((mo) => {
        const exercises = mo.exercises.map((e) => learnerExercise(e, attempts.get(`${courseId}:${e.id}`) ?? 0, false));
        return {
          id: mo.id,
          title: mo.title,
          exercises,
          answered: exercises.filter((e) => e.answered).length,
          total: exercises.length,
        };
      }),
    };
  }

  /**
   * Checks that the actor may answer this exercise now (enrolled, the exercise exists in the
   * published version, the answer kind fits, attempts are left) without writing anything.
   */
  async answerable(
    actor: Actor,
    courseId: string,
    exerciseId: string,
    kind: 'text' | 'media',
  ): Promise<{ exercise: ExerciseContent; language: CourseLanguage }> {
    return this.checkAnswerable(this.db.manager, actor, courseId, exerciseId, kind);
  }

  private async checkAnswerable(
    m: EntityManager,
    actor: Actor,
    courseId: string,
    exerciseId: string,
    kind: 'text' | 'media',
  ): Promise<{ exercise: ExerciseContent; language: CourseLanguage; versionId: string; used: number }> {
    const r = await this.enrolledCourse(m, actor, courseId);
    const exercise = findExercise(r.content, exerciseId);
    if (!exercise) throw notFound('Exercise');
    const expired = await this.endedLicence(m, actor.userId, this.clock.today());
    if (expired)
      throw forbidden(
        `Your licence expired on ${expired}: ask your administrator to extend it before you answer again`,
      );
    if ((kind === 'text') !== (exercise.answerType === 'text'))
      throw new AppError(HttpStatus.CONFLICT, 'conflict', `This exercise takes a ${exercise.answerType} answer`);
    const [{ n }]: { n: number }[] = await m.query(
      `SELECT count(*)::int AS n FROM answers WHERE user_id = $1 AND course_id = $2 AND exercise_id = $3`,
      [actor.userId, courseId, exerciseId],
    );
    if (n >= exercise.attemptsAllowed)
      throw new AppError(
        HttpStatus.CONFLICT,
        'conflict',
        `All ${exercise.attemptsAllowed} attempts of this exercise are used`,
      );
    return { exercise, language: r.language, versionId: r.version_id, used: n };
  }

  /**
   * Creates an answer against the version published now, inside the caller's transaction; the
   * attempt limit holds across versions (serialised per user and exercise).
   */
  async createAnswer(
    m: EntityManager,
    actor: Actor,
    courseId: string,
    exerciseId: string,
    kind: 'text' | 'media',
    text: string | null,
  ): Promise<{ id: string; exercise: ExerciseContent; language: CourseLanguage }> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`answer:${actor.userId}:${courseId}:${exerciseId}`]);
    const { exercise, language, versionId, used } = await this.checkAnswerable(m, actor, courseId, exerciseId, kind);
    const [row]: { id: string }[] = await m.query(
      `INSERT INTO answers (tenant_id, user_id, course_id, course_version_id, exercise_id, attempt, answer_type, text_answer) VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING id`,
      [actor.tenantId, actor.userId, courseId, versionId, exerciseId, used + 1, exercise.answerType, text],
    );
    return { id: row.id, exercise, language };
  }

  /** A text answer. */
  async submitText(actor: Actor, courseId: string, exerciseId: string, text: string): Promise<AnswerSummary> {
    const { id } = await this.db.transaction((m) => this.createAnswer(m, actor, courseId, exerciseId, 'text', text));
    return (await this.myAnswers(actor, courseId)).find((a) => a.id === id) as AnswerSummary;
  }

  /** The user's answers, each with the exercise and rubric exactly as they were answered. */
  async myAnswers(actor: Actor, courseId: string): Promise<AnswerSummary[]> {
    this.access.tenantOf(actor, 'Course');
    await this.enrolledCourse(this.db.manager, actor, courseId);
    const rows: (AnswerRowBase & { content: CourseContent })[] = await this.db.query(
      `SELECT a.id, a.course_id, a.exercise_id, a.attempt, a.answer_type, a.text_answer, a.submitted_at, v.version, v.content, ${RECORDING_SUMMARY_COLUMNS}
           FROM answers a JOIN course_versions v ON v.id = a.course_version_id
           LEFT JOIN recordings r ON r.answer_id = a.id
           LEFT JOIN transcripts t ON t.recording_id = r.id
          WHERE a.user_id = $1 AND a.course_id = $2 AND a.tenant_id = $3 AND ${answersShown('a.user_id', '$4')} ORDER BY a.submitted_at`,
      [actor.userId, courseId, actor.tenantId, this.clock.today()],
    );
    return rows.map((a) => {
      const e = findExercise(a.content, a.exercise_id);
      if (!e) throw new Error(`answer ${a.id} names an exercise missing from its version`);
      return toAnswerSummary(a, e, actor.profile?.locale ?? null);
    });
  }

  /** A coach opens a participant's progress in one of the coach's groups: privacy-logged. */
  async participantProgress(actor: Actor, groupId: string, userId: string): Promise<ParticipantProgress> {
    const tenantId = this.access.tenantOf(actor, 'Participant');
    return this.privacy.readWithLog(actor, async (m) => {
      const rows: { name: string }[] = await m.query(
        `SELECT u.name FROM group_members p JOIN users u ON u.id = p.user_id
          WHERE p.group_id = $1 AND p.user_id = $2 AND p.role = 'participant' AND p.tenant_id = $3
            AND EXISTS (SELECT 1 FROM group_members c WHERE c.group_id = $1 AND c.user_id = $4 AND c.role = 'coach')`,
        [groupId, userId, tenantId, actor.userId],
      );
      if (!rows[0]) throw notFound('Participant');
      const courses = await this.enrolled(m, tenantId, userId, groupId);
      const attempts = await this.attempts(
        m,
        userId,
        courses.map((c) => c.course_id),
      );
      return {
        value: { userId, name: rows[0].name, courses: courses.map((c) => this.summarise(c, attempts)) },
        log: { subjectId: userId, tenantId, objectType: 'course_progress', objectId: groupId, action: 'view' },
      };
    });
  }

  private async assertCoach(m: EntityManager, actor: Actor, groupId: string): Promise<string> {
    const tenantId = this.access.tenantOf(actor, 'Group');
    const rows: unknown[] = await m.query(
      `SELECT 1 FROM group_members WHERE group_id = $1 AND user_id = $2 AND role = 'coach' AND tenant_id = $3`,
      [groupId, actor.userId, tenantId],
    );
    if (!rows.length) throw notFound('Group');
    return tenantId;
  }

  private async groupCourses(m: EntityManager, tenantId: string, groupId: string): Promise<EnrolledRow[]> {
    return m.query(
      `SELECT DISTINCT ON (c.id) c.id AS course_id, v.id AS version_id, v.version, v.content, c.language, c.cover IS NOT NULL AS has_cover,
              to_char(e.starts_on, 'YYYY-MM-DD') AS starts_on, to_char(e.due_on, 'YYYY-MM-DD') AS due_on
         FROM enrolments e JOIN courses c ON c.id = e.course_id AND c.archived_at IS NULL
         JOIN course_versions v ON v.course_id = c.id AND v.state = 'published'
        WHERE e.tenant_id = $1 AND e.group_id = $2 ORDER BY c.id`,
      [tenantId, groupId],
    );
  }

  /** The courses a coached group takes (content, not anyone's answers). */
  async coachedCourses(actor: Actor, groupId: string): Promise<LearnerCourseSummary[]> {
    const tenantId = await this.assertCoach(this.db.manager, actor, groupId);
    return (await this.groupCourses(this.db.manager, tenantId, groupId)).map((r) => this.summarise(r, new Map()));
  }

  /** One course of a coached group, as its trainees see it. */
  async coachedCourse(actor: Actor, groupId: string, courseId: string): Promise<LearnerCourse> {
    const tenantId = await this.assertCoach(this.db.manager, actor, groupId);
    const r = (await this.groupCourses(this.db.manager, tenantId, groupId)).find((x) => x.course_id === courseId);
    if (!r) throw notFound('Course');
    return {
      ...this.summarise(r, new Map()),
      modules: r.content.modules.map((mo) => ({
        id: mo.id,
        title: mo.title,
        answered: 0,
        total: mo.exercises.length,
        exercises: mo.exercises.map((e) => learnerExercise(e, 0, false)),
      })),
    };
  }

  /** The cover of a course the actor may see (author, enrolled trainee, coach of an enrolled group). */
  async cover(actor: Actor, courseId: string): Promise<{ type: string; bytes: Buffer }> {
    const tenantId = this.access.tenantOf(actor, 'Cover');
    const rows: { cover_type: string | null; cover: Buffer | null }[] = await this.db.query(
      `SELECT c.cover_type, c.cover FROM courses c WHERE c.id = $1 AND c.tenant_id = $2 AND c.cover IS NOT NULL AND (
         $3::boolean
         OR EXISTS (SELECT 1 FROM enrolments e WHERE e.course_id = c.id AND (e.user_id = $4 OR e.group_id IN (SELECT group_id FROM group_members WHERE user_id = $4))))`,
      [courseId, tenantId, actor.permissions.has('courses.author'), actor.userId],
    );
    if (!rows[0]?.cover || !rows[0].cover_type) throw notFound('Cover');
    return { type: rows[0].cover_type, bytes: rows[0].cover };
  }
}
