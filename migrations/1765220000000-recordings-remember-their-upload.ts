import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A recording remembers the upload it was made from, so that submitting the same upload again
 * answers with the answer already made instead of a second one. A submission can succeed on the
 * server while its answer never reaches the browser (a proxy gave up waiting, the connection
 * dropped): the browser then asked again, found the upload gone (404), sent the file again and
 * made a second answer, which on a baseline or final test with two attempts took the second one.
 * One upload makes one recording (unique per owner). Recordings made before keep none.
 */
export class RecordingsRememberTheirUpload1765220000000 implements MigrationInterface {
  name = 'RecordingsRememberTheirUpload1765220000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE recordings ADD COLUMN upload_id text`);
    await q.query(
      `CREATE UNIQUE INDEX recordings_owner_upload ON recordings (owner_id, upload_id) WHERE upload_id IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX recordings_owner_upload`);
    await q.query(`ALTER TABLE recordings DROP COLUMN upload_id`);
  }
}
