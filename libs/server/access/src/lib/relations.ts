/**
 * The relations that open a participant's answer to someone else (check 3 of four), as SQL
 * fragments over the caller's aliases, so every route that shows answers asks the same question.
 */

/**
 * Check 4 of four: the owner's answers are not hidden. A licence that expires on day D hides its
 * holder's answers, recordings, transcripts and feedback from everyone, the holder included, from
 * D on, until an administrator extends it. Users without a licence row are not limited.
 */
export function answersShown(owner: string, todayParam: string): string {
  return `NOT EXISTS (SELECT 1 FROM licences hl WHERE hl.user_id = ${owner} AND hl.expires_on <= ${todayParam}::date)`;
}

/** A group's enrolment `e` in a course is open today: not past its due date. */
export function openEnrolment(e: string, todayParam: string): string {
  return `(${e}.due_on IS NULL OR ${e}.due_on >= ${todayParam}::date)`;
}

/**
 * The actor coaches the owner in this course, through the enrolment that names the coach: the
 * course's enrolment of a group in which the actor is a coach and the owner a participant, or the
 * owner's own enrolment in the course with the actor as its coach. Coaching one group of a
 * participant gives nothing in courses that reach them through another group or alone.
 */
export function coachesOwner(owner: string, course: string, actorParam: string): string {
  return `(EXISTS (SELECT 1 FROM enrolments ce
                     JOIN group_members gc ON gc.group_id = ce.group_id AND gc.user_id = ${actorParam} AND gc.role = 'coach'
                     JOIN group_members gp ON gp.group_id = ce.group_id AND gp.user_id = ${owner} AND gp.role = 'participant'
                    WHERE ce.course_id = ${course})
        OR EXISTS (SELECT 1 FROM enrolments ce WHERE ce.course_id = ${course} AND ce.user_id = ${owner} AND ce.coach_id = ${actorParam}))`;
}

/**
 * The (user_id, course_id) pairs the actor coaches, the same relation as coachesOwner seen from
 * the coach: for a query that starts at the coach (their queue, their search) and must not visit
 * the rest of the organisation. May repeat a pair; `group_name` and `due_on` come from the
 * enrolment that names the coach (NULL for a personal enrolment's group).
 */
export function coachedPairs(actorParam: string, tenantParam: string): string {
  return `SELECT gp.user_id, ce.course_id, g.name AS group_name, ce.due_on
            FROM group_members gc
            JOIN groups g ON g.id = gc.group_id
            JOIN enrolments ce ON ce.group_id = gc.group_id
            JOIN group_members gp ON gp.group_id = gc.group_id AND gp.role = 'participant'
           WHERE gc.user_id = ${actorParam} AND gc.role = 'coach' AND gc.tenant_id = ${tenantParam}
          UNION ALL
          SELECT ce.user_id, ce.course_id, NULL, ce.due_on
            FROM enrolments ce
           WHERE ce.coach_id = ${actorParam} AND ce.user_id IS NOT NULL AND ce.tenant_id = ${tenantParam}`;
}

/**
 * The answer is shared with a group the actor takes part in (not their own answer), while the
 * course is not archived and that group's enrolment in it is open.
 */
export function sharedWithPeer(
  answer: string,
  owner: string,
  course: string,
  actorParam: string,
  todayParam: string,
): string {
  return `(${owner} <> ${actorParam} AND EXISTS (
    SELECT 1 FROM answer_shares s
      JOIN group_members gm ON gm.group_id = s.group_id AND gm.user_id = ${actorParam} AND gm.role = 'participant'
      JOIN enrolments se ON se.group_id = s.group_id AND se.course_id = ${course} AND ${openEnrolment('se', todayParam)}
      JOIN courses sc ON sc.id = ${course} AND sc.archived_at IS NULL
     WHERE s.answer_id = ${answer}))`;
}
