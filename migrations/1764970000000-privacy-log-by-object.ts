import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * "Who has seen this answer": a person's own privacy log narrowed to the rows about one answer and
 * its recording (the answer's page lists them). Read by (subject_id, object_id) newest first, an
 * index range scan per object however long the person's log has grown. The price: one more index
 * entry per appended row.
 */
export class PrivacyLogByObject1764970000000 implements MigrationInterface {
  name = 'PrivacyLogByObject1764970000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX privacy_log_subject_object_idx ON privacy_log (subject_id, object_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX privacy_log_subject_object_idx`);
  }
}
