import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  AiMarker,
  AiProposedScore,
  AiReport,
  AnswerFeedback,
  AnswerShare,
  AttemptResult,
  DEFAULT_MARKER_TAGS,
  FieldError,
  Page,
  PeerAssignment,
  Review,
  ReviewComment,
  ReviewContext,
  ReviewDraftInput,
  ReviewQueueItem,
  ReviewSource,
  ReviewState,
  RubricCriterion,
  weightedScore,
  CoachHome,
} from '@rehearse/shared/contracts';
import { REVIEW_OVERDUE_DAYS } from '@rehearse/shared/contracts';
import { AccessService, Actor, PrivacyLogService } from '@rehearse/server/access';
import { aiMarkers, proposeScores } from '@rehearse/server/assessment';
import { AppError, Clock, notFound } from '@rehearse/server/core';
import {
  answersShown,
  coachedPairs,
  coachesOwner,
  exerciseTitleSql,
  findExercise,
  openEnrolment,
} from '@rehearse/server/courses';
import { MailProducer } from '@rehearse/server/mail';
import { AnswerRow, answerSummary, loadAnswer, peerCriteria, peerSettings, rubricCriteria } from './answers';
import { pickReviewers } from './rotation';

interface ReviewRow {
  id: string;
  answer_id: string;
  reviewer_id: string | null;
  reviewer_name: string | null;
  source: ReviewSource;
  state: ReviewState;
  scores: Record<string, number>;
  total: number | null;
  summary: string;
  ai_decisions: Record<string, 'accepted' | 'dismissed'>;
  revision: number;
  due_at: Date | null;
  published_at: Date | null;
  updated_at: Date;
}

interface LoadedReview {
  review: Review;
  aiDecisions: ReviewRow['ai_decisions'];
}

const DAY_MS = 86_400_000;

const conflict = (message: string) => new AppError(HttpStatus.CONFLICT, 'conflict', message);
const invalid = (message: string, errors: FieldError[]) =>
  new AppError(HttpStatus.BAD_REQUEST, 'validation_failed', message, errors);

/**
 * Feedback on answers: the review a coach, peer or the trainee writes (draft, autosaved, then
 * published), peer sharing with review assignment by rotation, and the views of the result.
 * Every read of someone else's answer or feedback writes a privacy-log row in its transaction.
 */
@Injectable()
export class ReviewsService {
  private readonly logger = new Logger(ReviewsService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly access: AccessService,
    private readonly privacy: PrivacyLogService,
    private readonly mail: MailProducer,
    private readonly clock: Clock,
  ) {}

  // ---- reading ------------------------------------------------------------------------------

  private async reviewRows(m: EntityManager, where: string, params: unknown[]): Promise<Review[]> {
    return (await this.loadReviews(m, where, params)).map((x) => x.review);
  }

  /** Reviews with their comments, and the reviewer's decisions on AI findings (which the API's Review leaves out). */
  private async loadReviews(m: EntityManager, where: string, params: unknown[]): Promise<LoadedReview[]> {
    const rows: ReviewRow[] = await m.query(
      `SELECT r.id, r.answer_id, r.reviewer_id, u.name AS reviewer_name, r.source, r.state, r.scores, r.total, r.summary, r.ai_decisions, r.revision, r.due_at, r.published_at, r.updated_at
         FROM reviews r LEFT JOIN users u ON u.id = r.reviewer_id WHERE ${where}
        ORDER BY r.published_at NULLS LAST, r.assigned_at, r.id`,
      params,
    );
    if (!rows.length) return [];
    const comments: { review_id: string; at_s: number; text: string; tag: string | null; ai_finding: string | null }[] =
      await m.query(
        `SELECT review_id, at_s, text, tag, ai_finding FROM review_comments WHERE review_id = ANY($1::uuid[]) ORDER BY review_id, at_s, idx`,
        [rows.map((r) => r.id)],
      );
    return rows.map((r) => ({
      aiDecisions: r.ai_decisions,
      review: {
        id: r.id,
        answerId: r.answer_id,
        source: r.source,
        state: r.state,
        reviewerId: r.reviewer_id,
        reviewerName: r.reviewer_name,
        scores: r.scores,
        total: r.total,
        summary: r.summary,
        comments: comments
          .filter((c) => c.review_id === r.id)
          .map((c) => ({ at: c.at_s, text: c.text, tag: c.tag, aiFinding: c.ai_finding })),
        revision: r.revision,
        dueAt: r.due_at?.toISOString() ?? null,
        publishedAt: r.published_at?.toISOString() ?? null,
        updatedAt: r.updated_at.toISOString(),
      },
    }));
  }

  private async markerTags(m: EntityManager, tenantId: string): Promise<string[]> {
    const [t]: { marker_tags: string[] | null }[] = await m.query(`SELECT marker_tags FROM tenants WHERE id = $1`, [
      tenantId,
    ]);
    return t?.marker_tags ?? DEFAULT_MARKER_TAGS;
  }

  private async aiReport(m: EntityManager, a: AnswerRow): Promise<AiReport | null> {
    if (!a.rec_id) return null;
    const [r]: { report: AiReport }[] = await m.query(
      `SELECT report FROM ai_reports WHERE recording_id = $1 AND tenant_id = $2`,
      [a.rec_id, a.tenant_id],
    );
    return r?.report ?? null;
  }

  /** Which review the actor writes on this answer, or why not (409 when the exercise does not take it). */
  private roleOn(a: AnswerRow): ReviewSource {
    const wants = (s: ReviewSource) => a.exercise.feedback.includes(s);
    if (a.is_owner) {
      if (!wants('self')) throw conflict('This exercise does not ask for a self-assessment');
      return 'self';
    }
    if (a.is_coach) {
      if (!wants('coach')) throw conflict('This exercise does not take feedback from coaches');
      return 'coach';
    }
    if (a.is_peer && wants('peer')) return 'peer';
    throw notFound('Answer');
  }

  private criteriaFor(role: ReviewSource, a: AnswerRow): RubricCriterion[] {
    return role === 'peer' ? peerCriteria(a.exercise) : rubricCriteria(a.exercise);
  }

  /**
   * The actor's live review of this answer. A peer reviews only what the rotation assigned to them
   * (a live assignment, not a lapsed one): anyone else of the group gets the answer's 404.
   */
  private async liveReview(
    m: EntityManager,
    answerId: string,
    reviewerId: string,
    role: ReviewSource,
  ): Promise<LoadedReview | null> {
    const live =
      (
        await this.loadReviews(m, `r.answer_id = $1 AND r.reviewer_id = $2 AND r.state <> 'lapsed'`, [
          answerId,
          reviewerId,
        ])
      )[0] ?? null;
    if (role === 'peer' && live?.review.source !== 'peer') throw notFound('Answer');
    return live;
  }

  /** Everything the review screen needs; privacy-logged when the answer is someone else's. */
  async context(actor: Actor, answerId: string): Promise<ReviewContext> {
    const tenantId = this.access.tenantOf(actor, 'Answer');
    return this.db.transaction(async (m) => {
      const a = await loadAnswer(m, actor, tenantId, answerId, this.clock.today());
      const role = this.roleOn(a);
      const live = await this.liveReview(m, a.id, actor.userId, role);
      let markers: AiMarker[] = [];
      let proposed: AiProposedScore[] = [];
      let others: Review[] = [];
      if (role === 'coach') {
        const report = await this.aiReport(m, a);
        if (report) {
          markers = aiMarkers(report, actor.profile?.locale).map((k) => ({
            ...k,
            decision: live?.aiDecisions[k.key] ?? 'proposed',
          }));
          proposed = proposeScores(report, a.exercise.ai.criterionLinks ?? [], rubricCriteria(a.exercise));
        }
        others = await this.reviewRows(m, `r.answer_id = $1 AND r.state = 'published' AND r.source <> 'coach'`, [a.id]);
      }
      await this.privacy.record(m, actor, {
        subjectId: a.user_id,
        tenantId,
        objectType: 'answer',
        objectId: a.id,
        action: 'review',
      });
      return {
        answer: answerSummary(a, actor.profile?.locale ?? null),
        participantId: a.user_id,
        participantName: a.owner_name,
        role,
        criteria: this.criteriaFor(role, a),
        markerTags: await this.markerTags(m, tenantId),
        review: live?.review ?? null,
        aiMarkers: markers,
        aiProposed: proposed,
        otherReviews: others,
      };
    });
  }

  // ---- writing ------------------------------------------------------------------------------

  /** Checks a draft against the rubric, the marker set and the recording; every problem at once. */
  private check(
    input: ReviewDraftInput,
    criteria: RubricCriterion[],
    tags: string[],
    a: AnswerRow,
    markerKeys: Set<string> | null,
  ): FieldError[] {
    const errors: FieldError[] = [];
    for (const [id, score] of Object.entries(input.scores)) {
      const c = criteria.find((x) => x.id === id);
      if (!c) errors.push({ field: `scores.${id}`, messages: ['is not a criterion you score on this answer'] });
      else if (!c.levels.some((l) => l.score === score))
        errors.push({
          field: `scores.${id}`,
          messages: [`must be one of the levels of “${c.title}”: ${c.levels.map((l) => l.score).join(', ')}`],
        });
    }
    const end = a.rec_duration ?? 0;
    input.comments.forEach((c, i) => {
      if (c.at > end + 1)
        errors.push({ field: `comments.${i}.at`, messages: [`must be within the recording (0–${Math.floor(end)} s)`] });
      if (c.tag !== null && !tags.includes(c.tag))
        errors.push({ field: `comments.${i}.tag`, messages: ['is not one of your organisation’s marker tags'] });
      if (c.aiFinding !== null && !markerKeys?.has(c.aiFinding))
        errors.push({ field: `comments.${i}.aiFinding`, messages: ['names no AI finding on this answer'] });
    });
    for (const [key, decision] of Object.entries(input.aiDecisions ?? {})) {
      if (!markerKeys?.has(key))
        errors.push({ field: `aiDecisions.${key}`, messages: ['names no AI finding on this answer'] });
      else if (decision !== 'accepted' && decision !== 'dismissed')
        errors.push({ field: `aiDecisions.${key}`, messages: ['must be accepted or dismissed'] });
    }
    return errors;
  }

  /**
   * Saves the actor's draft review (autosave). The first save creates it; later saves must name
   * the revision they edited (409 when someone — another tab — saved in between). Published
   * reviews are final.
   */
  async saveDraft(actor: Actor, answerId: string, input: ReviewDraftInput): Promise<Review> {
    const tenantId = this.access.tenantOf(actor, 'Answer');
    return this.db.transaction(async (m) => {
      const now = this.clock.now();
      const a = await loadAnswer(m, actor, tenantId, answerId, this.clock.today());
      const role = this.roleOn(a);
      await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`review:${a.id}:${actor.userId}`]);
      const criteria = this.criteriaFor(role, a);
      const report = role === 'coach' ? await this.aiReport(m, a) : null;
      const keys = role === 'coach' ? new Set((report ? aiMarkers(report) : []).map((k) => k.key)) : null;
      if (role !== 'coach' && input.aiDecisions && Object.keys(input.aiDecisions).length)
        throw invalid('Only coaches decide on AI findings', [
          { field: 'aiDecisions', messages: ['only coaches decide on AI findings'] },
        ]);
      const errors = this.check(input, criteria, await this.markerTags(m, tenantId), a, keys);
      if (errors.length) throw invalid('The review is not valid', errors);
      const existing = (await this.liveReview(m, a.id, actor.userId, role))?.review;
      if (existing?.state === 'published') throw conflict('This review is published and can no longer be changed');
      // an assigned peer review is saved the first time like a new one (with or without its revision)
      const fresh = existing?.state === 'assigned' && input.revision === undefined;
      if (existing && !fresh && input.revision !== existing.revision)
        throw conflict('This review was saved elsewhere in the meantime; reload it to continue');
      const total = weightedScore(criteria, input.scores);
      let id: string;
      if (existing) {
        id = existing.id;
        await m.query(
          `UPDATE reviews SET state = 'draft', scores = $2, total = $3, summary = $4, ai_decisions = $5, revision = revision + 1, updated_at = $6 WHERE id = $1`,
          [id, JSON.stringify(input.scores), total, input.summary, JSON.stringify(input.aiDecisions ?? {}), now],
        );
        await m.query(`DELETE FROM review_comments WHERE review_id = $1`, [id]);
      } else {
        const [row]: { id: string }[] = await m.query(
          `INSERT INTO reviews (tenant_id, answer_id, reviewer_id, source, state, scores, total, summary, ai_decisions, assigned_at, updated_at)
           VALUES ($1,$2,$3,$4,'draft',$5,$6,$7,$8,$9,$9) RETURNING id`,
          [
            tenantId,
            a.id,
            actor.userId,
            role,
            JSON.stringify(input.scores),
            total,
            input.summary,
            JSON.stringify(input.aiDecisions ?? {}),
            now,
          ],
        );
        id = row.id;
      }
      await this.insertComments(m, tenantId, id, input.comments);
      return (await this.reviewRows(m, `r.id = $1`, [id]))[0];
    });
  }

  private async insertComments(
    m: EntityManager,
    tenantId: string,
    reviewId: string,
    comments: ReviewComment[],
  ): Promise<void> {
    if (!comments.length) return;
    await m.query(
      `INSERT INTO review_comments (review_id, tenant_id, idx, at_s, text, tag, ai_finding)
       SELECT $1, $2, i - 1, s, x, g, f FROM unnest($3::real[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS u(s, x, g, f, i)`,
      [
        reviewId,
        tenantId,
        comments.map((c) => c.at),
        comments.map((c) => c.text),
        comments.map((c) => c.tag),
        comments.map((c) => c.aiFinding),
      ],
    );
  }

  /**
   * Publishes the actor's draft: every criterion they score must be scored. A coach's accepted
   * AI findings become comments and the AI's proposal is kept beside the coach's scores (for
   * the agreement report; the coach's score is the one that counts). The trainee is e-mailed.
   */
  async publish(actor: Actor, answerId: string, revision: number): Promise<Review> {
    const tenantId = this.access.tenantOf(actor, 'Answer');
    const review = await this.db.transaction(async (m) => {
      const now = this.clock.now();
      const a = await loadAnswer(m, actor, tenantId, answerId, this.clock.today());
      const role = this.roleOn(a);
      await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`review:${a.id}:${actor.userId}`]);
      const live = await this.liveReview(m, a.id, actor.userId, role);
      const r = live?.review;
      if (!live || !r || r.state === 'assigned') throw conflict('Save a draft before publishing');
      if (r.state === 'published') throw conflict('This review is already published');
      if (r.revision !== revision)
        throw conflict('This review was saved elsewhere in the meantime; reload it to continue');
      const criteria = this.criteriaFor(role, a);
      const missing = criteria.filter((c) => r.scores[c.id] === undefined);
      if (missing.length)
        throw invalid(
          'Score every criterion before publishing',
          missing.map((c) => ({ field: `scores.${c.id}`, messages: [`“${c.title}” needs a score`] })),
        );
      if (!criteria.length && !r.summary.trim() && !r.comments.length)
        throw invalid('Write a summary or a comment before publishing', [
          { field: 'summary', messages: ['write a summary or a comment'] },
        ]);
      let proposed: AiProposedScore[] | null = null;
      if (role === 'coach') {
        const report = await this.aiReport(m, a);
        if (report) {
          proposed = proposeScores(report, a.exercise.ai.criterionLinks ?? [], criteria);
          const decisions = live.aiDecisions;
          const taken = new Set(r.comments.map((c) => c.aiFinding).filter(Boolean));
          const accepted = aiMarkers(report, actor.profile?.locale).filter(
            (k) => decisions[k.key] === 'accepted' && !taken.has(k.key),
          );
          if (accepted.length) {
            const all = [
              ...r.comments,
              ...accepted.map((k) => ({ at: k.at, text: k.label, tag: null, aiFinding: k.key })),
            ].sort((x, y) => x.at - y.at);
            await m.query(`DELETE FROM review_comments WHERE review_id = $1`, [r.id]);
            await this.insertComments(m, tenantId, r.id, all);
          }
        }
      }
      await m.query(
        `UPDATE reviews SET state = 'published', published_at = $2, updated_at = $2, revision = revision + 1, ai_proposed = $3 WHERE id = $1`,
        [r.id, now, proposed ? JSON.stringify(proposed) : null],
      );
      return (await this.reviewRows(m, `r.id = $1`, [r.id]))[0];
    });
    if (review.source !== 'self') {
      await this.mail
        .send('feedback-published', { reviewId: review.id }, review.id)
        .catch((e: Error) => this.logger.warn(`could not queue the feedback notice for ${review.id}: ${e.message}`));
    }
    return review;
  }

  // ---- the trainee's view -------------------------------------------------------------------

  /**
   * All published feedback on an answer, for its owner, their coach or an administrator. When
   * the exercise asks for a self-assessment first, the owner sees others' feedback only after
   * publishing their own.
   */
  async feedback(actor: Actor, answerId: string): Promise<AnswerFeedback> {
    const tenantId = this.access.tenantOf(actor, 'Answer');
    return this.db.transaction(async (m) => {
      const a = await loadAnswer(m, actor, tenantId, answerId, this.clock.today());
      if (!(a.is_owner || a.is_coach || a.is_admin)) throw notFound('Answer');
      const published = await this.reviewRows(m, `r.answer_id = $1 AND r.state = 'published'`, [a.id]);
      const pending = a.is_owner && this.selfFirst(a) && !published.some((r) => r.source === 'self');
      const reviews = pending ? published.filter((r) => r.source === 'self') : published;
      await this.privacy.record(m, actor, {
        subjectId: a.user_id,
        tenantId,
        objectType: 'feedback',
        objectId: a.id,
        action: 'view',
      });
      const progress = await this.courseAttempts(m, a, a.is_owner);
      return {
        answer: answerSummary(a, actor.profile?.locale ?? null),
        participantId: a.user_id,
        participantName: a.owner_name,
        selfAssessmentPending: pending,
        reviews,
        share: await this.shareOf(m, a.id),
        peersAllowed: a.exercise.feedback.includes('peer'),
        attempts: progress.get(a.exercise_id)?.attempts ?? [],
        courseProgress: [...progress].map(([exerciseId, e]) => ({
          exerciseId,
          exerciseTitle: e.title,
          attempts: e.attempts.length,
          baseline: e.attempts[0],
          final: e.attempts[e.attempts.length - 1],
        })),
      };
    });
  }

  private selfFirst(a: { exercise: AnswerRow['exercise'] }): boolean {
    return !!a.exercise.selfAssessmentFirst && a.exercise.feedback.includes('self');
  }

  private async shareOf(m: EntityManager, answerId: string): Promise<AnswerShare | null> {
    const [s]: { group_id: string; name: string; shared_at: Date; assigned: number; published: number }[] =
      await m.query(
        `SELECT s.group_id, g.name, s.shared_at,
              (SELECT count(*)::int FROM reviews r WHERE r.answer_id = s.answer_id AND r.source = 'peer' AND r.state <> 'lapsed') AS assigned,
              (SELECT count(*)::int FROM reviews r WHERE r.answer_id = s.answer_id AND r.source = 'peer' AND r.state = 'published') AS published
         FROM answer_shares s JOIN groups g ON g.id = s.group_id WHERE s.answer_id = $1`,
        [answerId],
      );
    return s
      ? {
          groupId: s.group_id,
          groupName: s.name,
          sharedAt: s.shared_at.toISOString(),
          reviewersAssigned: s.assigned,
          reviewsPublished: s.published,
        }
      : null;
  }

  /**
   * Every answer of the participant in the course, with the mean published totals per source and
   * two AI figures, grouped by exercise in course order, attempts in order. A total the owner may
   * not see yet (self-assessment first, none published) is held back.
   */
  private async courseAttempts(
    m: EntityManager,
    a: AnswerRow,
    asOwner: boolean,
  ): Promise<Map<string, { title: string; attempts: AttemptResult[] }>> {
    const rows: {
      id: string;
      exercise_id: string;
      attempt: number;
      submitted_at: Date;
      content: AnswerRow['content'];
      coach: number | null;
      self: number | null;
      peer: number | null;
      report: AiReport | null;
    }[] = await m.query(
      `SELECT a.id, a.exercise_id, a.attempt, a.submitted_at, v.content,
              (SELECT avg(total)::real FROM reviews r WHERE r.answer_id = a.id AND r.state = 'published' AND r.source = 'coach') AS coach,
              (SELECT avg(total)::real FROM reviews r WHERE r.answer_id = a.id AND r.state = 'published' AND r.source = 'self') AS self,
              (SELECT avg(total)::real FROM reviews r WHERE r.answer_id = a.id AND r.state = 'published' AND r.source = 'peer') AS peer,
              ar.report
         FROM answers a JOIN course_versions v ON v.id = a.course_version_id
         LEFT JOIN recordings rec ON rec.answer_id = a.id LEFT JOIN ai_reports ar ON ar.recording_id = rec.id
        WHERE a.user_id = $1 AND a.course_id = $2 AND a.tenant_id = $3 ORDER BY a.attempt, a.submitted_at`,
      [a.user_id, a.course_id, a.tenant_id],
    );
    const figure = (r: AiReport | null, id: string) => r?.metrics.find((x) => x.id === id)?.value ?? null;
    // exercises in the order of the answered course version
    const order = a.content.modules.flatMap((mo) => mo.exercises.map((e) => e.id));
    const rank = (id: string) => (order.indexOf(id) < 0 ? order.length : order.indexOf(id));
    const byExercise = new Map<string, { title: string; attempts: AttemptResult[] }>();
    for (const r of [...rows].sort((x, y) => rank(x.exercise_id) - rank(y.exercise_id))) {
      const exercise = findExercise(r.content, r.exercise_id);
      const held = asOwner && !!exercise && this.selfFirst({ exercise }) && r.self === null;
      const entry = byExercise.get(r.exercise_id) ?? { title: exercise?.title ?? '', attempts: [] };
      entry.attempts.push({
        answerId: r.id,
        attempt: r.attempt,
        submittedAt: r.submitted_at.toISOString(),
        coachTotal: held ? null : r.coach,
        selfTotal: r.self,
        peerTotal: held ? null : r.peer,
        wpm: figure(r.report, 'speaking_rate'),
        fillersPerMinute: figure(r.report, 'fillers'),
      });
      byExercise.set(r.exercise_id, entry);
    }
    return byExercise;
  }

  // ---- peers ----------------------------------------------------------------------------------

  /**
   * The trainee shares their answer with a group that takes the course (the exercise must allow
   * peers); N reviewers are assigned by rotation at once. Sharing twice changes nothing.
   */
  async share(actor: Actor, answerId: string, groupId: string | undefined): Promise<AnswerFeedback> {
    const tenantId = this.access.tenantOf(actor, 'Answer');
    const assigned = await this.db.transaction(async (m) => {
      const now = this.clock.now();
      const a = await loadAnswer(m, actor, tenantId, answerId, this.clock.today());
      if (!a.is_owner) throw notFound('Answer');
      if (!a.exercise.feedback.includes('peer')) throw conflict('This exercise is not open to peer feedback');
      if (await this.shareOf(m, a.id)) return [];
      const groups: { id: string; name: string }[] = await m.query(
        `SELECT g.id, g.name FROM groups g
           JOIN group_members gm ON gm.group_id = g.id AND gm.user_id = $1 AND gm.role = 'participant'
           JOIN enrolments e ON e.group_id = g.id AND e.course_id = $2 AND ${openEnrolment('e', '$3')}
          WHERE g.tenant_id = $4 ORDER BY g.name`,
        [actor.userId, a.course_id, this.clock.today(), tenantId],
      );
      if (!groups.length)
        throw conflict('You are not in a group that takes this course now, so there is nobody to share with');
      const group = groupId ? groups.find((g) => g.id === groupId) : groups.length === 1 ? groups[0] : undefined;
      if (!group)
        throw invalid('Choose the group to share with', [
          { field: 'groupId', messages: [`one of: ${groups.map((g) => `${g.name} (${g.id})`).join(', ')}`] },
        ]);
      await m.query(`INSERT INTO answer_shares (answer_id, tenant_id, group_id, shared_at) VALUES ($1,$2,$3,$4)`, [
        a.id,
        tenantId,
        group.id,
        now,
      ]);
      return this.assignPeers(m, tenantId, a.id, a.user_id, group.id, a.exercise, now);
    });
    await this.notifyAssigned(assigned);
    return this.feedback(actor, answerId);
  }

  /** Tops the answer's live peer reviews up to N, by rotation over the group's active participants. */
  private async assignPeers(
    m: EntityManager,
    tenantId: string,
    answerId: string,
    ownerId: string,
    groupId: string,
    exercise: AnswerRow['exercise'],
    now: Date,
  ): Promise<string[]> {
    // one rotation at a time per group, so loads are counted right
    await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`peer-rotation:${groupId}`]);
    const { reviewers, dueDays } = peerSettings(exercise);
    const members: { user_id: string }[] = await m.query(
      `SELECT gm.user_id FROM group_members gm JOIN users u ON u.id = gm.user_id AND u.status = 'active'
        WHERE gm.group_id = $1 AND gm.role = 'participant' ORDER BY gm.created_at, gm.user_id`,
      [groupId],
    );
    const history: { reviewer_id: string; state: ReviewState; source: ReviewSource }[] = await m.query(
      `SELECT reviewer_id, state, source FROM reviews WHERE answer_id = $1 AND reviewer_id IS NOT NULL`,
      [answerId],
    );
    const live = history.filter((h) => h.source === 'peer' && h.state !== 'lapsed').length;
    const loads: { reviewer_id: string; n: number }[] = await m.query(
      `SELECT reviewer_id, count(*)::int AS n FROM reviews WHERE tenant_id = $1 AND source = 'peer' AND state IN ('assigned','draft') AND reviewer_id = ANY($2::uuid[]) GROUP BY reviewer_id`,
      [tenantId, members.map((x) => x.user_id)],
    );
    const picked = pickReviewers({
      owner: ownerId,
      members: members.map((x) => x.user_id),
      load: new Map(loads.map((l) => [l.reviewer_id, l.n])),
      exclude: new Set(history.map((h) => h.reviewer_id)),
      count: reviewers - live,
    });
    const ids: string[] = [];
    for (const reviewer of picked) {
      const [row]: { id: string }[] = await m.query(
        `INSERT INTO reviews (tenant_id, answer_id, reviewer_id, source, state, assigned_at, due_at, updated_at) VALUES ($1,$2,$3,'peer','assigned',$4,$5,$4) RETURNING id`,
        [tenantId, answerId, reviewer, now, new Date(now.getTime() + dueDays * DAY_MS)],
      );
      ids.push(row.id);
    }
    if (picked.length < reviewers - live)
      this.logger.warn(
        `answer ${answerId}: only ${picked.length} of ${reviewers - live} peer reviewers available in group ${groupId}`,
      );
    return ids;
  }

  private async notifyAssigned(reviewIds: string[]): Promise<void> {
    for (const id of reviewIds) {
      await this.mail
        .send('peer-review-assigned', { reviewId: id }, id)
        .catch((e: Error) => this.logger.warn(`could not queue the review request ${id}: ${e.message}`));
    }
  }

  /**
   * Peer reviews past their due date lapse and go to the next reviewer by rotation (never one who
   * had the answer before). Run by the worker's scheduler; returns what it did.
   */
  async sweepLapsed(): Promise<{ lapsed: number; reassigned: number }> {
    const now = this.clock.now();
    // an UPDATE … RETURNING answers [rows, count]
    const [lapsed]: [{ answer_id: string }[], number] = await this.db.query(
      `UPDATE reviews SET state = 'lapsed', updated_at = $1 WHERE source = 'peer' AND state IN ('assigned','draft') AND due_at < $1 RETURNING answer_id`,
      [now],
    );
    let reassigned = 0;
    for (const answerId of new Set(lapsed.map((l) => l.answer_id))) {
      const ids = await this.db.transaction(async (m) => {
        const [s]: {
          tenant_id: string;
          group_id: string;
          user_id: string;
          content: AnswerRow['content'];
          exercise_id: string;
          open: boolean;
        }[] = await m.query(
          `SELECT s.tenant_id, s.group_id, a.user_id, v.content, a.exercise_id,
                  (c.archived_at IS NULL AND ${answersShown('a.user_id', '$2')} AND EXISTS (SELECT 1 FROM enrolments e WHERE e.group_id = s.group_id AND e.course_id = a.course_id AND ${openEnrolment('e', '$2')})) AS open
             FROM answer_shares s JOIN answers a ON a.id = s.answer_id JOIN course_versions v ON v.id = a.course_version_id JOIN courses c ON c.id = a.course_id
            WHERE s.answer_id = $1`,
          [answerId, this.clock.today()],
        );
        const exercise = s ? findExercise(s.content, s.exercise_id) : undefined;
        if (!s || !s.open || !exercise) return [];
        return this.assignPeers(m, s.tenant_id, answerId, s.user_id, s.group_id, exercise, now);
      });
      reassigned += ids.length;
      await this.notifyAssigned(ids);
    }
    return { lapsed: lapsed.length, reassigned };
  }

  /** The peer reviews handed to the actor: to do first (soonest due), then done. */
  async myPeerReviews(actor: Actor): Promise<PeerAssignment[]> {
    const tenantId = this.access.tenantOf(actor);
    // the list names other participants and what they answered: each listed answer is logged
    return this.privacy.readWithLog(actor, async (m) => {
      const value = await this.peerAssignments(m, actor, tenantId);
      return {
        value: value.items,
        log: value.owners.map((o) => ({
          subjectId: o.userId,
          tenantId,
          objectType: 'answer',
          objectId: o.answerId,
          action: 'list',
        })),
      };
    });
  }

  private async peerAssignments(
    m: EntityManager,
    actor: Actor,
    tenantId: string,
  ): Promise<{ items: PeerAssignment[]; owners: { userId: string; answerId: string }[] }> {
    const rows: {
      answer_id: string;
      user_id: string;
      content: AnswerRow['content'];
      exercise_id: string;
      name: string;
      state: ReviewState;
      assigned_at: Date;
      due_at: Date | null;
    }[] = await m.query(
      `SELECT r.answer_id, a.user_id, v.content, a.exercise_id, u.name, r.state, r.assigned_at, r.due_at
         FROM reviews r JOIN answers a ON a.id = r.answer_id JOIN course_versions v ON v.id = a.course_version_id JOIN users u ON u.id = a.user_id
        WHERE r.tenant_id = $1 AND r.reviewer_id = $2 AND r.source = 'peer' AND r.state <> 'lapsed' AND ${answersShown('a.user_id', '$3')}
        ORDER BY (r.state = 'published'), r.due_at NULLS LAST, r.assigned_at`,
      [tenantId, actor.userId, this.clock.today()],
    );
    return {
      items: rows.map((r) => ({
        answerId: r.answer_id,
        courseTitle: r.content.title,
        exerciseTitle: findExercise(r.content, r.exercise_id)?.title ?? '',
        participantName: r.name,
        state: r.state,
        assignedAt: r.assigned_at.toISOString(),
        dueAt: r.due_at?.toISOString() ?? null,
      })),
      owners: rows.map((r) => ({ userId: r.user_id, answerId: r.answer_id })),
    };
  }

  // ---- the coach's queue ----------------------------------------------------------------------

  /**
   * Answers awaiting a coach's feedback from the coach's participants, oldest first: the
   * exercise takes coach feedback and no coach has published a review yet. Each listed answer
   * writes a privacy-log row (`answer`/`list`).
   */
  async queue(actor: Actor, page: number, pageSize: number): Promise<Page<ReviewQueueItem>> {
    const tenantId = this.access.tenantOf(actor);
    return this.privacy.readWithLog(actor, async (m) => {
      const { overdue: _, ...result } = await this.queuePage(m, actor, tenantId, page, pageSize);
      // the listing names participants and what they answered: each listed answer is logged
      return {
        value: result,
        log: result.items.map((i) => ({
          subjectId: i.participantId,
          tenantId,
          objectType: 'answer',
          objectId: i.answerId,
          action: 'list',
        })),
      };
    });
  }

  /**
   * The coach's home page: how many answers wait and how many longer than REVIEW_OVERDUE_DAYS, the
   * five oldest, and the feedback this coach published last (on answers of people they still
   * coach and that are not hidden). Every participant named is privacy-logged, like the queue.
   */
  async coachHome(actor: Actor): Promise<CoachHome> {
    const tenantId = this.access.tenantOf(actor);
    const overdueBefore = new Date(this.clock.now().getTime() - REVIEW_OVERDUE_DAYS * 86_400_000);
    return this.privacy.readWithLog(actor, async (m) => {
      const queue = await this.queuePage(m, actor, tenantId, 1, 5, overdueBefore);
      const recent: {
        answer_id: string;
        user_id: string;
        name: string;
        exercise_title: string | null;
        published_at: Date;
      }[] = await m.query(
        `SELECT r.answer_id, a.user_id, u.name, r.published_at, ${exerciseTitleSql('v.content', 'a.exercise_id')} AS exercise_title
           FROM reviews r
           JOIN answers a ON a.id = r.answer_id
           JOIN users u ON u.id = a.user_id
           JOIN course_versions v ON v.id = a.course_version_id
          WHERE r.reviewer_id = $2 AND r.tenant_id = $1 AND r.source = 'coach' AND r.state = 'published'
            AND ${answersShown('a.user_id', '$3')} AND ${coachesOwner('a.user_id', 'a.course_id', '$2')}
          ORDER BY r.published_at DESC, r.id LIMIT 5`,
        [tenantId, actor.userId, this.clock.today()],
      );
      const value: CoachHome = {
        waiting: queue.total,
        overdue: queue.overdue,
        oldest: queue.items,
        recent: recent.map((r) => ({
          answerId: r.answer_id,
          participantName: r.name,
          exerciseTitle: r.exercise_title ?? '',
          publishedAt: r.published_at.toISOString(),
        })),
      };
      const log = [
        ...queue.items.map((i) => ({
          subjectId: i.participantId,
          tenantId,
          objectType: 'answer',
          objectId: i.answerId,
          action: 'list' as const,
        })),
        ...recent.map((r) => ({
          subjectId: r.user_id,
          tenantId,
          objectType: 'answer',
          objectId: r.answer_id,
          action: 'list' as const,
        })),
      ];
      return { value, log };
    });
  }

  /**
   * One page of the coach's queue. Shaped for a large organisation: it starts from the
   * (participant, course) pairs the coach coaches (their groups' enrolments and the enrolments that
   * name them), reaches those participants' answers through answers(user_id, course_id), and keeps
   * the exercises that ask for a coach from the few published versions involved, so the work grows
   * with the coach's own groups and never with the organisation (see the query-plan test).
   */
  private async queuePage(
    m: EntityManager,
    actor: Actor,
    tenantId: string,
    page: number,
    pageSize: number,
    overdueBefore = new Date(0),
  ): Promise<Page<ReviewQueueItem> & { overdue: number }> {
    const rows: {
      id: string;
      user_id: string;
      name: string;
      course_id: string;
      course_title: string;
      exercise_title: string | null;
      attempt: number;
      answer_type: ReviewQueueItem['answerType'];
      submitted_at: Date;
      due_on: string | null;
      group_name: string | null;
      drafted: boolean;
      total: number;
      overdue: number;
    }[] = await m.query(
      `WITH pairs AS MATERIALIZED (
              SELECT c.user_id, c.course_id, min(c.group_name) AS group_name FROM (${coachedPairs('$2', '$1')}) c
               WHERE ${answersShown('c.user_id', '$5')}
               GROUP BY c.user_id, c.course_id),
            coach_exercises AS MATERIALIZED (
              SELECT v.id AS version_id, (ex->>'id') AS exercise_id, ex->>'title' AS title, v.content->>'title' AS course_title
                FROM course_versions v
                JOIN courses c ON c.id = v.course_id AND c.archived_at IS NULL
                CROSS JOIN LATERAL jsonb_array_elements(v.content->'modules') mo
                CROSS JOIN LATERAL jsonb_array_elements(mo->'exercises') ex
               WHERE v.course_id IN (SELECT DISTINCT course_id FROM pairs) AND v.state <> 'draft' AND ex->'feedback' ? 'coach'),
            waiting AS (
              SELECT a.id, a.user_id, a.course_id, a.exercise_id, a.attempt, a.answer_type, a.submitted_at, p.group_name, x.title AS exercise_title, x.course_title
                FROM pairs p
                JOIN answers a ON a.user_id = p.user_id AND a.course_id = p.course_id
                JOIN coach_exercises x ON x.version_id = a.course_version_id AND x.exercise_id = a.exercise_id::text
               WHERE a.tenant_id = $1
                 AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.answer_id = a.id AND r.source = 'coach' AND r.state = 'published'))
       SELECT w.id, w.user_id, (SELECT u.name FROM users u WHERE u.id = w.user_id) AS name, w.course_id, w.course_title, w.exercise_title, w.attempt, w.answer_type, w.submitted_at, w.group_name,
              (SELECT to_char(min(e.due_on), 'YYYY-MM-DD') FROM enrolments e WHERE e.course_id = w.course_id
                  AND (e.user_id = w.user_id OR e.group_id IN (SELECT gp.group_id FROM group_members gp WHERE gp.user_id = w.user_id AND gp.role = 'participant'))) AS due_on,
              EXISTS (SELECT 1 FROM reviews r WHERE r.answer_id = w.id AND r.reviewer_id = $2 AND r.state = 'draft') AS drafted,
              w.total, w.overdue
         FROM (SELECT waiting.*, count(*) OVER ()::int AS total, (count(*) FILTER (WHERE submitted_at < $6) OVER ())::int AS overdue
                 FROM waiting ORDER BY submitted_at, id LIMIT $3 OFFSET $4) w
        ORDER BY w.submitted_at, w.id`,
      [tenantId, actor.userId, pageSize, (page - 1) * pageSize, this.clock.today(), overdueBefore],
    );
    return {
      items: rows.map((r) => ({
        answerId: r.id,
        participantId: r.user_id,
        participantName: r.name,
        groupName: r.group_name,
        courseId: r.course_id,
        courseTitle: r.course_title,
        exerciseTitle: r.exercise_title ?? '',
        attempt: r.attempt,
        answerType: r.answer_type,
        submittedAt: r.submitted_at.toISOString(),
        dueOn: r.due_on,
        drafted: r.drafted,
      })),
      total: rows[0]?.total ?? 0,
      overdue: rows[0]?.overdue ?? 0,
      page,
      pageSize,
    };
  }
}
