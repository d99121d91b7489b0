import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A destruction report names the organisation it is about: its name and slug as they were when it
 * was destroyed. Before, the report kept only the organisation's id, which no longer resolves to
 * anything once the organisation is gone, so an operator asked "was Northwind's data destroyed?"
 * could not tell from the report (the name was only in the worker's log). A person's receipts
 * (erasure, licence expiry) never hold a name: the CHECK keeps the columns to destruction reports.
 * Reports written before this migration keep null (the name is not known any more).
 *
 * The reports are listed newest first a page at a time: a partial index on that order, so the
 * list reads only the destruction reports, not every person's receipts of every organisation.
 */
export class DestructionReportsNameTheOrganisation1765160000000 implements MigrationInterface {
  name = 'DestructionReportsNameTheOrganisation1765160000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE deletion_receipts ADD COLUMN subject_name text, ADD COLUMN subject_slug text`);
    await q.query(`ALTER TABLE deletion_receipts ADD CONSTRAINT deletion_receipts_subject_name_check
      CHECK ((subject_name IS NULL AND subject_slug IS NULL) OR kind = 'tenant_destruction')`);
    await q.query(`CREATE INDEX deletion_receipts_destruction_idx ON deletion_receipts (created_at DESC, id DESC)
      WHERE kind = 'tenant_destruction' AND tenant_id IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX deletion_receipts_destruction_idx`);
    await q.query(`ALTER TABLE deletion_receipts DROP CONSTRAINT deletion_receipts_subject_name_check`);
    await q.query(`ALTER TABLE deletion_receipts DROP COLUMN subject_name, DROP COLUMN subject_slug`);
  }
}
