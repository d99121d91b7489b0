import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { stringify } from 'csv-stringify/sync';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AgreementRow, ReportOverview } from '@rehearse/shared/contracts';
import { AccessService, Actor } from '@rehearse/server/access';
import { agreement, ScorePair } from '@rehearse/server/assessment';
import { Clock, notFound, safeCell } from '@rehearse/server/core';

export interface ReportFilter {
  courseId?: string;
  groupId?: string;
  /** page of the criteria table (the rest of the overview is whole) */
  page?: number;
  pageSize?: number;
}

export type ReportTable = 'criteria' | 'agreement';

/** The rows in view: answers of the participants of the groups in view ($1 tenant, $2 group ids, $3 course or NULL). */
const IN_VIEW = `
  members AS MATERIALIZED (SELECT DISTINCT gm.user_id FROM group_members gm WHERE gm.group_id = ANY($2::uuid[]) AND gm.role = 'participant'),
  ans AS MATERIALIZED (
    SELECT a.id, a.user_id, a.course_id, a.exercise_id, a.course_version_id
      FROM members m JOIN answers a ON a.user_id = m.user_id
     WHERE a.tenant_id = $1 AND ($3::uuid IS NULL OR a.course_id = $3)),
  ex AS MATERIALIZED (
    SELECT v.id AS version_id, v.course_id, e->>'id' AS exercise_id, e->>'title' AS title, e->>'testKind' AS test_kind, v.content->>'title' AS course_title, e->'rubric'->'criteria' AS criteria
      FROM course_versions v
      CROSS JOIN LATERAL jsonb_array_elements(v.content->'modules') mo
      CROSS JOIN LATERAL jsonb_array_elements(mo->'exercises') e
     WHERE v.id IN (SELECT DISTINCT course_version_id FROM ans)),
  rev AS MATERIALIZED (
    SELECT r.answer_id, r.scores, r.total, r.ai_proposed, r.published_at, a.user_id, a.course_id, a.exercise_id, x.test_kind, x.course_title, x.title AS exercise_title, x.criteria
      FROM ans a
      JOIN reviews r ON r.answer_id = a.id AND r.source = 'coach' AND r.state = 'published'
      JOIN ex x ON x.version_id = a.course_version_id AND x.exercise_id = a.exercise_id::text)`;

/** One row per score a coach gave on a criterion, once for each group in view the participant is in. */
const SCORES = `
  scores AS (
    SELECT gm.group_id, rv.course_id, rv.course_title, c->>'id' AS criterion_id, c->>'title' AS criterion_title,
           to_char(rv.published_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, (rv.scores->>(c->>'id'))::float8 AS score
      FROM rev rv
      CROSS JOIN LATERAL jsonb_array_elements(COALESCE(rv.criteria, '[]'::jsonb)) c
      JOIN group_members gm ON gm.user_id = rv.user_id AND gm.role = 'participant' AND gm.group_id = ANY($2::uuid[])
     WHERE rv.scores ? (c->>'id'))`;

const round2 = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);

/**
 * Aggregates for coaches (their groups) and administrators (the whole tenant): participation,
 * baseline against final, coach scores per criterion per group, course and month, and how well
 * the AI's proposals agree with the coaches. Aggregates only: no one's answer is shown.
 *
 * Everything is aggregated in PostgreSQL (nothing per answer reaches the API), the
 * group × course × criterion × month table comes a page at a time, and the chart's series are
 * aggregated per criterion and month, so the answer stays the same size however large the
 * organisation.
 */
@Injectable()
export class ReportsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly access: AccessService,
    private readonly clock: Clock,
  ) {}

  /** Snapshots this process has read, newest last (a few scopes per organisation). */
  private readonly snapshots = new Map<string, { data: ReportData; computed_at: Date }>();

  private remember(key: string, snapshot: { data: ReportData; computed_at: Date }): void {
    this.snapshots.delete(key);
    this.snapshots.set(key, snapshot);
    if (this.snapshots.size > SNAPSHOTS_IN_MEMORY) this.snapshots.delete(this.snapshots.keys().next().value as string);
  }

  /** The groups in view (checked), by name. */
  private async scope(
    actor: Actor,
    filter: ReportFilter,
  ): Promise<{ tenantId: string; groups: { id: string; name: string }[] }> {
    const tenantId = this.access.tenantOf(actor, 'Report');
    const isAdmin = actor.roles.includes('administrator');
    if (filter.courseId) {
      const found: unknown[] = await this.db.query(`SELECT 1 FROM courses WHERE id = $1 AND tenant_id = $2`, [
        filter.courseId,
        tenantId,
      ]);
      if (!found.length) throw notFound('Course');
    }
    const groups: { id: string; name: string }[] = await this.db.query(
      `SELECT g.id, g.name FROM groups g
        WHERE g.tenant_id = $1 AND ($2::uuid IS NULL OR g.id = $2)
          AND ($3::boolean OR EXISTS (SELECT 1 FROM group_members gc WHERE gc.group_id = g.id AND gc.user_id = $4 AND gc.role = 'coach'))
          AND ($5::uuid IS NULL OR EXISTS (SELECT 1 FROM enrolments e WHERE e.group_id = g.id AND e.course_id = $5))
        ORDER BY g.name`,
      [tenantId, filter.groupId ?? null, isAdmin, actor.userId, filter.courseId ?? null],
    );
    if (filter.groupId && !groups.length) {
      const exists: unknown[] = await this.db.query(
        `SELECT 1 FROM groups g WHERE g.id = $1 AND g.tenant_id = $2 AND ($3::boolean OR EXISTS (SELECT 1 FROM group_members gc WHERE gc.group_id = g.id AND gc.user_id = $4 AND gc.role = 'coach'))`,
        [filter.groupId, tenantId, isAdmin, actor.userId],
      );
      if (!exists.length) throw notFound('Group');
    }
    return { tenantId, groups };
  }

  async overview(actor: Actor, filter: ReportFilter): Promise<ReportOverview> {
    const { tenantId, groups } = await this.scope(actor, filter);
    const page = filter.page ?? 1;
    const pageSize = filter.pageSize ?? REPORT_PAGE_SIZE;
    const { data, asOf } = await this.dataFor(tenantId, groups, filter.courseId ?? null);
    const groupName = new Map(groups.map((g) => [g.id, g.name]));
    const rows = pageSize === Infinity ? data.cells : data.cells.slice((page - 1) * pageSize, page * pageSize);
    const participants = data.head.participants;
    const active = data.head.active;
    return {
      participants,
      active,
      participationRate: participants ? Math.round((active / participants) * 10000) / 10000 : null,
      answers: data.head.answers,
      reviewed: data.head.reviewed,
      baselineMean: round2(data.head.baseline),
      finalMean: round2(data.head.final),
      criteria: rows.map((c) => ({
        groupId: c.group_id,
        groupName: groupName.get(c.group_id) ?? c.group_name,
        courseId: c.course_id,
        courseTitle: c.course_title,
        criterionId: c.criterion_id,
        criterionTitle: c.criterion_title,
        month: c.month,
        meanScore: round2(c.mean) as number,
        reviews: c.n,
      })),
      criteriaTotal: data.cells.length,
      page,
      pageSize: pageSize === Infinity ? data.cells.length : pageSize,
      trend: data.trend.map((t) => ({
        criterionId: t.criterion_id,
        criterionTitle: t.criterion_title,
        month: t.month,
        meanScore: round2(t.mean) as number,
        reviews: t.n,
      })),
      agreement: agreementRows(data.proposals),
      asOf,
    };
  }

  /**
   * The aggregates of a scope: computed live for up to LIVE_PARTICIPANTS people (a coach's groups,
   * one group); for more (an administrator's whole organisation) read from a snapshot at most
   * SNAPSHOT_MAX_AGE_MS old, which one request at a time recomputes while the others read the
   * previous one (so replicas share the work and nobody waits for it but the first).
   */
  private async dataFor(
    tenantId: string,
    groups: { id: string }[],
    courseId: string | null,
  ): Promise<{ data: ReportData; asOf: string | null }> {
    const groupIds = groups.map((g) => g.id).sort();
    const [{ n }]: { n: number }[] = await this.db.query(
      `SELECT count(DISTINCT user_id)::int AS n FROM group_members WHERE group_id = ANY($1::uuid[]) AND role = 'participant'`,
      [groupIds],
    );
    if (n <= LIVE_PARTICIPANTS)
      return { data: await this.compute(this.db.manager, tenantId, groupIds, courseId, false), asOf: null };
    const key = createHash('sha256').update(JSON.stringify({ groupIds, courseId })).digest('hex');
    // the snapshot's time first; its data (a few hundred kB of JSON) only when this process has not
    // read that version yet
    const read = async (m: EntityManager): Promise<{ data: ReportData; computed_at: Date } | undefined> => {
      const [row]: { computed_at: Date }[] = await m.query(
        `SELECT computed_at FROM report_snapshots WHERE tenant_id = $1 AND scope_key = $2`,
        [tenantId, key],
      );
      if (!row) return undefined;
      const memo = this.snapshots.get(`${tenantId}:${key}`);
      if (memo && memo.computed_at.getTime() === row.computed_at.getTime()) return memo;
      const [full]: { data: ReportData; computed_at: Date }[] = await m.query(
        `SELECT data, computed_at FROM report_snapshots WHERE tenant_id = $1 AND scope_key = $2`,
        [tenantId, key],
      );
      if (full) this.remember(`${tenantId}:${key}`, full);
      return full;
    };
    const fresh = (row: { computed_at: Date }) =>
      this.clock.now().getTime() - row.computed_at.getTime() < SNAPSHOT_MAX_AGE_MS;
    const current = await read(this.db.manager);
    if (current && fresh(current)) return { data: current.data, asOf: current.computed_at.toISOString() };
    return this.db.transaction(async (m) => {
      const lock = `report:${tenantId}:${key}`;
      const [{ got }]: { got: boolean }[] = await m.query(`SELECT pg_try_advisory_xact_lock(hashtext($1)) AS got`, [
        lock,
      ]);
      if (!got) {
        // someone else is recomputing: the previous snapshot, or wait for theirs
        if (current) return { data: current.data, asOf: current.computed_at.toISOString() };
        await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [lock]);
      }
      const again = await read(m);
      if (again && fresh(again)) return { data: again.data, asOf: again.computed_at.toISOString() };
      const data = await this.compute(m, tenantId, groupIds, courseId, true);
      const at = this.clock.now();
      await m.query(
        `INSERT INTO report_snapshots (tenant_id, scope_key, computed_at, data) VALUES ($1, $2, $3, $4)
         ON CONFLICT (tenant_id, scope_key) DO UPDATE SET computed_at = EXCLUDED.computed_at, data = EXCLUDED.data`,
        [tenantId, key, at, JSON.stringify(data)],
      );
      this.remember(`${tenantId}:${key}`, { data, computed_at: at });
      return { data, asOf: at.toISOString() };
    });
  }

  /**
   * Every aggregate of the scope in one statement (one pass over the answers in view). A snapshot's
   * statement is marked as such: it reads a whole organisation by design, at most every few
   * minutes (the query-plan test tells it apart from the statements of requests).
   */
  private async compute(
    m: EntityManager,
    tenantId: string,
    groupIds: string[],
    courseId: string | null,
    snapshot: boolean,
  ): Promise<ReportData> {
    const [row]: {
      head: ReportData['head'];
      cells: ReportData['cells'] | null;
      trend: ReportData['trend'] | null;
      proposals: ReportData['proposals'] | null;
    }[] = await m.query(
      `${snapshot ? `${SNAPSHOT_MARK} ` : ''}WITH ${IN_VIEW}, ${SCORES},
            cells AS (
              SELECT s.group_id, g.name AS group_name, s.course_id, s.course_title, s.criterion_id, s.criterion_title, s.month, avg(s.score) AS mean, count(*)::int AS n
                FROM scores s JOIN groups g ON g.id = s.group_id
               GROUP BY s.group_id, g.name, s.course_id, s.course_title, s.criterion_id, s.criterion_title, s.month),
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
              (SELECT json_agg(cells ORDER BY group_name, course_title, criterion_title, month, course_id, criterion_id, group_id) FROM cells) AS cells,
              (SELECT json_agg(trend ORDER BY criterion_title, month) FROM trend) AS trend,
              (SELECT json_agg(proposals) FROM proposals) AS proposals`,
      [tenantId, groupIds, courseId],
    );
    return { head: row.head, cells: row.cells ?? [], trend: row.trend ?? [], proposals: row.proposals ?? [] };
  }

  /** One table of the overview as CSV (cells that spreadsheets would execute are neutralised). */
  async csv(actor: Actor, filter: ReportFilter, table: ReportTable): Promise<string> {
    const o = await this.overview(actor, { ...filter, page: 1, pageSize: Infinity });
    if (table === 'agreement') {
      return stringify([
        ['course', 'exercise', 'pairs', 'exact_share', 'adjacent_share', 'mean_absolute_difference'],
        ...o.agreement.map((r) => [
          safeCell(r.courseTitle),
          safeCell(r.exerciseTitle),
          r.pairs,
          r.exact ?? '',
          r.adjacent ?? '',
          r.meanAbsoluteDifference ?? '',
        ]),
      ]);
    }
    return stringify([
      ['group', 'course', 'criterion', 'month', 'mean_score', 'reviews'],
      ...o.criteria.map((r) => [
        safeCell(r.groupName),
        safeCell(r.courseTitle),
        safeCell(r.criterionTitle),
        r.month,
        r.meanScore,
        r.reviews,
      ]),
    ]);
  }
}

/** Rows of the criteria table per page unless asked otherwise. */
export const REPORT_PAGE_SIZE = 50;
/** Scopes of up to this many participants are aggregated on every request; larger ones from a snapshot. */
export const LIVE_PARTICIPANTS = 100;
/** Marks the statement that computes a snapshot of a whole organisation's aggregates. */
export const SNAPSHOT_MARK = '/* report snapshot */';
/** Report snapshots each API process keeps parsed in memory. */
const SNAPSHOTS_IN_MEMORY = 50;
/** How old a larger scope's figures may be (the page says as of when). */
export const SNAPSHOT_MAX_AGE_MS = 5 * 60_000;

/** All aggregates of one scope (what a snapshot holds). */
interface ReportData {
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

/** AI–coach agreement per exercise from the counted (AI score, coach score) pairs. */
function agreementRows(proposals: ReportData['proposals']): AgreementRow[] {
  const rows = new Map<
    string,
    { row: Omit<AgreementRow, 'pairs' | 'exact' | 'adjacent' | 'meanAbsoluteDifference'>; pairs: ScorePair[] }
  >();
  for (const p of proposals) {
    if (!p.levels?.length) continue; // the criterion is no longer in the exercise's rubric
    const key = `${p.course_id}|${p.exercise_id}`;
    const entry = rows.get(key) ?? {
      row: {
        courseId: p.course_id,
        courseTitle: p.course_title,
        exerciseId: p.exercise_id,
        exerciseTitle: p.exercise_title,
      },
      pairs: [],
    };
    entry.pairs.push({ ai: p.ai, coach: p.coach, levels: p.levels, weight: p.n });
    rows.set(key, entry);
  }
  return [...rows.values()]
    .map((p) => ({ ...p.row, ...agreement(p.pairs) }))
    .sort((x, y) => x.courseTitle.localeCompare(y.courseTitle) || x.exerciseTitle.localeCompare(y.exerciseTitle));
}
