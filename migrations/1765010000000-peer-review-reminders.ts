import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Peer review reminders: a reviewer whose peer review is due within a day is reminded once by
 * e-mail (the worker's sweep); `reminded_at` says when, so no one is reminded twice. The sweep
 * reads open reviews by due date from reviews_due_idx.
 */
export class PeerReviewReminders1765010000000 implements MigrationInterface {
  name = 'PeerReviewReminders1765010000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE reviews ADD COLUMN reminded_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE reviews DROP COLUMN reminded_at`);
  }
}
