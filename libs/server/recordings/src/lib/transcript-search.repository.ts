import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { answersShown, coachedPairs } from '@rehearse/server/access';
import { answerOfSql, versionTitlesSql } from '@rehearse/server/courses';
import { preparedIn, type Queryable } from '@rehearse/server/database';
import { SEARCH_CANDIDATES, SEARCH_INDEX_MATCHES, SHORT_PASSAGE_WORDS } from './recordings.common';

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
   * and the full-text index (a rare one). With `estimate`, also how many passages of the
   * organisation PostgreSQL expects to match it (its statistics of the words, not a count:
   * planning only, well under a millisecond; null for an empty query). One round trip
   * (transcript_search_words, migration 1764860000000).
   */
  async words(
    tenantId: string,
    q: string,
    estimate: boolean,
    m: Queryable = this.db,
  ): Promise<{ tsq: string; estimate: number | null }> {
    const [row] = (await m.query(`SELECT tsq, estimate FROM transcript_search_words($1::uuid, $2, $3)`, [
      tenantId,
      q,
      estimate,
    ])) as { tsq: string; estimate: number | null }[];
    return { tsq: row.tsq, estimate: row.estimate };
  }

  /**
   * A page of the passages matching `tsq` that `who` may see in the organisation, ranked; the
   * newest SEARCH_CANDIDATES matching passages are ranked, so the work never grows with the
   * organisation. `today` decides whose answers an expired licence hides. For a coach, `start`
   * says where the matching passages are found: by walking the coach's answers newest first (a
   * common word), or from the full-text index (a rare one; `words`' estimate), which walks after
   * all when the index holds more than SEARCH_INDEX_MATCHES matches. Both find the same passages.
   */
  async search(
    tenantId: string,
    tsq: string,
    who: Searcher,
    today: string,
    page: { limit: number; offset: number },
    m: Queryable = this.db,
    start: 'walk' | 'index' = 'walk',
  ): Promise<SearchHitRow[]> {
    const { admin, coach } = who;
    const params: unknown[] = [tenantId, tsq];
    const param = (value: unknown) => `$${params.push(value)}`;
    // whose passages: an administrator's organisation; otherwise the actor's own transcripts and
    // those of the people they coach, found from the coach's side (a common word would otherwise
    // walk the whole organisation's passages to find the coach's few). Answers hidden by an
    // expired licence leave before the candidates are taken (the coach's side) or with the
    // recordings walked (the organisation's), so they never reach a page. Either way `ranked` is
    // the candidate passages, each with its recording, answer, owner, engine and the recording's
    // time; the answers' details are looked up for the page's passages only.
    let ctes: string;
    if (admin) {
      // PostgreSQL chooses between the newest passages and the full-text index by the words' statistics;
      // each transcript walked once (a few hundred passages come from far fewer answers)
      ctes = `candidates AS MATERIALIZED (
           SELECT s.transcript_id, s.idx, s.start_s, s.end_s, s.text, ts_rank(s.tsv, $2::tsquery) AS rank
             FROM transcript_segments s
            WHERE s.tenant_id = $1 AND s.tsv @@ $2::tsquery
            ORDER BY s.created_at DESC
            LIMIT ${SEARCH_CANDIDATES}),
         walked AS MATERIALIZED (
           SELECT t.id AS transcript_id, t.engine, r.id AS recording_id, r.answer_id, r.owner_id, r.created_at
             FROM (SELECT DISTINCT transcript_id FROM candidates) w
             JOIN transcripts t ON t.id = w.transcript_id
             JOIN recordings r ON r.id = t.recording_id AND r.purpose = 'answer' AND r.tenant_id = $1
            WHERE ${answersShown('r.owner_id', param(today))}),
         ranked AS (
           SELECT c.*, w.engine, w.recording_id, w.answer_id, w.owner_id, w.created_at
             FROM candidates c JOIN walked w ON w.transcript_id = c.transcript_id)`;
    } else {
      const me = param(who.userId);
      const day = param(today);
      // the newest answers first, each one's matching passages, until enough are found: a common
      // word stops after a few hundred answers instead of reading all the coach's passages
      // (each passage carries its recording, answer, owner and engine from the walk)
      const walk = (
        when: string,
      ) => `SELECT s.transcript_id, s.idx, s.start_s, s.end_s, s.text, ts_rank(s.tsv, $2::tsquery) AS rank,
                  t.engine, v.id AS recording_id, v.answer_id, v.owner_id, v.created_at
             FROM (SELECT id, created_at, answer_id, owner_id FROM visible ORDER BY created_at DESC, id) v
             CROSS JOIN LATERAL (SELECT t.id, t.engine FROM transcripts t WHERE t.recording_id = v.id) t
             CROSS JOIN LATERAL (
               SELECT s.transcript_id, s.idx, s.start_s, s.end_s, s.text, s.tsv FROM transcript_segments s
                WHERE s.transcript_id = t.id AND s.tsv @@ $2::tsquery) s
            WHERE ${when}
            LIMIT ${SEARCH_CANDIDATES}`;
      // a rare word: the organisation's few matches from the full-text index, kept where the coach
      // may see them, in the walk's order (so the same candidates); too many matches after all
      // (the estimate was far off): the walk
      const fromIndex = () => `matches AS MATERIALIZED (
           SELECT s.transcript_id, s.idx, s.start_s, s.end_s, s.text, s.tsv FROM transcript_segments s
            WHERE s.tenant_id = $1 AND s.tsv @@ $2::tsquery
            LIMIT ${SEARCH_INDEX_MATCHES + 1}),
         candidates AS MATERIALIZED (
           (SELECT s.transcript_id, s.idx, s.start_s, s.end_s, s.text, ts_rank(s.tsv, $2::tsquery) AS rank,
                   t.engine, v.id AS recording_id, v.answer_id, v.owner_id, v.created_at
              FROM matches s
              JOIN transcripts t ON t.id = s.transcript_id
              JOIN visible v ON v.id = t.recording_id
             WHERE (SELECT count(*) FROM matches) <= ${SEARCH_INDEX_MATCHES}
             ORDER BY v.created_at DESC, v.id, s.idx
             LIMIT ${SEARCH_CANDIDATES})
           UNION ALL
           (${walk(`(SELECT count(*) FROM matches) > ${SEARCH_INDEX_MATCHES}`)}))`;
      // the recordings of the people coached: each person's answers read once from the index of
      // answers by owner, kept where the person's coached courses hold the answer's course (an
      // array test, so that PostgreSQL does not descend the index once per person and course
      // instead: 195 descents rather than 780 for a coach of 195 people in 4 courses)
      ctes = `${
        coach
          ? `pairs AS MATERIALIZED (
           SELECT DISTINCT c.user_id, c.course_id FROM (${coachedPairs(me, '$1')}) c
            WHERE c.user_id <> ${me} AND ${answersShown('c.user_id', day)}),`
          : ''
      }
         visible AS MATERIALIZED (
           SELECT r.id, r.created_at, r.answer_id, r.owner_id FROM recordings r
            WHERE r.owner_id = ${me} AND r.purpose = 'answer' AND r.tenant_id = $1 AND ${answersShown(me, day)}
           ${
             coach
               ? `UNION ALL
           SELECT r.id, r.created_at, r.answer_id, r.owner_id
             FROM (SELECT user_id, array_agg(course_id) AS courses FROM pairs GROUP BY user_id) p
             JOIN recordings r ON r.owner_id = p.user_id AND r.purpose = 'answer' AND r.tenant_id = $1
            WHERE p.courses @> ARRAY[r.course_id]`
               : ''
           }),
         ${start === 'index' ? fromIndex() : `candidates AS MATERIALIZED (${walk('TRUE')})`},
         ranked AS (SELECT * FROM candidates)`;
    }
    const limit = param(page.limit);
    const offset = param(page.offset);
    // a passage's rank, then the newer recording, then its place in the transcript
    const orderBy = (t: string) => `${t}.rank DESC, ${t}.created_at DESC, ${t}.recording_id, ${t}.idx`;
    // the passage around the words (ShortWord=0: PostgreSQL's default cuts words of up to three
    // letters off both ends, so "the order..." read "order" and "I want a refund" "want a refund");
    // a passage of a few words (a pause split "the" from "order...") is shown with the passages
    // before and after it, read by the transcript's key for the page's hits alone
    const text = `WITH ${ctes},
              hits AS (
                SELECT c.transcript_id, c.start_s, c.end_s, c.text, c.idx, c.rank, c.engine, c.recording_id, c.answer_id,
                       c.owner_id, c.created_at, count(*) OVER ()::int AS total,
                       (SELECT count(*) FROM candidates)::int AS candidates
                  FROM ranked c
                 ORDER BY ${orderBy('c')}
                 LIMIT ${limit} OFFSET ${offset})
         SELECT h.start_s, h.end_s, ts_headline('simple', COALESCE(ctx.text, h.text), $2::tsquery, 'StartSel=«, StopSel=», MaxFragments=1, MinWords=8, MaxWords=30, ShortWord=0') AS snippet,
                h.recording_id, h.answer_id, h.owner_id, a.course_id, a.exercise_id, v.course_title, v.exercise_title,
                h.engine, a.submitted_at, h.total, h.candidates
           FROM hits h
           LEFT JOIN LATERAL (
             SELECT string_agg(s.text, ' ' ORDER BY s.idx) AS text FROM transcript_segments s
              WHERE s.transcript_id = h.transcript_id AND s.idx BETWEEN h.idx - 1 AND h.idx + 1
                AND array_length(regexp_split_to_array(btrim(h.text), '\\s+'), 1) < ${SHORT_PASSAGE_WORDS}) ctx ON TRUE
           CROSS JOIN LATERAL (${answerOfSql('h.answer_id')}) a
           CROSS JOIN LATERAL (${versionTitlesSql('a.course_version_id', 'a.exercise_id')}) v
          ORDER BY ${orderBy('h')}`;
    // An administrator's plan depends on the word (the newest passages or the full-text index):
    // planned for its values each time. A coach's plan does not (the walk, or the index for a rare
    // word): it runs as a prepared statement with its generic plan, planned once per connection
    // (the query-plan test explains it as a generic plan). Planning was an eighth of the walk's
    // statement: 23.5 -> 18.7 ms for a common word at 10,000 people, measured with EXPLAIN ANALYZE.
    // (The generic plan once joined the candidates to their answers by nested loop; the passages
    // now carry everything but the answers' details, looked up for the page alone.)
    if (admin) return (await m.query(text, params)) as SearchHitRow[];
    const name = `transcript_search_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    return preparedIn<SearchHitRow>(m, this.db, name, text, params, { generic: true });
  }
}
