import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An impersonation outlives the erasure of the person acted as, as the privacy log does: the
 * operator's review of its support staff keeps the row (who acted, in which organisation, when,
 * for how long) under the person's random id, which no longer resolves to anyone, and the reason
 * (free text that may name them) is erased with them (`reason` NULL). Before, the row went with the
 * person (ON DELETE CASCADE), so erasing someone took their impersonations out of the review: a
 * superuser could act as a person, then erase them, and the quarter's review would not show it.
 * Rows still go with their organisation when it is destroyed (tenant_id's cascade).
 */
export class ImpersonationsOutliveErasure1765150000000 implements MigrationInterface {
  name = 'ImpersonationsOutliveErasure1765150000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE impersonations DROP CONSTRAINT impersonations_target_user_id_fkey`);
    await q.query(`ALTER TABLE impersonations ALTER COLUMN reason DROP NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `DELETE FROM impersonations i WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = i.target_user_id)`,
    );
    await q.query(`DELETE FROM impersonations WHERE reason IS NULL`);
    await q.query(`ALTER TABLE impersonations ALTER COLUMN reason SET NOT NULL`);
    await q.query(
      `ALTER TABLE impersonations ADD CONSTRAINT impersonations_target_user_id_fkey FOREIGN KEY (target_user_id) REFERENCES users(id) ON DELETE CASCADE`,
    );
  }
}
