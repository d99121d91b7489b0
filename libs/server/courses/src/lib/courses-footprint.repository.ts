import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Queryable } from '@rehearse/server/database';

/** One of the person's answers as their export lists it, with its course's and exercise's titles. */
export interface ExportedAnswer extends Record<string, unknown> {
  id: string;
  course: string;
  exercise: string | null;
}

/**
 * A person's and an organisation's footprint in courses' tables (answers, groups, enrolments,
 * courses and their versions, rubrics), for privacy's export, erasure and destruction. Methods
 * that take part in privacy's transaction take it last.
 */
@Injectable()
export class CoursesFootprintRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The ids of the person's answers (in the caller's transaction, or on their own). */
  async answerIdsOf(tenantId: string, userId: string, m: Queryable = this.db): Promise<string[]> {
    const rows = (await m.query(`SELECT id FROM answers WHERE user_id = $1 AND tenant_id = $2`, [
      userId,
      tenantId,
    ])) as { id: string }[];
    return rows.map((r) => r.id);
  }

  /**
   * The person's answers, oldest first, as their export lists them: the attempt, the kind, a text
   * answer's text, when, and the course's and exercise's titles of the version answered.
   */
  async answersOf(tenantId: string, userId: string, m: Queryable): Promise<ExportedAnswer[]> {
    const rows = (await m.query(
      `SELECT a.id, a.exercise_id, v.content, a.attempt, a.answer_type AS "answerType", a.text_answer AS "text", a.submitted_at AS "submittedAt"
         FROM answers a JOIN course_versions v ON v.id = a.course_version_id
        WHERE a.user_id = $1 AND a.tenant_id = $2 ORDER BY a.submitted_at`,
      [userId, tenantId],
    )) as ({
      id: string;
      exercise_id: string;
      content: { modules: { exercises: { id: string; title: string }[] }[]; title: string };
    } & Record<string, unknown>)[];
    return rows.map(({ content, exercise_id, ...a }) => ({
      ...a,
      course: content.title,
      exercise: content.modules.flatMap((mo) => mo.exercises).find((e) => e.id === exercise_id)?.title ?? null,
    }));
  }

  /** The groups the person is in, by name, with their role and since when. */
  async groupsOf(tenantId: string, userId: string, m: Queryable): Promise<Record<string, unknown>[]> {
    return (await m.query(
      `SELECT g.name, gm.role, gm.created_at AS "since" FROM group_members gm JOIN groups g ON g.id = gm.group_id WHERE gm.user_id = $1 AND gm.tenant_id = $2 ORDER BY g.name COLLATE natural_order`,
      [userId, tenantId],
    )) as Record<string, unknown>[];
  }

  /** The person's own enrolments (a group's are in the organisation's export). */
  async enrolmentsOf(tenantId: string, userId: string, m: Queryable): Promise<Record<string, unknown>[]> {
    return (await m.query(
      `SELECT c.title AS course, to_char(e.starts_on, 'YYYY-MM-DD') AS "startsOn", to_char(e.due_on, 'YYYY-MM-DD') AS "dueOn" FROM enrolments e JOIN courses c ON c.id = e.course_id WHERE e.user_id = $1 AND e.tenant_id = $2`,
      [userId, tenantId],
    )) as Record<string, unknown>[];
  }

  /**
   * Deletes the person's answers in the erasure's transaction: their recordings, transcripts,
   * search entries, AI reports, shares, reviews and comments go with them by cascade.
   */
  async deleteAnswersOf(tenantId: string, userId: string, m: Queryable): Promise<void> {
    await m.query(`DELETE FROM answers WHERE user_id = $1 AND tenant_id = $2`, [userId, tenantId]);
  }

  /** The ids of the organisation's answers (a queued job could name one). */
  async organisationAnswerIds(tenantId: string): Promise<string[]> {
    const rows = (await this.db.query(`SELECT id::text AS id FROM answers WHERE tenant_id = $1`, [tenantId])) as {
      id: string;
    }[];
    return rows.map((r) => r.id);
  }

  /** The organisation's courses with every version, rubrics, groups with members, and enrolments. */
  async organisationExport(tenantId: string): Promise<Record<string, unknown[]>> {
    const q = (sql: string) => this.db.query(sql, [tenantId]) as Promise<Record<string, unknown>[]>;
    return {
      courses: await q(`SELECT c.id, c.title, c.language, c.archived_at AS "archivedAt",
                               (SELECT coalesce(json_agg(json_build_object('version', v.version, 'state', v.state, 'publishedAt', v.published_at, 'content', v.content) ORDER BY v.version), '[]') FROM course_versions v WHERE v.course_id = c.id) AS versions
                          FROM courses c WHERE c.tenant_id = $1 ORDER BY c.title COLLATE natural_order`),
      rubrics: await q(
        `SELECT id, title, description, criteria FROM rubrics WHERE tenant_id = $1 ORDER BY title COLLATE natural_order`,
      ),
      groups: await q(
        `SELECT g.id, g.name, (SELECT coalesce(json_agg(json_build_object('userId', gm.user_id, 'role', gm.role)), '[]') FROM group_members gm WHERE gm.group_id = g.id) AS members FROM groups g WHERE g.tenant_id = $1 ORDER BY g.name COLLATE natural_order`,
      ),
      enrolments: await q(
        `SELECT course_id AS "courseId", group_id AS "groupId", user_id AS "userId", coach_id AS "coachId", to_char(starts_on, 'YYYY-MM-DD') AS "startsOn", to_char(due_on, 'YYYY-MM-DD') AS "dueOn" FROM enrolments WHERE tenant_id = $1`,
      ),
    };
  }
}
