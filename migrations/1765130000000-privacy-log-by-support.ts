import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The looks of the operator's support staff in an organisation (a superuser acting as someone, or as
 * themselves): what the organisation's administrator audits of the operator. A partial index holds
 * only those rows, few in a log of millions, so the listing reads them alone; an ordinary look adds
 * no entry to it.
 */
export class PrivacyLogBySupport1765130000000 implements MigrationInterface {
  name = 'PrivacyLogBySupport1765130000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX privacy_log_support_idx ON privacy_log (tenant_id, at, id) WHERE impersonator_id IS NOT NULL OR actor_role = 'superuser'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX privacy_log_support_idx`);
  }
}
