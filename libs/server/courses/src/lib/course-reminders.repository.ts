import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sql } from 'kysely';
import { DataSource } from 'typeorm';
import { type Queryable, rows, run, typed } from '@rehearse/server/database';

/** A participant's course due on a day (YYYY-MM-DD), with the organisation. */
export interface CourseDue {
  tenant_id: string;
  user_id: string;
  course_id: string;
  due_on: string;
}

/**
 * The reminders of courses due soon (`course_reminders`: each person's course and due date looked
 * at), which participants' courses fall due in a window (a course's due date for a person is the
 * earliest of their enrolments' in it, their group's or their own, as their course list shows it)
 * and how far they are.
 */
@Injectable()
export class CourseRemindersRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Every participant's published, not archived course whose due date for them falls from `from`
   * to `until` (inclusive), and that no sweep looked at yet for that date. Reads the enrolments due in the window, then those courses' other
   * enrolments of the same people (an earlier due date wins), so it grows with what is due, not
   * with the organisation.
   * @withoutTenant the sweep serves every organisation; each row comes with its own
   */
  async dueWithin(from: string, until: string, m: Queryable = this.db): Promise<CourseDue[]> {
    return (await m.query(
      `WITH windowed AS (
         SELECT DISTINCT e.course_id FROM enrolments e WHERE e.due_on BETWEEN $1::date AND $2::date
       ), dates AS (
         SELECT e.tenant_id, e.course_id, p.user_id, e.due_on
           FROM enrolments e
           JOIN windowed w ON w.course_id = e.course_id
           CROSS JOIN LATERAL (
             SELECT e.user_id AS user_id WHERE e.user_id IS NOT NULL
             UNION ALL
             SELECT gm.user_id FROM group_members gm
              WHERE e.group_id IS NOT NULL AND gm.group_id = e.group_id AND gm.role = 'participant'
           ) p
          WHERE e.due_on IS NOT NULL
       )
       SELECT x.tenant_id, x.user_id, x.course_id, to_char(x.due_on, 'YYYY-MM-DD') AS due_on
         FROM (SELECT d.tenant_id, d.user_id, d.course_id, min(d.due_on) AS due_on
                 FROM dates d
                 JOIN courses c ON c.id = d.course_id AND c.tenant_id = d.tenant_id AND c.archived_at IS NULL
                WHERE EXISTS (SELECT 1 FROM course_versions v WHERE v.course_id = c.id AND v.state = 'published')
                GROUP BY d.tenant_id, d.user_id, d.course_id
               HAVING min(d.due_on) BETWEEN $1::date AND $2::date) x
        -- looked at already (the sweeps after the first of a due date find nothing to claim)
        WHERE NOT EXISTS (SELECT 1 FROM course_reminders r
                           WHERE r.user_id = x.user_id AND r.course_id = x.course_id AND r.due_on = x.due_on)
        ORDER BY 1, 2, 3`,
      [from, until],
    )) as CourseDue[];
  }

  /**
   * How many exercises the course's published version has, and how many of them each of these
   * people answered (at least once): their progress as their course list counts it, for many
   * people in one statement (answers read from their (user_id, course_id) index).
   */
  async progressOf(
    tenantId: string,
    courseId: string,
    userIds: readonly string[],
    m: Queryable = this.db,
  ): Promise<{ total: number; answered: Map<string, number> }> {
    const found = (await m.query(
      `WITH ex AS (
         SELECT x->>'id' AS id
           FROM course_versions v, jsonb_array_elements(v.content->'modules') mo, jsonb_array_elements(mo->'exercises') x
          WHERE v.tenant_id = $1 AND v.course_id = $2 AND v.state = 'published'
       )
       SELECT u.user_id, (SELECT count(*)::int FROM ex) AS total,
              (SELECT count(DISTINCT a.exercise_id)::int FROM answers a
                WHERE a.tenant_id = $1 AND a.user_id = u.user_id AND a.course_id = $2
                  AND a.exercise_id::text IN (SELECT id FROM ex)) AS answered
         FROM unnest($3::uuid[]) AS u(user_id)`,
      [tenantId, courseId, [...userIds]],
    )) as { user_id: string; total: number; answered: number }[];
    return { total: found[0]?.total ?? 0, answered: new Map(found.map((r) => [r.user_id, r.answered])) };
  }

  /**
   * Of these, the ones not looked at yet, each marked in the same statement (its reminder sent, or
   * not needed: the course finished), so that each person's course and due date is looked at once,
   * and two sweeps (two worker processes) never send a reminder twice.
   * @withoutTenant the sweep serves every organisation; each row comes with its own
   */
  async claim(due: readonly CourseDue[], m: Queryable = this.db): Promise<CourseDue[]> {
    if (!due.length) return [];
    const claimed = await rows(
      m,
      typed
        .insertInto('course_reminders')
        .values(
          due.map((d) => ({ tenant_id: d.tenant_id, user_id: d.user_id, course_id: d.course_id, due_on: d.due_on })),
        )
        .onConflict((oc) => oc.doNothing())
        .returning(['tenant_id', 'user_id', 'course_id', sql<string>`to_char(due_on, 'YYYY-MM-DD')`.as('due_on')]),
    );
    return claimed;
  }

  /**
   * Undoes `claim` for these (one organisation's), so that the next sweep looks at them again: a
   * reminder that could not be queued, or one its person could not receive now (reminders turned
   * off, no sign-in, a licence ended) and may by the due date.
   */
  async release(tenantId: string, due: readonly Omit<CourseDue, 'tenant_id'>[], m: Queryable = this.db): Promise<void> {
    if (!due.length) return;
    await run(
      m,
      typed
        .deleteFrom('course_reminders')
        .where('tenant_id', '=', tenantId)
        .where(
          sql<boolean>`(user_id, course_id, due_on) IN (SELECT * FROM unnest(${due.map((d) => d.user_id)}::uuid[], ${due.map((d) => d.course_id)}::uuid[], ${due.map((d) => d.due_on)}::date[]))`,
        ),
    );
  }
}
