import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A transcript search's first question in one round trip instead of two: the query as a tsquery
 * value, and (for a coach, who walks their answers for a common word and takes the full-text index
 * for a rare one) PostgreSQL's estimate of the organisation's passages that match it, from the
 * words' statistics. The estimate is EXPLAIN of the same statement as before, with the tenant and
 * the tsquery as literals (quoted by format's %L), as the application's custom plan had them.
 */
export class TranscriptSearchWords1764860000000 implements MigrationInterface {
  name = 'TranscriptSearchWords1764860000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION transcript_search_words(p_tenant uuid, p_q text, p_estimate boolean)
      RETURNS TABLE (tsq text, estimate double precision)
      LANGUAGE plpgsql AS $$
      DECLARE
        plan json;
      BEGIN
        tsq := trim(websearch_to_tsquery('simple', p_q)::text);
        IF p_estimate AND tsq <> '' THEN
          EXECUTE format('EXPLAIN (FORMAT JSON) SELECT 1 FROM public.transcript_segments s WHERE s.tenant_id = %L AND s.tsv @@ %L::tsquery', p_tenant, tsq)
            INTO plan;
          estimate := (plan -> 0 -> 'Plan' ->> 'Plan Rows')::double precision;
        END IF;
        RETURN NEXT;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION transcript_search_words(uuid, text, boolean)`);
  }
}
