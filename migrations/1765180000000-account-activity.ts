import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What was changed in an organisation's accounts, by whom: invitations, roles, licences,
 * deactivation, group membership, keep requests decided, erasure, single sign-on and retention
 * settings. One row per change and person, written in the transaction of the change. The
 * application may only read and append (runtime-role.ts); a row about a person goes with them
 * (erasure), the one who made a change is cleared when they are erased.
 */
export class AccountActivity1765180000000 implements MigrationInterface {
  name = 'AccountActivity1765180000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE account_activity (
        id bigserial PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        at timestamptz NOT NULL DEFAULT now(),
        actor_id uuid REFERENCES users(id) ON DELETE SET NULL,
        actor_role text NOT NULL,
        impersonator_id uuid REFERENCES users(id) ON DELETE SET NULL,
        subject_id uuid REFERENCES users(id) ON DELETE CASCADE,
        action text NOT NULL,
        details jsonb NOT NULL DEFAULT '{}'::jsonb
      )`);
    // the organisation's page newest first, and one person's
    await q.query(`CREATE INDEX account_activity_tenant_idx ON account_activity (tenant_id, id DESC)`);
    await q.query(
      `CREATE INDEX account_activity_subject_idx ON account_activity (tenant_id, subject_id, id DESC) WHERE subject_id IS NOT NULL`,
    );
    // one kind of change (a rare kind among many need not walk them all)
    await q.query(`CREATE INDEX account_activity_action_idx ON account_activity (tenant_id, action, id DESC)`);
    // the foreign keys' actions on erasure
    await q.query(`CREATE INDEX account_activity_actor_idx ON account_activity (actor_id) WHERE actor_id IS NOT NULL`);
    await q.query(
      `CREATE INDEX account_activity_impersonator_idx ON account_activity (impersonator_id) WHERE impersonator_id IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE account_activity`);
  }
}
