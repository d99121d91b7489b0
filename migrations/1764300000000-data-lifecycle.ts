import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The data-protection lifecycle: per-tenant retention settings (deletion after licence expiry,
 * notice, the keep-my-videos policy, end of agreement), the state of each licence's lifecycle,
 * recordings marked deleted (their objects, transcripts and data keys gone), and deletion
 * receipts that outlive what they describe (no foreign keys on purpose).
 */
export class DataLifecycle1764300000000 implements MigrationInterface {
  name = 'DataLifecycle1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tenants
      ADD COLUMN retention_delete_after_days int NOT NULL DEFAULT 45 CHECK (retention_delete_after_days BETWEEN 1 AND 3650),
      ADD COLUMN retention_notice_days int NOT NULL DEFAULT 14 CHECK (retention_notice_days BETWEEN 0 AND 365),
      ADD COLUMN retention_keep_policy varchar(10) NOT NULL DEFAULT 'approval' CHECK (retention_keep_policy IN ('approval','automatic')),
      ADD COLUMN retention_keep_days int NOT NULL DEFAULT 365 CHECK (retention_keep_days BETWEEN 1 AND 3650),
      ADD COLUMN agreement_ends_on date,
      ADD COLUMN destroy_after_days int NOT NULL DEFAULT 45 CHECK (destroy_after_days BETWEEN 0 AND 3650)`);
    await q.query(`ALTER TABLE licences
      ADD COLUMN notice_sent_for date,
      ADD COLUMN notice_sent_at timestamptz,
      ADD COLUMN keep_status varchar(10) CHECK (keep_status IN ('requested','approved','declined')),
      ADD COLUMN keep_requested_at timestamptz,
      ADD COLUMN keep_until date,
      ADD COLUMN keep_decided_by uuid REFERENCES users(id) ON DELETE SET NULL,
      ADD COLUMN media_deleted_at timestamptz`);
    await q.query(`CREATE INDEX licences_expires_idx ON licences (expires_on)`);
    await q.query(`ALTER TABLE recordings DROP CONSTRAINT recordings_status_check`);
    await q.query(`ALTER TABLE recordings ADD CONSTRAINT recordings_status_check
      CHECK (status IN ('queued','probing','extracting','transcribing','indexing','transcribed','failed','ready','deleted'))`);
    await q.query(`ALTER TABLE recordings ALTER COLUMN envelope DROP NOT NULL`);
    await q.query(`ALTER TABLE recordings ADD COLUMN deleted_at timestamptz`);
    await q.query(`
      CREATE TABLE deletion_receipts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid,
        kind varchar(20) NOT NULL CHECK (kind IN ('licence_expiry','erasure','tenant_destruction')),
        subject_id uuid NOT NULL,
        requested_by uuid,
        reason text,
        created_at timestamptz NOT NULL,
        verified boolean NOT NULL,
        counts jsonb NOT NULL,
        objects jsonb NOT NULL
      )`);
    await q.query(`CREATE INDEX deletion_receipts_tenant_idx ON deletion_receipts (tenant_id, created_at)`);
    await q.query(`CREATE INDEX deletion_receipts_subject_idx ON deletion_receipts (subject_id)`);
    await q.query(`
      CREATE TABLE data_exports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        -- one person's data, or (scope 'tenant', no subject) everything of the organisation
        scope varchar(6) NOT NULL DEFAULT 'user' CHECK (scope IN ('user','tenant')),
        subject_id uuid REFERENCES users(id) ON DELETE CASCADE,
        requested_by uuid REFERENCES users(id) ON DELETE SET NULL,
        state varchar(10) NOT NULL CHECK (state IN ('queued','building','ready','failed','expired')),
        progress int NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
        object_key varchar(300),
        envelope jsonb,
        size_bytes bigint,
        error text,
        created_at timestamptz NOT NULL,
        finished_at timestamptz,
        expires_at timestamptz,
        CHECK ((scope = 'user') = (subject_id IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX data_exports_tenant_idx ON data_exports (tenant_id)`);
    await q.query(`CREATE INDEX data_exports_subject_idx ON data_exports (subject_id, created_at)`);
    // the privacy log stays append-only, except that destroying a tenant (end of agreement) takes
    // that tenant's whole chain with it: the destruction sets rehearse.destroying_tenant in its transaction
    await q.query(`
      CREATE OR REPLACE FUNCTION privacy_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' AND OLD.tenant_id IS NOT NULL AND OLD.tenant_id::text = current_setting('rehearse.destroying_tenant', true) THEN
          RETURN OLD;
        END IF;
        RAISE EXCEPTION 'privacy_log is append-only' USING ERRCODE = 'insufficient_privilege';
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION privacy_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'privacy_log is append-only' USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`DROP TABLE data_exports`);
    await q.query(`DROP TABLE deletion_receipts`);
    await q.query(`DELETE FROM recordings WHERE status = 'deleted'`);
    await q.query(`ALTER TABLE recordings DROP COLUMN deleted_at`);
    await q.query(`ALTER TABLE recordings ALTER COLUMN envelope SET NOT NULL`);
    await q.query(`ALTER TABLE recordings DROP CONSTRAINT recordings_status_check`);
    await q.query(`ALTER TABLE recordings ADD CONSTRAINT recordings_status_check
      CHECK (status IN ('queued','probing','extracting','transcribing','indexing','transcribed','failed','ready'))`);
    await q.query(`DROP INDEX licences_expires_idx`);
    await q.query(
      `ALTER TABLE licences DROP COLUMN notice_sent_for, DROP COLUMN notice_sent_at, DROP COLUMN keep_status, DROP COLUMN keep_requested_at, DROP COLUMN keep_until, DROP COLUMN keep_decided_by, DROP COLUMN media_deleted_at`,
    );
    await q.query(`ALTER TABLE tenants DROP COLUMN retention_delete_after_days, DROP COLUMN retention_notice_days, DROP COLUMN retention_keep_policy,
      DROP COLUMN retention_keep_days, DROP COLUMN agreement_ends_on, DROP COLUMN destroy_after_days`);
  }
}
