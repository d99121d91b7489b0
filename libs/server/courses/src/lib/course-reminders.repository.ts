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
 * The reminders of courses due soon (`course_reminders`), and which participants' courses fall
 * due in a window: a course's due date for a person is the earliest of their enrolments' in it
 * (their group's or their own), as their course list shows it.
 */
@Injectable()
export class CourseRemindersRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Every participant's published, not archived course whose due date for them falls from `from`
   * to `until` (inclusive). Reads the enrolments due in the window, then those courses' other
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
       SELECT d.tenant_id, d.user_id, d.course_id, to_char(min(d.due_on), 'YYYY-MM-DD') AS due_on
         FROM dates d
         JOIN courses c ON c.id = d.course_id AND c.tenant_id = d.tenant_id AND c.archived_at IS NULL
        WHERE EXISTS (SELECT 1 FROM course_versions v WHERE v.course_id = c.id AND v.state = 'published')
        GROUP BY d.tenant_id, d.user_id, d.course_id
       HAVING min(d.due_on) BETWEEN $1::date AND $2::date
        ORDER BY 1, 2, 3`,
      [from, until],
    )) as CourseDue[];
  }

  /**
   * Of these, the reminders not sent yet, each marked as sent in the same statement, so that two
   * sweeps (two worker processes) never send one twice.
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

  /** Undoes `claim` for a reminder that could not be queued, so that the next sweep tries again. */
  async release(tenantId: string, d: Omit<CourseDue, 'tenant_id'>, m: Queryable = this.db): Promise<void> {
    await run(
      m,
      typed
        .deleteFrom('course_reminders')
        .where('tenant_id', '=', tenantId)
        .where('user_id', '=', d.user_id)
        .where('course_id', '=', d.course_id)
        .where('due_on', '=', sql<Date>`${d.due_on}::date`),
    );
  }
}
