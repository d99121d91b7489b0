import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * E-mails kept until sent: a published feedback's notice, a peer review's request and reminder, a
 * course's reminder, an export's "ready" and a keep request to the administrators. Each is written
 * in the transaction of what it tells of (or with its claim), queued after it, and removed once the
 * mail server has it or it has nothing left to say; a worker's sweep queues again one still here
 * (Redis away when it was queued, restarted without its data, or the mail server's outage outlasting
 * its retries), for a week. `user_id` is the recipient: their e-mails go with them.
 */
export class MailOutbox1765080000000 implements MigrationInterface {
  name = 'MailOutbox1765080000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE mail_outbox (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        job_name text NOT NULL,
        job_key text NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        UNIQUE (job_name, job_key)
      )`);
    await q.query(`CREATE INDEX mail_outbox_tenant_idx ON mail_outbox (tenant_id)`);
    await q.query(`CREATE INDEX mail_outbox_user_idx ON mail_outbox (user_id)`);
    await q.query(`CREATE INDEX mail_outbox_created_idx ON mail_outbox (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE mail_outbox`);
  }
}
