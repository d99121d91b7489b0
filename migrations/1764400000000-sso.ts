import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Single sign-on per tenant (OpenID Connect, Microsoft Entra ID): the tenant's configuration (the
 * client secret sealed), and the identities that link a user to the identity provider's stable ids
 * (directory id `tid` and object id `oid`), never to an e-mail address.
 */
export class Sso1764400000000 implements MigrationInterface {
  name = 'Sso1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tenant_sso (
        tenant_id uuid PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
        enabled boolean NOT NULL DEFAULT false,
        issuer varchar(300) NOT NULL,
        client_id varchar(200) NOT NULL,
        client_secret_sealed text,
        directory_id varchar(64) NOT NULL,
        jit_participants boolean NOT NULL DEFAULT false,
        trust_idp_mfa boolean NOT NULL DEFAULT false,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE user_identities (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        issuer varchar(300) NOT NULL,
        directory_id varchar(64) NOT NULL,
        object_id varchar(64) NOT NULL,
        created_at timestamptz NOT NULL,
        last_used_at timestamptz,
        UNIQUE (tenant_id, directory_id, object_id)
      )`);
    await q.query(`CREATE INDEX user_identities_user_idx ON user_identities (user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE user_identities`);
    await q.query(`DROP TABLE tenant_sso`);
  }
}
