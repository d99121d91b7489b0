import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Security hardening (issue 13).
 *
 * Sessions: the superuser behind an impersonation is a column too, so ending all of a superuser's
 * sessions reaches the sessions in which they act as someone else.
 *
 * SSO identities are bound to the issuer they were linked under (see SsoService).
 *
 * E-mail addresses are unique per organisation, not across the platform: inviting or importing
 * an address that has an account in another organisation works like any new address, so an
 * administrator never learns who is a customer elsewhere. A superuser's address stays unique.
 *
 * The privacy log, append-only below the application too:
 * - the application runs as a role that does not own the schema (see grantRuntimeRole in
 *   migrations/index.ts): it may read and append privacy-log rows, never update, delete, truncate
 *   or disable the triggers;
 * - rows are chained with an HMAC keyed by a secret kept outside the database (chain_version 2),
 *   so edited rows cannot be re-chained by someone who can write the table;
 * - destroying a tenant takes its chain only through destroy_tenant_privacy_log(), a function of
 *   the owner that works for a tenant whose row is already gone and leaves an append-only record
 *   (rows, the chain's last hash, the database role, the time) in privacy_log_destructions.
 *   The old session flag (rehearse.destroying_tenant), which any session could set, is gone.
 */
export class SecurityHardening1764500000000 implements MigrationInterface {
  name = 'SecurityHardening1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE sessions ADD COLUMN impersonator_id text GENERATED ALWAYS AS (sess #>> '{auth,impersonation,superuserId}') STORED`,
    );
    await q.query(
      `CREATE INDEX sessions_impersonator_idx ON sessions (impersonator_id) WHERE impersonator_id IS NOT NULL`,
    );
    await q.query(`ALTER TABLE users DROP CONSTRAINT users_email_key`);
    await q.query(`CREATE UNIQUE INDEX users_tenant_email ON users (tenant_id, email) WHERE tenant_id IS NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX users_platform_email ON users (email) WHERE tenant_id IS NULL`);
    await q.query(`CREATE INDEX users_email_idx ON users (email)`);
    await q.query(`ALTER TABLE privacy_log ADD COLUMN chain_version smallint NOT NULL DEFAULT 1`);
    // rows written from now on must be keyed: an unkeyed (version 1) row can only be an old one,
    // so nobody can rewrite the chain with plain hashes (the constraint is the owner's to change)
    await q.query(`
      DO $$
      DECLARE last bigint;
      BEGIN
        SELECT coalesce(max(id), 0) INTO last FROM privacy_log;
        EXECUTE format('ALTER TABLE privacy_log ADD CONSTRAINT privacy_log_keyed CHECK (chain_version = 2 OR id <= %s)', last);
      END $$`);
    await q.query(`ALTER TABLE privacy_log ALTER COLUMN chain_version SET DEFAULT 2`);
    await q.query(`
      CREATE TABLE privacy_log_destructions (
        id bigserial PRIMARY KEY,
        tenant_id uuid NOT NULL,
        rows_deleted integer NOT NULL,
        last_hash varchar(64),
        database_role name NOT NULL,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE OR REPLACE FUNCTION privacy_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'privacy_log' AND OLD.tenant_id IS NOT NULL
           AND OLD.tenant_id::text = current_setting('rehearse.privacy_log_destroying', true) THEN
          RETURN OLD;
        END IF;
        RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER privacy_log_destructions_no_update_delete BEFORE UPDATE OR DELETE ON privacy_log_destructions
      FOR EACH ROW EXECUTE FUNCTION privacy_log_append_only()`);
    await q.query(`
      CREATE TRIGGER privacy_log_destructions_no_truncate BEFORE TRUNCATE ON privacy_log_destructions
      FOR EACH STATEMENT EXECUTE FUNCTION privacy_log_append_only()`);
    await q.query(`
      CREATE FUNCTION destroy_tenant_privacy_log(p_tenant uuid) RETURNS integer
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE
        n integer;
        head varchar(64);
      BEGIN
        IF p_tenant IS NULL THEN
          RAISE EXCEPTION 'a tenant id is required' USING ERRCODE = 'invalid_parameter_value';
        END IF;
        IF EXISTS (SELECT 1 FROM tenants WHERE id = p_tenant) THEN
          RAISE EXCEPTION 'the privacy log of a tenant goes only after the tenant itself' USING ERRCODE = 'insufficient_privilege';
        END IF;
        SELECT hash INTO head FROM privacy_log WHERE tenant_id = p_tenant ORDER BY id DESC LIMIT 1;
        PERFORM set_config('rehearse.privacy_log_destroying', p_tenant::text, true);
        DELETE FROM privacy_log WHERE tenant_id = p_tenant;
        GET DIAGNOSTICS n = ROW_COUNT;
        PERFORM set_config('rehearse.privacy_log_destroying', '', true);
        INSERT INTO privacy_log_destructions (tenant_id, rows_deleted, last_hash, database_role) VALUES (p_tenant, n, head, session_user);
        RETURN n;
      END $$`);
    await q.query(`REVOKE ALL ON FUNCTION destroy_tenant_privacy_log(uuid) FROM PUBLIC`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sessions DROP COLUMN impersonator_id`);
    await q.query(`DROP INDEX users_email_idx`);
    await q.query(`DROP INDEX users_platform_email`);
    await q.query(`DROP INDEX users_tenant_email`);
    await q.query(`ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email)`);
    await q.query(`DROP FUNCTION destroy_tenant_privacy_log(uuid)`);
    await q.query(`DROP TABLE privacy_log_destructions`);
    await q.query(`
      CREATE OR REPLACE FUNCTION privacy_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' AND OLD.tenant_id IS NOT NULL AND OLD.tenant_id::text = current_setting('rehearse.destroying_tenant', true) THEN
          RETURN OLD;
        END IF;
        RAISE EXCEPTION 'privacy_log is append-only' USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`ALTER TABLE privacy_log DROP CONSTRAINT privacy_log_keyed`);
    await q.query(`ALTER TABLE privacy_log DROP COLUMN chain_version`);
  }
}
