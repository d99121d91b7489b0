import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { stringify } from 'csv-stringify/sync';
import { DataSource } from 'typeorm';
import {
  AgreementRow,
  AiProposedScore,
  COURSE_LANGUAGES,
  CourseContent,
  CriterionTrend,
  DEFAULT_MARKER_TAGS,
  FEEDBACK_LIMITS,
  FeedbackSettings,
  ReportOverview,
} from '@rehearse/shared/contracts';
import { AccessService, Actor } from '@rehearse/server/access';
import { agreement, ScorePair } from '@rehearse/server/assessment';
import { AppError, notFound, safeCell } from '@rehearse/server/core';
import { findExercise } from '@rehearse/server/courses';

export interface ReportFilter {
  courseId?: string;
  groupId?: string;
}

export type ReportTable = 'criteria' | 'agreement';

const mean = (xs: number[]) => (xs.length ? Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 100) / 100 : null);

/**
 * Aggregates for coaches (their groups) and administrators (the whole tenant): participation,
 * baseline against final, coach scores per criterion per group, course and month, and how well
 * the AI's proposals agree with the coaches. Aggregates only: no one's answer is shown.
 */
@Injectable()
export class ReportsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly access: AccessService,
  ) {}

  async overview(actor: Actor, filter: ReportFilter): Promise<ReportOverview> {
    const tenantId = this.access.tenantOf(actor, 'Report');
    const isAdmin = actor.roles.includes('administrator');
    if (filter.courseId) {
      const found: unknown[] = await this.db.query(`SELECT 1 FROM courses WHERE id = $1 AND tenant_id = $2`, [filter.courseId, tenantId]);
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
      const exists: unknown[] = await this.db.query(`SELECT 1 FROM groups g WHERE g.id = $1 AND g.tenant_id = $2 AND ($3::boolean OR EXISTS (SELECT 1 FROM group_members gc WHERE gc.group_id = g.id AND gc.user_id = $4 AND gc.role = 'coach'))`, [filter.groupId, tenantId, isAdmin, actor.userId]);
      if (!exists.length) throw notFound('Group');
    }
    const members: { group_id: string; user_id: string }[] = groups.length
      ? await this.db.query(`SELECT group_id, user_id FROM group_members WHERE group_id = ANY($1::uuid[]) AND role = 'participant'`, [groups.map((g) => g.id)])
      : [];
    const people = [...new Set(members.map((x) => x.user_id))];
    const groupsOf = new Map<string, string[]>();
    for (const x of members) groupsOf.set(x.user_id, [...(groupsOf.get(x.user_id) ?? []), x.group_id]);
    const groupName = new Map(groups.map((g) => [g.id, g.name]));
    const answers: { id: string; user_id: string; course_id: string; exercise_id: string; course_version_id: string }[] = people.length
      ? await this.db.query(
          `SELECT id, user_id, course_id, exercise_id, course_version_id FROM answers WHERE tenant_id = $1 AND user_id = ANY($2::uuid[]) AND ($3::uuid IS NULL OR course_id = $3)`,
          [tenantId, people, filter.courseId ?? null],
        )
      : [];
    const reviews: { answer_id: string; scores: Record<string, number>; total: number | null; ai_proposed: AiProposedScore[] | null; published_at: Date }[] = answers.length
      ? await this.db.query(`SELECT answer_id, scores, total, ai_proposed, published_at FROM reviews WHERE answer_id = ANY($1::uuid[]) AND source = 'coach' AND state = 'published'`, [answers.map((a) => a.id)])
      : [];
    const versionIds = [...new Set(answers.map((a) => a.course_version_id))];
    const versions: { id: string; content: CourseContent }[] = versionIds.length ? await this.db.query(`SELECT id, content FROM course_versions WHERE id = ANY($1::uuid[])`, [versionIds]) : [];
    const content = new Map(versions.map((v) => [v.id, v.content]));
    const answerById = new Map(answers.map((a) => [a.id, a]));

    const baseline: number[] = [];
    const final: number[] = [];
    const trend = new Map<string, { row: Omit<CriterionTrend, 'meanScore' | 'reviews'>; scores: number[] }>();
    const pairs = new Map<string, { row: Omit<AgreementRow, 'pairs' | 'exact' | 'adjacent' | 'meanAbsoluteDifference'>; pairs: ScorePair[] }>();
    for (const r of reviews) {
      const a = answerById.get(r.answer_id);
      const c = a && content.get(a.course_version_id);
      const e = a && c ? findExercise(c, a.exercise_id) : undefined;
      if (!a || !c || !e) continue;
      if (r.total !== null && e.testKind === 'baseline') baseline.push(r.total);
      if (r.total !== null && e.testKind === 'final') final.push(r.total);
      const criteria = e.rubric?.criteria ?? [];
      const month = r.published_at.toISOString().slice(0, 7);
      for (const g of groupsOf.get(a.user_id) ?? []) {
        for (const cr of criteria) {
          const s = r.scores[cr.id];
          if (s === undefined) continue;
          const key = `${g}|${a.course_id}|${cr.id}|${month}`;
          const t = trend.get(key) ?? { row: { groupId: g, groupName: groupName.get(g) ?? '', courseId: a.course_id, courseTitle: c.title, criterionId: cr.id, criterionTitle: cr.title, month }, scores: [] };
          t.scores.push(s);
          trend.set(key, t);
        }
      }
      const key = `${a.course_id}|${a.exercise_id}`;
      const p = pairs.get(key) ?? { row: { courseId: a.course_id, courseTitle: c.title, exerciseId: a.exercise_id, exerciseTitle: e.title }, pairs: [] };
      for (const proposal of r.ai_proposed ?? []) {
        const coach = r.scores[proposal.criterionId];
        const cr = criteria.find((x) => x.id === proposal.criterionId);
        if (coach !== undefined && cr) p.pairs.push({ ai: proposal.score, coach, levels: cr.levels.map((l) => l.score) });
      }
      if (r.ai_proposed?.length) pairs.set(key, p);
    }
    const active = new Set(answers.map((a) => a.user_id)).size;
    return {
      participants: people.length,
      active,
      participationRate: people.length ? Math.round((active / people.length) * 10000) / 10000 : null,
      answers: answers.length,
      reviewed: new Set(reviews.map((r) => r.answer_id)).size,
      baselineMean: mean(baseline),
      finalMean: mean(final),
      criteria: [...trend.values()]
        .map((t) => ({ ...t.row, meanScore: mean(t.scores) as number, reviews: t.scores.length }))
        .sort((x, y) => x.groupName.localeCompare(y.groupName) || x.courseTitle.localeCompare(y.courseTitle) || x.criterionTitle.localeCompare(y.criterionTitle) || x.month.localeCompare(y.month)),
      agreement: [...pairs.values()].map((p) => ({ ...p.row, ...agreement(p.pairs) })).sort((x, y) => x.courseTitle.localeCompare(y.courseTitle) || x.exerciseTitle.localeCompare(y.exerciseTitle)),
    };
  }

  /** One table of the overview as CSV (cells that spreadsheets would execute are neutralised). */
  async csv(actor: Actor, filter: ReportFilter, table: ReportTable): Promise<string> {
    const o = await this.overview(actor, filter);
    if (table === 'agreement') {
      return stringify([
        ['course', 'exercise', 'pairs', 'exact_share', 'adjacent_share', 'mean_absolute_difference'],
        ...o.agreement.map((r) => [safeCell(r.courseTitle), safeCell(r.exerciseTitle), r.pairs, r.exact ?? '', r.adjacent ?? '', r.meanAbsoluteDifference ?? '']),
      ]);
    }
    return stringify([
      ['group', 'course', 'criterion', 'month', 'mean_score', 'reviews'],
      ...o.criteria.map((r) => [safeCell(r.groupName), safeCell(r.courseTitle), safeCell(r.criterionTitle), r.month, r.meanScore, r.reviews]),
    ]);
  }
}

/** The tenant's marker tags and filler lists, edited by its administrators. */
@Injectable()
export class FeedbackSettingsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly access: AccessService,
  ) {}

  async get(actor: Actor): Promise<FeedbackSettings> {
    const tenantId = this.access.tenantOf(actor, 'Tenant');
    const [t]: { marker_tags: string[] | null; filler_lists: Record<string, string[]> }[] = await this.db.query(`SELECT marker_tags, filler_lists FROM tenants WHERE id = $1`, [tenantId]);
    return { markerTags: t?.marker_tags ?? DEFAULT_MARKER_TAGS, fillers: t?.filler_lists ?? {} };
  }

  /** Tags are kept as typed (trimmed, duplicates refused); fillers lowercased and trimmed. */
  async save(actor: Actor, input: FeedbackSettings): Promise<FeedbackSettings> {
    const tenantId = this.access.tenantOf(actor, 'Tenant');
    const errors: { field: string; messages: string[] }[] = [];
    const tags = input.markerTags.map((t) => t.trim());
    tags.forEach((t, i) => {
      if (!t) errors.push({ field: `markerTags.${i}`, messages: ['must not be empty'] });
      else if (tags.findIndex((x) => x.toLowerCase() === t.toLowerCase()) !== i) errors.push({ field: `markerTags.${i}`, messages: ['is listed twice'] });
    });
    const fillers: Record<string, string[]> = {};
    for (const [lang, list] of Object.entries(input.fillers)) {
      if (!(COURSE_LANGUAGES as readonly string[]).includes(lang)) {
        errors.push({ field: `fillers.${lang}`, messages: [`is not a course language (${COURSE_LANGUAGES.join(', ')})`] });
        continue;
      }
      if (!Array.isArray(list) || list.length > FEEDBACK_LIMITS.fillersPerLanguage) {
        errors.push({ field: `fillers.${lang}`, messages: [`must be a list of at most ${FEEDBACK_LIMITS.fillersPerLanguage} fillers`] });
        continue;
      }
      const clean = list.map((f) => (typeof f === 'string' ? f.trim().toLowerCase().replace(/\s+/g, ' ') : ''));
      clean.forEach((f, i) => {
        if (!f || f.length > FEEDBACK_LIMITS.filler) errors.push({ field: `fillers.${lang}.${i}`, messages: [`must be 1–${FEEDBACK_LIMITS.filler} characters`] });
      });
      fillers[lang] = [...new Set(clean)];
    }
    if (errors.length) throw new AppError(HttpStatus.BAD_REQUEST, 'validation_failed', 'The settings are not valid', errors);
    await this.db.query(`UPDATE tenants SET marker_tags = $2, filler_lists = $3, updated_at = now() WHERE id = $1`, [tenantId, JSON.stringify(tags), JSON.stringify(fillers)]);
    return this.get(actor);
  }
}
