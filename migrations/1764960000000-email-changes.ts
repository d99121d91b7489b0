import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A change of one's own e-mail address waits until the new address confirms it: a link mailed to
 * it (stored hashed, sealed only until its mail is sent, one use, a day) switches the address, and
 * only then is the old address told (`previous_email`, kept for that notice). Until then the old
 * address stays the one that signs in and receives the codes, so a mistyped address locks nobody
 * out. They go with the person and with the organisation (a superuser's, of no organisation, have
 * no tenant).
 */
export class EmailChanges1764960000000 implements MigrationInterface {
  name = 'EmailChanges1764960000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE email_changes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid REFERENCES tenants(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        new_email varchar(254) NOT NULL,
        previous_email varchar(254),
        token_hash varchar(64) NOT NULL UNIQUE,
        token_sealed text,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        confirmed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX email_changes_tenant_idx ON email_changes (tenant_id)`);
    await q.query(`CREATE INDEX email_changes_user_idx ON email_changes (user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE email_changes`);
  }
}
