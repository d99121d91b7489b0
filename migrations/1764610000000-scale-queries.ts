import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Query shapes for a real organisation's size (issue 16), next to the privacy-log indexes of
 * Scale1764600000000.
 *
 * - Enrolments are reached from a group, a coach or a person (the coach's queue and every
 *   "who coaches whom" check start there), not only from a course.
 * - Transcript search takes the newest matching passages first: each passage carries when it was
 *   written, so a common word is answered by walking (tenant, created_at) backwards until enough
 *   passages match, and a rare word by the full-text index (the planner chooses by the word's
 *   statistics), then the candidates are ranked.
 * - Answers by time within a tenant (reports, the newest answers).
 * - People are found by any part of their name or address (pg_trgm, a trusted extension of
 *   PostgreSQL's contrib that the database's owner may create): the administrator's user search
 *   uses a trigram index instead of reading every account.
 * - Reports over more people than a request should aggregate (an organisation of thousands) are
 *   read from a snapshot of the aggregates, recomputed at most every few minutes (ReportsService);
 *   a snapshot holds aggregates only, no one's answer or name.
 */
export class ScaleQueries1764610000000 implements MigrationInterface {
  name = 'ScaleQueries1764610000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX enrolments_group_idx ON enrolments (group_id) WHERE group_id IS NOT NULL`);
    await q.query(`CREATE INDEX enrolments_user_idx ON enrolments (user_id) WHERE user_id IS NOT NULL`);
    await q.query(`CREATE INDEX enrolments_coach_idx ON enrolments (coach_id) WHERE coach_id IS NOT NULL`);
    await q.query(`ALTER TABLE transcript_segments ADD COLUMN created_at timestamptz NOT NULL DEFAULT now()`);
    await q.query(
      `UPDATE transcript_segments s SET created_at = t.created_at FROM transcripts t WHERE t.id = s.transcript_id`,
    );
    await q.query(`CREATE INDEX transcript_segments_recent_idx ON transcript_segments (tenant_id, created_at DESC)`);
    await q.query(`CREATE INDEX answers_tenant_time_idx ON answers (tenant_id, submitted_at)`);
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`CREATE INDEX users_name_trgm_idx ON users USING gin (lower(name) gin_trgm_ops)`);
    await q.query(`CREATE INDEX users_email_trgm_idx ON users USING gin (email gin_trgm_ops)`);
    // "has this answer had its coach's feedback?" for every answer in a coach's queue: index only
    await q.query(
      `CREATE INDEX reviews_published_coach_idx ON reviews (answer_id) WHERE source = 'coach' AND state = 'published'`,
    );
    await q.query(`
      CREATE TABLE report_snapshots (
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        scope_key char(64) NOT NULL,
        computed_at timestamptz NOT NULL,
        data jsonb NOT NULL,
        PRIMARY KEY (tenant_id, scope_key)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE report_snapshots`);
    await q.query(`DROP INDEX reviews_published_coach_idx`);
    await q.query(`DROP INDEX users_email_trgm_idx`);
    await q.query(`DROP INDEX users_name_trgm_idx`);
    await q.query(`DROP INDEX answers_tenant_time_idx`);
    await q.query(`DROP INDEX transcript_segments_recent_idx`);
    await q.query(`ALTER TABLE transcript_segments DROP COLUMN created_at`);
    await q.query(`DROP INDEX enrolments_coach_idx`);
    await q.query(`DROP INDEX enrolments_user_idx`);
    await q.query(`DROP INDEX enrolments_group_idx`);
  }
}
