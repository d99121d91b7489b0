import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for a real organisation's size (issue 16).
 *
 * The privacy log is one chain per writer (see PrivacyLogService.recordMany): appending looks up
 * the writer's last row by (tenant_id, actor_id, id). Listings and exports page by id, so the
 * tenant's and the subject's indexes are on id rather than on time (rows are appended in time
 * order, so id order is time order).
 */
export class Scale1764600000000 implements MigrationInterface {
  name = 'Scale1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX privacy_log_chain_idx ON privacy_log (tenant_id, actor_id, id)`);
    await q.query(`CREATE INDEX privacy_log_tenant_id_idx ON privacy_log (tenant_id, id)`);
    await q.query(`CREATE INDEX privacy_log_subject_id_idx ON privacy_log (subject_id, id)`);
    await q.query(`DROP INDEX privacy_log_tenant_idx`);
    await q.query(`DROP INDEX privacy_log_subject_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX privacy_log_tenant_idx ON privacy_log (tenant_id, at)`);
    await q.query(`CREATE INDEX privacy_log_subject_idx ON privacy_log (subject_id, at)`);
    await q.query(`DROP INDEX privacy_log_subject_id_idx`);
    await q.query(`DROP INDEX privacy_log_tenant_id_idx`);
    await q.query(`DROP INDEX privacy_log_chain_idx`);
  }
}
