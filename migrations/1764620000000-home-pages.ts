import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The home pages (issue 17): a coach's most recently published feedback is read newest first, five
 * at a time, from the coach's own reviews (without it, an organisation of 10,000 people sorted all
 * 50,000 published reviews on each coach's home page).
 */
export class HomePages1764620000000 implements MigrationInterface {
  name = 'HomePages1764620000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX reviews_reviewer_published_idx ON reviews (reviewer_id, published_at DESC) WHERE source = 'coach' AND state = 'published'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX reviews_reviewer_published_idx`);
  }
}
