import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The organisation's privacy log over a period ("who looked at what in March"): read by
 * (tenant_id, at, id), an index range scan from the period's end backwards for a page and from its
 * start forwards for the CSV export (keyset on (at, id)), however long ago the period was and however
 * long the log has grown. The price: one more index entry per appended row.
 */
export class PrivacyLogByTime1765120000000 implements MigrationInterface {
  name = 'PrivacyLogByTime1765120000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX privacy_log_tenant_at_idx ON privacy_log (tenant_id, at, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX privacy_log_tenant_at_idx`);
  }
}
