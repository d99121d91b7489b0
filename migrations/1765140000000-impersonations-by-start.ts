import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The operator's review of its support staff asks for a period's impersonations by when they
 * started (a quarter, newest first, a page at a time, and the CSV oldest first in keyset batches):
 * an index on (started_at, id) reads exactly the period's rows in either order, however many years
 * of impersonations the table holds.
 */
export class ImpersonationsByStart1765140000000 implements MigrationInterface {
  name = 'ImpersonationsByStart1765140000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX impersonations_started_idx ON impersonations (started_at, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX impersonations_started_idx`);
  }
}
