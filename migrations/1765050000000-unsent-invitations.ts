import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The invitations whose e-mail has not gone out (the sealed token is forgotten once it is sent),
 * for the worker's sweep that queues them again: few at any time, so a partial index keeps the
 * sweep from reading every invitation an organisation ever made.
 */
export class UnsentInvitations1765050000000 implements MigrationInterface {
  name = 'UnsentInvitations1765050000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX invitations_unsent_idx ON invitations (created_at) WHERE token_sealed IS NOT NULL AND used_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX invitations_unsent_idx`);
  }
}
