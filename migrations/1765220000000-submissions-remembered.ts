import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An answer remembers the submission it came from, so that the same submission sent again answers
 * with what was already made instead of a second answer. A submission can succeed on the server
 * while its answer never reaches the browser (a proxy gave up waiting, the connection dropped);
 * the browser then sent it again and made a second answer, which on a baseline or final test of two
 * attempts took the second one.
 * - `recordings.upload_id`: the upload a recording was made from (one upload, one recording);
 * - `answers.submission_id`: the id the browser makes for each text it sends.
 * Each is unique per person; rows made before keep none.
 */
export class SubmissionsRemembered1765220000000 implements MigrationInterface {
  name = 'SubmissionsRemembered1765220000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE recordings ADD COLUMN upload_id text`);
    await q.query(
      `CREATE UNIQUE INDEX recordings_owner_upload ON recordings (owner_id, upload_id) WHERE upload_id IS NOT NULL`,
    );
    await q.query(`ALTER TABLE answers ADD COLUMN submission_id uuid`);
    await q.query(
      `CREATE UNIQUE INDEX answers_user_submission ON answers (user_id, submission_id) WHERE submission_id IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX answers_user_submission`);
    await q.query(`ALTER TABLE answers DROP COLUMN submission_id`);
    await q.query(`DROP INDEX recordings_owner_upload`);
    await q.query(`ALTER TABLE recordings DROP COLUMN upload_id`);
  }
}
