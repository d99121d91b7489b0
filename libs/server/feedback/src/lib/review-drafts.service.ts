import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  AiMarker,
  AiProposedScore,
  AiReport,
  DEFAULT_MARKER_TAGS,
  FieldError,
  Review,
  ReviewContext,
  ReviewDraftInput,
  ReviewSource,
  RubricCriterion,
  weightedScore,
} from '@rehearse/shared/contracts';
import { AccessService, Actor, PrivacyLogService } from '@rehearse/server/access';
import { aiMarkers, proposeScores } from '@rehearse/server/assessment';
import { Clock, notFound } from '@rehearse/server/core';
import { type KeptMail, MailOutbox } from '@rehearse/server/mail';
import { AnswerRow, answerSummary, loadAnswer, peerCriteria, rubricCriteria } from './answers';
import { conflict, invalid, LoadedReview } from './reviews.common';
import { ReviewsRepository } from './reviews.repository';
import { AnswerViewsRepository } from './answer-views.repository';
import { TenantsRepository } from '@rehearse/server/accounts';
import { RecordingsRepository } from '@rehearse/server/recordings';

/**
 * The review a coach, a peer or the trainee writes on an answer: the review screen's context (with
 * the AI's markers and proposed scores for a coach), the autosaved draft and its publication.
 * Every read of someone else's answer writes a privacy-log row in its transaction.
 */
@Injectable()
export class ReviewDraftsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly access: AccessService,
    private readonly privacy: PrivacyLogService,
    private readonly mail: MailOutbox,
    private readonly clock: Clock,
    private readonly reviewRows: ReviewsRepository,
    private readonly tenants: TenantsRepository,
    private readonly views: AnswerViewsRepository,
    private readonly recordings: RecordingsRepository,
  ) {}

  private async markerTags(m: EntityManager, tenantId: string): Promise<string[]> {
    return (await this.tenants.feedbackSettings(tenantId, m))?.markerTags ?? DEFAULT_MARKER_TAGS;
  }

  private async aiReport(m: EntityManager, a: AnswerRow): Promise<AiReport | null> {
    if (!a.rec_id) return null;
    return (await this.recordings.aiReport(a.tenant_id, a.rec_id, m)) ?? null;
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
    tenantId: string,
    answerId: string,
    reviewerId: string,
    role: ReviewSource,
  ): Promise<LoadedReview | null> {
    const live = (await this.reviewRows.load(tenantId, { answerId, reviewerId, notLapsed: true }, m))[0] ?? null;
    if (role === 'peer' && live?.review.source !== 'peer') throw notFound('Answer');
    return live;
  }

  /** Everything the review screen needs; privacy-logged when the answer is someone else's. */
  async context(actor: Actor, answerId: string): Promise<ReviewContext> {
    const tenantId = this.access.tenantOf(actor, 'Answer');
    return this.db.transaction(async (m) => {
      const a = await loadAnswer(m, this.access, this.views, actor, 'answer.review', answerId);
      const role = this.roleOn(a);
      // a coach sees the answer's other published reviews beside their own, read with it
      const { live, published: others } =
        role === 'coach'
          ? await this.reviewRows.liveAndPublished(a.tenant_id, a.id, actor.userId, 'coach', m)
          : { live: await this.liveReview(m, a.tenant_id, a.id, actor.userId, role), published: [] as Review[] };
      let markers: AiMarker[] = [];
      let proposed: AiProposedScore[] = [];
      if (role === 'coach') {
        const report = await this.aiReport(m, a);
        if (report) {
          markers = aiMarkers(report, actor.profile?.locale).map((k) => ({
            ...k,
            decision: live?.aiDecisions[k.key] ?? 'proposed',
          }));
          proposed = proposeScores(report, a.exercise.ai.criterionLinks ?? [], rubricCriteria(a.exercise));
        }
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
      const a = await loadAnswer(m, this.access, this.views, actor, 'answer.review', answerId);
      const role = this.roleOn(a);
      await this.reviewRows.lockReviewerOf(tenantId, a.id, actor.userId, m);
      const criteria = this.criteriaFor(role, a);
      const report = role === 'coach' ? await this.aiReport(m, a) : null;
      const keys = role === 'coach' ? new Set((report ? aiMarkers(report) : []).map((k) => k.key)) : null;
      if (role !== 'coach' && input.aiDecisions && Object.keys(input.aiDecisions).length)
        throw invalid('Only coaches decide on AI findings', [
          { field: 'aiDecisions', messages: ['only coaches decide on AI findings'] },
        ]);
      const errors = this.check(input, criteria, await this.markerTags(m, tenantId), a, keys);
      if (errors.length) throw invalid('The review is not valid', errors);
      const existing = (await this.liveReview(m, a.tenant_id, a.id, actor.userId, role))?.review;
      if (existing?.state === 'published') throw conflict('This review is published and can no longer be changed');
      // an assigned peer review is saved the first time like a new one (with or without its revision)
      const fresh = existing?.state === 'assigned' && input.revision === undefined;
      if (existing && !fresh && input.revision !== existing.revision)
        throw conflict('This review was saved elsewhere in the meantime; reload it to continue');
      const total = weightedScore(criteria, input.scores);
      const content = { scores: input.scores, total, summary: input.summary, aiDecisions: input.aiDecisions ?? {} };
      let id: string;
      if (existing) {
        id = existing.id;
        await this.reviewRows.saveDraft(tenantId, id, content, now, m);
      } else {
        id = await this.reviewRows.insertDraft(
          tenantId,
          { ...content, answerId: a.id, reviewerId: actor.userId, source: role },
          now,
          m,
        );
      }
      await this.reviewRows.replaceComments(tenantId, id, input.comments, m);
      return (await this.reviewRows.reviews(tenantId, { id }, m))[0];
    });
  }

  /**
   * Publishes the actor's draft: every criterion they score must be scored. A coach's accepted
   * AI findings become comments and the AI's proposal is kept beside the coach's scores (for
   * the agreement report; the coach's score is the one that counts). The trainee is e-mailed (the
   * e-mail kept with the publication until sent).
   */
  async publish(actor: Actor, answerId: string, revision: number): Promise<Review> {
    const tenantId = this.access.tenantOf(actor, 'Answer');
    const told: KeptMail[] = [];
    const review = await this.db.transaction(async (m) => {
      const now = this.clock.now();
      const a = await loadAnswer(m, this.access, this.views, actor, 'answer.review', answerId);
      const role = this.roleOn(a);
      await this.reviewRows.lockReviewerOf(tenantId, a.id, actor.userId, m);
      const live = await this.liveReview(m, a.tenant_id, a.id, actor.userId, role);
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
            await this.reviewRows.replaceComments(tenantId, r.id, all, m);
          }
        }
      }
      await this.reviewRows.publish(tenantId, r.id, now, proposed, m);
      if (role !== 'self')
        told.push({ name: 'feedback-published', payload: { reviewId: r.id }, key: r.id, userId: a.user_id });
      await this.mail.keep(tenantId, told, now, m);
      return (await this.reviewRows.reviews(tenantId, { id: r.id }, m))[0];
    });
    await this.mail.queue(told);
    return review;
  }
}
