import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1763830000000 implements MigrationInterface {
  name = 'InitialSchema1763830000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pgcrypto`);
    await q.query(`
      CREATE TABLE tenants (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name varchar(200) NOT NULL,
        slug varchar(63) NOT NULL UNIQUE,
        require_password_complexity boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid REFERENCES tenants(id) ON DELETE CASCADE,
        email varchar(254) NOT NULL UNIQUE CHECK (email = lower(email)),
        name varchar(200) NOT NULL,
        phone varchar(40),
        status varchar(20) NOT NULL CHECK (status IN ('invited','active','deactivated')),
        password_hash varchar(100),
        password_changed_at timestamptz,
        totp_secret_sealed text,
        totp_enabled boolean NOT NULL DEFAULT false,
        totp_last_step bigint,
        security_stamp uuid NOT NULL DEFAULT gen_random_uuid(),
        is_superuser boolean NOT NULL DEFAULT false,
        last_sign_in_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (is_superuser OR tenant_id IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX users_tenant_idx ON users (tenant_id)`);
    await q.query(`CREATE INDEX users_search_idx ON users (tenant_id, lower(name))`);
    await q.query(`
      CREATE TABLE memberships (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        role varchar(32) NOT NULL CHECK (role IN ('participant','coach','content_developer','administrator')),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (tenant_id, user_id, role)
      )`);
    await q.query(`CREATE INDEX memberships_tenant_idx ON memberships (tenant_id)`);
    await q.query(`CREATE INDEX memberships_user_idx ON memberships (user_id)`);
    await q.query(`
      CREATE TABLE licences (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        user_id uuid NOT NULL UNIQUE REFERENCES users(id) ON DELETE CASCADE,
        starts_on date NOT NULL,
        expires_on date NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (expires_on >= starts_on)
      )`);
    await q.query(`CREATE INDEX licences_tenant_idx ON licences (tenant_id)`);
    await q.query(`
      CREATE TABLE mfa_challenges (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        tenant_id uuid REFERENCES tenants(id) ON DELETE CASCADE,
        code_hash varchar(64) NOT NULL,
        code_sealed text,
        expires_at timestamptz NOT NULL,
        attempts int NOT NULL DEFAULT 0,
        consumed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX mfa_challenges_user_idx ON mfa_challenges (user_id)`);
    await q.query(`CREATE INDEX mfa_challenges_tenant_idx ON mfa_challenges (tenant_id)`);
    await q.query(`
      CREATE TABLE trusted_devices (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        tenant_id uuid REFERENCES tenants(id) ON DELETE CASCADE,
        token_hash varchar(64) NOT NULL UNIQUE,
        label varchar(200) NOT NULL,
        security_stamp uuid NOT NULL,
        last_used_at timestamptz,
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX trusted_devices_user_idx ON trusted_devices (user_id)`);
    await q.query(`CREATE INDEX trusted_devices_tenant_idx ON trusted_devices (tenant_id)`);
    await q.query(`
      CREATE TABLE invitations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        token_hash varchar(64) NOT NULL UNIQUE,
        token_sealed text,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        created_by uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX invitations_tenant_idx ON invitations (tenant_id)`);
    await q.query(`CREATE INDEX invitations_user_idx ON invitations (user_id)`);
    await q.query(`
      CREATE TABLE impersonations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        superuser_id uuid NOT NULL REFERENCES users(id),
        target_user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        tenant_id uuid REFERENCES tenants(id) ON DELETE CASCADE,
        reason text NOT NULL CHECK (length(reason) >= 10),
        started_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        ended_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX impersonations_superuser_idx ON impersonations (superuser_id)`);
    await q.query(`CREATE INDEX impersonations_target_idx ON impersonations (target_user_id)`);

    // Privacy log: append-only, hash-chained. The triggers refuse UPDATE, DELETE and TRUNCATE
    // for every role, the application's included.
    await q.query(`
      CREATE TABLE privacy_log (
        id bigserial PRIMARY KEY,
        tenant_id uuid,
        actor_id uuid,
        actor_role varchar(64) NOT NULL,
        subject_id uuid NOT NULL,
        object_type varchar(64) NOT NULL,
        object_id varchar(100) NOT NULL,
        action varchar(64) NOT NULL,
        impersonator_id uuid,
        at timestamptz NOT NULL,
        prev_hash varchar(64) NOT NULL,
        hash varchar(64) NOT NULL
      )`);
    await q.query(`CREATE INDEX privacy_log_tenant_idx ON privacy_log (tenant_id, at)`);
    await q.query(`CREATE INDEX privacy_log_subject_idx ON privacy_log (subject_id, at)`);
    await q.query(`
      CREATE FUNCTION privacy_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'privacy_log is append-only' USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER privacy_log_no_update_delete BEFORE UPDATE OR DELETE ON privacy_log
      FOR EACH ROW EXECUTE FUNCTION privacy_log_append_only()`);
    await q.query(`
      CREATE TRIGGER privacy_log_no_truncate BEFORE TRUNCATE ON privacy_log
      FOR EACH STATEMENT EXECUTE FUNCTION privacy_log_append_only()`);

    // Sessions (connect-pg-simple's schema) with the signed-in user exposed for "end all sessions".
    await q.query(`
      CREATE TABLE sessions (
        sid varchar NOT NULL PRIMARY KEY,
        sess json NOT NULL,
        expire timestamp(6) NOT NULL,
        user_id text GENERATED ALWAYS AS (sess #>> '{auth,userId}') STORED
      )`);
    await q.query(`CREATE INDEX sessions_expire_idx ON sessions (expire)`);
    await q.query(`CREATE INDEX sessions_user_idx ON sessions (user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE sessions`);
    await q.query(`DROP TRIGGER privacy_log_no_truncate ON privacy_log`);
    await q.query(`DROP TRIGGER privacy_log_no_update_delete ON privacy_log`);
    await q.query(`DROP TABLE privacy_log`);
    await q.query(`DROP FUNCTION privacy_log_append_only()`);
    for (const t of [
      'impersonations',
      'invitations',
      'trusted_devices',
      'mfa_challenges',
      'licences',
      'memberships',
      'users',
      'tenants',
    ]) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}
