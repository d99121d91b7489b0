import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Page, TranscriptSearchHit } from '@rehearse/shared/contracts';
import {
  AccessService,
  Actor,
  answersShown,
  coachedPairs,
  PrivacyLogService,
  PrivacyRead,
} from '@rehearse/server/access';
import { Clock } from '@rehearse/server/core';
import { exerciseTitleSql } from '@rehearse/server/courses';
import { SEARCH_CANDIDATES, visibleTo } from './recordings.common';

/** Transcript search for coaches (their participants' answers) and administrators (the tenant's). */
@Injectable()
export class TranscriptSearchService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly access: AccessService,
    private readonly privacy: PrivacyLogService,
    private readonly clock: Clock,
  ) {}

  /**
   * Full-text search over the transcripts of recordings the actor may see; every hit on someone
   * else's recording is privacy-logged.
   *
   * Shaped for a large organisation: the passages a person may see are narrowed first (their own,
   * plus those of the people they coach; all of the organisation only for an administrator), the
   * newest SEARCH_CANDIDATES matching passages are taken (an index walk for a common word, the
   * full-text index for a rare one), and only those are ranked, so neither the work nor the answer
   * grows with the organisation. Beyond that many matches the total is a lower bound.
   */
  async search(actor: Actor, q: string, page: number, pageSize: number): Promise<Page<TranscriptSearchHit>> {
    const tenantId = this.access.tenantOf(actor, 'Transcript');
    const admin = actor.roles.includes('administrator');
    const coach = actor.permissions.has('coaching.read');
    // whose passages: an administrator's organisation; otherwise the actor's own transcripts and
    // those of the people they coach, found from the coach's side (a common word would otherwise
    // walk the whole organisation's passages to find the coach's few)
    const candidates = admin
      ? `candidates AS MATERIALIZED (
           SELECT s.transcript_id, s.idx, s.start_s, s.end_s, s.text, s.tsv
             FROM transcript_segments s
            WHERE s.tenant_id = $1 AND s.tsv @@ $2::tsquery
            ORDER BY s.created_at DESC
            LIMIT ${SEARCH_CANDIDATES})`
      : `${coach ? `pairs AS MATERIALIZED (SELECT DISTINCT user_id, course_id FROM (${coachedPairs('$3', '$1')}) c),` : ''}
         visible AS MATERIALIZED (
           SELECT t.id, t.created_at FROM recordings r JOIN transcripts t ON t.recording_id = r.id
            WHERE r.owner_id = $3 AND r.purpose = 'answer' AND r.tenant_id = $1
           ${
             coach
               ? `UNION ALL
           SELECT t.id, t.created_at FROM pairs p
             JOIN recordings r ON r.owner_id = p.user_id AND r.course_id = p.course_id AND r.purpose = 'answer' AND r.tenant_id = $1
             JOIN transcripts t ON t.recording_id = r.id
            WHERE p.user_id <> $3`
               : ''
           }),
         -- newest transcripts first, each one's matching passages, until enough are found: a common
         -- word stops after a few hundred transcripts instead of reading all the coach's passages
         candidates AS MATERIALIZED (
           SELECT s.transcript_id, s.idx, s.start_s, s.end_s, s.text, s.tsv, v.created_at
             FROM (SELECT id, created_at FROM visible ORDER BY created_at DESC, id) v
             CROSS JOIN LATERAL (
               SELECT s.transcript_id, s.idx, s.start_s, s.end_s, s.text, s.tsv FROM transcript_segments s
                WHERE s.transcript_id = v.id AND s.tsv @@ $2::tsquery) s
            LIMIT ${SEARCH_CANDIDATES})`;
    // the query as a tsquery value first: planned as a constant, its words' statistics let
    // PostgreSQL choose between walking the newest passages (a common word) and the full-text
    // index (a rare one); a query made only of punctuation finds nothing
    const [{ tsq }]: { tsq: string }[] = await this.db.query(`SELECT websearch_to_tsquery('simple', $1)::text AS tsq`, [
      q,
    ]);
    if (!tsq.trim()) return { items: [], total: 0, page, pageSize };
    return this.privacy.readWithLog(actor, async (m) => {
      const rows: {
        start_s: number;
        end_s: number;
        snippet: string;
        recording_id: string;
        answer_id: string;
        owner_id: string;
        name: string;
        course_id: string;
        exercise_id: string;
        course_title: string;
        exercise_title: string | null;
        engine: string;
        submitted_at: Date;
        total: number;
        candidates: number;
      }[] = await m.query(
        `WITH ${candidates},
              hits AS (
                SELECT c.*, r.id AS recording_id, r.answer_id, r.owner_id, a.course_id, a.exercise_id, a.course_version_id, t.engine, a.submitted_at,
                       ts_rank(c.tsv, $2::tsquery) AS rank, count(*) OVER ()::int AS total, (SELECT count(*) FROM candidates)::int AS candidates
                  FROM candidates c
                  JOIN transcripts t ON t.id = c.transcript_id
                  JOIN recordings r ON r.id = t.recording_id AND r.purpose = 'answer' AND r.tenant_id = $1
                  JOIN answers a ON a.id = r.answer_id
                 WHERE ${visibleTo('r', '$3', '$4', '$5')} AND ${answersShown('r.owner_id', '$8')}
                 ORDER BY rank DESC, a.submitted_at DESC, c.idx
                 LIMIT $6 OFFSET $7)
         SELECT h.start_s, h.end_s, ts_headline('simple', h.text, $2::tsquery, 'StartSel=«, StopSel=», MaxFragments=1, MinWords=8, MaxWords=30') AS snippet,
                h.recording_id, h.answer_id, h.owner_id, (SELECT u.name FROM users u WHERE u.id = h.owner_id) AS name, h.course_id, h.exercise_id, v.content->>'title' AS course_title,
                ${exerciseTitleSql('v.content', 'h.exercise_id')} AS exercise_title,
                h.engine, h.submitted_at, h.total, h.candidates
           FROM hits h
           JOIN course_versions v ON v.id = h.course_version_id
          ORDER BY h.rank DESC, h.submitted_at DESC, h.idx`,
        [tenantId, tsq, actor.userId, coach, admin, pageSize, (page - 1) * pageSize, this.clock.today()],
      );
      const items = rows.map((r): TranscriptSearchHit => ({
        recordingId: r.recording_id,
        answerId: r.answer_id,
        participantId: r.owner_id,
        participantName: r.name,
        courseId: r.course_id,
        courseTitle: r.course_title,
        exerciseId: r.exercise_id,
        exerciseTitle: r.exercise_title ?? '',
        start: r.start_s,
        end: r.end_s,
        snippet: r.snippet,
        engine: r.engine,
        submittedAt: r.submitted_at.toISOString(),
      }));
      const seen = new Set<string>();
      const log: PrivacyRead[] = [];
      for (const h of items) {
        if (seen.has(h.recordingId)) continue;
        seen.add(h.recordingId);
        log.push({
          subjectId: h.participantId,
          tenantId,
          objectType: 'transcript',
          objectId: h.recordingId,
          action: 'search',
        });
      }
      const capped = (rows[0]?.candidates ?? 0) >= SEARCH_CANDIDATES;
      return {
        value: { items, total: rows[0]?.total ?? 0, page, pageSize, ...(capped ? { totalIsLowerBound: true } : {}) },
        log,
      };
    });
  }
}
