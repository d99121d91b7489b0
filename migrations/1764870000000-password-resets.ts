import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Password reset links: a person who forgot their password asks for a link by e-mail; the link
 * works once, for a short time, and sets a new password (the second factor is still asked at the
 * next sign-in). As invitations: the token is stored hashed, and sealed only until its mail is
 * sent. They go with the person and with the organisation.
 */
export class PasswordResets1764870000000 implements MigrationInterface {
  name = 'PasswordResets1764870000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE password_resets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        token_hash varchar(64) NOT NULL UNIQUE,
        token_sealed text,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX password_resets_tenant_idx ON password_resets (tenant_id)`);
    await q.query(`CREATE INDEX password_resets_user_idx ON password_resets (user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE password_resets`);
  }
}
