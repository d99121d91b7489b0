import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The last check of each organisation's privacy log (and the operator's own, no organisation) for
 * changes made outside the application: the worker recomputes the hash chains every day and keeps
 * here when, how many entries it read, the last of them, and the first it found changed (or that
 * entries it had read before are gone).
 */
export class PrivacyLogChecks1765190000000 implements MigrationInterface {
  name = 'PrivacyLogChecks1765190000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE privacy_log_checks (
        id bigserial PRIMARY KEY,
        tenant_id uuid REFERENCES tenants(id) ON DELETE CASCADE,
        checked_at timestamptz NOT NULL,
        entries_checked bigint NOT NULL,
        -- the last entry read: the next check counts the entries up to it again (none may be gone)
        through_id bigint,
        broken_at_id bigint,
        broken text CHECK (broken IN ('changed', 'removed'))
      )`);
    // the latest check only: one row per organisation, one for the operator's log
    await q.query(
      `CREATE UNIQUE INDEX privacy_log_checks_tenant ON privacy_log_checks (tenant_id) WHERE tenant_id IS NOT NULL`,
    );
    await q.query(
      `CREATE UNIQUE INDEX privacy_log_checks_operator ON privacy_log_checks ((tenant_id IS NULL)) WHERE tenant_id IS NULL`,
    );
    // entries found changed that the operator, having looked into it, accepted as they are: the
    // checks after take the stored hash of each and go on from it (the acceptance is on the
    // organisation's account activity)
    await q.query(`
      CREATE TABLE privacy_log_accepted_entries (
        entry_id bigint PRIMARY KEY,
        tenant_id uuid REFERENCES tenants(id) ON DELETE CASCADE,
        accepted_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX privacy_log_accepted_entries_tenant ON privacy_log_accepted_entries (tenant_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE privacy_log_accepted_entries`);
    await q.query(`DROP TABLE privacy_log_checks`);
  }
}
