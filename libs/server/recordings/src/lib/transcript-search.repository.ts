import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { answersShown, coachedPairs, ownerCoachOrAdministrator } from '@rehearse/server/access';
import { answerOfSql, versionTitlesSql } from '@rehearse/server/courses';
import type { Queryable } from '@rehearse/server/database';
import { SEARCH_CANDIDATES } from './recordings.common';

/** A passage found by transcript search, with what the hit shows. */
export interface SearchHitRow {
  start_s: number;
  end_s: number;
  snippet: string;
  recording_id: string;
  answer_id: string;
  owner_id: string;
  course_id: string;
  exercise_id: string;
  course_title: string;
  exercise_title: string | null;
  engine: string;
  submitted_at: Date;
  /** how many hits there are in all (a lower bound once `candidates` reached SEARCH_CANDIDATES) */
  total: number;
  candidates: number;
}

/** Who searches: their id, and whether they coach or administer (an administrator searches the organisation). */
export interface Searcher {
  userId: string;
  coach: boolean;
  admin: boolean;
}

/**
 * The statements of transcript search on `transcript_segments` and the transcripts, recordings
 * and answers they belong to (full-text SQL: hand-shaped for the planner, see docs/architecture.md).
 */
@Injectable()
export class TranscriptSearchRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * The query as a tsquery value ('' for one made only of punctuation): planned as a constant, its
   * words' statistics let PostgreSQL choose between walking the newest passages (a common word)
   * and the full-text index (a rare one).
   */
  async parse(q: string): Promise<string> {
    const [{ tsq }]: { tsq: string }[] = await this.db.query(`SELECT websearch_to_tsquery('simple', $1)::text AS tsq`, [
      q,
    ]);
    return tsq.trim();
  }

  /**
   * A page of the passages matching `tsq` that `who` may see in the organisation, ranked; the
   * newest SEARCH_CANDIDATES matching passages are ranked, so the work never grows with the
   * organisation. `today` decides whose answers an expired licence hides.
   */
  async search(
    tenantId: string,
    tsq: string,
    who: Searcher,
    today: string,
    page: { limit: number; offset: number },
    m: Queryable = this.db,
  ): Promise<SearchHitRow[]> {
    const { admin, coach } = who;
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
           SELECT r.id, r.created_at FROM recordings r
            WHERE r.owner_id = $3 AND r.purpose = 'answer' AND r.tenant_id = $1
           ${
             coach
               ? `UNION ALL
           SELECT r.id, r.created_at FROM pairs p
             JOIN recordings r ON r.owner_id = p.user_id AND r.course_id = p.course_id AND r.purpose = 'answer' AND r.tenant_id = $1
            WHERE p.user_id <> $3`
               : ''
           }),
         -- the newest answers first, each one's matching passages, until enough are found: a common
         -- word stops after a few hundred answers instead of reading all the coach's passages, and
         -- only the answers walked have their transcript looked up
         candidates AS MATERIALIZED (
           SELECT s.transcript_id, s.idx, s.start_s, s.end_s, s.text, s.tsv
             FROM (SELECT id, created_at FROM visible ORDER BY created_at DESC, id) v
             CROSS JOIN LATERAL (SELECT t.id FROM transcripts t WHERE t.recording_id = v.id) t
             CROSS JOIN LATERAL (
               SELECT s.transcript_id, s.idx, s.start_s, s.end_s, s.text, s.tsv FROM transcript_segments s
                WHERE s.transcript_id = t.id AND s.tsv @@ $2::tsquery) s
            LIMIT ${SEARCH_CANDIDATES})`;
    return (await m.query(
      `WITH ${candidates},
              hits AS (
                SELECT c.*, r.id AS recording_id, r.answer_id, r.owner_id, a.course_id, a.exercise_id, a.course_version_id, t.engine, a.submitted_at,
                       ts_rank(c.tsv, $2::tsquery) AS rank, count(*) OVER ()::int AS total, (SELECT count(*) FROM candidates)::int AS candidates
                  FROM candidates c
                  JOIN transcripts t ON t.id = c.transcript_id
                  JOIN recordings r ON r.id = t.recording_id AND r.purpose = 'answer' AND r.tenant_id = $1
                  CROSS JOIN LATERAL (${answerOfSql('r.answer_id')}) a
                 WHERE ${ownerCoachOrAdministrator('r.owner_id', 'r.course_id', '$3', '$4', '$5')} AND ${answersShown('r.owner_id', '$8')}
                 ORDER BY rank DESC, a.submitted_at DESC, c.idx
                 LIMIT $6 OFFSET $7)
         SELECT h.start_s, h.end_s, ts_headline('simple', h.text, $2::tsquery, 'StartSel=«, StopSel=», MaxFragments=1, MinWords=8, MaxWords=30') AS snippet,
                h.recording_id, h.answer_id, h.owner_id, h.course_id, h.exercise_id, v.course_title, v.exercise_title,
                h.engine, h.submitted_at, h.total, h.candidates
           FROM hits h
           CROSS JOIN LATERAL (${versionTitlesSql('h.course_version_id', 'h.exercise_id')}) v
          ORDER BY h.rank DESC, h.submitted_at DESC, h.idx`,
      [tenantId, tsq, who.userId, coach, admin, page.limit, page.offset, today],
    )) as SearchHitRow[];
  }
}
