import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The organisation's administrators are reminded, 14 days before, that everything of the
 * organisation is destroyed at the end of its agreement: `destruction_notice_for` is the
 * destruction date they were reminded of, so the hourly sweep tells each date once, and a date
 * moved by a new end of the agreement is told again when its own 14 days begin.
 */
export class DestructionNotices1765170000000 implements MigrationInterface {
  name = 'DestructionNotices1765170000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tenants ADD COLUMN destruction_notice_for date`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tenants DROP COLUMN destruction_notice_for`);
  }
}
