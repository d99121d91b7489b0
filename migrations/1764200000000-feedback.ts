import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Feedback on answers: reviews by coaches, peers and the trainee, with time-coded comments;
 * answers shared with a group for peer review; the tenant's marker tags and filler lists.
 */
export class Feedback1764200000000 implements MigrationInterface {
  name = 'Feedback1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tenants ADD COLUMN marker_tags jsonb`);
    await q.query(`ALTER TABLE tenants ADD COLUMN filler_lists jsonb NOT NULL DEFAULT '{}'`);
    await q.query(`
      CREATE TABLE answer_shares (
        answer_id uuid PRIMARY KEY REFERENCES answers(id) ON DELETE CASCADE,
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        group_id uuid NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
        shared_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX answer_shares_tenant_idx ON answer_shares (tenant_id)`);
    await q.query(`CREATE INDEX answer_shares_group_idx ON answer_shares (group_id)`);
    await q.query(`
      CREATE TABLE reviews (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        answer_id uuid NOT NULL REFERENCES answers(id) ON DELETE CASCADE,
        reviewer_id uuid REFERENCES users(id) ON DELETE SET NULL,
        source varchar(8) NOT NULL CHECK (source IN ('coach','peer','self')),
        state varchar(10) NOT NULL CHECK (state IN ('assigned','draft','published','lapsed')),
        scores jsonb NOT NULL DEFAULT '{}',
        total real,
        summary text NOT NULL DEFAULT '',
        ai_decisions jsonb NOT NULL DEFAULT '{}',
        ai_proposed jsonb,
        revision int NOT NULL DEFAULT 1,
        assigned_at timestamptz NOT NULL,
        due_at timestamptz,
        published_at timestamptz,
        updated_at timestamptz NOT NULL,
        CHECK ((state = 'published') = (published_at IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX reviews_tenant_idx ON reviews (tenant_id)`);
    await q.query(`CREATE INDEX reviews_answer_idx ON reviews (answer_id)`);
    await q.query(`CREATE INDEX reviews_reviewer_idx ON reviews (reviewer_id)`);
    // one live review per reviewer and answer; lapsed ones stay as history
    await q.query(`CREATE UNIQUE INDEX reviews_one_live ON reviews (answer_id, reviewer_id) WHERE state <> 'lapsed'`);
    await q.query(
      `CREATE INDEX reviews_due_idx ON reviews (due_at) WHERE state IN ('assigned','draft') AND due_at IS NOT NULL`,
    );
    await q.query(`
      CREATE TABLE review_comments (
        review_id uuid NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
        idx int NOT NULL,
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        at_s real NOT NULL CHECK (at_s >= 0),
        text text NOT NULL,
        tag varchar(40),
        ai_finding varchar(40),
        PRIMARY KEY (review_id, idx)
      )`);
    await q.query(`CREATE INDEX review_comments_tenant_idx ON review_comments (tenant_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE review_comments`);
    await q.query(`DROP TABLE reviews`);
    await q.query(`DROP TABLE answer_shares`);
    await q.query(`ALTER TABLE tenants DROP COLUMN filler_lists`);
    await q.query(`ALTER TABLE tenants DROP COLUMN marker_tags`);
  }
}
