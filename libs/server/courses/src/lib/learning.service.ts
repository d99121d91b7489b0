import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type {
  AnswerSummary,
  CourseLanguage,
  ExerciseContent,
  LearnerCourse,
  LearnerCourseSummary,
  ParticipantHome,
} from '@rehearse/shared/contracts';
import { AccessService, Actor, PrivacyLogService } from '@rehearse/server/access';
import { PeopleDirectoryRepository } from '@rehearse/server/accounts';
import { AppError, Clock, conflict, forbidden, naturalOrder, notFound } from '@rehearse/server/core';
import { exerciseCount, findExercise, learnerExercise, toAnswerSummary } from './content';
import { renderMarkdown } from './markdown';
import { type EnrolledRow, LearningRepository } from './learning.repository';
import { AnswerFeedback, AnswerRecordings, NO_RECORDING } from './ports';

/** A course as a trainee's list shows it, with how many of its exercises they answered. */
export function learnerCourseSummary(r: EnrolledRow, attempts: Map<string, number>): LearnerCourseSummary {
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

/** The trainee's courses and answers (a coach's view of their groups: CoachedLearningService). */
@Injectable()
export class LearningService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly access: AccessService,
    private readonly privacy: PrivacyLogService,
    private readonly clock: Clock,
    private readonly learning: LearningRepository,
    private readonly people: PeopleDirectoryRepository,
    private readonly recordings: AnswerRecordings,
    private readonly feedback: AnswerFeedback,
  ) {}

  private attempts(
    m: EntityManager,
    tenantId: string,
    userId: string,
    courseIds: string[],
  ): Promise<Map<string, number>> {
    return this.learning.attemptCounts(tenantId, userId, courseIds, m);
  }

  private async enrolled(m: EntityManager, tenantId: string, userId: string, groupId?: string): Promise<EnrolledRow[]> {
    return this.learning.enrolled(tenantId, userId, groupId, m);
  }

  async myCourses(actor: Actor): Promise<LearnerCourseSummary[]> {
    const tenantId = this.access.tenantOf(actor);
    const rows = await this.enrolled(this.db.manager, tenantId, actor.userId);
    const attempts = await this.attempts(
      this.db.manager,
      tenantId,
      actor.userId,
      rows.map((r) => r.course_id),
    );
    return rows
      .map((r) => learnerCourseSummary(r, attempts))
      .sort((a, b) => (a.dueOn ?? '9999').localeCompare(b.dueOn ?? '9999') || naturalOrder(a.title, b.title));
  }

  /**
   * The trainee's home page: the next exercise (first unanswered one of the course due soonest),
   * unfinished courses with due dates, and the newest published coach and peer feedback on their
   * own answers (hidden with the answers when the licence has expired, like everywhere else).
   */
  async home(actor: Actor): Promise<Omit<ParticipantHome, 'peerReviews'>> {
    const tenantId = this.access.tenantOf(actor);
    const rows = await this.enrolled(this.db.manager, tenantId, actor.userId);
    const attempts = await this.attempts(
      this.db.manager,
      tenantId,
      actor.userId,
      rows.map((r) => r.course_id),
    );
    const courses = rows
      .map((r) => ({ row: r, summary: learnerCourseSummary(r, attempts) }))
      .sort(
        (a, b) =>
          (a.summary.dueOn ?? '9999').localeCompare(b.summary.dueOn ?? '9999') ||
          naturalOrder(a.summary.title, b.summary.title),
      );
    const today = this.clock.today();
    const ended = await this.endedLicence(this.db.manager, tenantId, actor.userId, today);
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
    // the newest feedback published on the answers shown, titled as each answer was answered
    const published = await this.feedback.recentlyPublished(
      tenantId,
      await this.learning.shownAnswerIds(tenantId, actor.userId, today),
      5,
    );
    const titles = await this.learning.answerTitles(
      tenantId,
      published.map((f) => f.answer_id),
    );
    const feedback = published.map((f) => ({
      ...f,
      course_title: '',
      exercise_title: null,
      ...titles.get(f.answer_id),
    }));
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
  private async endedLicence(
    m: EntityManager,
    tenantId: string,
    userId: string,
    today: string,
  ): Promise<string | null> {
    return this.people.licenceEndedOn(tenantId, userId, today, m);
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
    const attempts = await this.attempts(this.db.manager, this.access.tenantOf(actor, 'Course'), actor.userId, [
      courseId,
    ]);
    return {
      ...learnerCourseSummary(r, attempts),
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
    const expired = await this.endedLicence(m, this.access.tenantOf(actor, 'Course'), actor.userId, this.clock.today());
    if (expired)
      throw forbidden(
        `Your licence expired on ${expired}: ask your administrator to extend it before you answer again`,
      );
    if ((kind === 'text') !== (exercise.answerType === 'text'))
      throw new AppError(HttpStatus.CONFLICT, 'conflict', `This exercise takes a ${exercise.answerType} answer`);
    const n = await this.learning.answersTo(
      this.access.tenantOf(actor, 'Course'),
      actor.userId,
      courseId,
      exerciseId,
      m,
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
    submissionId: string | null = null,
  ): Promise<{ id: string; exercise: ExerciseContent; language: CourseLanguage }> {
    await this.learning.lockAnswering(this.access.tenantOf(actor, 'Course'), actor.userId, courseId, exerciseId, m);
    const { exercise, language, versionId, used } = await this.checkAnswerable(m, actor, courseId, exerciseId, kind);
    const id = await this.learning.insertAnswer(
      this.access.tenantOf(actor, 'Course'),
      {
        userId: actor.userId,
        courseId,
        versionId,
        exerciseId,
        attempt: used + 1,
        answerType: exercise.answerType,
        text,
        submissionId,
      },
      m,
    );
    return { id, exercise, language };
  }

  /**
   * A text answer. `submissionId` (the browser's, one per text it sends): sent again after its
   * answer was lost on the way, the answer already made comes back instead of a second attempt;
   * the id used for another exercise is a 409.
   */
  async submitText(
    actor: Actor,
    courseId: string,
    exerciseId: string,
    text: string,
    submissionId?: string,
  ): Promise<AnswerSummary> {
    const tenantId = this.access.tenantOf(actor, 'Course');
    const { id } = await this.db.transaction(async (m) => {
      if (submissionId) {
        // a repeat sent at the same moment waits for the first (the same lock as answering)
        await this.learning.lockAnswering(tenantId, actor.userId, courseId, exerciseId, m);
        const earlier = await this.learning.answerOfSubmission(tenantId, actor.userId, submissionId, m);
        if (earlier) {
          if (earlier.course_id !== courseId || earlier.exercise_id !== exerciseId)
            throw conflict('This submission was already made for another exercise');
          return earlier;
        }
      }
      return this.createAnswer(m, actor, courseId, exerciseId, 'text', text, submissionId ?? null);
    });
    const answer = (await this.myAnswers(actor, courseId)).find((a) => a.id === id);
    if (!answer) throw notFound('Answer');
    return answer;
  }

  /** The user's answers, each with the exercise and rubric exactly as they were answered. */
  async myAnswers(actor: Actor, courseId: string): Promise<AnswerSummary[]> {
    const tenantId = this.access.tenantOf(actor, 'Course');
    await this.enrolledCourse(this.db.manager, actor, courseId);
    const answers = await this.learning.answersIn(tenantId, actor.userId, courseId, this.clock.today());
    const recordings = await this.recordings.ofAnswers(
      tenantId,
      answers.map((a) => a.id),
    );
    return answers.map((row) => {
      const a = { ...row, ...(recordings.get(row.id) ?? NO_RECORDING) };
      const e = findExercise(a.content, a.exercise_id);
      if (!e) throw new Error(`answer ${a.id} names an exercise missing from its version`);
      return toAnswerSummary(a, e, actor.profile?.locale ?? null);
    });
  }

  /** The cover of a course the actor may see (author, enrolled trainee, coach of an enrolled group). */
  async cover(actor: Actor, courseId: string): Promise<{ type: string; bytes: Buffer }> {
    const tenantId = this.access.tenantOf(actor, 'Cover');
    const cover = await this.learning.cover(tenantId, courseId, {
      author: actor.permissions.has('courses.author'),
      personId: actor.userId,
    });
    if (!cover) throw notFound('Cover');
    return cover;
  }
}
