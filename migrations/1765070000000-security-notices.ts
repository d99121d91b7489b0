import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The notices that tell a person their password, address or authenticator app changed, kept until
 * the mail server has them: written in the transaction of the change, queued after it, marked when
 * sent. A worker's sweep queues again one not sent (Redis away at the change, or restarted without
 * its data), so a change never goes untold, and a change made while Redis is away is not refused
 * after it was made.
 */
export class SecurityNotices1765070000000 implements MigrationInterface {
  name = 'SecurityNotices1765070000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE security_notices (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid REFERENCES tenants(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        notice text NOT NULL CHECK (notice IN ('password-changed', 'email-changed', 'totp-enabled', 'totp-disabled')),
        email_change_id uuid REFERENCES email_changes(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL,
        mailed_at timestamptz
      )`);
    await q.query(`CREATE INDEX security_notices_tenant_idx ON security_notices (tenant_id)`);
    await q.query(`CREATE INDEX security_notices_user_idx ON security_notices (user_id)`);
    await q.query(`CREATE INDEX security_notices_unsent_idx ON security_notices (created_at) WHERE mailed_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE security_notices`);
  }
}
