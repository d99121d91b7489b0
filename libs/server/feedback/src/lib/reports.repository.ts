import { Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '@rehearse/server/core';
import { groupAnswersCtes, groupNameSql, participantGroupsSql } from '@rehearse/server/courses';
import { lockUntilCommit, type Queryable, tryLockUntilCommit } from '@rehearse/server/database';

/**
 * The rows in view: courses' answers of the participants of the groups in view ($1 tenant, $2 group
 * ids, $3 course or NULL: members, ans, ex), and the coaches' published reviews of them (rev).
 */
const IN_VIEW = `
  ${groupAnswersCtes({ tenant: '$1', groups: '$2', course: '$3' })},
  rev AS MATERIALIZED (
    SELECT r.answer_id, r.scores, r.total, r.ai_proposed, r.published_at, a.user_id, a.course_id, a.exercise_id, x.test_kind, x.course_title, x.title AS exercise_title, x.criteria
      FROM ans a
      JOIN reviews r ON r.answer_id = a.id AND r.source = 'coach' AND r.state = 'published'
      JOIN ex x ON x.version_id = a.course_version_id AND x.exercise_id = a.exercise_id::text)`;

/** One row per score a coach gave on a criterion, once for each group in view the participant is in. */
/** `zone`: the installation's time zone as an SQL literal (Clock.sqlTimeZone): a score's month is its reader's */
const scores = (zone: string) => `
  scores AS (
    SELECT gm.group_id, rv.course_id, rv.course_title, c->>'id' AS criterion_id, c->>'title' AS criterion_title,
           to_char(rv.published_at AT TIME ZONE ${zone}, 'YYYY-MM') AS month, (rv.scores->>(c->>'id'))::float8 AS score
      FROM rev rv
      CROSS JOIN LATERAL jsonb_array_elements(COALESCE(rv.criteria, '[]'::jsonb)) c
      CROSS JOIN LATERAL (${participantGroupsSql('rv.user_id', '$2')}) gm
     WHERE rv.scores ? (c->>'id'))`;

/** Marks the statement that computes a snapshot of a whole organisation's aggregates. */
export const SNAPSHOT_MARK = '/* report snapshot */';

/** All aggregates of one scope (what a snapshot holds). */
export interface ReportData {
  head: {
    participants: number;
    active: number;
    answers: number;
    reviewed: number;
    baseline: number | null;
    final: number | null;
  };
  cells: {
    group_id: string;
    group_name: string;
    course_id: string;
    course_title: string;
    criterion_id: string;
    criterion_title: string;
    month: string;
    mean: number;
    n: number;
  }[];
  trend: { criterion_id: string; criterion_title: string; month: string; mean: number; n: number }[];
  proposals: {
    course_id: string;
    course_title: string;
    exercise_id: string;
    exercise_title: string;
    criterion_id: string;
    ai: number;
    coach: number;
    n: number;
    levels: number[] | null;
  }[];
}

/**
 * The reports' read model: the aggregates of a scope in one statement (over courses' answers and
 * groups through courses' fragments, read-models.ts there), and
 * the organisation-wide snapshots kept in `report_snapshots` (owned by feedback). Each method
 * takes the tenant first.
 */
@Injectable()
export class ReportsRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Optional() private readonly clock: Clock = new Clock(),
  ) {}

  /**
   * Every aggregate of the scope in one statement (one pass over the answers in view). A snapshot's
   * statement is marked as such: it reads a whole organisation by design, at most every few
   * minutes (the query-plan test tells it apart from the statements of requests).
   */
  async compute(
    tenantId: string,
    groupIds: string[],
    courseId: string | null,
    snapshot: boolean,
    m: Queryable = this.db,
  ): Promise<ReportData> {
    const [row]: {
      head: ReportData['head'];
      cells: ReportData['cells'] | null;
      trend: ReportData['trend'] | null;
      proposals: ReportData['proposals'] | null;
    }[] = (await m.query(
      `${snapshot ? `${SNAPSHOT_MARK} ` : ''}WITH ${IN_VIEW}, ${scores(this.clock.sqlTimeZone)},
            cells AS (
              SELECT s.group_id, ${groupNameSql('s.group_id')} AS group_name, s.course_id, s.course_title, s.criterion_id, s.criterion_title, s.month, avg(s.score) AS mean, count(*)::int AS n
                FROM scores s
               GROUP BY s.group_id, s.course_id, s.course_title, s.criterion_id, s.criterion_title, s.month),
            trend AS (
              SELECT min(criterion_id) AS criterion_id, criterion_title, month, avg(score) AS mean, count(*)::int AS n
                FROM scores GROUP BY criterion_title, month),
            proposals AS (
              SELECT rv.course_id, min(rv.course_title) AS course_title, rv.exercise_id, min(rv.exercise_title) AS exercise_title, p->>'criterionId' AS criterion_id,
                     (p->>'score')::float8 AS ai, (rv.scores->>(p->>'criterionId'))::float8 AS coach, count(*)::int AS n,
                     (SELECT array_agg((l->>'score')::float8) FROM jsonb_array_elements(COALESCE(rv.criteria, '[]'::jsonb)) c, jsonb_array_elements(c->'levels') l
                       WHERE c->>'id' = p->>'criterionId') AS levels
                FROM rev rv CROSS JOIN LATERAL jsonb_array_elements(COALESCE(rv.ai_proposed, '[]'::jsonb)) p
               WHERE rv.scores ? (p->>'criterionId')
               GROUP BY rv.course_id, rv.exercise_id, p->>'criterionId', (p->>'score')::float8, (rv.scores->>(p->>'criterionId'))::float8, levels)
       SELECT json_build_object(
                'participants', (SELECT count(*) FROM members),
                'active', (SELECT count(DISTINCT user_id) FROM ans),
                'answers', (SELECT count(*) FROM ans),
                'reviewed', (SELECT count(DISTINCT answer_id) FROM rev),
                'baseline', (SELECT avg(total) FROM rev WHERE test_kind = 'baseline' AND total IS NOT NULL)::float8,
                'final', (SELECT avg(total) FROM rev WHERE test_kind = 'final' AND total IS NOT NULL)::float8) AS head,
              (SELECT json_agg(cells ORDER BY group_name COLLATE natural_order, course_title COLLATE natural_order, criterion_title COLLATE natural_order, month, course_id, criterion_id, group_id) FROM cells) AS cells,
              (SELECT json_agg(trend ORDER BY criterion_title COLLATE natural_order, month) FROM trend) AS trend,
              (SELECT json_agg(proposals) FROM proposals) AS proposals`,
      [tenantId, groupIds, courseId],
    )) as never;
    return { head: row.head, cells: row.cells ?? [], trend: row.trend ?? [], proposals: row.proposals ?? [] };
  }

  /** When the scope's snapshot was computed (undefined: never). */
  async snapshotTime(tenantId: string, scopeKey: string, m: Queryable = this.db): Promise<Date | undefined> {
    const [row] = (await m.query(`SELECT computed_at FROM report_snapshots WHERE tenant_id = $1 AND scope_key = $2`, [
      tenantId,
      scopeKey,
    ])) as { computed_at: Date }[];
    return row?.computed_at;
  }

  /** The scope's snapshot. */
  async snapshot(
    tenantId: string,
    scopeKey: string,
    m: Queryable = this.db,
  ): Promise<{ data: ReportData; computed_at: Date } | undefined> {
    const [row] = (await m.query(
      `SELECT data, computed_at FROM report_snapshots WHERE tenant_id = $1 AND scope_key = $2`,
      [tenantId, scopeKey],
    )) as { data: ReportData; computed_at: Date }[];
    return row;
  }

  /** Stores the scope's snapshot computed at `at` (replacing the previous one). */
  async saveSnapshot(tenantId: string, scopeKey: string, at: Date, data: ReportData, m: Queryable): Promise<void> {
    await m.query(
      `INSERT INTO report_snapshots (tenant_id, scope_key, computed_at, data) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id, scope_key) DO UPDATE SET computed_at = EXCLUDED.computed_at, data = EXCLUDED.data`,
      [tenantId, scopeKey, at, JSON.stringify(data)],
    );
  }

  /**
   * The lock on recomputing the scope's snapshot, until the caller's transaction ends: taken at
   * once when free (true); `wait`: waited for when another holds it.
   */
  async lockSnapshot(tenantId: string, scopeKey: string, wait: boolean, m: Queryable): Promise<boolean> {
    const lock = `report:${tenantId}:${scopeKey}`;
    if (!wait) return tryLockUntilCommit(m, lock);
    await lockUntilCommit(m, lock);
    return true;
  }
}
