import { exerciseTitleSql } from './content';

/**
 * Courses' tables inside other libraries' read models. A few pages must read across owners in one
 * statement to stay flat at an organisation's size (the coach's queue, the reports, transcript
 * search: see the query-plan test); splitting them into one query per owner would move whole
 * organisations' id lists through the API. So the owner writes the part of the statement that
 * reads its tables, and the caller composes it with the part over its own: every fragment here is
 * courses' SQL over courses' tables (answers, course_versions, courses, groups, group_members,
 * enrolments), yielding the columns its comment names and nothing else. A change to one of these
 * tables is made in this library alone.
 *
 * Arguments are placeholders (`$1`) or column references of the caller's statement, never values;
 * the fragments' own aliases start with `c_` so that they never shadow the caller's.
 */

/**
 * A LATERAL subquery for the answer `answerId` (a column): its `user_id`, `course_id`,
 * `exercise_id`, `course_version_id`, `attempt` and `submitted_at`.
 */
export function answerOfSql(answerId: string): string {
  return `SELECT c_a.user_id, c_a.course_id, c_a.exercise_id, c_a.course_version_id, c_a.attempt, c_a.submitted_at
            FROM answers c_a WHERE c_a.id = ${answerId}`;
}

/** A LATERAL subquery for a course version: its `course_title`, and the title of its exercise `exerciseId` as `exercise_title`. */
export function versionTitlesSql(versionId: string, exerciseId: string): string {
  return `SELECT c_v.content->>'title' AS course_title, ${exerciseTitleSql('c_v.content', exerciseId)} AS exercise_title
            FROM course_versions c_v WHERE c_v.id = ${versionId}`;
}

/** A scalar subquery: the earliest due date (`YYYY-MM-DD`) of the person's enrolments in the course, their own or their groups'. */
export function dueOnSql(userId: string, courseId: string): string {
  return `(SELECT to_char(min(c_e.due_on), 'YYYY-MM-DD') FROM enrolments c_e
            WHERE c_e.course_id = ${courseId}
              AND (c_e.user_id = ${userId}
                   OR c_e.group_id IN (SELECT c_gm.group_id FROM group_members c_gm WHERE c_gm.user_id = ${userId} AND c_gm.role = 'participant')))`;
}

/**
 * Two CTEs for a coach's queue: `<name>_exercises` (materialised: the exercises that ask for a
 * coach in the published versions of the pairs' courses not archived) and `<name>`, the answers of
 * the CTE `pairs` (`user_id`, `course_id`, `group_name`) of the organisation `tenant` to those
 * exercises that still wait for a coach's review, with `id`, `user_id`, `course_id`,
 * `exercise_id`, `attempt`, `answer_type`, `submitted_at`, `group_name`, `exercise_title` and
 * `course_title`. An answer waits while it has no published coach review: its `coach_reviewed`
 * flag, which a trigger on feedback's reviews keeps (migration AnswersAwaitingCoach). It reads the
 * waiting answers of each pair from their own index, without visiting the table, so its work grows
 * with the pairs' waiting answers and never with the organisation.
 */
export function coachAnswersCtes(q: { name: string; pairs: string; tenant: string }): string {
  return `${q.name}_exercises AS MATERIALIZED (
              SELECT c_v.id AS version_id, (c_ex->>'id') AS exercise_id, c_ex->>'title' AS title, c_v.content->>'title' AS course_title
                FROM course_versions c_v
                JOIN courses c_c ON c_c.id = c_v.course_id AND c_c.archived_at IS NULL
                CROSS JOIN LATERAL jsonb_array_elements(c_v.content->'modules') c_mo
                CROSS JOIN LATERAL jsonb_array_elements(c_mo->'exercises') c_ex
               WHERE c_v.course_id IN (SELECT DISTINCT course_id FROM ${q.pairs}) AND c_v.state <> 'draft' AND c_ex->'feedback' ? 'coach'),
            ${q.name} AS (
              SELECT c_a.id, c_a.user_id, c_a.course_id, c_a.exercise_id, c_a.attempt, c_a.answer_type, c_a.submitted_at, c_p.group_name,
                     c_x.title AS exercise_title, c_x.course_title
                FROM ${q.pairs} c_p
                JOIN answers c_a ON c_a.user_id = c_p.user_id AND c_a.course_id = c_p.course_id AND NOT c_a.coach_reviewed
                JOIN ${q.name}_exercises c_x ON c_x.version_id = c_a.course_version_id AND c_x.exercise_id = c_a.exercise_id::text
               WHERE c_a.tenant_id = ${q.tenant})`;
}

/**
 * Three materialised CTEs for reports over groups: `members` (`user_id`: the participants of the
 * groups `groups`, a uuid[] placeholder), `ans` (their answers in the organisation `tenant`, in the
 * course `course` unless it is NULL: `id`, `user_id`, `course_id`, `exercise_id`,
 * `course_version_id`) and `ex` (the exercises of those answers' versions: `version_id`,
 * `course_id`, `exercise_id`, `title`, `test_kind`, `course_title`, and the rubric's `criteria`).
 */
export function groupAnswersCtes(q: { tenant: string; groups: string; course: string }): string {
  return `members AS MATERIALIZED (
    SELECT DISTINCT c_gm.user_id FROM group_members c_gm WHERE c_gm.group_id = ANY(${q.groups}::uuid[]) AND c_gm.role = 'participant'),
  ans AS MATERIALIZED (
    SELECT c_a.id, c_a.user_id, c_a.course_id, c_a.exercise_id, c_a.course_version_id
      FROM members c_m JOIN answers c_a ON c_a.user_id = c_m.user_id
     WHERE c_a.tenant_id = ${q.tenant} AND (${q.course}::uuid IS NULL OR c_a.course_id = ${q.course})),
  ex AS MATERIALIZED (
    SELECT c_v.id AS version_id, c_v.course_id, c_e->>'id' AS exercise_id, c_e->>'title' AS title, c_e->>'testKind' AS test_kind,
           c_v.content->>'title' AS course_title, c_e->'rubric'->'criteria' AS criteria
      FROM course_versions c_v
      CROSS JOIN LATERAL jsonb_array_elements(c_v.content->'modules') c_mo
      CROSS JOIN LATERAL jsonb_array_elements(c_mo->'exercises') c_e
     WHERE c_v.id IN (SELECT DISTINCT course_version_id FROM ans))`;
}

/** A LATERAL subquery: the `group_id` of each group of `groups` (a uuid[] placeholder) in which `userId` takes part. */
export function participantGroupsSql(userId: string, groups: string): string {
  return `SELECT c_gm.group_id FROM group_members c_gm
           WHERE c_gm.user_id = ${userId} AND c_gm.role = 'participant' AND c_gm.group_id = ANY(${groups}::uuid[])`;
}

/** A scalar subquery: the group's name. */
export function groupNameSql(groupId: string): string {
  return `(SELECT c_g.name FROM groups c_g WHERE c_g.id = ${groupId})`;
}
