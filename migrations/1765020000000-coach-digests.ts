import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The coach's morning e-mail: how many answers wait for their feedback. One row per coach who
 * was checked or who chose: `enabled` (a coach turns it off on their account page; no row: on)
 * and `checked_on`, the day the worker's sweep last looked at them, so that a coach is mailed at
 * most once a day however many worker processes sweep.
 */
export class CoachDigests1765020000000 implements MigrationInterface {
  name = 'CoachDigests1765020000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE coach_digests (
        user_id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        enabled boolean NOT NULL DEFAULT true,
        checked_on date,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX coach_digests_tenant_idx ON coach_digests (tenant_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE coach_digests`);
  }
}
