import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The e-mails a person may stop (feedback published on their answers, peer reviews asked of them
 * and their reminders, a course of theirs due soon): one row per person and kind they chose
 * about; no row is on. Sign-in codes and notices about the account or its data are not among
 * them: those always come.
 */
export class MailPreferences1765040000000 implements MigrationInterface {
  name = 'MailPreferences1765040000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE mail_preferences (
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        topic text NOT NULL CHECK (topic IN ('feedback_published', 'peer_reviews', 'course_due')),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        enabled boolean NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, topic)
      )`);
    await q.query(`CREATE INDEX mail_preferences_tenant_idx ON mail_preferences (tenant_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE mail_preferences`);
  }
}
