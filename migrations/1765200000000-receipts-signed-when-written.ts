import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A deletion receipt (and a destruction report) keeps its signed form: the installation signs it
 * when it is written, and again when a later check confirms gone the objects it had left behind,
 * so a download hands out what the installation said at that time, not what the row says when it
 * is downloaded (a row changed at the database since is not signed again). Null: written before,
 * signed when first downloaded and kept from then on.
 */
export class ReceiptsSignedWhenWritten1765200000000 implements MigrationInterface {
  name = 'ReceiptsSignedWhenWritten1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE deletion_receipts ADD COLUMN signed text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE deletion_receipts DROP COLUMN signed`);
  }
}
