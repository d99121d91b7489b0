import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AgreementRow, type Locale, ReportOverview } from '@rehearse/shared/contracts';
import { AccessService, Actor } from '@rehearse/server/access';
import { agreement, ScorePair } from '@rehearse/server/assessment';
import { Clock, csvLines, naturalOrder, notFound, safeCell } from '@rehearse/server/core';
import { CoursesRepository, GroupsRepository } from '@rehearse/server/courses';
import { type ReportData, ReportsRepository } from './reports.repository';
import { type ReportFormat, reportWorkbook, type ReportTable } from './report-workbook';

export interface ReportFilter {
  courseId?: string;
  groupId?: string;
  /** page of the criteria table (the rest of the overview is whole) */
  page?: number;
  pageSize?: number;
}

export type { ReportFormat, ReportTable } from './report-workbook';

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
    private readonly reports: ReportsRepository,
    private readonly courses: CoursesRepository,
    private readonly groups: GroupsRepository,
  ) {}

  /** Snapshots this process has read, newest last (a few scopes per organisation). */
  private readonly snapshots = new Map<string, { data: ReportData; computed_at: Date }>();
  /**
   * The downloads written from a snapshot kept in memory, by format, table, language and the
   * groups' names: a snapshot does not change, so its CSV (168 KiB for 10,000 people) or workbook
   * (writing one of 2,400 rows takes 60–80 ms of CPU) is written once however often it is
   * downloaded; it goes when the snapshot is dropped. Live figures are written each time.
   */
  private readonly written = new WeakMap<ReportData, Map<string, string | Buffer>>();

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
    // the groups in view: the access core's scope for reports (the organisation's, or those one coaches)
    const { tenantId, relations } = this.access.listScope(actor, 'answers.report');
    const isAdmin = relations.has('administrator');
    if (filter.courseId) {
      if (!(await this.courses.exists(tenantId, filter.courseId))) throw notFound('Course');
    }
    const groups = await this.groups.inView(tenantId, {
      groupId: filter.groupId ?? null,
      courseId: filter.courseId ?? null,
      admin: isAdmin,
      personId: actor.userId,
    });
    if (
      filter.groupId &&
      !groups.length &&
      !(await this.groups.reportable(tenantId, filter.groupId, isAdmin, actor.userId))
    )
      throw notFound('Group');
    return { tenantId, groups };
  }

  /** The groups in view and their figures (live, or from a snapshot as of `asOf`). */
  private async figures(actor: Actor, filter: ReportFilter) {
    const { tenantId, groups } = await this.scope(actor, filter);
    return { groups, ...(await this.dataFor(tenantId, groups, filter.courseId ?? null)) };
  }

  async overview(actor: Actor, filter: ReportFilter): Promise<ReportOverview> {
    const { groups, data, asOf } = await this.figures(actor, filter);
    return this.present(data, asOf, groups, filter.page ?? 1, filter.pageSize ?? REPORT_PAGE_SIZE);
  }

  /** The overview of a scope's figures: one page of the criteria table (all of it for Infinity). */
  private present(
    data: ReportData,
    asOf: string | null,
    groups: { id: string; name: string }[],
    page: number,
    pageSize: number,
  ): ReportOverview {
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
    const key = createHash('sha256').update(JSON.stringify({ groupIds, courseId })).digest('hex');
    // the snapshot's time first; its data (a few hundred kB of JSON) only when this process has not
    // read that version yet
    const read = async (m: EntityManager): Promise<{ data: ReportData; computed_at: Date } | undefined> => {
      const computedAt = await this.reports.snapshotTime(tenantId, key, m);
      if (!computedAt) return undefined;
      const memo = this.snapshots.get(`${tenantId}:${key}`);
      if (memo && memo.computed_at.getTime() === computedAt.getTime()) return memo;
      const full = await this.reports.snapshot(tenantId, key, m);
      if (full) this.remember(`${tenantId}:${key}`, full);
      return full;
    };
    const fresh = (row: { computed_at: Date }) =>
      this.clock.now().getTime() - row.computed_at.getTime() < SNAPSHOT_MAX_AGE_MS;
    // a fresh snapshot of the scope answers before its people are counted: it exists because the
    // scope had more than LIVE_PARTICIPANTS when it was computed, at most SNAPSHOT_MAX_AGE_MS ago,
    // and counting 10,000 people again on every request cost more than the rest of the request
    const current = await read(this.db.manager);
    if (current && fresh(current)) return { data: current.data, asOf: current.computed_at.toISOString() };
    const n = await this.groups.participantCount(tenantId, groupIds);
    if (n <= LIVE_PARTICIPANTS)
      return { data: await this.reports.compute(tenantId, groupIds, courseId, false), asOf: null };
    return this.db.transaction(async (m) => {
      if (!(await this.reports.lockSnapshot(tenantId, key, false, m))) {
        // someone else is recomputing: the previous snapshot, or wait for theirs
        if (current) return { data: current.data, asOf: current.computed_at.toISOString() };
        await this.reports.lockSnapshot(tenantId, key, true, m);
      }
      const again = await read(m);
      if (again && fresh(again)) return { data: again.data, asOf: again.computed_at.toISOString() };
      const data = await this.reports.compute(tenantId, groupIds, courseId, true, m);
      const at = this.clock.now();
      await this.reports.saveSnapshot(tenantId, key, at, data, m);
      this.remember(`${tenantId}:${key}`, { data, computed_at: at });
      return { data, asOf: at.toISOString() };
    });
  }

  /** One table of the overview as CSV (cells that spreadsheets would execute are neutralised). */
  async csv(actor: Actor, filter: ReportFilter, table: ReportTable): Promise<string> {
    return this.download(actor, filter, `csv\t${table}`, (o) => this.writeCsv(o, table));
  }

  /** One table of the overview as an Excel workbook (numbers and months typed; headings in `locale`). */
  async xlsx(actor: Actor, filter: ReportFilter, table: ReportTable, locale: Locale): Promise<Buffer> {
    return this.download(actor, filter, `xlsx\t${table}\t${locale}`, (o) => reportWorkbook(o, table, locale));
  }

  /** A download's file name: the table and the day it was made (the installation's calendar). */
  fileName(table: ReportTable, format: ReportFormat): string {
    return `rehearse-${table}-${this.clock.today()}.${format}`;
  }

  /** The whole overview written by `write`, once per snapshot for each `kind` and the groups' names. */
  private async download<T extends string | Buffer>(
    actor: Actor,
    filter: ReportFilter,
    kind: string,
    write: (o: ReportOverview) => T | Promise<T>,
  ): Promise<T> {
    const { groups, data, asOf } = await this.figures(actor, filter);
    const key = `${kind}\n${groups.map((g) => `${g.id}\t${g.name}`).join('\n')}`;
    const written = asOf === null ? undefined : this.written.get(data);
    const cached = written?.get(key) as T | undefined;
    if (cached !== undefined) return cached;
    const file = await write(this.present(data, asOf, groups, 1, Infinity));
    if (asOf !== null) {
      const files = written ?? new Map<string, string | Buffer>();
      // the two tables in a format or two and a language or two, and a few renamings of groups at
      // most, within the five minutes a snapshot lives
      if (files.size >= 16) files.clear();
      files.set(key, file);
      this.written.set(data, files);
    }
    return file;
  }

  private writeCsv(o: ReportOverview, table: ReportTable): string {
    if (table === 'agreement') {
      return csvLines([
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
    return csvLines([
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

/** Report snapshots each API process keeps parsed in memory. */
const SNAPSHOTS_IN_MEMORY = 50;
/** How old a larger scope's figures may be (the page says as of when). */
export const SNAPSHOT_MAX_AGE_MS = 5 * 60_000;

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
    .sort((x, y) => naturalOrder(x.courseTitle, y.courseTitle) || naturalOrder(x.exerciseTitle, y.exerciseTitle));
}
